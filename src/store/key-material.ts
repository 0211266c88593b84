/** @module Recognises private-key material in text that would be stored: PEM, and base64 DER keys without PEM armour. */
import { createPrivateKey } from 'node:crypto';

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/;
/** A run of base64 long enough to hold a key (the shortest, an Ed25519 or X25519 PKCS#8 key, is 64 characters). */
const BASE64_RUN = /[A-Za-z0-9+/]{64,}={0,2}/g;
/**
 * Key-shaped runs given to the key parser per text. Beyond this many, the text is treated as holding a
 * key: a report full of key-shaped blocks is refused rather than half checked (runs that are not
 * key-shaped — certificates, signatures — cost a few bytes of decoding each and are never capped).
 */
const MAX_CANDIDATES = 256;

/** Offset of the content of the DER element at `at`, or undefined when its header is not one. */
function contentAt(der: Uint8Array, at: number): number | undefined {
  const len = der[at + 1];
  if (len === undefined) return undefined;
  if (len < 0x80) return at + 2;
  const n = len & 0x7f;
  return n >= 1 && n <= 4 ? at + 2 + n : undefined;
}

/**
 * The first bytes have a private key's shape: SEQUENCE { INTEGER 0|1 … } (PKCS#8, PKCS#1, SEC1) or
 * SEQUENCE { SEQUENCE { OID … } … } (encrypted PKCS#8). A certificate (SEQUENCE { SEQUENCE { [0] or
 * INTEGER … } }) or a PKCS#7 (SEQUENCE { OID … }) has not.
 */
function keyShaped(head: Uint8Array): boolean {
  if (head[0] !== 0x30) return false;
  const i = contentAt(head, 0);
  if (i === undefined) return false;
  if (head[i] === 0x02 && head[i + 1] === 0x01 && (head[i + 2] === 0x00 || head[i + 2] === 0x01)) return true;
  if (head[i] !== 0x30) return false;
  const j = contentAt(head, i);
  return j !== undefined && head[j] === 0x06;
}

/** True when `der` is a private key (PKCS#8, encrypted PKCS#8, PKCS#1 RSA or SEC1 EC). */
function isPrivateKeyDer(der: Buffer): boolean {
  // Every key structure is a DER SEQUENCE.
  if (der[0] !== 0x30) return false;
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({ key: der, format: 'der', type });
      return true;
    } catch (err) {
      // An encrypted PKCS#8 key parses far enough to ask for its passphrase: still key material.
      if ((err as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE') return true;
    }
  }
  return false;
}

/**
 * True when `text` holds a private key: a PEM block, or base64 of a DER key without armour (as pasted
 * from a key file, possibly wrapped over lines, possibly inside JSON with `\n` escapes).
 */
export function holdsPrivateKey(text: string): boolean {
  if (PEM_PRIVATE_KEY.test(text)) return true;
  // Base64 wrapped over lines (real or JSON-escaped newlines) is joined first; a key wrapped with spaces
  // (a title flattened to one line) is found with all white space removed.
  const lines = text.replace(/\\[nr]|\r?\n/g, '');
  const variants = [lines, lines.replace(/[\t ]+/g, '')];
  let candidates = 0;
  for (const variant of variants) {
    for (const m of variant.matchAll(BASE64_RUN)) {
      // Letters glued in front of the key (`INC-9MIIE…`) shift the base64 grid: try each alignment.
      for (let skip = 0; skip < 4; skip++) {
        // 16 characters decode to the 12 bytes the shape check needs; only key-shaped runs are parsed.
        if (!keyShaped(Buffer.from(m[0].slice(skip, skip + 16), 'base64'))) continue;
        if (++candidates > MAX_CANDIDATES) return true;
        if (isPrivateKeyDer(Buffer.from(m[0].slice(skip), 'base64'))) return true;
      }
    }
  }
  return false;
}
