/**
 * @module The one table of SAP kernel codes: SapSSL return codes (name, number, common) and ICM client
 * codes (`ICM_HTTP_*`, the same number as `SCLNT_HTTP<nnn>`). Readers, the prober, rules and the
 * knowledge-base tests all use it.
 */

/** [name, number (when the API header gives one), seen in real failures]. */
export const SAPSSL: readonly (readonly [string, number | undefined, boolean])[] = [
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

/** ICM codes common in real failures. */
export const COMMON_ICM: ReadonlySet<number> = new Set([
  400, 402, 407, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 426,
]);

// The tables below are built with plain loops: at start-up this code runs once, in V8's interpreter,
// where destructuring each row (`([name, n]) => …`) goes through the iterator protocol.
const SAPSSL_BY_NAME = new Map<string, number | undefined>();
/** SSSL_CODES, filled by the loop. */
const SSSL_BY_NUMBER: Record<number, string> = {};
for (let i = 0; i < SAPSSL.length; i++) {
  const row = SAPSSL[i]!;
  SAPSSL_BY_NAME.set(row[0], row[1]);
  if (row[1] !== undefined) SSSL_BY_NUMBER[row[1]] = row[0].replace(/^SSSLERR_/, '');
}

/** Number of a SapSSL code by name (either prefix), when known. */
export function sapSslNumber(name: string): number | undefined {
  return SAPSSL_BY_NAME.get(name.replace(/^SSSLRC_/, 'SSSLERR_'));
}

/** SapSSL codes by number → the short name without prefix (`-102` → `PEER_CERT_UNTRUSTED`). */
export const SSSL_CODES: Readonly<Record<number, string>> = SSSL_BY_NUMBER;

/** An ICM code as findings cite it (`407` → `{ name: 'ICM_HTTP_SSL_ERROR', number: 407 }`). */
export function icmCode(num: number): { name: string; number: number } {
  const name = ICM_CODES[num];
  if (!name) throw new Error(`no ICM code ${num} in the code table`);
  return { name, number: num };
}

/** A SapSSL code as findings cite it, with its number when the table has one. */
export function sapSslCode(name: string): { name: string; number?: number } {
  const num = sapSslNumber(name);
  if (!SAPSSL_BY_NAME.has(name.replace(/^SSSLRC_/, 'SSSLERR_')))
    throw new Error(`no SapSSL code ${name} in the code table`);
  return num === undefined ? { name } : { name, number: num };
}
