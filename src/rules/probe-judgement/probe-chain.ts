/**
 * @module Probe judgement, last section: the chain the server sent, judged as the ICM holding the trust
 * list would (untrusted-peer-chain, missing-intermediate, peer-cert-expired, server-cert-mismatch,
 * weak-certificate), what SNI changes, and protocol versions that matter when the handshake worked.
 * The words are the reporting rules' templates; this code states the facts.
 */

import { icmCode, sapSslCode } from '../../codes/sap-codes.js';
import { describeOutcome } from '../../evidence/probe-transcript.js';
import type { Confidence } from '../../model/cause.js';
import type { CertificateInfo } from '../../model/certificate.js';
import { escapeControlChars } from '../../model/escape-controls.js';
import type { ImportPlan, ReportCertificate } from '../../model/report.js';
import { isSelfSigned } from '../../pki/chain.js';
import { describePem } from '../../pki/describe-pem.js';
import { nameForText } from '../../pki/dn.js';
import { pathCertificates } from '../../pki/report-certificate.js';
import {
  type ChainProblem,
  checkHostName,
  mapProblemToSap,
  type ProfileVerdict,
  verifyWithProfile,
} from '../../pki/verify.js';
import { problemSentence, summarizeVerdict } from '../chain-problem.js';
import type { MessageData } from '../define.js';
import { buildImportPlan, obtainSteps } from '../import-wording.js';
import {
  ALERT_HANDSHAKE,
  ALERT_PROTOCOL,
  CIPHERS_WITH_TLS13,
  cn,
  ICM_SSL_ERROR,
  normalisePem,
  type OutcomeInput,
  SNI_PARAMETERS,
} from './probe-context.js';
import { HandshakeJudge } from './probe-handshake.js';

/** The registered rule that reports a chain problem of this kind. */
export function chainRule(kind: ChainProblem['kind']): string {
  switch (kind) {
    case 'intermediate-missing':
      return 'missing-intermediate';
    case 'expired':
    case 'not-yet-valid':
      return 'peer-cert-expired';
    case 'name-mismatch':
      return 'server-cert-mismatch';
    case 'weak-signature':
      return 'weak-certificate';
    default:
      return 'untrusted-peer-chain';
  }
}

/** The whole judgement, in order (see `judge`). */
export class ProbeJudge extends HandshakeJudge {
  /**
   * No connection (TCP, DNS, proxy) → not TLS → handshake refused (version, cipher, SNI, client
   * certificate) → the chain under `sap-icm` → SNI and version observations.
   */
  judge(): this {
    const main = this.r.main;
    if (this.judgeConnection(main)) return this;
    const handshakeJudged = this.judgeHandshake(main);
    this.judgeChain();
    this.judgeSni(handshakeJudged);
    this.judgeVersions(handshakeJudged);
    return this;
  }

  protected judgeChain(): void {
    const certs = this.r.certificates ?? [];
    if (certs.length === 0) return;
    const host = this.r.target.host;
    const label = this.r.chainFrom ?? 'main';
    const browser = verifyWithProfile('browser', {
      chain: certs,
      host,
      now: this.now,
      fetched: this.fetched,
    });
    const trust = this.input.trust;
    // Without a trust list, assume the PSE holds the root this chain leads to, judge everything else,
    // and name that root.
    const root = trust ? undefined : this.rootOf(browser, certs);
    const sap = verifyWithProfile('sap-icm', {
      chain: certs,
      host,
      now: this.now,
      trust: trust ? trust.certificates : root ? [root.cert] : [],
      trustName: trust
        ? this.trustName()
        : root
          ? `a PSE assumed to hold "${cn(root.cert)}"`
          : 'the SSL client PSE',
      fetched: this.fetched,
    });
    this.verification.push(summarizeVerdict(sap), summarizeVerdict(browser));
    this.chainFindings(sap, browser, label, trust ? 'certain' : 'likely');
    if (
      root &&
      !this.outcomes.some((f) => f.cause === 'untrusted-root' || f.cause === 'missing-intermediate')
    ) {
      this.rootNeeded(root, label);
    }
  }

  /** The root the chain leads to: the browser's anchor, a self-signed top the server sent, or an AIA-fetched root. */
  protected rootOf(
    browser: ProfileVerdict,
    certs: CertificateInfo[],
  ): { cert: CertificateInfo; source: 'bundled-roots' | 'peer-chain' | 'aia' } | undefined {
    if (browser.anchor) {
      const sent = certs.find((c) => c.sha256 && c.sha256 === browser.anchor?.cert.sha256);
      return { cert: browser.anchor.cert, source: sent ? 'peer-chain' : 'bundled-roots' };
    }
    const top = browser.chain.path[browser.chain.path.length - 1]?.cert;
    if (top && isSelfSigned(top) && browser.chain.path.length > 1) return { cert: top, source: 'peer-chain' };
    const fetchedRoot = this.fetched.find((c) => isSelfSigned(c));
    if (fetchedRoot) return { cert: fetchedRoot, source: 'aia' };
    return undefined;
  }

  /** The chain as the Report shows it (one mapping for every command). */
  protected reportCertificates(v: ProfileVerdict): ReportCertificate[] {
    return pathCertificates(v);
  }

  protected chainFindings(
    sap: ProfileVerdict,
    browser: ProfileVerdict,
    label: string,
    confidence: Confidence,
  ): void {
    const seen = new Set<string>();
    const sni = this.sniExplainsName(sap);
    sap.problems.forEach((p, i) => {
      if (seen.has(p.kind) || p.kind === 'empty') return;
      seen.add(p.kind);
      if (p.kind === 'name-mismatch' && sni) {
        this.sniFixesName(sap, p, sni, label);
        return;
      }
      this.chainFinding(sap, browser, p, label, confidence, i > 0);
    });
  }

  protected chainFinding(
    sap: ProfileVerdict,
    browser: ProfileVerdict,
    p: ChainProblem,
    label: string,
    confidence: Confidence,
    later: boolean,
  ): void {
    const map = mapProblemToSap(p.kind);
    if (!map) return;
    const leaf = sap.chain.path[0]?.cert;
    const outcome: OutcomeInput = {
      rule: chainRule(p.kind),
      message: '',
      data: {
        problem: problemSentence(p, sap.listName),
        later: later ? 'yes' : undefined,
        leafName: cn(leaf),
      },
      cause: map.cause,
      confidence:
        p.kind === 'expired' ||
        p.kind === 'not-yet-valid' ||
        p.kind === 'name-mismatch' ||
        p.kind === 'self-signed'
          ? 'certain'
          : confidence,
      severity: 'error',
      ...(map.error ? { errorCode: map.error } : {}),
      ...(map.icm ? { relatedCodes: [map.icm] } : {}),
      certificates: this.reportCertificates(sap),
      evidence: this.linesOf(label),
      kb: [...map.kb],
    };
    const data = outcome.data as MessageData;
    switch (p.kind) {
      case 'root-missing':
      case 'self-signed':
      case 'chain-loop':
      case 'chain-too-long': {
        const selfSigned = p.kind === 'self-signed';
        const rootCert = p.missing?.cert ?? (browser.anchor ? browser.anchor.cert : undefined);
        const source = p.missing?.cert
          ? (p.missing.source ?? 'peer-chain')
          : browser.anchor
            ? 'bundled-roots'
            : 'not-found';
        const subject = rootCert?.subject ?? p.missing?.subject ?? leaf?.issuer ?? '(unknown root)';
        outcome.message = selfSigned ? 'probeSelfSigned' : 'probeRootMissing';
        data.rootName = nameForText(subject);
        outcome.import = buildImportPlan({
          certificate: rootCert ?? {
            subject,
            ...(p.missing?.aiaIssuers ? { aiaIssuers: p.missing.aiaIssuers } : {}),
          },
          kind: selfSigned ? 'self-signed-peer' : 'root',
          source,
          pses: this.pses,
        });
        Object.assign(data, this.importFacts(outcome.import));
        break;
      }
      case 'intermediate-missing': {
        const m = p.missing;
        const known = m?.cert;
        const subject = known?.subject ?? m?.subject ?? '(unknown intermediate)';
        outcome.message = 'probeIntermediateMissing';
        data.intermediateName = nameForText(subject);
        data.anchorName = browser.anchor ? cn(browser.anchor.cert) : undefined;
        outcome.import = buildImportPlan({
          certificate: known ?? { subject, ...(m?.aiaIssuers ? { aiaIssuers: m.aiaIssuers } : {}) },
          kind: 'intermediate',
          source: known ? (m?.source === 'bundled-roots' ? 'bundled-roots' : 'aia') : 'not-found',
          pses: this.pses,
          reason:
            'The ICM does not fetch missing intermediates: with the server sending only its own certificate, the intermediate itself must be in the PSE (a root alone cannot close the gap). The lasting fix is on the server: send the full chain.',
          ...(known
            ? {}
            : {
                howToObtain: obtainSteps('probedIntermediate', {
                  aiaIssuers: m?.aiaIssuers?.map(escapeControlChars),
                  probeCommand: this.probeCommand(' --fetch-issuers'),
                  noAia: m?.aiaIssuers?.length ? undefined : 'yes',
                }),
              }),
        });
        Object.assign(data, this.importFacts(outcome.import));
        break;
      }
      case 'expired':
      case 'not-yet-valid':
        outcome.message = p.kind === 'expired' ? 'probeExpired' : 'probeNotYetValid';
        data.position =
          p.position === 'leaf'
            ? 'server certificate'
            : p.position === 'root'
              ? 'root CA'
              : 'intermediate CA';
        data.certName = cn(p.cert);
        data.notAfter = p.cert?.notAfter?.slice(0, 10);
        data.notBefore = p.cert?.notBefore?.slice(0, 10);
        break;
      case 'name-mismatch':
        outcome.message = 'probeNameMismatch';
        data.names = p.names?.length ? p.names.map(escapeControlChars).join(', ') : undefined;
        break;
      case 'weak-signature':
        outcome.message = 'probeWeak';
        break;
      default:
        return;
    }
    this.add(outcome);
  }

  /** The facts the import steps use: the file `--out` writes and the STRUST nodes to import into. */
  protected importFacts(plan: ImportPlan): MessageData {
    const ready = plan.pem && plan.fileName ? 'yes' : undefined;
    return {
      fileName: plan.fileName,
      sha256: plan.sha256,
      pemReady: ready,
      pemMissing: ready ? undefined : 'yes',
      nodes: this.pses
        .map((p) => p.node)
        .filter(Boolean)
        .join('" and "'),
    };
  }

  protected rootNeeded(
    root: { cert: CertificateInfo; source: 'bundled-roots' | 'peer-chain' | 'aia' },
    label: string,
  ): void {
    const plan = buildImportPlan({
      certificate: root.cert,
      kind: 'root',
      source: root.source,
      pses: this.pses,
    });
    this.add({
      rule: 'untrusted-peer-chain',
      message: 'probeRootNeeded',
      data: { rootName: cn(root.cert), ...this.importFacts(plan) },
      cause: 'untrusted-root',
      confidence: 'possible',
      severity: 'info',
      errorCode: sapSslCode('SSSLERR_PEER_CERT_UNTRUSTED'),
      relatedCodes: [icmCode(421)],
      import: plan,
      evidence: this.linesOf(label),
      kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'STRUST'],
    });
  }

  // ---------- SNI ----------

  /** When the main chain's name fails and the flipped-SNI attempt got a certificate that names the host. */
  protected sniExplainsName(sap: ProfileVerdict): CertificateInfo | undefined {
    const cmp = this.r.sniCompare;
    if (!cmp?.chain?.length || !cmp.sni || this.r.main.sni) return undefined;
    if (!sap.problems.some((p) => p.kind === 'name-mismatch')) return undefined;
    const leaf = describePem(cmp.chain[0] ?? '');
    return checkHostName(this.r.target.host, leaf, 'cn-or-san').ok ? leaf : undefined;
  }

  protected sniFixesName(
    sap: ProfileVerdict,
    p: ChainProblem,
    withSni: CertificateInfo,
    label: string,
  ): void {
    this.add({
      rule: 'server-cert-mismatch',
      message: 'probeSniFixesName',
      data: {
        defaultName: cn(sap.chain.path[0]?.cert),
        problem: problemSentence(p, sap.listName),
        sniName: cn(withSni),
      },
      cause: 'sni-missing',
      confidence: 'certain',
      severity: 'error',
      errorCode: sapSslCode('SSSLERR_SERVER_CERT_MISMATCH'),
      relatedCodes: [icmCode(415)],
      parameters: [...SNI_PARAMETERS],
      certificates: this.reportCertificates(sap),
      evidence: [...this.linesOf(label), ...this.linesOf('sni-compare')],
      kb: ['icm/HTTPS/client_sni_enabled', 'ssl/client_sni_enabled', 'SSSLERR_SERVER_CERT_MISMATCH'],
    });
  }

  /** The main handshake sent SNI and worked; without SNI the server answers differently. */
  protected judgeSni(handshakeCause: string | undefined): void {
    const main = this.r.main;
    const cmp = this.r.sniCompare;
    if (!cmp || !main.sni || cmp.sni || handshakeCause === 'sni-missing') return;
    if (main.outcome !== 'ok' && main.step === 'tls') return;
    const mainLeaf = main.chain?.[0];
    const cmpLeaf = cmp.chain?.[0];
    const sameCert =
      mainLeaf !== undefined && cmpLeaf !== undefined && normalisePem(mainLeaf) === normalisePem(cmpLeaf);
    const cmpFailed = cmp.outcome !== 'ok' && cmp.step === 'tls';
    if (sameCert && !cmpFailed) return;
    if (!cmpLeaf && !cmpFailed) return;
    let code = sapSslCode('SSSLERR_CONN_CLOSED') as { name: string; number?: number };
    const data: MessageData = {};
    if (cmpLeaf && !sameCert) {
      const other = describePem(cmpLeaf);
      const v = verifyWithProfile('sap-icm', {
        chain: (cmp.chain ?? []).map(describePem),
        host: this.r.target.host,
        now: this.now,
        trust: this.input.trust?.certificates ?? [],
      });
      const nameProblem = v.problems.find((p) => p.kind === 'name-mismatch');
      code = nameProblem
        ? sapSslCode('SSSLERR_SERVER_CERT_MISMATCH')
        : sapSslCode('SSSLERR_PEER_CERT_UNTRUSTED');
      data.otherName = cn(other);
      data.otherNamesNotHost = nameProblem ? 'yes' : undefined;
    } else {
      data.withoutSni = describeOutcome(cmp).replace(/^the server /, '');
      if (cmp.alert?.code === 40) code = ALERT_HANDSHAKE;
    }
    data.code = code.name;
    this.add({
      rule: 'server-cert-mismatch',
      message: 'probeSniDepends',
      data,
      cause: 'sni-missing',
      confidence: 'certain',
      severity: 'warning',
      errorCode: code,
      parameters: [...SNI_PARAMETERS],
      evidence: [...this.line('main'), ...this.linesOf('sni-compare')],
      kb: ['icm/HTTPS/client_sni_enabled', 'ssl/client_sni_enabled', code.name],
    });
  }

  // ---------- protocol versions (when the main handshake worked) ----------

  protected judgeVersions(handshakeCause: string | undefined): void {
    if (handshakeCause) return;
    const versions = this.r.versions ?? [];
    const accepted = versions.filter((v) => v.result === 'accepted').map((v) => v.version);
    const all = versions.filter((v) => v.result !== 'untestable');
    if (accepted.length === 1 && accepted[0] === 'TLSv1.3' && all.length >= 3) {
      this.add({
        rule: 'handshake-rejected',
        message: 'probeOnlyTls13',
        cause: 'tls-version',
        confidence: 'likely',
        severity: 'warning',
        errorCode: ALERT_PROTOCOL,
        relatedCodes: [ICM_SSL_ERROR],
        parameters: [CIPHERS_WITH_TLS13],
        evidence: [...this.line('main'), ...this.line('versions')],
        kb: ['ssl/client_ciphersuites', 'SSSLERR_ALERT_PROTOCOL_VERSION'],
      });
    }
  }
}
