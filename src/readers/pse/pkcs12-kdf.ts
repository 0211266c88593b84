/** @module The PKCS#12 key derivation (RFC 7292 appendix B.2) as SAP PSEs use it: SHA-1, the PIN as a BMPString. */
import { derivePkcs12Key as deriveWithHash } from '../x509/pbe.js';

/** What a derived block is for (RFC 7292 B.3): 1 cipher key, 2 IV, 3 MAC key. */
export type Pkcs12KeyPurpose = 1 | 2 | 3;

/**
 * The password as RFC 7292 wants it: big-endian BMPString (UTF-16BE) followed by two zero bytes.
 * Characters outside the BMP are encoded as surrogate pairs, which is what UTF-16 does anyway.
 */
export function encodeBmpPassword(pin: string): Buffer {
  const out = Buffer.alloc((pin.length + 1) * 2);
  for (let i = 0; i < pin.length; i++) out.writeUInt16BE(pin.charCodeAt(i), i * 2);
  return out;
}

/**
 * Derive `length` bytes from `pin` and `salt` with `iterations` rounds of SHA-1 (RFC 7292 B.2), with the
 * one KDF implementation the PKCS#12 reader uses too. The caller bounds `iterations`; the encoded PIN is
 * zeroed before returning.
 */
export function derivePkcs12Key(
  pin: string,
  salt: Uint8Array,
  iterations: number,
  purpose: Pkcs12KeyPurpose,
  length: number,
): Buffer {
  const password = encodeBmpPassword(pin);
  try {
    return deriveWithHash('sha1', password, salt, purpose, iterations, length);
  } finally {
    password.fill(0);
  }
}
