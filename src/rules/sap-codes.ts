/**
 * @module SapSSL and ICM code tables rules use to recognise a failure by name *or* number (facts §1, §3).
 *
 * Traces print `SSSLERR_…` or (newer) `SSSLRC_…`; ABAP texts sometimes only the number. Rules compare the
 * short name without prefix (`PEER_CERT_UNTRUSTED`), which `sslCodeOf` derives from either.
 */

import { ICM_CODES, SSSL_CODES } from '../codes/sap-codes.js';
import type { ErrorCode, SslFailureEvent } from '../model/evidence.js';
import { memoPerRun } from './run-memo.js';

/** SapSSL return codes by number → short name (from the one code table in `src/codes`). */
/** ICM client error codes (not HTTP statuses) → constant name; SCLNT_HTTP<nnn> carries the same number. */
export { ICM_CODES, SSSL_CODES };

const ICM_BY_NAME: Record<string, number> = {};
const icmNumbers = Object.keys(ICM_CODES);
for (let i = 0; i < icmNumbers.length; i++) {
  const n = Number(icmNumbers[i]);
  ICM_BY_NAME[ICM_CODES[n]!] = n;
}

/** `SSSLERR_PEER_CERT_UNTRUSTED` / `SSSLRC_…` → `PEER_CERT_UNTRUSTED`; unknown shapes pass through upper-cased. */
export function shortSslName(name: string): string {
  return name.toUpperCase().replace(/^SSSL(?:ERR|RC)_/, '');
}

/** The short SapSSL code of a failure (from its name, else its number), or undefined. */
export const sslCodeOf: (ev: Pick<SslFailureEvent, 'error'>) => string | undefined = memoPerRun(
  (ev: Pick<SslFailureEvent, 'error'>): string | undefined => {
    if (ev.error?.name && /^SSSL(?:ERR|RC)_/i.test(ev.error.name)) return shortSslName(ev.error.name);
    if (ev.error?.number !== undefined) return SSSL_CODES[ev.error.number];
    return ev.error?.name ? shortSslName(ev.error.name) : undefined;
  },
);

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
