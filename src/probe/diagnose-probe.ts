/**
 * @module Judge a probe the way the ICM would: findings with the SSSLERR / ICM_HTTP codes it would report, the
 * cause tag, the import plan or the parameter to change. Pure: a saved probe result gives the same findings.
 *
 * Order of judgement: no connection (TCP, DNS, proxy) → not TLS → handshake refused (version, cipher,
 * SNI, client certificate) → the certificate chain under `sap-icm` (the given trust list) → SNI and
 * protocol-version observations that matter even when the main handshake worked.
 */
import { CONFIDENCE_RANK, type Confidence, SEVERITY_RANK, type Severity } from '../model/cause.js';
import type { CertificateInfo, TrustList } from '../model/certificate.js';
import type { EvidenceLine } from '../model/evidence.js';
import type {
  Finding,
  ProfileVerdictSummary,
  ReportCertificate,
  ReportParameter,
  ReportPse,
} from '../model/report.js';
import { isSelfSigned } from '../pki/chain.js';
import { dnValue, sameDn } from '../pki/dn.js';
import { buildImportPlan } from '../pki/import-plan.js';
import { describePse, type PseDescription, STANDARD_CLIENT_PSES } from '../pki/pse-nodes.js';
import {
  type ChainProblem,
  checkHostName,
  mapProblemToSap,
  type ProfileVerdict,
  verifyWithProfile,
} from '../pki/verify.js';
import { summarizeVerdict } from '../pki/verify-report.js';
import { describePem } from './describe-certificates.js';
import { alertKbId, CLIENT_CERT_REJECTION_ALERTS } from './tls-alerts.js';
import { describeOutcome, type ProbeTranscript, writeTranscript } from './transcript.js';
import type { HandshakeAttempt, ProbeResult, TlsVersionName } from './types.js';

/** What the diagnosis needs besides the probe result. */
export interface ProbeDiagnosisInput {
  result: ProbeResult;
  /** The certificate list the ICM would use (a PSE, a listing, PEM files). Absent: unknown. */
  trust?: TrustList;
  /** Clock for validity; default now. */
  now?: Date;
  /** Index of the probe in the Report's inputs (default 0). */
  input?: number;
}

export interface ProbeDiagnosis {
  findings: Finding[];
  /** The judged chain under `sap-icm` (first) and `browser`, side by side. */
  verification: ProfileVerdictSummary[];
  transcript: ProbeTranscript;
}

const ICM_SSL_ERROR = { name: 'ICM_HTTP_SSL_ERROR', number: 407 };
const CONN_CLOSED = { name: 'SSSLERR_CONN_CLOSED', number: -10 };
const ALERT_HANDSHAKE = { name: 'SSSLERR_ALERT_HANDSHAKE_FAILURE', number: -122 };
const ALERT_PROTOCOL = { name: 'SSSLERR_ALERT_PROTOCOL_VERSION' };

const SNI_PARAMETERS: ReportParameter[] = [
  {
    name: 'icm/HTTPS/client_sni_enabled',
    value: 'TRUE',
    where: 'instance profile (RZ10), then restart the ICM',
    note: 'SNI for outbound HTTPS calls of the ICM (SM59 type G/H, SOAMANAGER, abapGit).',
  },
  {
    name: 'ssl/client_sni_enabled',
    value: 'TRUE',
    where: 'instance profile (RZ10)',
    note: 'SNI for the other kernel TLS clients (RFC over TLS, saphttp, sapkprotp).',
  },
];

/** Client cipher-suite strings from the facts file (§6; SAP Note 510007 §7 and 3346659). */
const CIPHERS_WITH_OLD_TLS: ReportParameter = {
  name: 'ssl/client_ciphersuites',
  value: '150:PFS:HIGH::EC_P256:EC_HIGH',
  where: 'instance profile (RZ10), then restart the ICM',
  note: 'SAP Note 510007 §7. A trace with this prefix shows pvflags=896 (TLSv1.2, TLSv1.1, TLSv1.0); the meaning of each prefix bit is not documented publicly.',
};
const CIPHERS_WITH_TLS13: ReportParameter = {
  name: 'ssl/client_ciphersuites',
  value: '1174:PFS:HIGH::EC_X25519:EC_P256:EC_HIGH',
  where: 'instance profile (RZ10), then restart the ICM',
  note: 'The 2025 recommendation of SAP Note 3346659. TLS 1.3 also needs a kernel and CommonCryptoLib that support it (SAP Notes 3318423, 2765639).',
};

/** Judge a probe. */
export function diagnoseProbe(input: ProbeDiagnosisInput): ProbeDiagnosis {
  const ctx = new Context(input);
  ctx.judge();
  ctx.findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      CONFIDENCE_RANK[a.confidence] - CONFIDENCE_RANK[b.confidence],
  );
  return { findings: ctx.findings, verification: ctx.verification, transcript: ctx.transcript };
}

class Context {
  readonly findings: Finding[] = [];
  readonly verification: ProfileVerdictSummary[] = [];
  readonly transcript: ProbeTranscript;
  private readonly r: ProbeResult;
  private readonly now: Date;
  private readonly inputIndex: number;
  private readonly target: NonNullable<Finding['target']>;
  private readonly pses: PseDescription[];
  private readonly fetched: CertificateInfo[];

  constructor(private readonly input: ProbeDiagnosisInput) {
    this.r = input.result;
    this.now = input.now ?? new Date();
    this.inputIndex = input.input ?? 0;
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

  judge(): void {
    const main = this.r.main;
    if (this.judgeConnection(main)) return;
    const handshakeJudged = this.judgeHandshake(main);
    this.judgeChain();
    this.judgeSni(handshakeJudged);
    this.judgeVersions(handshakeJudged);
  }

  // ---------- helpers ----------

  private line(label: string): EvidenceLine[] {
    const n = this.transcript.attemptLine[label];
    if (n === undefined) return [];
    return [{ input: this.inputIndex, line: n, text: this.transcript.lines[n - 1] ?? '' }];
  }

  private linesOf(label: string, withCertificates = true): EvidenceLine[] {
    const out = this.line(label);
    if (withCertificates) {
      for (const n of this.transcript.certificateLines[label] ?? []) {
        out.push({ input: this.inputIndex, line: n, text: this.transcript.lines[n - 1] ?? '' });
      }
    }
    return out;
  }

  private add(
    f: Omit<Finding, 'role' | 'target' | 'evidence' | 'kb'> & { evidence?: EvidenceLine[]; kb?: string[] },
  ): Finding {
    const finding: Finding = {
      role: 'client',
      target: this.target,
      evidence: [],
      kb: [],
      ...f,
    } as Finding;
    const pse =
      this.input.trust && finding.pse === undefined && isTrustCause(finding.cause)
        ? this.pseOfTrust()
        : undefined;
    if (pse) finding.pse = pse;
    finding.kb = [...new Set(finding.kb)];
    this.findings.push(finding);
    return finding;
  }

  private pseOfTrust(): ReportPse | undefined {
    const t = this.input.trust;
    if (!t) return undefined;
    const pse: ReportPse = {};
    if (t.file) pse.file = t.file;
    if (t.basename) pse.basename = t.basename;
    if (t.node) pse.node = t.node;
    if (t.context) pse.context = t.context;
    if (t.application) pse.application = t.application;
    return Object.keys(pse).length ? pse : undefined;
  }

  private trustName(): string {
    const t = this.input.trust;
    if (!t) return 'the SSL client PSE';
    const name = t.basename ?? t.file ?? 'the given trust list';
    return t.node ? `${name} (${t.node})` : name;
  }

  private hostPort(): string {
    return `${this.r.target.host}:${this.r.target.port}`;
  }

  private probeCommand(extra = ''): string {
    const trust = this.input.trust?.file ? ` --trust ${this.input.trust.file}` : '';
    return `pse-doctor probe ${this.hostPort()}${trust}${extra}`;
  }

  // ---------- TCP / DNS / proxy / not TLS ----------

  /** Findings when no TLS conversation happened. Returns true when nothing further can be judged. */
  private judgeConnection(a: HandshakeAttempt): boolean {
    const evidence = this.line('main');
    const hp = this.hostPort();
    const viaProxy = this.r.proxy ? ` (through the proxy ${this.r.proxy.host}:${this.r.proxy.port})` : '';
    if (a.step === 'proxy') {
      this.judgeProxy(a, evidence);
      return true;
    }
    switch (a.outcome) {
      case 'host-unknown':
        this.add({
          rule: 'probe-connection',
          cause: 'network',
          confidence: 'certain',
          severity: 'error',
          title: `The host name ${this.r.target.host} does not resolve`,
          summary: `DNS gives no address for ${this.r.target.host} on this machine, so no connection is made. The ICM reports ICM_HTTP_HOST_UNKNOWN when its host cannot resolve the name either.`,
          errorCode: { name: 'ICM_HTTP_HOST_UNKNOWN', number: 417 },
          steps: [
            'Check the host name in the SM59 destination / logical port for typos.',
            "Resolve it on the application server itself (nslookup, /etc/hosts): the ICM uses that host's DNS, not this machine's.",
            'If only a proxy can resolve external names, set the proxy in the destination (SM59 → Special Options / SICF client proxy).',
          ],
          confirm: [`${this.probeCommand()} reaches the TLS handshake.`],
          evidence,
          kb: ['ICM_HTTP_HOST_UNKNOWN'],
        });
        return true;
      case 'refused':
        if (a.step !== 'tcp') return false;
        this.add({
          rule: 'probe-connection',
          cause: 'network',
          confidence: 'certain',
          severity: 'error',
          title: `${hp} refuses the TCP connection`,
          summary: `Nothing listens on port ${this.r.target.port} of ${this.r.target.host}${viaProxy}, or a firewall rejects the connection. The ICM reports this as ICM_HTTP_CONNECTION_FAILED; its trace shows NIECONN_REFUSED. It is not a certificate problem.`,
          errorCode: { name: 'ICM_HTTP_CONNECTION_FAILED', number: 400 },
          relatedCodes: [{ name: 'NIECONN_REFUSED', number: -10 }],
          steps: [
            'Check host and port of the destination (HTTPS usually 443; the SAP ICM HTTPS port is often 443<nn> or 44300).',
            'Test from the application server itself (the ICM host), not only from a workstation: firewalls differ.',
            'If the target is outside the company network, the call probably needs the forward proxy (SM59 → Special Options, or SICF → Client → Proxy Settings).',
          ],
          confirm: [`${this.probeCommand()} reaches the TLS handshake.`],
          evidence,
          kb: ['ICM_HTTP_CONNECTION_FAILED'],
        });
        return true;
      case 'timeout':
        if (a.step !== 'tcp') return false;
        this.add({
          rule: 'probe-connection',
          cause: 'network',
          confidence: 'likely',
          severity: 'error',
          title: `No TCP connection to ${hp} within ${this.r.timeoutMs} ms`,
          summary: `The connection attempt got no answer: a firewall drops the packets, the host is down, or the network route is missing. The ICM reports ICM_HTTP_CONNECTION_FAILED (or ICM_HTTP_TIMEOUT) in that case.`,
          errorCode: { name: 'ICM_HTTP_CONNECTION_FAILED', number: 400 },
          relatedCodes: [{ name: 'ICM_HTTP_TIMEOUT', number: 402 }],
          steps: [
            'Test the TCP connection from the application server (the ICM host).',
            'Ask the network team whether a firewall drops traffic to this host and port, or whether the call must go through the proxy.',
          ],
          distinguish: 'A longer --timeout tells a slow network from a silent drop.',
          evidence,
          kb: ['ICM_HTTP_CONNECTION_FAILED', 'ICM_HTTP_TIMEOUT'],
        });
        return true;
      case 'reset':
        if (a.step !== 'tcp') return false;
        this.add({
          rule: 'probe-connection',
          cause: 'network',
          confidence: 'likely',
          severity: 'error',
          title: `${hp} resets the TCP connection at once`,
          summary:
            'The connection is reset before any TLS message: a firewall or load balancer rejects this client. The ICM reports a broken connection (ICM_HTTP_CONNECTION_BROKEN / NIECONN_BROKEN).',
          errorCode: { name: 'ICM_HTTP_CONNECTION_BROKEN', number: 401 },
          steps: ["Check firewall and load-balancer rules for the application server's address."],
          evidence,
          kb: ['ICM_HTTP_CONNECTION_BROKEN'],
        });
        return true;
      case 'not-tls':
        this.judgeNotTls(a, evidence);
        return true;
      default:
        return false;
    }
  }

  private judgeProxy(a: HandshakeAttempt, evidence: EvidenceLine[]): void {
    const proxy = this.r.proxy;
    const at = proxy ? `${proxy.host}:${proxy.port}` : 'the proxy';
    const status = a.proxyStatus?.status;
    const common = {
      rule: 'probe-proxy',
      cause: 'proxy' as const,
      severity: 'error' as Severity,
      evidence,
    };
    const confirm = [`${this.probeCommand(` --proxy http://…@${at}`)} reaches the TLS handshake.`];
    if (a.outcome === 'proxy-auth') {
      const withCreds = proxy?.user !== undefined;
      this.add({
        ...common,
        confidence: 'certain',
        title: withCreds
          ? `The proxy ${at} rejects the given credentials (407)`
          : `The proxy ${at} requires authentication (407)`,
        summary: `${withCreds ? 'The proxy answered CONNECT with 407 although a user was given' : 'The proxy answered CONNECT with 407 Proxy Authentication Required'}${a.proxyStatus?.authenticate ? ` (it asks for: ${a.proxyStatus.authenticate})` : ''}. No TLS with ${this.hostPort()} took place. The ICM reports ICM_HTTP_PROXY_UNAUTHORIZED. Note: this proxy 407 is not the "HTTP error 407" of SM59/abapGit, which is ICM_HTTP_SSL_ERROR.`,
        errorCode: { name: 'ICM_HTTP_PROXY_UNAUTHORIZED', number: 416 },
        steps: [
          'Enter the proxy user and password in the destination (SM59 → Special Options → HTTP Proxy Options) or in SICF → Client → Proxy Settings.',
          'Check with the proxy team that this user may use CONNECT to the target host and port, and which authentication the proxy wants (Basic is what the ICM sends).',
        ],
        confirm,
        kb: ['ICM_HTTP_PROXY_UNAUTHORIZED'],
      });
      return;
    }
    if (a.outcome === 'proxy-refused' || a.outcome === 'proxy-error') {
      this.add({
        ...common,
        confidence: 'certain',
        title: `The proxy ${at} refuses the tunnel to ${this.hostPort()}${status ? ` (${status})` : ''}`,
        summary: `The proxy answered CONNECT with ${status ? `${status} ${a.proxyStatus?.statusText ?? ''}`.trim() : (a.error?.message ?? 'an error')}: its rules do not allow this target (host, port or category). No TLS took place. The ICM reports ICM_HTTP_PROXY_HTTP_ERROR ("proxy returned ${status ?? '…'}").`,
        errorCode: { name: 'ICM_HTTP_PROXY_HTTP_ERROR', number: 426 },
        steps: [
          'Ask the proxy team to allow CONNECT to this host and port for the SAP system.',
          'Or, if the target is internal, remove the proxy for it (no-proxy list of the destination).',
        ],
        confirm,
        kb: ['ICM_HTTP_PROXY_HTTP_ERROR'],
      });
      return;
    }
    const map: Record<string, { name: string; number: number; title: string }> = {
      refused: {
        name: 'ICM_HTTP_PROXY_CONN_REFUSED',
        number: 412,
        title: `The proxy ${at} refuses the TCP connection`,
      },
      'host-unknown': {
        name: 'ICM_HTTP_PROXY_HOST_UNKNOWN',
        number: 413,
        title: `The proxy host ${proxy?.host ?? ''} does not resolve`,
      },
      timeout: { name: 'ICM_HTTP_TIMEOUT', number: 402, title: `The proxy ${at} does not answer in time` },
    };
    const m = map[a.outcome] ?? {
      name: 'ICM_HTTP_SSLPROXY_ERROR',
      number: 408,
      title: `The connection through the proxy ${at} failed`,
    };
    this.add({
      ...common,
      confidence: a.outcome === 'timeout' ? 'likely' : 'certain',
      title: m.title,
      summary: `${describeOutcome(a)}. No TLS with ${this.hostPort()} took place; the ICM reports ${m.name}.`,
      errorCode: { name: m.name, number: m.number },
      steps: [
        'Check the proxy host and port in the destination (SM59 → Special Options) or in SICF → Client → Proxy Settings.',
      ],
      confirm,
      kb: [m.name],
    });
  }

  private judgeNotTls(a: HandshakeAttempt, evidence: EvidenceLine[]): void {
    const answer = a.nonTls;
    const http = answer?.kind === 'http';
    this.add({
      rule: 'probe-not-tls',
      cause: 'not-ssl-port',
      confidence: answer ? 'certain' : 'likely',
      severity: 'error',
      title: http ? `${this.hostPort()} speaks plain HTTP, not TLS` : `${this.hostPort()} does not speak TLS`,
      summary: `The server answered the TLS ClientHello with ${answer ? `"${answer.firstLine}"` : 'data that is not TLS'}${http ? ': this is a plain HTTP port' : answer?.kind === 'ssh' ? ': an SSH server' : ''}. The ICM shows ICM_HTTP_SSL_ERROR; the SSSLERR code in dev_icm varies (the handshake fails while reading the answer).`,
      errorCode: ICM_SSL_ERROR,
      steps: http
        ? [
            'Use the HTTPS port of the server (often 443 or 443<nn>), or',
            'if the service really is plain HTTP, switch SSL off in the destination (SM59 → Logon & Security → SSL Inactive) — only when the data may travel unencrypted.',
          ]
        : ["Check the port: it belongs to another protocol. Use the server's HTTPS port."],
      confirm: [`${this.probeCommand()} shows a TLS handshake.`],
      evidence,
      kb: ['ICM_HTTP_SSL_ERROR'],
    });
  }

  // ---------- handshake failures ----------

  /** Findings about the main handshake itself. Returns the cause it settled on, if any. */
  private judgeHandshake(a: HandshakeAttempt): string | undefined {
    const requested = a.certificateRequest !== undefined;
    const failed = a.outcome !== 'ok';
    if (!failed) return undefined;
    const alertCode = a.alert?.direction === 'received' ? a.alert.code : undefined;

    // Client certificate: the server asked, and then refused.
    if (requested || alertCode === 116) {
      if (!a.withClientCert) return this.clientCertMissing(a);
      const rejectedByAlert =
        alertCode !== undefined && (CLIENT_CERT_REJECTION_ALERTS.has(alertCode) || alertCode === 40);
      const rejectedAfter =
        a.step === 'post-handshake' &&
        (a.outcome === 'closed' || a.outcome === 'reset' || a.outcome === 'alert');
      if (rejectedByAlert || rejectedAfter) return this.clientCertRejected(a);
    }

    // The other attempts tell what the server would have accepted.
    const cmp = this.r.sniCompare;
    if (cmp && cmp.outcome === 'ok' && !a.sni && cmp.sni) return this.sniRequired(a, cmp);
    const old = this.acceptedOutside(a);
    if (old.length > 0) return this.versionMismatch(a, old);

    if (a.outcome === 'alert' && alertCode !== undefined) return this.alertFailure(a, alertCode);
    if (a.outcome === 'closed' || a.outcome === 'reset') return this.droppedHandshake(a);
    if (a.outcome === 'timeout') return this.handshakeTimeout(a);
    if (a.outcome === 'local-refusal') {
      this.add({
        rule: 'probe-handshake',
        cause: 'cipher-mismatch',
        confidence: 'possible',
        severity: 'error',
        title: `The handshake with ${this.hostPort()} fails on this side`,
        summary: `${describeOutcome(a)}. The server chose parameters a current TLS client refuses. The version scan found no version that works either.`,
        errorCode: ICM_SSL_ERROR,
        steps: ["Compare the server's TLS configuration with ssl/client_ciphersuites (SAP Note 510007 §7)."],
        evidence: this.line('main'),
        kb: ['ICM_HTTP_SSL_ERROR', 'ssl/client_ciphersuites'],
      });
      return 'cipher-mismatch';
    }
    return undefined;
  }

  /** Versions the server accepted that the main handshake did not offer. */
  private acceptedOutside(a: HandshakeAttempt): TlsVersionName[] {
    const offered = new Set<TlsVersionName>(
      (['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as TlsVersionName[]).filter(
        (v) => rank(v) >= rank(a.minVersion) && rank(v) <= rank(a.maxVersion),
      ),
    );
    return (this.r.versions ?? [])
      .filter((v) => v.result === 'accepted' && !offered.has(v.version))
      .map((v) => v.version);
  }

  private clientCertMissing(a: HandshakeAttempt): string {
    const names = a.certificateRequest?.caNames ?? [];
    const alert = a.alert ? `${a.alert.name} (${a.alert.code})` : undefined;
    this.add({
      rule: 'probe-client-cert',
      cause: 'client-cert-missing',
      confidence: 'certain',
      severity: 'error',
      title: `${this.hostPort()} requires a client certificate and none was sent`,
      summary: `The server asked for a client certificate${names.length ? ` issued by ${names.length === 1 ? names[0] : `one of ${names.length} CAs`}` : ''} and ${alert ? `ended the handshake with ${alert}` : 'dropped the connection'} when none came. The SAP side must send its own certificate: the destination needs an SSL client identity (a PSE with a key and a certificate the server accepts). The ICM shows ICM_HTTP_SSL_ERROR; SOAMANAGER shows WSS040 when no SSL client PSE is set.`,
      errorCode: ICM_SSL_ERROR,
      relatedCodes: [
        ...(a.alert ? [{ name: alertKbId(a.alert.code), number: a.alert.code }] : []),
        ...(alertCodeIs(a, 40) ? [ALERT_HANDSHAKE] : []),
      ],
      steps: [
        'In SM59 (Logon & Security → SSL Certificate) choose an SSL client identity that has its own certificate, e.g. "DFAULT SSL Client (Standard)" or a dedicated identity created in STRUST; for web services, the SSL client PSE of the SOAMANAGER logical port.',
        names.length
          ? `That identity's certificate must be issued by a CA the server accepts: ${names.slice(0, 5).join(' | ')}${names.length > 5 ? ' | …' : ''}. Create a CSR in STRUST for it and have that CA sign it, or give the server owner your certificate's CA.`
          : 'The server lists no acceptable CAs: ask its owner which CA must have issued the client certificate.',
        'Have the server side map the certificate to a user, if it logs on with it.',
        'Check with --client-cert <file> (PEM with key, or PKCS#12 exported with "sapgenpse export_p12") before changing the destination.',
      ],
      confirm: [`${this.probeCommand(' --client-cert <file>')} completes the handshake.`],
      evidence: this.linesOf('main', false).concat(this.caNameLines('main')),
      kb: [
        'ICM_HTTP_SSL_ERROR',
        'WSS040',
        'SSSLERR_NO_CLIENT_CERT',
        ...(a.alert ? [alertKbId(a.alert.code)] : []),
      ],
    });
    return 'client-cert-missing';
  }

  private caNameLines(label: string): EvidenceLine[] {
    const start = this.transcript.attemptLine[label];
    if (start === undefined) return [];
    const out: EvidenceLine[] = [];
    for (let n = start + 1; n <= this.transcript.lines.length; n++) {
      const text = this.transcript.lines[n - 1] ?? '';
      if (!text.startsWith(`[${label}] `)) break;
      if (text.includes('asks for a client certificate')) out.push({ input: this.inputIndex, line: n, text });
    }
    return out;
  }

  private clientCertRejected(a: HandshakeAttempt): string {
    const id = this.r.clientIdentity;
    const names = a.certificateRequest?.caNames ?? [];
    const issuerListed = id?.issuer ? names.some((n) => sameDn(n, id.issuer ?? '')) : undefined;
    const how = a.alert
      ? `answered with the alert ${a.alert.name} (${a.alert.code})`
      : a.outcome === 'reset'
        ? 'reset the connection right after the handshake'
        : 'closed the connection right after the handshake';
    const summary = [
      `The server ${how} after the client certificate ${id?.subject ? `"${id.subject}"` : ''} was sent: it does not accept it.`,
      issuerListed === false && names.length
        ? `Its issuer "${id?.issuer}" is not among the CAs the server accepts (${names.slice(0, 3).join(' | ')}${names.length > 3 ? ' | …' : ''}); CommonCryptoLib may not even offer it (its client sends a certificate when the server's CA list names its issuer).`
        : '',
      'The ICM shows ICM_HTTP_SSL_ERROR (the remote side refused our certificate).',
    ]
      .filter(Boolean)
      .join(' ');
    this.add({
      rule: 'probe-client-cert',
      cause: 'client-cert-rejected',
      confidence: a.alert ? 'certain' : 'likely',
      severity: 'error',
      title: `${this.hostPort()} rejects the client certificate`,
      summary,
      errorCode: ICM_SSL_ERROR,
      relatedCodes: a.alert ? [{ name: alertKbId(a.alert.code), number: a.alert.code }] : [],
      steps: [
        issuerListed === false
          ? "Use a client certificate issued by one of the CAs the server lists, or ask the server owner to trust your certificate's issuing CA."
          : 'Ask the server owner to trust the CA that issued your client certificate (and its chain) and to map the certificate to a user if it logs on with it.',
        'Make sure the SSL client PSE holds the full chain of its own certificate, so the ICM sends the intermediates too.',
        'Check that the client certificate is valid (not expired) and allows client authentication (extended key usage clientAuth).',
      ],
      confirm: [
        `${this.probeCommand(' --client-cert <file>')} completes the handshake and keeps the connection.`,
      ],
      ...(a.alert
        ? {}
        : {
            distinguish:
              'A closed connection right after the handshake is how some servers reject a client certificate; --http shows whether the server then answers requests.',
          }),
      evidence: this.linesOf('main', false).concat(this.caNameLines('main')),
      kb: ['ICM_HTTP_SSL_ERROR', ...(a.alert ? [alertKbId(a.alert.code)] : [])],
    });
    return 'client-cert-rejected';
  }

  private sniRequired(a: HandshakeAttempt, cmp: HandshakeAttempt): string {
    this.add({
      rule: 'probe-sni',
      cause: 'sni-missing',
      confidence: 'certain',
      severity: 'error',
      title: `${this.hostPort()} needs SNI: without it the handshake fails`,
      summary: `Without SNI the server ${describeOutcome(a).replace(/^the server /, '')}; with SNI "${cmp.sni}" the handshake works. The ICM must send the server name.`,
      errorCode: a.outcome === 'alert' && a.alert?.code === 40 ? ALERT_HANDSHAKE : CONN_CLOSED,
      relatedCodes: [
        ICM_SSL_ERROR,
        ...(a.alert ? [{ name: alertKbId(a.alert.code), number: a.alert.code }] : []),
      ],
      parameters: SNI_PARAMETERS,
      steps: [
        'Set icm/HTTPS/client_sni_enabled = TRUE (and ssl/client_sni_enabled = TRUE for the other kernel clients) in the instance profile.',
        'Restart the ICM (SMICM → Administration → ICM → Restart) or the instance.',
        'Old kernels need the SNI corrections of SAP Notes 2124480 / 2384290.',
      ],
      confirm: [
        `${this.probeCommand(' --no-sni')} fails and ${this.probeCommand()} works; in dev_icm (trace level 2) the handshake shows the server name.`,
      ],
      evidence: [...this.line('main'), ...this.line('sni-compare')],
      kb: [
        'icm/HTTPS/client_sni_enabled',
        'ssl/client_sni_enabled',
        'SSSLERR_CONN_CLOSED',
        'ICM_HTTP_SSL_ERROR',
      ],
    });
    return 'sni-missing';
  }

  private versionMismatch(a: HandshakeAttempt, accepted: TlsVersionName[]): string {
    const onlyOld = accepted.every((v) => v === 'TLSv1' || v === 'TLSv1.1');
    const param = onlyOld ? CIPHERS_WITH_OLD_TLS : CIPHERS_WITH_TLS13;
    const errorCode =
      a.alert?.code === 70 ? ALERT_PROTOCOL : a.alert?.code === 40 ? ALERT_HANDSHAKE : CONN_CLOSED;
    this.add({
      rule: 'probe-tls-version',
      cause: 'tls-version',
      confidence: 'certain',
      severity: 'error',
      title: `${this.hostPort()} accepts only ${accepted.join(' / ')}`,
      summary: onlyOld
        ? `The server refuses TLS 1.2 and 1.3 (${describeOutcome(a)}) and accepts only ${accepted.join(' and ')}. An ICM configured as SAP recommends today offers TLS 1.2 and newer, so the handshake fails. The right fix is TLS 1.2 on the server; enabling the old protocol in SAP is a stop-gap.`
        : `The server accepts only ${accepted.join(' and ')}. The ICM offers TLS 1.3 only with a kernel and CommonCryptoLib that support it and a client cipher-suite string that enables it.`,
      errorCode,
      relatedCodes: [ICM_SSL_ERROR],
      parameters: [param],
      steps: onlyOld
        ? [
            'Ask the server owner to enable TLS 1.2 (TLS 1.0/1.1 are deprecated, RFC 8996).',
            'Only as a stop-gap: allow the old version in ssl/client_ciphersuites (a string with TLS 1.0 enabled, e.g. the 150 prefix of SAP Note 510007 §7), then restart the ICM.',
          ]
        : [
            'Update the kernel and CommonCryptoLib to levels with TLS 1.3 (SAP Notes 3318423, 2765639).',
            'Set ssl/client_ciphersuites to a string that enables TLS 1.3 (SAP Note 3346659), then restart the ICM.',
          ],
      confirm: ['A connection test in SM59 works; dev_icm (trace level 2) shows the negotiated protocol.'],
      evidence: [...this.line('main'), ...this.line('versions')],
      kb: ['ssl/client_ciphersuites', errorCode.name, 'ICM_HTTP_SSL_ERROR'],
    });
    return 'tls-version';
  }

  private alertFailure(a: HandshakeAttempt, code: number): string {
    const alert = `${a.alert?.name ?? code} (${code})`;
    if (code === 70) {
      this.add({
        rule: 'probe-tls-version',
        cause: 'tls-version',
        confidence: 'likely',
        severity: 'error',
        title: `${this.hostPort()} refuses the offered TLS versions`,
        summary: `The server answered with ${alert} and the version scan found no version it accepts from this machine.`,
        errorCode: ALERT_PROTOCOL,
        relatedCodes: [ICM_SSL_ERROR],
        parameters: [CIPHERS_WITH_OLD_TLS],
        steps: ["Compare the server's TLS versions with ssl/client_ciphersuites (SAP Note 510007 §7)."],
        evidence: [...this.line('main'), ...this.line('versions')],
        kb: ['SSSLERR_ALERT_PROTOCOL_VERSION', 'ssl/client_ciphersuites', alertKbId(code)],
      });
      return 'tls-version';
    }
    if (code === 112) {
      this.add({
        rule: 'probe-sni',
        cause: 'wrong-host',
        confidence: 'likely',
        severity: 'error',
        title: `${this.hostPort()} does not serve the name ${a.sni ?? this.r.target.host}`,
        summary: `The server answered the server name ${a.sni ? `"${a.sni}"` : ''} with ${alert}: it hosts other names. The URL names a host this server does not serve, or the name resolves to the wrong server.`,
        errorCode: ICM_SSL_ERROR,
        relatedCodes: [{ name: alertKbId(code), number: code }],
        steps: [
          'Use the host name the service publishes (FQDN) in the destination.',
          'Check DNS / hosts entries on the application server (SAP KBA 3391859).',
        ],
        evidence: this.line('main'),
        kb: ['ICM_HTTP_SSL_ERROR', alertKbId(code)],
      });
      return 'wrong-host';
    }
    const cipher = code === 40 || code === 71;
    this.add({
      rule: 'probe-handshake',
      cause: cipher ? 'cipher-mismatch' : 'unknown',
      confidence: cipher ? 'likely' : 'possible',
      severity: 'error',
      title: `${this.hostPort()} aborts the handshake with ${alert}`,
      summary: cipher
        ? `The server found nothing it accepts in the ClientHello: no common cipher suite or curve. The version scan found no protocol version that works either.`
        : `The server ended the handshake with ${alert}.`,
      errorCode: code === 40 ? ALERT_HANDSHAKE : ICM_SSL_ERROR,
      relatedCodes: [...(code === 40 ? [ICM_SSL_ERROR] : []), { name: alertKbId(code), number: code }],
      ...(cipher ? { parameters: [CIPHERS_WITH_TLS13] } : {}),
      steps: cipher
        ? [
            "Compare the server's cipher suites and curves with ssl/client_ciphersuites (SAP Note 510007 §7, 3346659).",
            'Update CommonCryptoLib if it is old (SAP Note 1848999).',
            'Check for a TLS-intercepting middlebox between the SAP system and the server.',
          ]
        : ['Raise the ICM trace to level 2, reproduce, and read the errorstack in dev_icm.'],
      collect: ['openssl s_client -connect <host>:<port> -servername <host> from the application server'],
      evidence: [...this.line('main'), ...this.line('versions')],
      kb: [code === 40 ? 'SSSLERR_ALERT_HANDSHAKE_FAILURE' : 'ICM_HTTP_SSL_ERROR', alertKbId(code)],
    });
    return cipher ? 'cipher-mismatch' : 'unknown';
  }

  private droppedHandshake(a: HandshakeAttempt): string {
    const noneAccepted = (this.r.versions ?? []).every((v) => v.result !== 'accepted');
    this.add({
      rule: 'probe-handshake',
      cause: 'network',
      confidence: 'possible',
      severity: 'error',
      title: `${this.hostPort()} drops the TLS handshake`,
      summary: `${describeOutcome(a)}, without a TLS alert. ${noneAccepted ? 'No protocol version worked in the version scan either. ' : ''}A firewall or IP filter, a server that refuses this client's address, or an unsupported ClientHello (cipher, curve) does this. The ICM reports SSSLERR_CONN_CLOSED (trace: "SSL::SiRecv() failed rc==SSSLRC_CONN_CLOSED", state "TLS read server hello").`,
      errorCode: CONN_CLOSED,
      relatedCodes: [ICM_SSL_ERROR],
      steps: [
        'Test from the application server itself; compare with another client (openssl s_client) there.',
        "Ask the server owner whether the SAP system's address is allowed and which TLS versions and ciphers it accepts.",
      ],
      collect: ['ICM trace level 2 of the failing call (SSL state at failure)'],
      evidence: [...this.line('main'), ...this.line('sni-compare'), ...this.line('versions')],
      kb: ['SSSLERR_CONN_CLOSED', 'ICM_HTTP_SSL_ERROR'],
    });
    return 'network';
  }

  private handshakeTimeout(a: HandshakeAttempt): string {
    this.add({
      rule: 'probe-handshake',
      cause: 'network',
      confidence: 'likely',
      severity: 'error',
      title: `${this.hostPort()} does not answer the TLS ClientHello`,
      summary: `The TCP connection opened, but no TLS answer came within ${this.r.timeoutMs} ms (${describeOutcome(a)}). A middlebox swallows the handshake, the server is overloaded, or the port expects another protocol that waits for the client to speak first. The ICM reports ICM_HTTP_TIMEOUT.`,
      errorCode: { name: 'ICM_HTTP_TIMEOUT', number: 402 },
      relatedCodes: [ICM_SSL_ERROR],
      steps: [
        'Repeat with a longer --timeout to tell a slow server from a silent one.',
        'Check that the port is the TLS port of the service; a plain protocol that waits for the client (e.g. some plain HTTP servers) also looks like this.',
      ],
      distinguish:
        'If "--timeout 30000" still gets no answer, the port is not a TLS endpoint for this client.',
      evidence: this.line('main'),
      kb: ['ICM_HTTP_TIMEOUT', 'ICM_HTTP_SSL_ERROR'],
    });
    return 'network';
  }

  // ---------- certificate chain ----------

  private judgeChain(): void {
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
      !this.findings.some((f) => f.cause === 'untrusted-root' || f.cause === 'missing-intermediate')
    ) {
      this.rootNeeded(root, label);
    }
  }

  /** The root the chain leads to: the browser's anchor, a self-signed top the server sent, or an AIA-fetched root. */
  private rootOf(
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

  private reportCertificates(v: ProfileVerdict): ReportCertificate[] {
    const last = v.chain.path.length - 1;
    return v.chain.path.map((link, i) => ({
      subject: link.cert.subject,
      ...(link.cert.issuer ? { issuer: link.cert.issuer } : {}),
      ...(link.cert.serial ? { serial: link.cert.serial } : {}),
      ...(link.cert.notBefore ? { notBefore: link.cert.notBefore } : {}),
      ...(link.cert.notAfter ? { notAfter: link.cert.notAfter } : {}),
      ...(link.cert.sha256 ? { sha256: link.cert.sha256 } : {}),
      position:
        i === 0
          ? 'leaf'
          : link.source === 'anchor' && i === last
            ? 'trusted'
            : isSelfSigned(link.cert)
              ? 'root'
              : 'intermediate',
    }));
  }

  private chainFindings(
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

  private chainFinding(
    sap: ProfileVerdict,
    browser: ProfileVerdict,
    p: ChainProblem,
    label: string,
    confidence: Confidence,
    later: boolean,
  ): void {
    const map = mapProblemToSap(p.kind);
    if (!map) return;
    const list = this.trustName();
    const trustGiven = this.input.trust !== undefined;
    const leaf = sap.chain.path[0]?.cert;
    const finding: Omit<Finding, 'role' | 'target' | 'evidence' | 'kb'> & {
      evidence: EvidenceLine[];
      kb: string[];
    } = {
      rule: 'probe-chain',
      cause: map.cause,
      confidence:
        p.kind === 'expired' ||
        p.kind === 'not-yet-valid' ||
        p.kind === 'name-mismatch' ||
        p.kind === 'self-signed'
          ? 'certain'
          : confidence,
      severity: 'error',
      title: '',
      summary: '',
      ...(map.error ? { errorCode: map.error } : {}),
      ...(map.icm ? { relatedCodes: [map.icm] } : {}),
      certificates: this.reportCertificates(sap),
      steps: [],
      evidence: this.linesOf(label),
      kb: [...map.kb],
    };
    const then = later ? ' Once the first problem is fixed, the ICM would report this next.' : '';
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
        finding.title = selfSigned
          ? `The server's self-signed certificate "${cn(leaf)}" is not in ${list}`
          : `Root CA "${dnValue(subject, 'CN') ?? subject}" is missing from ${list}`;
        finding.summary = `${trustGiven ? `The ICM holding ${list}` : 'An SSL client PSE without it'} cannot verify the server's chain: ${p.message}. It reports SSSLERR_PEER_CERT_UNTRUSTED (-102); the caller sees ICM_HTTP_SSL_PEER_CERT_UNTRUSTED (421).${then}`;
        finding.import = buildImportPlan({
          certificate: rootCert ?? {
            subject,
            ...(p.missing?.aiaIssuers ? { aiaIssuers: p.missing.aiaIssuers } : {}),
          },
          kind: selfSigned ? 'self-signed-peer' : 'root',
          source,
          pses: this.pses,
        });
        finding.steps = this.importSteps(finding.import.fileName ?? 'the certificate');
        finding.confirm = [`${this.probeCommand()} shows no finding; the SM59 connection test works.`];
        break;
      }
      case 'intermediate-missing': {
        const m = p.missing;
        const known = m?.cert;
        const subject = known?.subject ?? m?.subject ?? '(unknown intermediate)';
        finding.title = `The server does not send its intermediate CA "${dnValue(subject, 'CN') ?? subject}", and ${list} lacks it`;
        finding.summary = `The server sends only part of its chain (${p.message}). Browsers fill the gap from their cache or the AIA URL; the ICM does not fetch certificates, so the chain ends before any certificate of ${list}. It reports SSSLERR_PEER_CERT_UNTRUSTED (-102).${then}`;
        finding.import = buildImportPlan({
          certificate: known ?? { subject, ...(m?.aiaIssuers ? { aiaIssuers: m.aiaIssuers } : {}) },
          kind: 'intermediate',
          source: known ? (m?.source === 'bundled-roots' ? 'bundled-roots' : 'aia') : 'not-found',
          pses: this.pses,
          reason:
            'The ICM does not fetch missing intermediates: with the server sending only its own certificate, the intermediate itself must be in the PSE (a root alone cannot close the gap). The lasting fix is on the server: send the full chain.',
          ...(known
            ? {}
            : {
                howToObtain: [
                  ...(m?.aiaIssuers?.length
                    ? [
                        ...m.aiaIssuers.map(
                          (u) => `Download it from the AIA caIssuers URL of the server certificate: ${u}`,
                        ),
                        `Or let ${this.probeCommand(' --fetch-issuers')} fetch and name it.`,
                      ]
                    : ['The server certificate names no AIA URL to download it from.']),
                  'Ask the server owner for the intermediate (the server should send it anyway), or export it from a browser that reached the server (certificate viewer → certification path).',
                ],
              }),
        });
        finding.steps = [
          'Ask the server owner to configure the full chain (server certificate plus intermediate CA certificates).',
          ...this.importSteps(finding.import.fileName ?? 'the intermediate'),
          ...(browser.anchor
            ? [`Make sure the root CA "${cn(browser.anchor.cert)}" is in the list too.`]
            : []),
        ];
        finding.confirm = [`${this.probeCommand()} shows no finding.`];
        break;
      }
      case 'expired':
      case 'not-yet-valid': {
        const expired = p.kind === 'expired';
        const position =
          p.position === 'leaf'
            ? 'server certificate'
            : p.position === 'root'
              ? 'root CA'
              : 'intermediate CA';
        finding.title = expired
          ? `The ${position} "${cn(p.cert)}" expired on ${p.cert?.notAfter?.slice(0, 10) ?? '?'}`
          : `The ${position} "${cn(p.cert)}" is not valid before ${p.cert?.notBefore?.slice(0, 10) ?? '?'}`;
        finding.summary = `${p.message}. The ICM rejects the chain (SSSLERR_PEER_CERT_EXPIRED; ICM_HTTP_SSL_PEER_CERT_EXPIRED, 418).${then}${expired ? '' : ' A not-yet-valid certificate also points at a wrong clock on one side.'}`;
        finding.steps = expired
          ? [
              'The server owner must renew the certificate (or the CA certificate) and install it with its chain.',
              'If the server shows a valid certificate in a browser, the SAP host may reach another (old) server: compare the IP the name resolves to on the application server (SAP KBA 3391859).',
            ]
          : [
              'Check the clock of the application server (and this machine).',
              'Otherwise the server owner installed a certificate before its validity start: wait or re-issue.',
            ];
        finding.confirm = [`${this.probeCommand()} shows the new validity dates.`];
        break;
      }
      case 'name-mismatch': {
        const names = p.names?.length ? p.names.join(', ') : 'no usable names';
        finding.title = `The server certificate does not name ${this.r.target.host}`;
        finding.summary = `The certificate "${cn(leaf)}" names ${names}, not "${this.r.target.host}". The ICM compares the host of the URL with the certificate's CN and SAN and reports SSSLERR_SERVER_CERT_MISMATCH (-30); the caller sees ICM_HTTP_SSL_CERT_MISMATCH (415).${then}`;
        finding.steps = [
          'Use the host name the certificate names (the FQDN, not a short name or an IP address) in the destination.',
          'If the name is right, the server presents the wrong certificate: ask its owner to add the name to the SAN, or check DNS / hosts on the application server (a wrong IP reaches another server, SAP KBA 3391859).',
          'Only for Web Dispatcher back ends, wdisp/ssl_ignore_host_mismatch = TRUE is a workaround, not a fix.',
        ];
        finding.confirm = [`${this.probeCommand()} shows no name mismatch.`];
        break;
      }
      case 'weak-signature': {
        finding.title = `The chain uses a key or signature the ICM refuses: ${p.message}`;
        finding.summary = `${p.message}.${then}`;
        finding.steps = [
          'The server owner must replace the certificate with one using RSA ≥ 2048 bits or ECDSA and SHA-256 or better.',
        ];
        break;
      }
      default:
        return;
    }
    this.add(finding);
  }

  private importSteps(fileName: string): string[] {
    const node = this.pses
      .map((p) => p.node)
      .filter(Boolean)
      .join('" and "');
    return [
      `Save the certificate as ${fileName} (--out writes it).`,
      `In STRUST, open "${node}", import ${fileName}, choose "Add to Certificate List" and save (SSL client PSEs used by the destination; abapGit uses SSL client Anonymous).`,
      'Saving in STRUST notifies the ICM (TRUST086). If you changed the PSE file with sapgenpse instead, restart the ICM (SMICM → Administration → ICM → Exit Soft).',
    ];
  }

  private rootNeeded(
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
      rule: 'probe-chain',
      cause: 'untrusted-root',
      confidence: 'possible',
      severity: 'info',
      title: `SAP needs the root CA "${cn(root.cert)}" in its SSL client PSE`,
      summary: `The server's chain leads to "${cn(root.cert)}". Without --trust, pse-doctor cannot tell whether SAPSSLA.pse / SAPSSLC.pse hold it; if they do not, the ICM reports SSSLERR_PEER_CERT_UNTRUSTED (-102). Run again with --trust <PSE, sapgenpse listing or PEM> to check.`,
      errorCode: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
      relatedCodes: [{ name: 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED', number: 421 }],
      import: plan,
      steps: this.importSteps(plan.fileName ?? 'the root'),
      confirm: [`${this.probeCommand(' --trust SAPSSLA.pse')} shows no finding.`],
      evidence: this.linesOf(label),
      kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'STRUST'],
    });
  }

  // ---------- SNI ----------

  /** When the main chain's name fails and the flipped-SNI attempt got a certificate that names the host. */
  private sniExplainsName(sap: ProfileVerdict): CertificateInfo | undefined {
    const cmp = this.r.sniCompare;
    if (!cmp?.chain?.length || !cmp.sni || this.r.main.sni) return undefined;
    if (!sap.problems.some((p) => p.kind === 'name-mismatch')) return undefined;
    const leaf = describePem(cmp.chain[0] ?? '');
    return checkHostName(this.r.target.host, leaf, 'cn-or-san').ok ? leaf : undefined;
  }

  private sniFixesName(sap: ProfileVerdict, p: ChainProblem, withSni: CertificateInfo, label: string): void {
    this.add({
      rule: 'probe-sni',
      cause: 'sni-missing',
      confidence: 'certain',
      severity: 'error',
      title: `Without SNI, ${this.hostPort()} answers with a default certificate that does not name the host`,
      summary: `Without SNI the server presents "${cn(sap.chain.path[0]?.cert)}" (${p.message}); with SNI it presents "${cn(withSni)}", which names ${this.r.target.host}. The ICM without SNI reports SSSLERR_SERVER_CERT_MISMATCH (-30) / ICM_HTTP_SSL_CERT_MISMATCH (415). Turn SNI on.`,
      errorCode: { name: 'SSSLERR_SERVER_CERT_MISMATCH', number: -30 },
      relatedCodes: [{ name: 'ICM_HTTP_SSL_CERT_MISMATCH', number: 415 }],
      parameters: SNI_PARAMETERS,
      certificates: this.reportCertificates(sap),
      steps: [
        'Set icm/HTTPS/client_sni_enabled = TRUE (and ssl/client_sni_enabled = TRUE) in the instance profile.',
        'Restart the ICM (SMICM → Administration → ICM → Restart).',
      ],
      confirm: [`${this.probeCommand()} (with SNI) shows no finding.`],
      evidence: [...this.linesOf(label), ...this.linesOf('sni-compare')],
      kb: ['icm/HTTPS/client_sni_enabled', 'ssl/client_sni_enabled', 'SSSLERR_SERVER_CERT_MISMATCH'],
    });
  }

  /** The main handshake sent SNI and worked; without SNI the server answers differently. */
  private judgeSni(handshakeCause: string | undefined): void {
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
    let code = { name: 'SSSLERR_CONN_CLOSED', number: -10 } as { name: string; number?: number };
    let what: string;
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
        ? { name: 'SSSLERR_SERVER_CERT_MISMATCH', number: -30 }
        : { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 };
      what = `answers with another certificate, "${cn(other)}"${nameProblem ? `, which does not name ${this.r.target.host}` : ''}`;
    } else {
      what = describeOutcome(cmp).replace(/^the server /, '');
      if (cmp.alert?.code === 40) code = ALERT_HANDSHAKE;
    }
    this.add({
      rule: 'probe-sni',
      cause: 'sni-missing',
      confidence: 'certain',
      severity: 'warning',
      title: `${this.hostPort()} depends on SNI`,
      summary: `With SNI the handshake works; without SNI the server ${what}. An ICM that does not send SNI fails here with ${code.name}. Make sure SNI is on.`,
      errorCode: code,
      parameters: SNI_PARAMETERS,
      steps: [
        'Check icm/HTTPS/client_sni_enabled (and ssl/client_sni_enabled) in the instance profile (RZ11 shows the current value); set TRUE if it is not.',
        'Restart the ICM after changing it.',
      ],
      confirm: ['In dev_icm (trace level 2) the handshake shows the server name (TLSextSNI).'],
      evidence: [...this.line('main'), ...this.linesOf('sni-compare')],
      kb: ['icm/HTTPS/client_sni_enabled', 'ssl/client_sni_enabled', code.name],
    });
  }

  // ---------- protocol versions (when the main handshake worked) ----------

  private judgeVersions(handshakeCause: string | undefined): void {
    if (handshakeCause) return;
    const versions = this.r.versions ?? [];
    const accepted = versions.filter((v) => v.result === 'accepted').map((v) => v.version);
    const all = versions.filter((v) => v.result !== 'untestable');
    if (accepted.length === 1 && accepted[0] === 'TLSv1.3' && all.length >= 3) {
      this.add({
        rule: 'probe-tls-version',
        cause: 'tls-version',
        confidence: 'likely',
        severity: 'warning',
        title: `${this.hostPort()} accepts only TLS 1.3`,
        summary:
          'The server refuses TLS 1.2 and older. Many SAP systems offer TLS 1.2 only: their ICM fails here unless kernel, CommonCryptoLib and ssl/client_ciphersuites support TLS 1.3.',
        errorCode: ALERT_PROTOCOL,
        relatedCodes: [ICM_SSL_ERROR],
        parameters: [CIPHERS_WITH_TLS13],
        steps: [
          'Check whether the SAP kernel and CommonCryptoLib support TLS 1.3 (SAP Notes 3318423, 2765639).',
          'Set ssl/client_ciphersuites to a string that enables TLS 1.3 (SAP Note 3346659) and restart the ICM.',
        ],
        confirm: ['dev_icm (trace level 2) shows a TLSv1.3 handshake.'],
        evidence: [...this.line('main'), ...this.line('versions')],
        kb: ['ssl/client_ciphersuites', 'SSSLERR_ALERT_PROTOCOL_VERSION'],
      });
    }
  }
}

/** The PSE a trust list stands for: its STRUST node when the reader named one, else from the file name. */
function describeTrustPse(trust: TrustList): PseDescription | undefined {
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

function rank(v: TlsVersionName): number {
  return ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'].indexOf(v);
}

function alertCodeIs(a: HandshakeAttempt, code: number): boolean {
  return a.alert?.code === code;
}

function isTrustCause(cause: string): boolean {
  return cause === 'untrusted-root' || cause === 'missing-intermediate';
}

function cn(cert: CertificateInfo | undefined): string {
  if (!cert) return '?';
  return dnValue(cert.subject, 'CN') ?? cert.subject;
}

function normalisePem(pem: string): string {
  return pem.replace(/\s+/g, '');
}
