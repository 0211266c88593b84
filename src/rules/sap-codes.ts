/**
 * @module SapSSL and ICM code tables rules use to recognise a failure by name *or* number (facts §1, §3).
 *
 * Traces print `SSSLERR_…` or (newer) `SSSLRC_…`; ABAP texts sometimes only the number. Rules compare the
 * short name without prefix (`PEER_CERT_UNTRUSTED`), which `sslCodeOf` derives from either.
 */
import type { ErrorCode, SslFailureEvent } from '../model/evidence.js';
import { ICM_CODES } from '../readers/sap-text/codes.js';

/** SapSSL return codes by number (legacy header plus the newer ones seen in traces). */
export const SSSL_CODES: Record<number, string> = {
  [-1]: 'LIB_NOT_FOUND',
  [-2]: 'INCOMPATIBLE_LIB',
  [-3]: 'LIBINIT_FAILED',
  [-6]: 'INIT_FIRST',
  [-10]: 'CONN_CLOSED',
  [-20]: 'NO_CLIENT_CERT',
  [-22]: 'SAPPARAM_MISSING',
  [-24]: 'BAD_NI_HDL',
  [-25]: 'NO_SSL_REQUEST',
  [-26]: 'HTTP_REQUEST',
  [-27]: 'HTTPS_PROXY_REQUEST',
  [-28]: 'MISSING_TARGET_HOSTNAME',
  [-30]: 'SERVER_CERT_MISMATCH',
  [-31]: 'ROLE_NOT_AVAIL',
  [-40]: 'PSE_ERROR',
  [-42]: 'CRED_NOT_FOUND',
  [-56]: 'SSL_ACCEPT',
  [-57]: 'SSL_CONNECT',
  [-58]: 'SSL_READ',
  [-59]: 'SSL_WRITE',
  [-71]: 'EWOULDBLOCK',
  [-102]: 'PEER_CERT_UNTRUSTED',
  [-122]: 'ALERT_HANDSHAKE_FAILURE',
};

/** ICM client error codes (not HTTP statuses) → constant name; SCLNT_HTTP<nnn> carries the same number. */
export { ICM_CODES };

const ICM_BY_NAME: Record<string, number> = Object.fromEntries(
  Object.entries(ICM_CODES).map(([n, name]) => [name, Number(n)]),
);

/** `SSSLERR_PEER_CERT_UNTRUSTED` / `SSSLRC_…` → `PEER_CERT_UNTRUSTED`; unknown shapes pass through upper-cased. */
export function shortSslName(name: string): string {
  return name.toUpperCase().replace(/^SSSL(?:ERR|RC)_/, '');
}

/** The short SapSSL code of a failure (from its name, else its number), or undefined. */
export function sslCodeOf(ev: Pick<SslFailureEvent, 'error'>): string | undefined {
  if (ev.error?.name && /^SSSL(?:ERR|RC)_/i.test(ev.error.name)) return shortSslName(ev.error.name);
  if (ev.error?.number !== undefined) return SSSL_CODES[ev.error.number];
  return ev.error?.name ? shortSslName(ev.error.name) : undefined;
}

/** The ICM code number of a failure (`icm.number`, or derived from `icm.name`). */
export function icmNumberOf(ev: Pick<SslFailureEvent, 'icm'>): number | undefined {
  if (ev.icm?.number !== undefined) return ev.icm.number;
  if (ev.icm?.name) return ICM_BY_NAME[ev.icm.name.toUpperCase()];
  return undefined;
}

/** The error code to show for a failure: the SapSSL code with its number when known. */
export function displayErrorCode(ev: Pick<SslFailureEvent, 'error'>): ErrorCode | undefined {
  if (!ev.error?.name && ev.error?.number === undefined) return undefined;
  const short = sslCodeOf(ev);
  const name = ev.error?.name ?? (short ? `SSSLERR_${short}` : `SSSL ${ev.error?.number}`);
  const number = ev.error?.number ?? numberOfShort(short);
  return number === undefined ? { name } : { name, number };
}

function numberOfShort(short: string | undefined): number | undefined {
  if (!short) return undefined;
  for (const [n, name] of Object.entries(SSSL_CODES)) if (name === short) return Number(n);
  return undefined;
}

/** The kb id for an SSSL code name: the name as printed, `SSSLRC_CONN_CLOSED` being an alias of SSSLERR. */
export function kbIdOfSsl(short: string | undefined): string | undefined {
  return short ? `SSSLERR_${short}` : undefined;
}
