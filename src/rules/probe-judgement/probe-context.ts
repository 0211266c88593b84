/**
 * @module The shared state of a probe judgement: the probe result, the trust list it is judged with, its
 * transcript (whose lines findings quote), and the helpers every section uses. The sections build on it:
 * `probe-connection.ts` → `probe-handshake.ts` → `probe-chain.ts`.
 */

import { icmCode, sapSslCode } from '../../codes/sap-codes.js';
import { type ProbeTranscript, writeTranscript } from '../../evidence/probe-transcript.js';
import type { Cause, Confidence, Role, Severity } from '../../model/cause.js';
import type { CertificateInfo, TrustList } from '../../model/certificate.js';
import type { EvidenceLine } from '../../model/evidence.js';
import type { HandshakeAttempt, ProbeResult, TlsVersionName } from '../../model/probe.js';
import type {
  Finding,
  ImportPlan,
  ProfileVerdictSummary,
  ReportCertificate,
  ReportParameter,
  ReportPse,
} from '../../model/report.js';
import { describePem } from '../../pki/describe-pem.js';
import { nameForText } from '../../pki/dn.js';
import { describePse, type PseDescription, STANDARD_CLIENT_PSES } from '../../pki/pse-nodes.js';
import type { MessageData } from '../define.js';
import { toReportPse } from '../failure-facts.js';
import { SNI_PARAMETERS } from '../sni-parameters.js';

/** What a probe judgement needs: the probe result, the trust list to judge with, the clock. */
export interface ProbeJudgementInput {
  result: ProbeResult;
  /** The certificate list the ICM would use (a PSE, a listing, PEM files). Absent: unknown. */
  trust?: TrustList;
  now: Date;
  /** Index of the probe in the evidence's inputs (its transcript lines are that input's lines). */
  input: number;
}

/**
 * One outcome a section of the judgement concludes: the registered rule that reports it, the message id
 * (its words are that rule's templates) with the facts they use, and the structured fields of the finding.
 */
export interface ProbeOutcome {
  rule: string;
  message: string;
  data: MessageData;
  cause: Cause;
  confidence: Confidence;
  severity: Severity;
  role: Role;
  target: NonNullable<Finding['target']>;
  errorCode?: Finding['errorCode'];
  relatedCodes?: Finding['relatedCodes'];
  pse?: ReportPse;
  certificates?: ReportCertificate[];
  import?: ImportPlan;
  parameters?: ReportParameter[];
  evidence: EvidenceLine[];
  kb: string[];
}

/** What a section hands to `add`: target, role and the facts every probe message uses are added. */
export type OutcomeInput = Omit<ProbeOutcome, 'role' | 'target' | 'evidence' | 'kb' | 'data'> & {
  data?: MessageData;
  evidence?: EvidenceLine[];
  kb?: string[];
};

export const ICM_SSL_ERROR = icmCode(407);
export const CONN_CLOSED = sapSslCode('SSSLERR_CONN_CLOSED');
export const ALERT_HANDSHAKE = sapSslCode('SSSLERR_ALERT_HANDSHAKE_FAILURE');
export const ALERT_PROTOCOL = sapSslCode('SSSLERR_ALERT_PROTOCOL_VERSION');
export { SNI_PARAMETERS };

/** Client cipher-suite strings from the facts file (§6; SAP Note 510007 §7 and 3346659). */
export const CIPHERS_WITH_OLD_TLS: ReportParameter = {
  name: 'ssl/client_ciphersuites',
  value: '150:PFS:HIGH::EC_P256:EC_HIGH',
  where: 'instance profile (RZ10), then restart the ICM',
  note: 'SAP Note 510007 §7. A trace with this prefix shows pvflags=896 (TLSv1.2, TLSv1.1, TLSv1.0); the meaning of each prefix bit is not documented publicly.',
};
export const CIPHERS_WITH_TLS13: ReportParameter = {
  name: 'ssl/client_ciphersuites',
  value: '1174:PFS:HIGH::EC_X25519:EC_P256:EC_HIGH',
  where: 'instance profile (RZ10), then restart the ICM',
  note: 'The 2025 recommendation of SAP Note 3346659. TLS 1.3 also needs a kernel and CommonCryptoLib that support it (SAP Notes 3318423, 2765639).',
};

/** Helpers every section of the judgement uses. */
export class ProbeContext {
  readonly outcomes: ProbeOutcome[] = [];
  readonly verification: ProfileVerdictSummary[] = [];
  readonly transcript: ProbeTranscript;
  protected readonly r: ProbeResult;
  protected readonly now: Date;
  protected readonly inputIndex: number;
  protected readonly target: NonNullable<Finding['target']>;
  protected readonly pses: PseDescription[];
  protected readonly fetched: CertificateInfo[];

  constructor(protected readonly input: ProbeJudgementInput) {
    this.r = input.result;
    this.now = input.now;
    this.inputIndex = input.input;
    this.transcript = writeTranscript(this.r);
    this.target = {
      host: this.r.target.host,
      port: this.r.target.port,
      ...(this.r.target.address ? { peerIp: this.r.target.address } : {}),
    };
    // Import into the PSE that was checked when it is an SSL client PSE; otherwise into both standard ones.
    const described = input.trust ? describeTrustPse(input.trust) : undefined;
    this.pses = described?.purpose === 'ssl-client' ? [described] : [...STANDARD_CLIENT_PSES];
    this.fetched = [];
    for (const f of this.r.fetchedIssuers ?? []) {
      for (const pem of f.pem ?? []) this.fetched.push(describePem(pem));
    }
  }

  // ---------- helpers ----------

  protected line(label: string): EvidenceLine[] {
    const n = this.transcript.attemptLine[label];
    if (n === undefined) return [];
    return [{ input: this.inputIndex, line: n, text: this.transcript.lines[n - 1] ?? '' }];
  }

  protected linesOf(label: string, withCertificates = true): EvidenceLine[] {
    const out = this.line(label);
    if (withCertificates) {
      for (const n of this.transcript.certificateLines[label] ?? []) {
        out.push({ input: this.inputIndex, line: n, text: this.transcript.lines[n - 1] ?? '' });
      }
    }
    return out;
  }

  protected add(f: OutcomeInput): ProbeOutcome {
    const finding: ProbeOutcome = {
      role: 'client',
      target: this.target,
      evidence: [],
      kb: [],
      ...f,
      data: { ...this.facts(), ...f.data },
    };
    const pse =
      this.input.trust && finding.pse === undefined && isTrustCause(finding.cause)
        ? this.pseOfTrust()
        : undefined;
    if (pse) finding.pse = pse;
    finding.kb = [...new Set(finding.kb)];
    this.outcomes.push(finding);
    return finding;
  }

  /** The facts every probe message may use: target, trust list, time limit, proxy, the probe command. */
  protected facts(): MessageData {
    const proxy = this.r.proxy;
    const trust = this.input.trust?.file ? ` --trust ${this.input.trust.file}` : '';
    return {
      hostPort: this.hostPort(),
      host: this.r.target.host,
      port: String(this.r.target.port),
      list: this.trustName(),
      trustGiven: this.input.trust ? 'yes' : undefined,
      noTrustGiven: this.input.trust ? undefined : 'yes',
      timeoutMs: String(this.r.timeoutMs),
      proxyAt: proxy ? `${proxy.host}:${proxy.port}` : undefined,
      probe: `pse-doctor probe ${this.hostPort()}${trust}`,
    };
  }

  protected pseOfTrust(): ReportPse | undefined {
    const t = this.input.trust;
    if (!t) return undefined;
    const pse = toReportPse(t);
    return Object.keys(pse).length ? pse : undefined;
  }

  protected trustName(): string {
    const t = this.input.trust;
    if (!t) return 'the SSL client PSE';
    const name = t.basename ?? t.file ?? 'the given trust list';
    return t.node ? `${name} (${t.node})` : name;
  }

  protected hostPort(): string {
    return `${this.r.target.host}:${this.r.target.port}`;
  }

  protected probeCommand(extra = ''): string {
    const trust = this.input.trust?.file ? ` --trust ${this.input.trust.file}` : '';
    return `pse-doctor probe ${this.hostPort()}${trust}${extra}`;
  }
}

/** The PSE a trust list stands for: its STRUST node when the reader named one, else from the file name. */
export function describeTrustPse(trust: TrustList): PseDescription | undefined {
  const name = trust.basename ?? trust.file;
  const d = name ? describePse(name) : undefined;
  if (!trust.node) return d;
  return {
    ...(d ?? { purpose: 'unknown' }),
    node: trust.node,
    ...(trust.basename ? { basename: trust.basename } : {}),
    ...(trust.context ? { context: trust.context } : {}),
    ...(trust.application ? { application: trust.application } : {}),
    purpose:
      trust.context === 'SSLC'
        ? 'ssl-client'
        : trust.context === 'SSLS'
          ? 'ssl-server'
          : (d?.purpose ?? 'unknown'),
  };
}

export function rank(v: TlsVersionName): number {
  return ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'].indexOf(v);
}

export function alertCodeIs(a: HandshakeAttempt, code: number): boolean {
  return a.alert?.code === code;
}

export function isTrustCause(cause: string): boolean {
  return cause === 'untrusted-root' || cause === 'missing-intermediate';
}

export function cn(cert: CertificateInfo | undefined): string {
  if (!cert) return '?';
  return nameForText(cert.subject);
}

export function normalisePem(pem: string): string {
  return pem.replace(/\s+/g, '');
}
