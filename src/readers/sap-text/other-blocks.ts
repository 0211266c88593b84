/**
 * @module Smaller evidence shapes: Kerberos sectrace failures, inbound (server-role) certificate handling,
 * Java TLS exceptions, and the one-line client errors (HANA client RTE, browser codes, proxy/TCP failures).
 */

import { ICM_CODES } from '../../codes/sap-codes.js';
import type {
  ClientErrorEvent,
  ConnectionFailureEvent,
  InboundCertEvent,
  JavaTlsFailureEvent,
  KerberosFailureEvent,
} from '../../model/evidence.js';
import { BROWSER_CODES, NI_CODES } from './codes.js';
import { readEndpoint, readUrlOrEndpoint } from './endpoint.js';

/** Common bookkeeping of a block. */
export class BlockBase {
  readonly lines: number[] = [];
  lastTouch: number;
  constructor(
    public thread: string,
    readonly firstLine: number,
  ) {
    this.lastTouch = firstLine;
  }
  touch(no: number): void {
    this.lastTouch = no;
    if (this.lines.length < 64 && this.lines[this.lines.length - 1] !== no) this.lines.push(no);
  }
}

/** Kerberos / SPNEGO lines of one sectrace thread. */
export class KerberosBlock extends BlockBase {
  readonly facts: Omit<KerberosFailureEvent, 'kind' | 'source'> = {};
  failed = false;

  /** Apply one sectrace text line; false when it says nothing about Kerberos. */
  apply(text: string): boolean {
    const t = text.trim();
    const ret = /^(\w{1,80}) returned (-?\d{1,12}) \((0x[0-9A-Fa-f]{1,8})\)/.exec(t);
    if (ret) {
      this.facts.failedCall ??= ret[1]!;
      this.facts.returnCode ??= `${ret[2]} (${ret[3]})`;
      if (ret[2] !== '0') this.failed = true;
      return true;
    }
    const ticket =
      /Getting kerberos ticket for '([^']{0,300})' failed(?: \(user name is ([^)]{0,200})\))?/i.exec(t);
    if (ticket) {
      this.facts.spn ??= ticket[1]!;
      if (ticket[2]) this.facts.user ??= ticket[2];
      this.failed = true;
      return true;
    }
    const alg = /^Error for requested algorithm \d{1,4}: [0-9A-Fa-f]{1,8}\/([0-9A-Fa-f]{8}) (.{0,300})$/.exec(
      t,
    );
    if (alg) {
      this.facts.status ??= alg[1]!;
      this.facts.statusText ??= alg[2]!.trim();
      this.failed = true;
      return true;
    }
    const krb = /\b(KRB5(?:KDC|KRB)_(?:ERR|AP_ERR)_[A-Z_]{2,40})\b/.exec(t);
    if (krb) {
      // PREAUTH_REQUIRED is part of a normal exchange, not a failure.
      if (krb[1] !== 'KRB5KDC_ERR_PREAUTH_REQUIRED') {
        this.facts.status ??= krb[1]!;
        this.failed = true;
      }
      return true;
    }
    if (/kerberos failed|failed.{0,40}kerberos/i.test(t)) {
      this.failed = true;
      return true;
    }
    return /\b(?:AcquireCredentialsHandle|InitializeSecurityContext|AcceptSecurityContext)\w{0,2}\b/.test(t);
  }

  toEvent(): Omit<KerberosFailureEvent, 'source'> | undefined {
    return this.failed ? { kind: 'kerberos-failure', ...this.facts } : undefined;
  }
}

type InboundProblem = InboundCertEvent['problem'];
const INBOUND_RANK: Record<InboundProblem, number> = {
  other: 0,
  'no-client-cert': 1,
  'client-cert-untrusted': 2,
  'intermediary-not-trusted': 3,
  'forwarded-cert-rejected': 4,
};

/** Inbound HTTPS (server role) certificate handling of one thread. */
export class InboundBlock extends BlockBase {
  problem: InboundProblem | undefined;
  message = '';
  subject: string | undefined;
  issuer: string | undefined;
  authType: string | undefined;

  setProblem(problem: InboundProblem, message: string): void {
    if (!this.problem || INBOUND_RANK[problem] > INBOUND_RANK[this.problem]) {
      this.problem = problem;
      this.message = message.trim();
    }
  }

  toEvent(): Omit<InboundCertEvent, 'source'> | undefined {
    if (!this.problem) return undefined;
    const ev: Omit<InboundCertEvent, 'source'> = {
      kind: 'inbound-cert',
      problem: this.problem,
      message: this.message,
    };
    if (this.subject) ev.subject = this.subject;
    if (this.issuer) ev.issuer = this.issuer;
    if (this.authType) ev.authType = this.authType;
    return ev;
  }
}

type JavaProblem = JavaTlsFailureEvent['problem'];
const JAVA_RANK: Record<JavaProblem, number> = {
  other: 0,
  'handshake-failure': 1,
  'protocol-version': 2,
  hostname: 3,
  'pkix-path': 4,
  // An expired certificate in a `Caused by:` below "PKIX path validation failed" names the cause.
  'cert-expired': 5,
};

const JAVA_EXCEPTION =
  /\b((?:javax\.net\.ssl|java\.security\.cert|sun\.security\.[a-z.]{1,60}|java\.net)\.[A-Za-z]{1,80}(?:Exception|Error))(?::\s*(.{0,2000}))?/;

/**
 * Causes that "PKIX path validation failed" quotes and the knowledge base knows by name (a revoked
 * certificate, a revocation status that could not be determined, a disabled algorithm): in a block they
 * decide over the PKIX wording around them, which alone reads as an untrusted chain.
 */
const JAVA_KB_DETAIL =
  /CertificateRevokedException|Certificate has been revoked|Could not determine revocation status|Algorithm constraints check failed/i;

/** Classify a Java TLS message. */
export function classifyJava(text: string): JavaProblem | undefined {
  if (JAVA_KB_DETAIL.test(text)) return 'other';
  // IAIK's "Peer sent alert: Alert Fatal: certificate expired": the peer refused a certificate this side
  // sent (its alert entry says so), not a certificate it received.
  if (/Alert Fatal: certificate expired/i.test(text)) return 'other';
  // "PKIX path validation failed: … validity check failed" is an expired (or not yet valid) certificate
  // in a chain that did reach a trust anchor: the validity names the cause, not the trust store.
  if (
    /CertificateExpiredException|CertificateNotYetValidException|certificate expired|validity check failed|timestamp check failed|NotAfter:|NotBefore:/i.test(
      text,
    )
  )
    return 'cert-expired';
  if (/PKIX path (?:building|validation) failed|unable to find valid certification path/i.test(text))
    return 'pkix-path';
  if (
    /No subject alternative (?:DNS )?names?|No name matching|HTTPS hostname wrong|hostname .{0,40}not verified/i.test(
      text,
    )
  )
    return 'hostname';
  // Other alerts and client-certificate texts: the knowledge base knows them by name (a message event).
  const alert = /Received fatal alert: ?([a-z_]{3,40})/i.exec(text);
  if (alert && !/^(?:handshake_failure|protocol_version)$/i.test(alert[1]!)) return 'other';
  if (/Empty client certificate chain/i.test(text)) return 'other';
  if (/protocol_version|No appropriate protocol|unsupported (?:protocol|version)/i.test(text))
    return 'protocol-version';
  if (/handshake_failure|SSLHandshakeException|Remote host (?:terminated|closed) the handshake/i.test(text))
    return 'handshake-failure';
  if (/javax\.net\.ssl\.|CertPathValidatorException|CertificateException/.test(text)) return 'other';
  return undefined;
}

/** A Java exception with its `Caused by:` chain. */
export class JavaBlock extends BlockBase {
  exception: string | undefined;
  message: string | undefined;
  problem: JavaProblem | undefined;
  /** A line of the block names a cause the knowledge base knows (JAVA_KB_DETAIL). */
  kbDetail = false;

  apply(text: string): boolean {
    const t = text.trim();
    if (/^at [\w$.<>]{1,300}\(/.test(t) || /^\.\.\. \d{1,6} more$/.test(t)) return true;
    const problem = classifyJava(t);
    if (!problem) return false;
    if (problem === 'other' && JAVA_KB_DETAIL.test(t)) this.kbDetail = true;
    const ex = JAVA_EXCEPTION.exec(t);
    if (ex && !this.exception) this.exception = ex[1]!;
    if (!this.problem || JAVA_RANK[problem] > JAVA_RANK[this.problem]) {
      this.problem = problem;
      this.message = ex ? (ex[2] ?? '').trim() || t : t.replace(/^Caused by:\s*/, '');
    }
    return true;
  }

  toEvent(): Omit<JavaTlsFailureEvent, 'source'> | undefined {
    if (!this.problem) return undefined;
    const ev: Omit<JavaTlsFailureEvent, 'source'> = {
      kind: 'java-tls-failure',
      message: this.message ?? '',
      problem: this.kbDetail ? 'other' : this.problem,
    };
    if (this.exception) ev.exception = this.exception;
    return ev;
  }
}

/** HANA client `RTE:[300010] Cannot create SSL context: SSL trust store cannot be found: <path>`. */
export function readHanaError(text: string): Omit<ClientErrorEvent, 'source'> | undefined {
  const i = text.indexOf('RTE:[');
  if (i < 0) return undefined;
  const close = text.indexOf(']', i + 5);
  if (close < 0 || close - i > 16) return undefined;
  const num = text.slice(i + 5, close);
  if (!/^\d{1,8}$/.test(num)) return undefined;
  let message = text.slice(close + 1).trim();
  // The client wraps it: "Connection failed (RTE:[…] …)" — drop the wrapper's closing parenthesis.
  if (text.slice(0, i).includes('(') && message.endsWith(')')) message = message.slice(0, -1);
  const ev: Omit<ClientErrorEvent, 'source'> = {
    kind: 'client-error',
    client: 'hana-client',
    code: `RTE_${num}`,
    message,
    problem: 'other',
  };
  const marker = 'cannot be found: ';
  const k = message.indexOf(marker);
  if (k >= 0) {
    let rest = message.slice(k + marker.length);
    if (rest.endsWith(')')) {
      const open = rest.lastIndexOf(' (');
      if (open > 0) {
        ev.target = readEndpoint(rest.slice(open + 2, -1), 0).endpoint;
        rest = rest.slice(0, open);
      }
    }
    ev.path = rest.trim();
  }
  if (/trust store cannot be found|cannot open trust store|trust store.{0,20}not found/i.test(message))
    ev.problem = 'trust-store-missing';
  else if (/certificate.{0,60}(?:not trusted|untrusted|verif)/i.test(message)) ev.problem = 'untrusted';
  // "host name 'x' does not match name in certificate 'y'" — not "Cannot resolve host name" (RTE 89001, DNS).
  else if (/host ?name.{0,120}(?:does not match|mismatch)|name in certificate/i.test(message))
    ev.problem = 'hostname';
  else if (/handshake/i.test(message)) ev.problem = 'handshake-failure';
  return ev;
}

const OPENSSL_ERRORS = new Set([
  'SSL_ERROR_SSL',
  'SSL_ERROR_SYSCALL',
  'SSL_ERROR_NONE',
  'SSL_ERROR_ZERO_RETURN',
  'SSL_ERROR_WANT_READ',
  'SSL_ERROR_WANT_WRITE',
  'SSL_ERROR_WANT_CONNECT',
  'SSL_ERROR_WANT_ACCEPT',
  'SSL_ERROR_WANT_X509_LOOKUP',
]);

/** OpenSSL reason codes as Node spells them; Chrome's ERR_SSL_* codes are other words. */
const NODE_SSL_CODE =
  /^ERR_SSL_(?:SSLV3_|TLSV1[0-3]?_|WRONG_VERSION|UNSUPPORTED_PROTOCOL|PACKET_LENGTH|NO_PROTOCOLS|DH_KEY_TOO_SMALL|EE_KEY|CA_MD|UNSAFE_LEGACY|UNKNOWN_PROTOCOL|HTTP_REQUEST|RECORD_LAYER|NO_SHARED_CIPHER|NO_CIPHERS|CERTIFICATE_VERIFY)/;

/** A browser TLS error code in a line (Firefox `SSL_ERROR_…`, `SEC_ERROR_…`; Chrome `ERR_CERT_…`). */
export function readBrowserError(text: string): Omit<ClientErrorEvent, 'source'> | undefined {
  const m =
    /(^|[^=\w])((?:SSL_ERROR|SEC_ERROR|MOZILLA_PKIX_ERROR)_[A-Z0-9_]{3,60}|ERR_(?:CERT|SSL)_[A-Z0-9_]{3,60}|ERR_BAD_SSL_CLIENT_AUTH_CERT)\b/.exec(
      text,
    );
  if (!m) return undefined;
  const code = m[2]!;
  if (OPENSSL_ERRORS.has(code)) return undefined;
  // Node names OpenSSL reasons ERR_SSL_<REASON> (`code: 'ERR_SSL_WRONG_VERSION_NUMBER'`): not a browser.
  if (
    NODE_SSL_CODE.test(code) ||
    /code:\s{0,4}['"]?$/.test(text.slice(Math.max(0, m.index - 12), m.index + m[1]!.length))
  )
    return undefined;
  const known = BROWSER_CODES[code];
  const problem: ClientErrorEvent['problem'] =
    known ??
    (/UNKNOWN_ISSUER|AUTHORITY|UNTRUSTED|SELF_SIGNED/.test(code)
      ? 'untrusted'
      : /DOMAIN|COMMON_NAME/.test(code)
        ? 'hostname'
        : /EXPIRED|DATE/.test(code)
          ? 'expired'
          : /VERSION/.test(code)
            ? 'protocol-version'
            : /HANDSHAKE|CYPHER|CIPHER/.test(code)
              ? 'handshake-failure'
              : 'other');
  const ev: Omit<ClientErrorEvent, 'source'> = {
    kind: 'client-error',
    client: 'browser',
    code,
    message: text.trim(),
    problem,
  };
  const url = /https?:\/\//.exec(text);
  if (url) ev.target = readUrlOrEndpoint(text, url.index).endpoint;
  const port = /\bport (\d{1,5})\b/.exec(text);
  if (port) ev.target = { ...(ev.target ?? {}), port: Number(port[1]) };
  return ev;
}

/** Proxy and TCP-level failures before any TLS. */
export function readConnectionFailure(text: string): Omit<ConnectionFailureEvent, 'source'> | undefined {
  const proxy = text.indexOf('Proxy connection to ');
  if (proxy >= 0) {
    const t = readUrlOrEndpoint(text, proxy + 'Proxy connection to '.length);
    const ev: Omit<ConnectionFailureEvent, 'source'> = {
      kind: 'connection-failure',
      problem: 'proxy-refused',
      message: text.slice(proxy).trim(),
    };
    ev.target = t.endpoint;
    const via = text.indexOf(' via ', t.end);
    if (via >= 0) ev.proxy = readEndpoint(text, via + 5).endpoint;
    const status = /proxy returned (\d{3})/.exec(text);
    if (status) {
      ev.proxy = { ...(ev.proxy ?? {}), status: Number(status[1]) };
      if (status[1] === '407') ev.problem = 'proxy-auth';
    }
    return ev;
  }
  const conn = /\b[Cc]onnect(?:ion)? to /.exec(text);
  const ni = /\b(NIE[A-Z_]{2,30})\s*(?:\(\s*(-?\d{1,4})\s*\))?/.exec(text);
  if (conn && ni && /failed/.test(text)) {
    const t = readUrlOrEndpoint(text, conn.index + conn[0].length);
    const ev: Omit<ConnectionFailureEvent, 'source'> = {
      kind: 'connection-failure',
      problem: NI_CODES[ni[1]!] ?? 'other',
      message: text.trim().replace(/^\*\*\* ?ERROR =>\s*/, ''),
      target: t.endpoint,
    };
    ev.error = ni[2] ? { name: ni[1]!, number: Number(ni[2]) } : { name: ni[1]! };
    return ev;
  }
  return undefined;
}

/** An ICM code that is network/proxy level → the connection-failure problem it means. */
export function icmConnectionProblem(num: number): ConnectionFailureEvent['problem'] | undefined {
  switch (num) {
    case 400:
      return 'other';
    case 401:
      return 'reset';
    case 402:
      return 'timeout';
    case 411:
      return 'refused';
    case 412:
    case 426:
      return 'proxy-refused';
    case 413:
    case 417:
      return 'host-unknown';
    case 416:
      return 'proxy-auth';
    default:
      return undefined;
  }
}

export { ICM_CODES };
