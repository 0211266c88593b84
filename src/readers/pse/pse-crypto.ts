/**
 * @module PIN protection of PSE files: the PKCS#12 PBE scheme (SHA-1 key derivation, 3DES-CBC), the v2 PIN
 * check value and the v4 content digest. Keys, IVs and plaintext are wiped as soon as they are used.
 */
import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { derivePkcs12Key } from './pkcs12-kdf.js';

/** PKCS#12 PBE algorithms (RFC 7292 appendix C) that map to a cipher in Node's default OpenSSL provider. */
export const PBE_ALGORITHMS: Record<
  string,
  { name: string; cipher: string; keyLength: number; ivLength: number }
> = {
  '1.2.840.113549.1.12.1.3': {
    name: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
    cipher: 'des-ede3-cbc',
    keyLength: 24,
    ivLength: 8,
  },
  '1.2.840.113549.1.12.1.4': {
    name: 'pbeWithSHAAnd2-KeyTripleDES-CBC',
    cipher: 'des-ede-cbc',
    keyLength: 16,
    ivLength: 8,
  },
};

/** Names of PBE schemes pse-doctor knows but cannot decrypt, for precise messages. */
export const KNOWN_UNSUPPORTED_PBE: Record<string, string> = {
  '1.2.840.113549.1.12.1.1': 'pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.12.1.5': 'pbeWithSHAAnd128BitRC2-CBC',
  '1.2.840.113549.1.12.1.6': 'pbewithSHAAnd40BitRC2-CBC',
  '1.2.840.113549.1.5.13': 'PBES2',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
};

/**
 * Highest iteration count accepted. sapgenpse writes 10 000; the cap keeps a damaged or hostile file from
 * turning the key derivation into a hang.
 */
export const MAX_PBE_ITERATIONS = 1_000_000;

/** PBE parameters from an AlgorithmIdentifier. */
export interface PbeParameters {
  oid: string;
  salt: Uint8Array;
  iterations: number;
}

/** Key and IV for one PIN; call `wipe()` when done. */
export interface PbeKey {
  key: Buffer;
  iv: Buffer;
  cipher: string;
  wipe(): void;
}

/** Derive the cipher key and IV for `pin` (the parameters must name a supported algorithm). */
export function derivePbeKey(pin: string, params: PbeParameters): PbeKey {
  const alg = PBE_ALGORITHMS[params.oid];
  if (!alg) throw new Error(`unsupported PBE algorithm ${params.oid}`);
  const key = derivePkcs12Key(pin, params.salt, params.iterations, 1, alg.keyLength);
  const iv = derivePkcs12Key(pin, params.salt, params.iterations, 2, alg.ivLength);
  return {
    key,
    iv,
    cipher: alg.cipher,
    wipe() {
      key.fill(0);
      iv.fill(0);
    },
  };
}

/** CBC-encrypt with PKCS#7 padding. */
export function encryptBlock(k: PbeKey, data: Uint8Array): Buffer {
  const c = createCipheriv(k.cipher, k.key, k.iv);
  return Buffer.concat([c.update(data), c.final()]);
}

/** CBC-decrypt with PKCS#7 padding; undefined when the padding is wrong (wrong key or damaged data). */
export function decryptBlock(k: PbeKey, data: Uint8Array): Buffer | undefined {
  if (data.length === 0 || data.length % 8 !== 0) return undefined;
  const d = createDecipheriv(k.cipher, k.key, k.iv);
  try {
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    return undefined;
  }
}

/**
 * Decrypt only the first cipher block (no padding check): enough to see whether the plaintext starts
 * like DER before paying for the whole decryption.
 */
export function decryptFirstBlock(k: PbeKey, data: Uint8Array): Buffer | undefined {
  if (data.length < 8) return undefined;
  const d = createDecipheriv(k.cipher, k.key, k.iv);
  d.setAutoPadding(false);
  return d.update(data.subarray(0, 8));
}

/**
 * The v2 PIN check value is the PIN itself, encrypted with the same key and IV as the content
 * (verified against sapgenpse-made files: the ASCII PIN, PKCS#7-padded, 3DES-CBC). Non-ASCII PINs are
 * tried as UTF-8 and as Latin-1, since the encoding SAP uses for them is not known.
 */
export function matchesPinCheck(k: PbeKey, pin: string, check: Uint8Array): boolean {
  const encodings = /^[\x20-\x7e]*$/.test(pin)
    ? [Buffer.from(pin, 'latin1')]
    : [Buffer.from(pin, 'utf8'), Buffer.from(pin, 'latin1')];
  for (const plain of encodings) {
    const expected = encryptBlock(k, plain);
    plain.fill(0);
    if (expected.length === check.length && timingSafeEqual(expected, check)) return true;
  }
  return false;
}

/** SHA-1 of the v4 plaintext content, compared with the trailing 20-byte digest. */
export function matchesContentDigest(plaintext: Uint8Array, digest: Uint8Array): boolean {
  const actual = createHash('sha1').update(plaintext).digest();
  return digest.length === actual.length && timingSafeEqual(actual, digest);
}
