/**
 * @module Evidence: the typed, serialisable facts readers extract from inputs, each with provenance.
 *
 * Readers produce `EvidenceEvent`s; the engine hands rules only the kinds they declare in `needs`.
 * Every event carries `source` (input index + line numbers) so findings can quote the lines.
 * New fields may be added (optional); existing ones keep their meaning.
 */
import type { Role } from './cause.js';
import type { CertificateInfo, TrustList } from './certificate.js';
import type { ProbeResult } from './probe.js';

/** Where an event came from: input index (order given) and 1-based line numbers. */
export interface SourceRef {
  input: number;
  /** First line of the event. */
  line: number;
  /** Last line of the event (same as `line` for one-line events). */
  endLine?: number;
  /** The lines that matter most (PSE line, certificate lines, error line), for highlighting. */
  keyLines?: number[];
}

/** One quoted evidence line. */
export interface EvidenceLine {
  input: number;
  line: number;
  text: string;
}

/** An SAP or library error code as printed: `SSSLERR_PEER_CERT_UNTRUSTED (-102)`, `ICM_HTTP_SSL_ERROR`, … */
export interface ErrorCode {
  name: string;
  number?: number;
}

/** How often the same failure occurred (after de-duplication). */
export interface Occurrences {
  count: number;
  /** Timestamps as printed in the trace (kept verbatim), when the trace shows them. */
  first?: string;
  last?: string;
  /** Source of every occurrence beyond the first, capped (see `truncated`). */
  more?: SourceRef[];
  truncated?: boolean;
}

/** A certificate as a trace prints it (chain dump): depth 0 = leaf, each deeper one = issuer of the one above. */
export interface TraceCertificate {
  depth: number;
  subject: string;
  issuer?: string;
  serial?: string;
  notBefore?: string;
  notAfter?: string;
  /** CCL verification result lines for this certificate (`Status`, `Validity`, `ObjectStatus`, …). */
  verification?: Record<string, string>;
  /** When the trace dumped the certificate as PEM (ICM trace level 3). */
  pem?: string;
  /** Line of the `Subject:` (or PEM begin) in the input. */
  line?: number;
}

/** One entry of a Secu-SSL / Secude-SSL errorstack. */
export interface ErrorstackEntry {
  code?: string;
  component?: string;
  function?: string;
  text?: string;
  line?: number;
}

interface EventBase {
  source: SourceRef;
  /** Set by the aggregator when identical failures are merged. */
  occurrences?: Occurrences;
  /** Timestamp as printed, when the input shows one near the event. */
  timestamp?: string;
  thread?: string;
}

/**
 * A TLS failure seen from the SAP side: ICM/work-process/Web Dispatcher trace, an ABAP-side message
 * (SM59, SOAMANAGER, abapGit, `#`-joined texts), or a CommonCryptoLib errorstack.
 */
export interface SslFailureEvent extends EventBase {
  kind: 'ssl-failure';
  /** Where it was read from. */
  origin: 'trace' | 'abap-message' | 'app-message';
  role?: Role;
  /** Why the role was decided (`cli SSL session PSE`, `role=2 (SERVER)`, `SSL handshake with`). */
  roleEvidence?: string;
  /** SSSLERR_/SSSLRC_ code. `number` absent when the text does not show it. */
  error?: ErrorCode;
  /** ICM_HTTP_* code and/or SCLNT_HTTP message number, when shown. */
  icm?: { name?: string; number?: number };
  /** Text printed after the code (`Peer's X.509 certificate (chain) validation failed (missing trust?)`). */
  errorText?: string;
  /** SapSSL function that returned the error (`SapSSLSessionStartNB`). */
  function?: string;
  /** Lower-level error lines (`SSL::SiRecv() failed rc==SSSLRC_CONN_CLOSED`, `SAPCRYPTO:SSL_read() failed`). */
  details?: string[];
  /** Fatal TLS alert, as printed (possibly truncated). */
  alert?: { text: string; truncated?: boolean; direction?: 'received' | 'sent'; description?: string };
  /** CommonCryptoLib return code `(536875120/0x20001070)`. */
  cryptoRc?: { decimal?: string; hex: string };
  /** `SSL_ERROR_SSL` etc. */
  openSslError?: string;
  /** `secussl_read() from SSL_read()`, `SecudeSSL_SessionStart() from SSL_connect()`. */
  operation?: string;
  /** Host and port the SAP side connected to (client role) or was reached on. Placeholders kept literally. */
  target?: { host?: string; port?: number | string };
  peer?: { ip?: string; port?: number | string };
  local?: { ip?: string; port?: number | string };
  niHandle?: number;
  ssslHandle?: string;
  /** SNI sent (`TLSextSNI server_name="…"`); `sniSeen: false` means the block was complete and had no SNI line. */
  sni?: string;
  /**
   * Whether the trace printed an SNI line for this session: true when `TLSextSNI` was seen; false when
   * the session's context listing (SSL_CTX / ciphersuites lines) was printed without one; absent when
   * the text does not show that part at all.
   */
  sniSeen?: boolean;
  /** PSE file the session used (`session uses PSE file`, `cli/srv SSL session PSE`). */
  pseFile?: string;
  /** The SSL client identity (STRUST node, `SAPSSL<ID>.pse`) an SM59 destination names in its SSL Certificate field. */
  clientIdentity?: string;
  sslState?: { code?: string; text: string };
  ciphersuites?: string;
  sslCtx?: { side?: string; address?: string; pvflags?: number; protocolVersions?: string[] };
  errorstack?: ErrorstackEntry[];
  /** Certificates the trace printed, leaf first. */
  certificates?: TraceCertificate[];
  /** `ServerCert.subject = …` of a -30 failure. */
  serverCertSubject?: string;
  /** `TargetHostname = "…"` of a -30 failure (may differ from `target.host`). */
  targetHostname?: string;
  /** Source location printed by the kernel (`ssslsecu.c 4955`). */
  sourceLocation?: string;
  /** Application message around it (`HTTP error 407 occured`). */
  appMessage?: string;
  /** True when the reader saw the text end inside this event (truncated errorstack, cut line). */
  truncated?: boolean;
  /**
   * Facts the same input states beside the trace (kb KB_CONTEXT_FACTS, as on message events: a named
   * inspecting proxy, a client certificate the call needs, SNI switched off, a cipher list naming legacy
   * suites); read from the paste's other lines.
   */
  context?: string[];
}

/** SNC / GSS-API failure (CPIC/RFC error block, dev_w*, SNC lines in traces). */
export interface SncFailureEvent extends EventBase {
  kind: 'snc-failure';
  role?: Role;
  /** SNCERR_* name. */
  error?: ErrorCode;
  /** `GSS-API(maj): No credentials were supplied`. */
  gssMajor?: string;
  /** `A2200210:Peer certificate verification failed`. */
  gssMinor?: { code?: string; text: string };
  errorDetail?: string;
  sncTarget?: string;
  location?: string;
  release?: string;
  rc?: number;
  module?: string;
  moduleLine?: number;
  detail?: string;
  systemCall?: string;
  counter?: number;
  /** Library path in load failures (`named "C:\…\sncgss32.dll"`). */
  library?: string;
  /** `STISEND:STISncOut failed 20 [r3cpic.c 9834]`. */
  followUp?: string[];
  rfcError?: string;
  /** Kernel error lines of the failure (`SncPEstablishContext() failed for target='p:CN=BW5'`). */
  details?: string[];
  /** Source location printed by the kernel (`sncxxall.c 3638`). */
  sourceLocation?: string;
  /** The mechanism under SNC the input names (Kerberos, Secure Login Client), when it names one. */
  mechanism?: 'kerberos' | 'slc';
}

/** A shared library could not be loaded (DLENOACCESS, SNCERR_INIT LoadLibrary, SSSLERR_LIB_NOT_FOUND). */
export interface LibLoadFailureEvent extends EventBase {
  kind: 'lib-load-failure';
  library?: string;
  error?: ErrorCode;
  osError?: { code?: string; text?: string };
  /** ssl / snc / ssf, when known. */
  purpose?: 'ssl' | 'snc' | 'ssf';
}

/** A Java / JVM-based client (Cloud Connector, CPI, ADT, AS Java, buildpack) failed trust or handshake. */
export interface JavaTlsFailureEvent extends EventBase {
  kind: 'java-tls-failure';
  /** `javax.net.ssl.SSLHandshakeException` etc. */
  exception?: string;
  /** `PKIX path building failed`, `unable to find valid certification path to requested target`, … */
  message: string;
  /** Derived classification. */
  problem: 'pkix-path' | 'cert-expired' | 'hostname' | 'handshake-failure' | 'protocol-version' | 'other';
  product?: string;
  /** Facts the same input states beside it (as on ssl-failure and message events). */
  context?: string[];
}

/** Other client libraries and front ends: HANA client RTE errors, browser error codes, curl, NW RFC SDK. */
export interface ClientErrorEvent extends EventBase {
  kind: 'client-error';
  client: 'hana-client' | 'browser' | 'nwrfc' | 'curl' | 'other';
  code?: string;
  message: string;
  /** Store / file the client complained about (`SSL trust store cannot be found: <path>`). */
  path?: string;
  target?: { host?: string; port?: number | string };
  problem:
    | 'trust-store-missing'
    | 'untrusted'
    | 'handshake-failure'
    | 'protocol-version'
    | 'hostname'
    | 'expired'
    | 'other';
  /** Facts the same input states beside it (as on ssl-failure and message events). */
  context?: string[];
}

/** TCP/proxy level failure before any TLS (NIECONN_REFUSED, proxy CONNECT refused, timeouts). */
export interface ConnectionFailureEvent extends EventBase {
  kind: 'connection-failure';
  problem: 'refused' | 'reset' | 'timeout' | 'host-unknown' | 'proxy-refused' | 'proxy-auth' | 'other';
  target?: { host?: string; port?: number | string };
  proxy?: { host?: string; port?: number | string; status?: number };
  error?: ErrorCode;
  message: string;
}

/** Inbound (server role) certificate handling: anonymous client, untrusted intermediary, forwarded certs. */
export interface InboundCertEvent extends EventBase {
  kind: 'inbound-cert';
  problem:
    | 'no-client-cert'
    | 'intermediary-not-trusted'
    | 'forwarded-cert-rejected'
    | 'client-cert-untrusted'
    | 'other';
  message: string;
  subject?: string;
  issuer?: string;
  authType?: string;
}

/** Kerberos / SPNEGO failure from a CommonCryptoLib sectrace. */
export interface KerberosFailureEvent extends EventBase {
  kind: 'kerberos-failure';
  spn?: string;
  user?: string;
  failedCall?: string;
  returnCode?: string;
  status?: string;
  statusText?: string;
  process?: string;
}

/**
 * A line (or a few lines of one failure) that no structured reader claims, recognised by a kb entry's
 * `printed:` phrases or `patterns:` (the knowledge model): any stack, any side.
 */
export interface MessageEvent extends EventBase {
  kind: 'message';
  /** The kb entry recognised (the most specific match of the event's lines). */
  entry: string;
  /** The stack that printed it (kb `stacks:` vocabulary: `java`, `node`, `hana-client`, …). */
  stack: string;
  /** Side of the connection whose software printed it, when the entry states it. */
  side?: 'client' | 'server' | 'either';
  /** The code as the entry names it (`ERR_CERT_AUTHORITY_INVALID`, `SEC_E_UNTRUSTED_ROOT`), for code entries. */
  code?: string;
  /** The recognised line (the best match), cut to 400 characters. */
  text: string;
  /** The phrase or pattern of the entry that matched. */
  matched: string;
  /** Further entries the event's lines also match, most specific first. */
  also?: string[];
  /** The peer chain the same input prints (openssl s_client, a Java debug dump), leaf first. */
  chain?: PrintedCertificate[];
  /** The host the input shows the client calling (URL, `host='…'`, `-connect host:port`). */
  host?: string;
  /** The input shows the call going to an SAP system (an `/sap/…` service path or an SAP HTTPS port). */
  callsSap?: boolean;
  /** The trust store a Java debug dump names (`trustStore is: <path>`). */
  trustStore?: string;
  /**
   * Facts the same input states beside the message (kb KB_CONTEXT_FACTS: `client-cert-auth` — the call
   * authenticates with a client certificate; `anonymous-client` — the server saw no client certificate;
   * `encrypt-on` / `encrypt-off` — a HANA client's encrypt setting; `hana-cloud` — the target is SAP HANA
   * Cloud; `tls-version-stated`, `sap-calls`, `plain-first` and the others: see KB_CONTEXT_FACTS). They
   * reorder the entry's hypotheses (`when:`).
   */
  context?: string[];
}

/** A certificate as a client tool printed it (names and key id only: pastes cut the rest). */
export interface PrintedCertificate {
  subject?: string;
  issuer?: string;
  /** Authority key identifier, lower-case hex without separators. */
  authorityKeyId?: string;
  /** Depth in the chain as printed (0 = the server's own certificate). */
  depth?: number;
  /** Validity as printed beside the chain or read from a pasted PEM (ISO 8601), when known. */
  notBefore?: string;
  notAfter?: string;
  /** Line of the input where it was printed. */
  line: number;
}

/** A GSS/SNC name printed by a sectrace (used to compare with the user's SNC name). */
export interface SncNameEvent extends EventBase {
  kind: 'snc-name';
  name: string;
  /** Why it looks wrong, when it does (e.g. `doubled-realm`). */
  anomaly?: 'doubled-realm' | 'missing-prefix' | 'other';
}

/** Trace file header and SSL initialisation facts. */
export interface TraceInfoEvent extends EventBase {
  kind: 'trace-info';
  traceFile?: string;
  traceLevel?: number;
  release?: string;
  sid?: string;
  cryptoLib?: { file?: string; version?: string };
  /** Profile parameters the trace prints (`ssl/ciphersuites`, `ssl/client_ciphersuites`, …). */
  parameters?: Record<string, string>;
  /** `TRACE FILE TRUNCATED` seen. */
  truncatedByKernel?: boolean;
  /** Host names a hosts-file line pasted beside the trace pins to an address (lower-cased name → IPv4). */
  resolved?: Record<string, string>;
  /** The address nslookup (or dig's answer) printed for a name (lower-cased name → IPv4): what DNS says. */
  dns?: Record<string, string>;
  /**
   * SNC names the paste shows: `partner`, the partner name a destination or client expects (SM59's SNC
   * `Partner`, JCo's `snc_partnername`); `own`, a system's own identity (`snc/identity/as`).
   */
  sncNames?: { partner?: string; own?: string };
}

/** A trust list read from a PSE, sapgenpse listing, certificate file or folder. */
export interface TrustListEvent extends EventBase {
  kind: 'trust-list';
  list: TrustList;
}

/** Certificates given as files (a chain to judge, a single certificate). */
export interface CertificateFileEvent extends EventBase {
  kind: 'certificates';
  certificates: CertificateInfo[];
  /** What the container was: pem, der, pkcs7, pkcs12, strust-export. */
  container: string;
  /**
   * The PEM blocks of a text paste (an error report with the certificate beside it, `openssl s_client
   * -showcerts` output), not a certificate file: the messages of the same input are judged with them.
   */
  pasted?: boolean;
}

/** sapgenpse listing facts (get_my_name, maintain_pk -l, get_pse output) that are not a trust list. */
export interface SapgenpseEvent extends EventBase {
  kind: 'sapgenpse';
  command?: string;
  pseFile?: string;
  ssoUser?: string;
  own?: CertificateInfo;
  /** An error sapgenpse printed (`Couldn't open PSE … (Decoding error)`, `No SSO credentials available`). */
  error?: { message: string; reason?: string };
  /** Certificate request facts (get_pse), never to be read as an own certificate. */
  request?: {
    subject?: string;
    file?: string;
    keyType?: string;
    keySize?: number;
    signatureAlgorithm?: string;
  };
  /** The own certificate's chain as `get_my_name -v` prints it: FCPath levels in order, then PKRoot. */
  chain?: CertificateInfo[];
  /** STRUST node of `pseFile`, when its name maps to one (see `pki/pse-nodes`). */
  pseNode?: { basename?: string; node?: string; context?: string; application?: string };
}

/** A PSE file that could not be opened here (wrong PIN, LPS, cred_v2, corrupt). */
export interface PseProblemEvent extends EventBase {
  kind: 'pse-problem';
  file: string;
  problem: 'pin-required' | 'wrong-pin' | 'lps' | 'cred-v2' | 'corrupt' | 'not-a-pse' | 'unsupported';
  message: string;
  /** `landscape`: the system and instance the PSE was collected from. */
  landscape?: { system: string; instance: string };
}

/**
 * `landscape --targets`: one endpoint a system calls, with the PSE the call uses, and (with `--probe`)
 * the chain its server sends today. Read from one line of the targets file.
 */
export interface LandscapeTargetEvent extends EventBase {
  kind: 'landscape-target';
  system: string;
  host: string;
  port: number;
  /** PSE file name the call uses (`SAPSSLC.pse` when the line names none). */
  pse: string;
  /** With `--probe`: the handshake's outcome and the certificates the server sent, leaf first. */
  probe?: {
    ok: boolean;
    /** Why no chain was received (`refused`, `timeout`, …) when `ok` is false. */
    error?: string;
    certificates?: CertificateInfo[];
    durationMs?: number;
  };
}

/** Result of a live probe (see probe/): every handshake attempt, and the trust list it is judged with. */
export interface ProbeEvent extends EventBase {
  kind: 'probe';
  target: { host: string; port: number };
  /** The probe result (`model/probe.ts`); `transcript` holds the numbered lines findings quote. */
  result: ProbeResult & { transcript?: string[] };
  /** The trust list the ICM would use (merged from `--trust` inputs); absent when none was given. */
  trust?: TrustList;
}

/**
 * A chain to verify (`verify`): the certificates the server sends and the lists to judge them with, per
 * verification profile (`sap-icm` with the PSE list, `browser`, `java` with a cacerts-like store).
 */
export interface ChainCheckEvent extends EventBase {
  kind: 'chain-check';
  /** The chain as given, in the order given. */
  chain: CertificateInfo[];
  /** Profiles to judge with; the first is the primary one (its failures are errors). */
  profiles: string[];
  /** The SAP trust list (PSE certificate list) and how to name it. */
  trust: CertificateInfo[];
  trustName: string;
  /** The PSE / STRUST node the trust list stands for, when its name tells. */
  trustPse?: { file?: string; basename?: string; node?: string; context?: string; application?: string };
  /** Host name the SAP system connects to (name check), when given. */
  host?: string;
  javaStore?: CertificateInfo[];
  javaStoreName?: string;
  javaStorePath?: string;
  /** CAs downloaded through AIA (`--fetch-issuers`): they name a missing CA, never make it trusted. */
  fetched?: CertificateInfo[];
}

export type EvidenceEvent =
  | SslFailureEvent
  | SncFailureEvent
  | LibLoadFailureEvent
  | JavaTlsFailureEvent
  | ClientErrorEvent
  | ConnectionFailureEvent
  | InboundCertEvent
  | KerberosFailureEvent
  | MessageEvent
  | SncNameEvent
  | TraceInfoEvent
  | TrustListEvent
  | CertificateFileEvent
  | SapgenpseEvent
  | PseProblemEvent
  | ProbeEvent
  | LandscapeTargetEvent
  | ChainCheckEvent;

export type EvidenceKind = EvidenceEvent['kind'];

/** Pick the event type of one kind. */
export type EventOf<K extends EvidenceKind> = Extract<EvidenceEvent, { kind: K }>;

/** Summary of one input, as it appears in `Report.inputs`. */
export interface InputSummary {
  name: string;
  /** Reader that read it: `icm-trace`, `abap-message`, `pem`, `pse`, `sapgenpse-listing`, … */
  format: string;
  bytes: number;
  lines: number;
  unrecognizedLines: number;
  /** First few unrecognised line numbers (capped), so users can look at them. */
  unrecognizedSample?: number[];
  warnings: string[];
  /**
   * Lines counted but not examined because no failure marker was near them (text readers prefilter
   * large traces at the byte level). `lines - skippedLines` lines were classified.
   */
  skippedLines?: number;
  /** Text encoding the reader used (`utf-8`, `utf-16le`, …), when it is a text reader. */
  encoding?: string;
  /** The format in more detail, in words (`PSE version 2, PIN-protected (pbeWithSHAAnd3-KeyTripleDES-CBC)`). */
  formatDetail?: string;
}

/** Everything the readers extracted from all inputs. Serialisable (`--save-evidence`). */
export interface Evidence {
  inputs: InputSummary[];
  events: EvidenceEvent[];
  /** Raw text of key lines, by `${input}:${line}`, so findings can quote evidence without re-reading inputs. */
  lines: Record<string, string>;
}
