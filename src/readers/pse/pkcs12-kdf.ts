/** @module The PKCS#12 password-based key derivation (RFC 7292 appendix B.2) with SHA-1, as SAP PSEs use it. */
import { createHash } from 'node:crypto';

/** What a derived block is for (RFC 7292 B.3): 1 cipher key, 2 IV, 3 MAC key. */
export type Pkcs12KeyPurpose = 1 | 2 | 3;

/** SHA-1 output size (u) and block size (v) in bytes. */
const U = 20;
const V = 64;

/**
 * The password as RFC 7292 wants it: big-endian BMPString (UTF-16BE) followed by two zero bytes.
 * Characters outside the BMP are encoded as surrogate pairs, which is what UTF-16 does anyway.
 */
export function encodeBmpPassword(pin: string): Buffer {
  const out = Buffer.alloc((pin.length + 1) * 2);
  for (let i = 0; i < pin.length; i++) out.writeUInt16BE(pin.charCodeAt(i), i * 2);
  return out;
}

/** Repeat `data` to fill a multiple of V bytes (empty stays empty). */
function stretch(data: Uint8Array): Buffer {
  if (data.length === 0) return Buffer.alloc(0);
  const out = Buffer.alloc(V * Math.ceil(data.length / V));
  for (let i = 0; i < out.length; i++) out[i] = data[i % data.length] as number;
  return out;
}

/**
 * Derive `length` bytes from `pin` and `salt` with `iterations` rounds of SHA-1 (RFC 7292 B.2).
 * The caller bounds `iterations`; the intermediate buffers are zeroed before returning.
 */
export function derivePkcs12Key(
  pin: string,
  salt: Uint8Array,
  iterations: number,
  purpose: Pkcs12KeyPurpose,
  length: number,
): Buffer {
  const password = encodeBmpPassword(pin);
  const diversifier = Buffer.alloc(V, purpose);
  const input = Buffer.concat([stretch(salt), stretch(password)]);
  const out = Buffer.alloc(length);
  const block = Buffer.alloc(V);
  try {
    for (let produced = 0; produced < length; ) {
      let a = createHash('sha1').update(diversifier).update(input).digest();
      for (let i = 1; i < iterations; i++) a = createHash('sha1').update(a).digest();
      a.copy(out, produced, 0, Math.min(U, length - produced));
      produced += U;
      if (produced >= length) break;
      // I_j = (I_j + B + 1) mod 2^(8v) for every V-byte block of I.
      for (let i = 0; i < V; i++) block[i] = a[i % U] as number;
      for (let j = 0; j < input.length; j += V) {
        let carry = 1;
        for (let k = V - 1; k >= 0; k--) {
          carry += (input[j + k] as number) + (block[k] as number);
          input[j + k] = carry & 0xff;
          carry >>>= 8;
        }
      }
    }
    return out;
  } finally {
    password.fill(0);
    input.fill(0);
    block.fill(0);
  }
}
