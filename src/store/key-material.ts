/** @module Recognises private-key material in text that would be stored: PEM, and base64 DER keys without PEM armour. */
import { createPrivateKey } from 'node:crypto';

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/;
/** A run of base64 long enough to hold a key (the shortest EC key is about 120 characters). */
const BASE64_RUN = /[A-Za-z0-9+/]{96,}={0,2}/g;
/** Most runs looked at per text, so a huge report cannot make the check slow. */
const MAX_RUNS = 2000;

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
  let runs = 0;
  for (const variant of variants) {
    for (const m of variant.matchAll(BASE64_RUN)) {
      if (++runs > MAX_RUNS) return false;
      // Letters glued in front of the key (`INC-9MIIE…`) shift the base64 grid: try each alignment.
      for (let skip = 0; skip < 4; skip++) {
        if (isPrivateKeyDer(Buffer.from(m[0].slice(skip), 'base64'))) return true;
      }
    }
  }
  return false;
}
