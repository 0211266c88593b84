/**
 * @module The codes the text readers recognise by name: SapSSL return codes, ICM client codes, SNC/GSS,
 * DL loader, NI, TLS alerts, messages, Java/HANA/browser codes. The KB must explain every `kbId` here.
 */

/** Families of codes, so the KB and rules can tell them apart. */
export type CodeFamily =
  | 'sapssl'
  | 'icm'
  | 'snc'
  | 'gss-minor'
  | 'dl'
  | 'ni'
  | 'tls-alert'
  | 'message'
  | 'java'
  | 'hana'
  | 'browser';

/** A code a reader may put into an event. */
export interface KnownCode {
  /** Knowledge-base id (the constant name as SAP prints it, or the house id for alerts/messages). */
  kbId: string;
  family: CodeFamily;
  /** Numeric value when known (SapSSL: negative; ICM: the 4xx code). */
  number?: number;
  /** Other spellings that mean the same (`SSSLRC_CONN_CLOSED`, `SCLNT_HTTP407`). */
  aliases?: string[];
  /** Seen in real failures (as opposed to programming / debug-only codes of the API header). */
  common: boolean;
}

const SAPSSL: [string, number | undefined, boolean][] = [
  ['SSSLERR_LIB_NOT_FOUND', -1, true],
  ['SSSLERR_INCOMPATIBLE_LIB', -2, true],
  ['SSSLERR_LIBINIT_FAILED', -3, true],
  ['SSSLERR_OUT_OF_MEMORY', -4, false],
  ['SSSLERR_FUNC_ARGS', -5, false],
  ['SSSLERR_INIT_FIRST', -6, true],
  ['SSSLERR_NOT_YET_IMPLEMENTED', -7, false],
  ['SSSLERR_INTERNAL_BUG', -8, false],
  ['SSSLERR_UNKNOWN_BEHAVIOUR', -9, false],
  ['SSSLERR_CONN_CLOSED', -10, true],
  ['SSSLERR_SERVER_ONLY', -11, false],
  ['SSSLERR_CLIENT_ONLY', -12, false],
  ['SSSLERR_NO_CONTEXT_YET', -13, false],
  ['SSSLERR_BAD_SSSL_HDL', -14, false],
  ['SSSLERR_BAD_AUTH_TYPE', -15, false],
  ['SSSLERR_BAD_ROLE', -16, false],
  ['SSSLERR_SESSION_NOT_STARTED', -17, false],
  ['SSSLERR_SESSION_ALREADY_STARTED', -18, false],
  ['SSSLERR_PEER_INFO_FAILED', -19, false],
  ['SSSLERR_NO_CLIENT_CERT', -20, true],
  ['SSSLERR_NO_SERVER_CERT', -21, false],
  ['SSSLERR_SAPPARAM_MISSING', -22, true],
  ['SSSLERR_NEED_NI_HDL', -23, false],
  ['SSSLERR_BAD_NI_HDL', -24, false],
  ['SSSLERR_NO_SSL_REQUEST', -25, true],
  ['SSSLERR_HTTP_REQUEST', -26, true],
  ['SSSLERR_HTTPS_PROXY_REQUEST', -27, true],
  ['SSSLERR_MISSING_TARGET_HOSTNAME', -28, false],
  ['SSSLERR_THREAD_MALFUNCT', -29, false],
  ['SSSLERR_SERVER_CERT_MISMATCH', -30, true],
  ['SSSLERR_ROLE_NOT_AVAIL', -31, true],
  ['SSSLERR_PSE_ERROR', -40, true],
  ['SSSLERR_FILENAME_TRUNCATED', -41, false],
  ['SSSLERR_CRED_NOT_FOUND', -42, true],
  ['SSSLERR_NOT_SUPPORTED_BY_SECUDE', -43, false],
  ['SSSLERR_NOT_IMPLEMENTED_SERVER', -44, false],
  ['SSSLERR_NOT_IMPLEMENTED_CLIENT', -45, false],
  ['SSSLERR_CERT_FILE', -50, false],
  ['SSSLERR_PRIVKEY_FILE', -51, false],
  ['SSSLERR_CERT_PRIVKEY_MISMATCH', -52, false],
  ['SSSLERR_SSL_SET_SSL_METHOD', -53, false],
  ['SSSLERR_SSLCTX_NEW', -54, false],
  ['SSSLERR_SSL_NEW', -55, false],
  ['SSSLERR_SSL_ACCEPT', -56, true],
  ['SSSLERR_SSL_CONNECT', -57, true],
  ['SSSLERR_SSL_READ', -58, true],
  ['SSSLERR_SSL_WRITE', -59, true],
  ['SSSLERR_EWOULDBLOCK', -71, true],
  ['SSSLERR_BAD_X500DN_IN_CERT', -80, false],
  ['SSSLERR_PEER_CERT_UNTRUSTED', -102, true],
  ['SSSLERR_ALERT_HANDSHAKE_FAILURE', -122, true],
  ['SSSLERR_PEER_CERT_EXPIRED', undefined, true],
  ['SSSLERR_ALERT_PROTOCOL_VERSION', undefined, true],
];

/** ICM client error codes (not HTTP statuses; SCLNT_HTTP<n> is the same number). */
export const ICM_CODES: Readonly<Record<number, string>> = {
  400: 'ICM_HTTP_CONNECTION_FAILED',
  401: 'ICM_HTTP_CONNECTION_BROKEN',
  402: 'ICM_HTTP_TIMEOUT',
  403: 'ICM_HTTP_SERVICE_UNAVAILABLE',
  404: 'ICM_HTTP_NO_MORE_MEMORY',
  405: 'ICM_HTTP_INTERNAL_ERROR',
  406: 'ICM_HTTP_NO_PERMISSION',
  407: 'ICM_HTTP_SSL_ERROR',
  408: 'ICM_HTTP_SSLPROXY_ERROR',
  409: 'ICM_HTTP_NOT_FOUND',
  410: 'ICM_HTTP_UNAUTHORIZED',
  411: 'ICM_HTTP_CONNECTION_REFUSED',
  412: 'ICM_HTTP_PROXY_CONN_REFUSED',
  413: 'ICM_HTTP_PROXY_HOST_UNKNOWN',
  414: 'ICM_HTTP_SSL_CRED_NOT_FOUND',
  415: 'ICM_HTTP_SSL_CERT_MISMATCH',
  416: 'ICM_HTTP_PROXY_UNAUTHORIZED',
  417: 'ICM_HTTP_HOST_UNKNOWN',
  418: 'ICM_HTTP_SSL_PEER_CERT_EXPIRED',
  421: 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED',
  426: 'ICM_HTTP_PROXY_HTTP_ERROR',
};

/** ICM codes about TLS itself; the others are network or proxy level. */
export const ICM_SSL_NUMBERS: ReadonlySet<number> = new Set([407, 408, 414, 415, 418, 421]);

const COMMON_ICM = new Set([400, 402, 407, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 426]);

/** TLS alert descriptions as CommonCryptoLib prints them → alert number (RFC 8446 / 5246). */
export const TLS_ALERTS: Readonly<Record<string, number>> = {
  'close notify': 0,
  'unexpected message': 10,
  'bad record mac': 20,
  'record overflow': 22,
  'handshake failure': 40,
  'bad certificate': 42,
  'unsupported certificate': 43,
  'certificate revoked': 44,
  'certificate expired': 45,
  'certificate unknown': 46,
  'illegal parameter': 47,
  'unknown ca': 48,
  'access denied': 49,
  'decode error': 50,
  'decrypt error': 51,
  'protocol version': 70,
  'insufficient security': 71,
  'internal error': 80,
  'inappropriate fallback': 86,
  'user canceled': 90,
  'missing extension': 109,
  'unsupported extension': 110,
  'unrecognized name': 112,
  'bad certificate status response': 113,
  'unknown psk identity': 115,
  'certificate required': 116,
  'no application protocol': 120,
};

/** KB id of a TLS alert description (`certificate unknown` → `TLS_ALERT_CERTIFICATE_UNKNOWN`). */
export function tlsAlertKbId(description: string): string {
  return `TLS_ALERT_${description
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')}`;
}

const COMMON_ALERTS = new Set([
  'handshake failure',
  'bad certificate',
  'certificate expired',
  'certificate unknown',
  'unknown ca',
  'protocol version',
  'internal error',
  'unrecognized name',
  'certificate required',
  'decrypt error',
  'illegal parameter',
  'insufficient security',
  'access denied',
  'unsupported certificate',
  'certificate revoked',
]);

/** SNC error names seen in traces. */
export const SNC_CODES: readonly string[] = [
  'SNCERR_GSSAPI',
  'SNCERR_INIT',
  'SNCERR_UNKNOWN_MECH',
  'SNCERR_INVALID_NAME',
  'SNCERR_BAD_NT_PREFIX',
];

/** GSS-API minor status codes of CommonCryptoLib with the text it prints. */
export const GSS_MINOR_CODES: Readonly<Record<string, string>> = {
  A2200019: 'Operation aborted by user or application',
  A2200210: 'Peer certificate verification failed',
  A2210210: 'Verification of own certificate failed',
  A2200202: 'Actual server name differs',
  A2210223: 'Server does not trust my certificate path',
};

/** Browser (Firefox/NSS, Chrome) TLS error codes. OpenSSL's SSL_ERROR_SSL/SYSCALL/WANT_* are not among them. */
export const BROWSER_CODES: Readonly<Record<string, BrowserProblem>> = {
  SSL_ERROR_HANDSHAKE_FAILURE_ALERT: 'handshake-failure',
  SSL_ERROR_NO_CYPHER_OVERLAP: 'handshake-failure',
  SSL_ERROR_UNSUPPORTED_VERSION: 'protocol-version',
  SSL_ERROR_PROTOCOL_VERSION_ALERT: 'protocol-version',
  SSL_ERROR_BAD_CERT_DOMAIN: 'hostname',
  SSL_ERROR_RX_RECORD_TOO_LONG: 'other',
  SSL_ERROR_BAD_CERT_ALERT: 'untrusted',
  SSL_ERROR_UNKNOWN_CA_ALERT: 'untrusted',
  SSL_ERROR_CERTIFICATE_UNKNOWN_ALERT: 'untrusted',
  SSL_ERROR_INAPPROPRIATE_FALLBACK_ALERT: 'protocol-version',
  SEC_ERROR_UNKNOWN_ISSUER: 'untrusted',
  SEC_ERROR_UNTRUSTED_ISSUER: 'untrusted',
  SEC_ERROR_EXPIRED_CERTIFICATE: 'expired',
  SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE: 'expired',
  MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT: 'untrusted',
  ERR_CERT_AUTHORITY_INVALID: 'untrusted',
  ERR_CERT_COMMON_NAME_INVALID: 'hostname',
  ERR_CERT_DATE_INVALID: 'expired',
  ERR_SSL_PROTOCOL_ERROR: 'handshake-failure',
  ERR_SSL_VERSION_OR_CIPHER_MISMATCH: 'protocol-version',
  ERR_BAD_SSL_CLIENT_AUTH_CERT: 'other',
};

export type BrowserProblem =
  | 'untrusted'
  | 'handshake-failure'
  | 'protocol-version'
  | 'hostname'
  | 'expired'
  | 'other';

/** NI (network interface) error names that mean a TCP-level failure. */
export const NI_CODES: Readonly<Record<string, 'refused' | 'reset' | 'timeout' | 'host-unknown' | 'other'>> =
  {
    NIECONN_REFUSED: 'refused',
    NIECONN_BROKEN: 'reset',
    NIETIMEOUT: 'timeout',
    NIEHOST_UNKNOWN: 'host-unknown',
    NIESERV_UNKNOWN: 'other',
    NIECONN_PENDING: 'other',
  };

function build(): KnownCode[] {
  const out: KnownCode[] = [];
  for (const [name, number, common] of SAPSSL) {
    const code: KnownCode = { kbId: name, family: 'sapssl', common };
    if (number !== undefined) code.number = number;
    if (name === 'SSSLERR_CONN_CLOSED') code.aliases = ['SSSLRC_CONN_CLOSED'];
    out.push(code);
  }
  for (const [num, name] of Object.entries(ICM_CODES)) {
    out.push({
      kbId: name,
      family: 'icm',
      number: Number(num),
      aliases: [`SCLNT_HTTP${num}`],
      common: COMMON_ICM.has(Number(num)),
    });
  }
  for (const name of SNC_CODES) out.push({ kbId: name, family: 'snc', common: true });
  for (const code of Object.keys(GSS_MINOR_CODES))
    out.push({ kbId: code, family: 'gss-minor', common: true });
  out.push({ kbId: 'DLENOACCESS', family: 'dl', common: true });
  for (const name of Object.keys(NI_CODES))
    out.push({ kbId: name, family: 'ni', common: name === 'NIECONN_REFUSED' || name === 'NIEHOST_UNKNOWN' });
  for (const [desc, num] of Object.entries(TLS_ALERTS))
    out.push({ kbId: tlsAlertKbId(desc), family: 'tls-alert', number: num, common: COMMON_ALERTS.has(desc) });
  out.push({ kbId: 'WSS040', family: 'message', common: true });
  out.push({ kbId: 'PKIX_PATH_BUILDING_FAILED', family: 'java', common: true });
  out.push({ kbId: 'RTE_300010', family: 'hana', number: 300010, common: true });
  for (const name of Object.keys(BROWSER_CODES))
    out.push({
      kbId: name,
      family: 'browser',
      common: name === 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT' || name.startsWith('ERR_CERT_'),
    });
  return out;
}

/**
 * Every code the text readers recognise by name. Events carry these names in `error.name`,
 * `icm.name`, `code`, `gssMinor.code` or (alerts) `alert.description` → `tlsAlertKbId()`.
 */
export const KNOWN_CODES: readonly KnownCode[] = build();

const SAPSSL_BY_NAME = new Map(SAPSSL.map(([n, v]) => [n, v]));

/** Number of a SapSSL code by name (either prefix), when known. */
export function sapSslNumber(name: string): number | undefined {
  return SAPSSL_BY_NAME.get(name.replace(/^SSSLRC_/, 'SSSLERR_'));
}
