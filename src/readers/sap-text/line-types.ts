/**
 * @module The line-type table of the SAP text reader: named patterns, tried in order; the first type
 * whose pattern matches hands the line to the block handler of its kind (SSL, SNC, trace info, other).
 */
import type { Ctx } from './assembly-state.js';
import type { OtherLines } from './other-lines.js';
import {
  CANNOT_OPEN_PSE,
  KNOWN_ERROR_TEXT,
  NO_CREDENTIALS_FOR_PSE,
  PSE_NOT_OPENED,
  SSL_CODE,
} from './patterns.js';
import type { SncLines } from './snc-lines.js';
import type { SslLines } from './ssl-lines.js';
import type { TraceInfoLines } from './trace-info-lines.js';

/** The block handlers a line type can hand its line to. */
export interface LineHandlers {
  ssl: SslLines;
  snc: SncLines;
  other: OtherLines;
  info: TraceInfoLines;
}

/** A named line pattern and what to do with a line it matches (throw NotMine to pass it on). */
export interface LineType {
  name: string;
  re: RegExp;
  /**
   * Text every match of `re` contains (line-types.test.ts checks it against the literals read from the
   * pattern): a line without it skips the pattern, which is then neither run nor compiled (V8 compiles a
   * regex at its first use; a pasted line used to compile most of the table). A list: every match
   * contains one of them.
   */
  has?: string | readonly string[];
  apply: (h: LineHandlers, c: Ctx) => void;
}

/**
 * The line-type table, tried in order; the first type whose pattern matches handles the line. Every
 * pattern is linear-time (bounded classes, no nested quantifiers).
 */
export const LINE_TYPES: readonly LineType[] = [
  {
    name: 'also-check',
    has: 'Also check transaction SMICM',
    re: /Also check transaction SMICM/,
    apply: (h, c) => h.ssl.close(c.seg.thread, c.no),
  },
  {
    name: 'report-error-number',
    has: 'Error Number',
    re: /^\s*Error Number\s+\d{1,6}\s*$/,
    apply: (h, c) => h.ssl.close(c.seg.thread, c.no),
  },
  { name: 'report-ok', has: ' : ok', re: /^\s*\S{1,300} : ok\s*$/, apply: () => {} },
  { name: 'ruler', has: ['=', '-'], re: /^\s*(?:=|-){5,}\s*$/, apply: () => {} },
  {
    name: 'trace-header',
    has: 'trc file: "',
    re: /^\s*trc file: "([^"]{0,200})", trc level: (\d{1,2}), release: "([^"]{0,40})"/,
    apply: (h, c) => h.info.onTraceHeader(c),
  },
  {
    name: 'trace-truncated',
    has: 'TRACE FILE TRUNCATED',
    re: /TRACE FILE TRUNCATED/,
    apply: (h, c) => h.info.onTraceTruncated(c),
  },
  {
    name: 'ssl-init-banner',
    has: '=',
    re: /^\s*=\s*SSL Initialization\b/,
    apply: (h, c) => h.info.onInitBanner(c),
  },
  {
    name: 'errorstack-begin',
    has: 'Begin of Secu',
    re: /Begin of Secu(?:de)?-SSL Errorstack/,
    apply: (h, c) => h.ssl.ssl(c).beginErrorstack(),
  },
  {
    name: 'errorstack-end',
    has: 'End of Secu',
    re: /End of Secu(?:de)?-SSL Errorstack/,
    apply: (h, c) => h.ssl.ssl(c),
  },
  {
    name: 'cert-dump',
    has: 'Certificate:',
    re: /^\s*Certificate:\s*$/,
    apply: (h, c) => h.ssl.ssl(c, false).startDump(),
  },
  {
    name: 'pem-begin',
    has: '-----BEGIN CERTIFICATE-----',
    re: /-----BEGIN CERTIFICATE-----/,
    apply: (h, c) => h.ssl.ssl(c, false).beginPem(),
  },
  {
    // The SSL layer could not open a PSE (`PSE "/usr/sap/…/SAPSSLS.pse" could not be opened: file not
    // found`, `cannot open server PSE "SAPSSLS.pse"`): before session-init, which a SapSSLSessionInit line
    // saying so would otherwise take as a session's start. Kernel error lines only (onPseOpenFailed).
    name: 'pse-not-opened',
    has: ['could not be', 'cannot be', 'not available', 'not found'],
    re: PSE_NOT_OPENED,
    apply: (h, c) => h.ssl.onPseOpenFailed(c),
  },
  {
    name: 'no-credentials-for-pse',
    has: 'redential',
    re: NO_CREDENTIALS_FOR_PSE,
    apply: (h, c) => h.ssl.onPseOpenFailed(c),
  },
  {
    name: 'cannot-open-pse',
    has: 'PSE',
    re: CANNOT_OPEN_PSE,
    apply: (h, c) => h.ssl.onPseOpenFailed(c),
  },
  {
    name: 'session-init',
    has: 'SapSSLSessionInit(',
    re: /SapSSLSessionInit\((?!.{0,300}?\)==)/,
    apply: (h, c) => h.ssl.onSessionInit(c),
  },
  {
    name: 'session-call',
    has: '->> SapSSL',
    re: /^\s*->> SapSSL\w{1,60}\(/,
    apply: (h, c) => h.ssl.onSessionCall(c),
  },
  {
    name: 'handshake-failed',
    has: 'SSL handshake with ',
    re: /SSL handshake with /,
    apply: (h, c) => h.ssl.onHandshake(c),
  },
  {
    name: 'function-rc',
    has: 'SapSSL',
    re: /\b(SapSSL\w{1,60})\(([^()]{0,300})\)==(\w{1,80})/,
    apply: (h, c) => h.ssl.onFunctionRc(c),
  },
  {
    name: 'pse',
    has: 'PSE',
    re: /(?:\b(cli|srv) SSL session PSE|session uses PSE file)/,
    apply: (h, c) => h.ssl.onPse(c),
  },
  {
    name: 'ni-handle',
    has: 'SSL NI-hdl ',
    re: /SSL NI-hdl (\d{1,10}):/,
    apply: (h, c) => h.ssl.onNiHandle(c),
  },
  {
    name: 'target-hostname',
    has: 'Target Hostname',
    re: /Target Hostname\s*=/,
    apply: (h, c) => h.ssl.onTargetHostname(c, false),
  },
  {
    name: 'target-hostname-30',
    has: 'TargetHostname',
    re: /TargetHostname\s*=/,
    apply: (h, c) => h.ssl.onTargetHostname(c, true),
  },
  {
    name: 'server-cert-subject',
    has: 'ServerCert.subject',
    re: /ServerCert\.subject\s*=\s*(.{1,4000})$/,
    apply: (h, c) => h.ssl.onServerCertSubject(c),
  },
  {
    name: 'sni',
    has: 'TLSextSNI server_name',
    re: /TLSextSNI server_name\s*=/,
    apply: (h, c) => h.ssl.onSni(c),
  },
  {
    name: 'ssl-ctx',
    has: ' SSL_CTX ',
    re: /\b(Client|Server) SSL_CTX ([0-9a-fA-Fx]{1,20}) pvflags=(\d{1,10})(?: \(([^)]{0,200})\))?/,
    apply: (h, c) => h.ssl.onSslCtx(c),
  },
  {
    name: 'ciphersuites',
    has: ' ciphersuites',
    re: /\b(?:SSL_CTX|session) ciphersuites\s*=\s*"?([^\s"]{1,500})/,
    apply: (h, c) => h.ssl.onCiphersuites(c),
  },
  {
    name: 'ssl-state',
    has: 'SSL_get_state()==',
    re: /SSL_get_state\(\)==(0x[0-9a-fA-F]{1,8})\s*"([^"]{0,200})"?/,
    apply: (h, c) => h.ssl.onSslState(c),
  },
  {
    name: 'error-during',
    has: 'ERROR during ',
    re: /ERROR during (\S{1,80}) from (\S{1,80})==(\w{1,40})/,
    apply: (h, c) => h.ssl.onErrorDuring(c),
  },
  {
    // CommonCryptoLib's alert text on a line of its own (without `=> "` or a secude_error before it), inside
    // an open failure block; alone it is the knowledge base's to read.
    name: 'alert-line',
    has: ' a fatal TLS ',
    re: /^\s*(?:received|sent) a fatal TLS [A-Za-z_ ]{1,40}? alert message from the peer\s*$/,
    apply: (h, c) => h.ssl.onAlertLine(c),
  },
  { name: 'alert-arrow', has: '=>', re: /^\s*=>\s*"(.{0,2000})$/, apply: (h, c) => h.ssl.onArrow(c) },
  {
    name: 'crypto-rc',
    has: '/0x',
    re: /\(\s*(\d{1,12})\/(0x[0-9a-fA-F]{1,8})\s*\)/,
    apply: (h, c) => h.ssl.onCryptoRc(c),
  },
  {
    name: 'incomplete-handshake',
    re: /(\w{1,60}\(\)): incomplete SSL handshake/,
    has: '(): incomplete SSL handshake',
    apply: (h, c) => h.ssl.onIncomplete(c),
  },
  {
    name: 'name-mismatch-expected',
    has: 'name mismatch: expected "',
    re: /name mismatch: expected "([^"]{1,300})",? got "([^"]{1,2000})"/,
    apply: (h, c) => h.ssl.onExpectedName(c),
  },
  {
    name: 'error-text',
    has: [
      'Remote Peer has closed',
      'TargetHostname',
      'is untrusted',
      'validation failed',
      '(no error) non-blocking',
    ],
    re: KNOWN_ERROR_TEXT,
    apply: (h, c) => h.ssl.onKnownErrorText(c),
  },
  {
    name: 'peer-not-trusted',
    has: 'eer ',
    re: /Peer not trusted|peer certificate \(chain\) is not trusted|Failed to verify peer certificate/,
    apply: (h, c) => h.ssl.onPeerNotTrusted(c),
  },
  {
    name: 'role-args',
    has: ['SERVER', 'CLIENT'],
    re: /\brole=\d{1,2} \((SERVER|CLIENT)\)/,
    apply: (h, c) => h.other.onRoleArgs(c),
  },
  {
    name: 'inbound',
    has: ['ReverseProxyTrustworthy', 'intermediary is NOT', 'orwarded', 'via HTTPS'],
    re: /ReverseProxyTrustworthy|intermediary is NOT trusted|Reject untrusted forwarded certificate|received via HTTPS without certificate|Forwarded Client certificate:/,
    apply: (h, c) => h.other.onInbound(c),
  },
  {
    name: 'inbound-context',
    has: ['anonymous client', 'cert_len = ', 'Trusted certificate:'],
    re: /connection with anonymous client|cert_len = <no cert>|^\s*Trusted certificate:/,
    apply: (h, c) => h.other.onInboundContext(c),
  },
  {
    name: 'connection',
    has: 'onnect',
    re: /Proxy connection to |[Cc]onnect(?:ion)? to .{1,300}\bfailed/,
    apply: (h, c) => h.other.onConnection(c),
  },
  {
    name: 'icm-conn-init',
    has: 'IcmConnInitClientSSL',
    re: /IcmConnInitClientSSL/,
    apply: (h, c) => h.ssl.onIcmConnInit(c),
  },
  {
    name: 'ssl-detail',
    has: ['SSL:', 'SAPCRYPTO:'],
    re: /^\s*(?:SSL::|SAPCRYPTO:|SSL:)\S/,
    apply: (h, c) => h.ssl.onDetail(c),
  },
  {
    // The library's own reason under "SSL_connect() failed --": `secude_error 536875072 (0x20001040) = "…"`.
    name: 'secude-error',
    has: 'secude_error ',
    re: /\bsecude_error \d{1,12} \(0x[0-9a-fA-F]{1,8}\) = "/,
    apply: (h, c) => h.ssl.onDetail(c),
  },
  {
    // A SapSSL call that says why a PSE could not be opened: its PIN, no SSO credential (cred_v2).
    name: 'pse-open-reason',
    has: 'SapSSL',
    re: /\bSapSSL\w{0,40}.{0,200}(?:\bPIN\b|\bcred_v2\b)/,
    apply: (h, c) => h.ssl.onDetail(c),
  },
  { name: 'ssl-code', has: 'SSSL', re: SSL_CODE, apply: (h, c) => h.ssl.onSslCode(c) },
  {
    // SM59 → Logon & Security: the SSL client identity the destination uses (`SSL Certificate  ZARIBA  SSL Client ZARIBA`).
    name: 'ssl-client-identity',
    has: 'SSL Certificate',
    re: /^\s*SSL Certificate\b[^:\n]{0,40}:?\s{1,10}([A-Z][A-Z0-9]{1,5})\s{1,10}SSL Client\b/,
    apply: (h, c) => h.ssl.onClientIdentity(c),
  },
  {
    name: 'wss040',
    has: ['WSS040', 'Missing credential'],
    re: /\bWSS040\b|Missing credential\. Specify SSL client PSE/,
    apply: (h, c) => h.other.onWss040(c),
  },
  {
    name: 'icm-code',
    has: 'HTTP',
    re: /\bICM_HTTP_[A-Z_]{2,60}\b|\bSCLNT_HTTP\d{3}\b|HTTP error \d{3} occ/,
    apply: (h, c) => h.ssl.onIcmCode(c),
  },
  {
    name: 'dl-load',
    has: 'DlLoadLib()==',
    re: /DlLoadLib\(\)==(DLE[A-Z_]{2,30})/,
    apply: (h, c) => h.other.onDlLoad(c),
  },
  { name: 'os-error', has: 'Error ', re: /^\s*Error (\d{1,6}) = "/, apply: (h, c) => h.other.onOsError(c) },
  {
    name: 'snc-establish',
    has: 'SncPEstablishContext() failed for target=',
    re: /SncPEstablishContext\(\) failed for target='([^']{0,300})'/,
    apply: (h, c) => h.snc.onSncEstablish(c),
  },
  {
    name: 'snc-followup',
    has: 'ERROR =>',
    re: /\*\*\* ?ERROR =>\s*(STI\w{1,40}:.{1,300})$/,
    apply: (h, c) => h.snc.onSncFollowUp(c),
  },
  {
    name: 'snc-line',
    re: /\bSNCERR_[A-Z0-9_]|GSS-API\((?:maj|min)\)|\bA2[0-9A-F]{6}:|\bSncP\w{2,40}\(|SncProcess/,
    apply: (h, c) => h.snc.onSncLine(c),
  },
  {
    name: 'snc-continuation',
    re: /^\s*(?:Unable to (?:establish|load|acquire)|target="|named ")/,
    apply: (h, c) => h.snc.onSncContinuation(c),
  },
  {
    name: 'rfc-error',
    has: ' (rc=',
    re: /\bRFC_[A-Z_]{3,40} \(rc=-?\d{1,6}\)/,
    apply: (h, c) => h.snc.onRfcError(c),
  },
  { name: 'hana-rte', has: 'RTE:[', re: /RTE:\[\d{1,8}\]/, apply: (h, c) => h.other.onHana(c) },
  {
    name: 'browser',
    has: 'ERR',
    re: /(?:SSL_ERROR|SEC_ERROR|MOZILLA_PKIX_ERROR)_[A-Z0-9_]{3}|ERR_(?:CERT|SSL)_[A-Z0-9_]{3}|ERR_BAD_SSL_CLIENT_AUTH_CERT/,
    apply: (h, c) => h.other.onBrowser(c),
  },
  {
    name: 'java',
    re: /PKIX path|certification path|Exception|javax\.net\.ssl|handshake_failure|protocol_version/,
    apply: (h, c) => h.other.onJava(c),
  },
  {
    name: 'java-frame',
    re: /^\s*at [\w$.<>]{1,300}\(|^\s*\.\.\. \d{1,6} more\s*$|^\s*Caused by:/,
    apply: (h, c) => h.other.onJavaFrame(c),
  },
  {
    name: 'python-traceback',
    re: /^\s*Traceback \(most recent call last\):|^\s*File "[^"]{1,500}", line \d{1,7}|^\s*\[MSG: class=/,
    apply: () => {},
  },
];

/** True when `text` holds the guard of a line type (one of them, for a list), or the type has none. */
export function holdsGuard(text: string, has: LineType['has']): boolean {
  if (has === undefined) return true;
  if (typeof has === 'string') return text.includes(has);
  for (let i = 0; i < has.length; i++) if (text.includes(has[i] as string)) return true;
  return false;
}
