/**
 * @module The shape of a live probe's result: one handshake attempt, the version scan, the whole probe.
 *
 * Everything here is plain, serialisable data (it travels inside a `ProbeEvent` and can be saved with
 * the evidence and re-diagnosed later). Certificates are kept as PEM text, exactly as the server sent
 * them. No secret (proxy password, private key, PKCS#12 password) ever appears in these types.
 */
import type { CertificateInfo } from './certificate.js';

/** Public facts about the client identity a probe offered (never its key). */
export interface ClientIdentityDescription {
  source: string;
  subject?: string;
  issuer?: string;
  sha256?: string;
  notAfter?: string;
}

/** TLS protocol versions a probe can ask for, named as Node and OpenSSL name them. */
export type TlsVersionName = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** The endpoint to probe. */
export type ProbeTarget = {
  host: string;
  port: number;
  /** The URL as the user gave it, when it was one. */
  url?: string;
  /** Path of the URL (for `--http`), `/` when none was given. */
  path: string;
  /** True when `host` is an IP address (no SNI can be sent then). */
  isIp: boolean;
  /**
   * Address to connect to instead of resolving `host` (`--resolve`, like curl's): SNI and the name check
   * still use `host`. Tells "the name resolves to the wrong server" apart from a wrong certificate.
   */
  address?: string;
};

/** A forward proxy, as the probe shows it: never with its password. */
export type ProxyInfo = {
  host: string;
  port: number;
  /** User name for Basic authentication, when one was given. */
  user?: string;
  /** True when a password was given (the password itself is never kept in results). */
  withPassword: boolean;
};

/** Where an attempt stopped or what it reached. */
export type AttemptStep = 'dns' | 'tcp' | 'proxy' | 'tls' | 'post-handshake' | 'http' | 'done';

/**
 * The outcome of one handshake attempt.
 * - `ok`: the handshake completed (and, when a client certificate was asked for, the server kept the
 *   connection open afterwards).
 * - `alert`: the server sent a fatal TLS alert (see `alert`).
 * - `closed` / `reset`: the server closed (FIN) or reset (RST) the connection before the handshake ended,
 *   or right after it (`step: 'post-handshake'`).
 * - `timeout`: no answer within the step's time limit.
 * - `refused` / `host-unknown`: TCP level, before any TLS.
 * - `not-tls`: the server answered the ClientHello with something that is not TLS (HTTP, SSH banner, …).
 * - `proxy-auth` / `proxy-refused` / `proxy-error`: the forward proxy answered CONNECT with 407 / 403 / other.
 * - `local-refusal`: our own TLS stack refused what the server chose (e.g. a version outside this attempt's range).
 * - `error`: anything else (message kept).
 */
export type AttemptOutcome =
  | 'ok'
  | 'alert'
  | 'closed'
  | 'reset'
  | 'timeout'
  | 'refused'
  | 'host-unknown'
  | 'not-tls'
  | 'proxy-auth'
  | 'proxy-refused'
  | 'proxy-error'
  | 'local-refusal'
  | 'error';

/** A TLS alert (RFC 8446 §6 numbers). */
export type TlsAlert = {
  level: 'warning' | 'fatal';
  code: number;
  /** RFC name, e.g. `handshake_failure`, `certificate_required`. */
  name: string;
  /** `received` = the server sent it; `sent` = our TLS stack sent it. */
  direction: 'received' | 'sent';
};

/** The server's CertificateRequest: it asks for a client certificate. */
export type CertificateRequestInfo = {
  /** The acceptable CA names the server listed (DNs, SAP order), possibly none. */
  caNames: string[];
  /** True when the list was longer than the cap and cut. */
  caNamesTruncated?: boolean;
};

/** What the server answered when it was not TLS at all. */
export type NonTlsAnswer = {
  /** `http`: an HTTP response line; `ssh`/`smtp-ftp`: a text banner; `other`: anything else. */
  kind: 'http' | 'ssh' | 'smtp-ftp' | 'other';
  /** The first line, printable characters only, capped. */
  firstLine: string;
  /** HTTP status code, for `http`. */
  status?: number;
};

/** How the chain in `chain` was obtained. */
export type ChainSource =
  /** Parsed from the server's Certificate handshake message (TLS 1.3: decrypted with the session's own keys). */
  | 'handshake-message'
  /** Node's peer chain with an empty trust store (order and extra certificates may differ from what was sent). */
  | 'peer-chain';

/** One handshake with the server. */
export type HandshakeAttempt = {
  /** What the attempt was for: `main`, `sni-compare`, `version:TLSv1.1`, … */
  label: string;
  /** SNI sent, absent when none was sent. */
  sni?: string;
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName;
  /** True when a client certificate identity was configured for this attempt. */
  withClientCert: boolean;
  outcome: AttemptOutcome;
  /** How far it got. */
  step: AttemptStep;
  /** Negotiated protocol (`TLSv1.3`) and cipher (OpenSSL and IANA names). */
  protocol?: string;
  cipher?: { name: string; standardName?: string };
  /** The certificates the server sent, leaf first, in the order it sent them, as PEM. */
  chain?: string[];
  chainSource?: ChainSource;
  /** Present when the server asked for a client certificate. */
  certificateRequest?: CertificateRequestInfo;
  /** True when the server's session ticket arrived after the handshake (TLS 1.3): it accepted the session. */
  ticketReceived?: boolean;
  alert?: TlsAlert;
  /** The non-TLS answer, for `not-tls`. */
  nonTls?: NonTlsAnswer;
  /** Proxy answer to CONNECT, when a proxy was used. */
  proxyStatus?: { status: number; statusText: string; authenticate?: string };
  /** `--http`: the status line of the answer to one HEAD/GET request. */
  http?: { request: string; status?: number; statusLine?: string; error?: string };
  /** Low-level error, when the attempt failed (Node error code and message, secrets never included). */
  error?: { code?: string; message: string };
  /** Milliseconds from start to outcome (informational only). */
  durationMs: number;
};

/** Acceptance of one protocol version by the server, from the version scan. */
export type VersionSupport = {
  version: TlsVersionName;
  /**
   * `accepted`: a handshake with only this version completed; `refused`: the server refused it (alert,
   * close, reset); `untestable`: this machine's TLS library cannot offer the version; `unknown`: the
   * attempt ended for another reason (timeout, network).
   */
  result: 'accepted' | 'refused' | 'untestable' | 'unknown';
  /** Attempt outcome behind the result. */
  outcome?: AttemptOutcome;
  alert?: string;
  cipher?: string;
};

/** Issuers fetched through AIA caIssuers URLs (`--fetch-issuers`): used to name a missing CA, never to trust it. */
export type FetchedIssuer = {
  url: string;
  /** Fetched certificate(s) as PEM, when the fetch succeeded. */
  pem?: string[];
  error?: string;
};

/** The whole probe: every attempt plus the summary facts the diagnosis reads. */
export type ProbeResult = {
  target: ProbeTarget;
  proxy?: ProxyInfo;
  /** ISO time the probe started. */
  startedAt: string;
  /** Per-step time limit used, ms. */
  timeoutMs: number;
  /** SNI sent in the main attempt, absent when none. */
  sni?: string;
  /** The main handshake (as the ICM with the given options would do it). */
  main: HandshakeAttempt;
  /** The same handshake with the SNI setting flipped (absent for IP targets or when skipped). */
  sniCompare?: HandshakeAttempt;
  /** One attempt per version, oldest first (absent when skipped). */
  versions?: VersionSupport[];
  /** All further attempts, in the order they ran (version scan …), for the record. */
  attempts: HandshakeAttempt[];
  /** The chain the diagnosis judges (from the main attempt, or the first attempt that got one). */
  chain?: string[];
  chainSource?: ChainSource;
  /** Which attempt `chain` came from. */
  chainFrom?: string;
  /** The certificates of `chain`, described (leaf first). */
  certificates?: CertificateInfo[];
  /** The client identity that was offered, described without its key. */
  clientIdentity?: ClientIdentityDescription;
  /** AIA fetch results (`--fetch-issuers`). */
  fetchedIssuers?: FetchedIssuer[];
  /** Notes about what this machine could not test (e.g. TLS 1.0 not available in the local OpenSSL). */
  notes: string[];
};
