/**
 * @module Telling a PSE file from its first bytes and name: light on purpose (no ASN.1 parser, no
 * crypto), so the reader registry can sniff every input and load the PSE reader only for a PSE.
 */

/** Versions with a high byte set are LPS-protected (Local Protection Service: key bound to the host). */
export function isLpsVersion(version: number): boolean {
  return version >= 0x100 && version <= 0xffff;
}

/**
 * Does `head` start like a PSE container? Checks only the first bytes (a SEQUENCE holding a small
 * INTEGER version, then a SEQUENCE, [0] or [3]), so it works on a cut-off head.
 */
export function looksLikePseContainer(head: Uint8Array): boolean {
  if (head.length < 8 || head[0] !== 0x30) return false;
  let i = 1;
  const first = head[i] as number;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n < 1 || n > 4) return false;
    i += 1 + n;
  } else i += 1;
  if (head[i] !== 0x02) return false;
  const vlen = head[i + 1] as number;
  if (vlen < 1 || vlen > 2) return false;
  let version = 0;
  for (let k = 0; k < vlen; k++) version = version * 256 + (head[i + 2 + k] as number);
  const next = head[i + 2 + vlen];
  if (version === 2 || version === 4) return next === 0x30 || next === 0xa0 || next === 0xa3;
  return isLpsVersion(version) && next !== undefined;
}

/** Is this file name the SSO credential file next to the PSEs? */
export function isCredV2Name(name: string): boolean {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  return /^cred_v2$/i.test(base);
}

/** How well a head and name fit the PSE reader (see Reader.sniff): PSE files (v2/v4) and `cred_v2`. */
export function sniffPse(head: Buffer, name: string): number {
  if (looksLikePseContainer(head)) return 0.95;
  if (isCredV2Name(name)) return 0.9;
  if (/\.pse$/i.test(name)) return head[0] === 0x30 ? 0.6 : 0.4;
  return 0;
}
