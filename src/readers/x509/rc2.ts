/**
 * @module RC2-CBC decryption (RFC 2268), only to open the certificate bags of legacy PKCS#12 files.
 *
 * OpenSSL 1.x (and OpenSSL 3 with `-legacy`) encrypts the certificates of a `.p12` with
 * pbeWithSHAAnd40BitRC2-CBC by default, and Node's OpenSSL 3 no longer ships RC2. Certificates are public
 * data; this cipher is never used for keys (shrouded key bags are skipped, not decrypted).
 */

// The RFC 2268 permutation table, derived from the digits of pi.
const PITABLE = Uint8Array.from(
  Buffer.from(
    'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e8254d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb6266fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed708e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
      '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad',
    'hex',
  ),
);

/** Expand `key` to the 64 16-bit subkeys for `effectiveBits` (RFC 2268 §2). */
export function expandRc2Key(key: Uint8Array, effectiveBits: number): Uint16Array {
  const t = key.length;
  if (t < 1 || t > 128) throw new Error('RC2 key must be 1..128 bytes');
  const l = new Uint8Array(128);
  l.set(key);
  for (let i = t; i < 128; i++) l[i] = PITABLE[(l[i - 1]! + l[i - t]!) & 0xff]!;
  const t8 = (effectiveBits + 7) >> 3;
  const tm = 0xff >> (8 * t8 - effectiveBits);
  l[128 - t8] = PITABLE[l[128 - t8]! & tm]!;
  for (let i = 127 - t8; i >= 0; i--) l[i] = PITABLE[l[i + 1]! ^ l[i + t8]!]!;
  const k = new Uint16Array(64);
  for (let i = 0; i < 64; i++) k[i] = l[2 * i]! | (l[2 * i + 1]! << 8);
  return k;
}

function ror16(x: number, s: number): number {
  return ((x >>> s) | (x << (16 - s))) & 0xffff;
}

const SHIFTS = [1, 2, 3, 5];

/** Decrypt one 8-byte block (ECB), for the RFC 2268 test vectors. */
export function decryptRc2Block(key: Uint8Array, effectiveBits: number, block: Uint8Array): Uint8Array {
  const out = new Uint8Array(8);
  decryptBlock(expandRc2Key(key, effectiveBits), block, out);
  return out;
}

/** Decrypt one 8-byte block into `out`. */
function decryptBlock(k: Uint16Array, block: Uint8Array, out: Uint8Array): void {
  const r = [
    block[0]! | (block[1]! << 8),
    block[2]! | (block[3]! << 8),
    block[4]! | (block[5]! << 8),
    block[6]! | (block[7]! << 8),
  ];
  let j = 63;
  const mixRound = () => {
    for (let i = 3; i >= 0; i--) {
      r[i] = ror16(r[i]!, SHIFTS[i]!);
      r[i] =
        (r[i]! - k[j--]! - (r[(i + 3) & 3]! & r[(i + 2) & 3]!) - (~r[(i + 3) & 3]! & r[(i + 1) & 3]!)) &
        0xffff;
    }
  };
  const mashRound = () => {
    for (let i = 3; i >= 0; i--) r[i] = (r[i]! - k[r[(i + 3) & 3]! & 63]!) & 0xffff;
  };
  for (let n = 0; n < 5; n++) mixRound();
  mashRound();
  for (let n = 0; n < 6; n++) mixRound();
  mashRound();
  for (let n = 0; n < 5; n++) mixRound();
  for (let i = 0; i < 4; i++) {
    out[2 * i] = r[i]! & 0xff;
    out[2 * i + 1] = r[i]! >> 8;
  }
}

/** Decrypt RC2-CBC data and strip PKCS#7 padding; throws on bad length or padding. */
export function decryptRc2Cbc(
  key: Uint8Array,
  effectiveBits: number,
  iv: Uint8Array,
  data: Uint8Array,
): Buffer {
  if (data.length === 0 || data.length % 8 !== 0)
    throw new Error('RC2 ciphertext length is not a multiple of 8');
  if (iv.length !== 8) throw new Error('RC2 IV must be 8 bytes');
  const k = expandRc2Key(key, effectiveBits);
  const out = Buffer.alloc(data.length);
  const plain = new Uint8Array(8);
  let prev: Uint8Array = iv;
  for (let off = 0; off < data.length; off += 8) {
    const block = data.subarray(off, off + 8);
    decryptBlock(k, block, plain);
    for (let i = 0; i < 8; i++) out[off + i] = plain[i]! ^ prev[i]!;
    prev = block;
  }
  const pad = out[out.length - 1]!;
  if (pad < 1 || pad > 8) throw new Error('bad padding');
  for (let i = out.length - pad; i < out.length; i++) if (out[i] !== pad) throw new Error('bad padding');
  return out.subarray(0, out.length - pad);
}
