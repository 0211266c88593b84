/**
 * @module Password-based decryption and MAC for PKCS#12: the RFC 7292 appendix B key derivation,
 * pbeWithSHAAnd* (3DES, 2-key 3DES, RC2), PBES2 (PBKDF2 + AES-CBC / 3DES-CBC) and the PFX MAC.
 * Iteration counts are capped so a hostile file cannot make us spin for minutes.
 */
import { createDecipheriv, createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { childrenOf, DerError, expectUniversal, octetsOf, oidOf, smallIntOf, TAG, walkDer } from './der.js';
import { decryptRc2Cbc } from './rc2.js';

/** Highest iteration count we derive keys for; real files use 1 … 600 000. */
export const MAX_ITERATIONS = 1_000_000;

/** Why decryption or a MAC check could not be done. */
export class PbeError extends Error {
  constructor(
    readonly kind: 'unsupported' | 'too-many-iterations' | 'decrypt-failed' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'PbeError';
  }
}

export const OID = {
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
} as const;

const HASHES: Record<string, { name: string; block: number; size: number }> = {
  [OID.sha1]: { name: 'sha1', block: 64, size: 20 },
  [OID.sha224]: { name: 'sha224', block: 64, size: 28 },
  [OID.sha256]: { name: 'sha256', block: 64, size: 32 },
  [OID.sha384]: { name: 'sha384', block: 128, size: 48 },
  [OID.sha512]: { name: 'sha512', block: 128, size: 64 },
};

/** pbeWithSHAAnd* (RFC 7292 appendix C): cipher, key length, effective bits for RC2. */
const PKCS12_PBE: Record<
  string,
  { name: string; cipher: string; keyLength: number; ivLength: number; rc2Bits?: number }
> = {
  '1.2.840.113549.1.12.1.1': { name: 'pbeWithSHAAnd128BitRC4', cipher: 'rc4', keyLength: 16, ivLength: 0 },
  '1.2.840.113549.1.12.1.2': { name: 'pbeWithSHAAnd40BitRC4', cipher: 'rc4', keyLength: 5, ivLength: 0 },
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
  '1.2.840.113549.1.12.1.5': {
    name: 'pbeWithSHAAnd128BitRC2-CBC',
    cipher: 'rc2',
    keyLength: 16,
    ivLength: 8,
    rc2Bits: 128,
  },
  '1.2.840.113549.1.12.1.6': {
    name: 'pbeWithSHAAnd40BitRC2-CBC',
    cipher: 'rc2',
    keyLength: 5,
    ivLength: 8,
    rc2Bits: 40,
  },
};

const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

const PBKDF2_PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

/** A password in the two encodings PKCS#12 uses: BMPString (PKCS#12 KDF) and UTF-8 (PBKDF2). */
export interface PasswordForms {
  bmp: Buffer;
  utf8: Buffer;
}

/** Encode a password: big-endian UTF-16 with a two-byte zero terminator, and plain UTF-8. */
export function passwordForms(password: string): PasswordForms {
  const le = Buffer.from(`${password}\0`, 'utf16le');
  const bmp = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    bmp[i] = le[i + 1]!;
    bmp[i + 1] = le[i]!;
  }
  return { bmp, utf8: Buffer.from(password, 'utf8') };
}

function checkIterations(iterations: number, what: string): void {
  if (!Number.isFinite(iterations) || iterations < 1)
    throw new PbeError('malformed', `${what}: bad iteration count`);
  if (iterations > MAX_ITERATIONS) {
    throw new PbeError(
      'too-many-iterations',
      `${what} asks for ${Number.isFinite(iterations) ? iterations : 'an enormous number of'} iterations; pse-doctor stops at ${MAX_ITERATIONS} so a hostile file cannot stall it`,
    );
  }
}

/**
 * RFC 7292 appendix B.2 key derivation. `id` 1 = key, 2 = IV, 3 = MAC key.
 */
export function derivePkcs12Key(
  hashName: string,
  password: Uint8Array,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
): Buffer {
  const hash = Object.values(HASHES).find((h) => h.name === hashName);
  if (!hash)
    throw new PbeError('unsupported', `hash ${hashName} is not supported for PKCS#12 key derivation`);
  checkIterations(iterations, 'PKCS#12 key derivation');
  const v = hash.block;
  const u = hash.size;
  const d = Buffer.alloc(v, id);
  const fill = (src: Uint8Array) => {
    if (src.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const i = Buffer.concat([fill(salt), fill(password)]);
  const blocks = Math.ceil(length / u);
  const out: Buffer[] = [];
  for (let c = 0; c < blocks; c++) {
    let a = createHash(hash.name).update(d).update(i).digest();
    for (let r = 1; r < iterations; r++) a = createHash(hash.name).update(a).digest();
    out.push(a);
    if (c === blocks - 1) break;
    const b = Buffer.alloc(v);
    for (let k = 0; k < v; k++) b[k] = a[k % u]!;
    // I_j = (I_j + B + 1) mod 2^(8v), for each v-byte block of I.
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[j + k]! + b[k]! + carry;
        i[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  const key = Buffer.concat(out).subarray(0, length);
  // The stretched input holds the password: do not leave it in memory longer than the derivation.
  i.fill(0);
  return key;
}

/** An AlgorithmIdentifier taken apart: OID and the raw DER of its parameters (if any). */
export interface AlgorithmId {
  oid: string;
  params?: Uint8Array;
}

/** Read an AlgorithmIdentifier element. */
export function readAlgorithmId(buf: Uint8Array, tlv: ReturnType<typeof walkDer>): AlgorithmId {
  const [oidTlv, paramsTlv] = childrenOf(buf, expectUniversal(tlv, TAG.SEQUENCE, 'AlgorithmIdentifier'));
  const oid = oidOf(buf, expectUniversal(oidTlv, TAG.OID, 'algorithm OID'));
  return paramsTlv ? { oid, params: buf.subarray(paramsTlv.start, paramsTlv.end) } : { oid };
}

/** Human name of an encryption algorithm OID, for messages and warnings. */
export function describeEncryption(alg: AlgorithmId): string {
  const pbe = PKCS12_PBE[alg.oid];
  if (pbe) return pbe.name;
  if (alg.oid === OID.pbes2 && alg.params) {
    try {
      const { cipher, prf } = readPbes2(alg.params);
      return `PBES2 (PBKDF2-HMAC-${prf.toUpperCase()}, ${cipher.name.toUpperCase()})`;
    } catch {
      return 'PBES2';
    }
  }
  return alg.oid;
}

function readPbes2(params: Uint8Array) {
  const top = walkDer(params);
  const [kdfTlv, encTlv] = childrenOf(params, expectUniversal(top, TAG.SEQUENCE, 'PBES2 parameters'));
  if (!kdfTlv || !encTlv) throw new PbeError('malformed', 'PBES2 parameters are incomplete');
  const kdf = readAlgorithmId(params, kdfTlv);
  if (kdf.oid !== OID.pbkdf2 || !kdf.params)
    throw new PbeError('unsupported', `PBES2 key derivation ${kdf.oid} is not supported (only PBKDF2)`);
  const kp = kdf.params;
  const kdfParts = childrenOf(kp, expectUniversal(walkDer(kp), TAG.SEQUENCE, 'PBKDF2 parameters'));
  const salt = octetsOf(kp, expectUniversal(kdfParts[0], TAG.OCTET_STRING, 'PBKDF2 salt'));
  const iterations = smallIntOf(
    kp,
    expectUniversal(kdfParts[1], TAG.INTEGER, 'PBKDF2 iteration count'),
    2 ** 40,
  );
  let keyLength: number | undefined;
  let prf = 'sha1';
  for (const part of kdfParts.slice(2)) {
    if (part.tagClass === 0 && part.tag === TAG.INTEGER) keyLength = smallIntOf(kp, part, 64);
    else if (part.tagClass === 0 && part.tag === TAG.SEQUENCE) {
      const prfAlg = readAlgorithmId(kp, part);
      const name = PBKDF2_PRFS[prfAlg.oid];
      if (!name) throw new PbeError('unsupported', `PBKDF2 PRF ${prfAlg.oid} is not supported`);
      prf = name;
    }
  }
  const enc = readAlgorithmId(params, encTlv);
  const cipher = PBES2_CIPHERS[enc.oid];
  if (!cipher) throw new PbeError('unsupported', `PBES2 cipher ${enc.oid} is not supported`);
  if (!enc.params) throw new PbeError('malformed', 'PBES2 cipher has no IV');
  const iv = octetsOf(enc.params, expectUniversal(walkDer(enc.params), TAG.OCTET_STRING, 'PBES2 IV'));
  return { salt, iterations, keyLength: keyLength ?? cipher.keyLength, prf, cipher, iv };
}

/**
 * Decrypt `data` encrypted with a PKCS#12 PBE or PBES2 algorithm. Throws PbeError `decrypt-failed` when the
 * padding is wrong (the usual sign of a wrong password), `unsupported` for ciphers we do not implement.
 */
export function decryptWithPassword(alg: AlgorithmId, password: PasswordForms, data: Uint8Array): Buffer {
  try {
    return decryptInner(alg, password, data);
  } catch (err) {
    if (err instanceof PbeError) throw err;
    if (err instanceof DerError) throw new PbeError('malformed', `encryption parameters: ${err.message}`);
    throw new PbeError('decrypt-failed', 'decryption failed (wrong password or corrupt data)');
  }
}

function decryptInner(alg: AlgorithmId, password: PasswordForms, data: Uint8Array): Buffer {
  const pbe = PKCS12_PBE[alg.oid];
  if (pbe) {
    if (!alg.params) throw new PbeError('malformed', `${pbe.name} without parameters`);
    const p = alg.params;
    const [saltTlv, iterTlv] = childrenOf(p, expectUniversal(walkDer(p), TAG.SEQUENCE, 'PBE parameters'));
    const salt = octetsOf(p, expectUniversal(saltTlv, TAG.OCTET_STRING, 'PBE salt'));
    const iterations = smallIntOf(p, expectUniversal(iterTlv, TAG.INTEGER, 'PBE iteration count'), 2 ** 40);
    checkIterations(iterations, pbe.name);
    if (pbe.cipher === 'rc4') {
      throw new PbeError(
        'unsupported',
        `${pbe.name} (RC4) is not supported; re-export the file with AES or 3DES`,
      );
    }
    const key = derivePkcs12Key('sha1', password.bmp, salt, 1, iterations, pbe.keyLength);
    const iv = derivePkcs12Key('sha1', password.bmp, salt, 2, iterations, pbe.ivLength);
    if (pbe.cipher === 'rc2') return decryptRc2Cbc(key, pbe.rc2Bits ?? 40, iv, data);
    const decipher = createDecipheriv(pbe.cipher, key, iv);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  }
  if (alg.oid === OID.pbes2) {
    if (!alg.params) throw new PbeError('malformed', 'PBES2 without parameters');
    const s = readPbes2(alg.params);
    checkIterations(s.iterations, 'PBKDF2');
    if (s.keyLength !== s.cipher.keyLength)
      throw new PbeError('malformed', 'PBKDF2 key length does not fit the cipher');
    const key = pbkdf2Sync(password.utf8, s.salt, s.iterations, s.keyLength, s.prf);
    const decipher = createDecipheriv(s.cipher.name, key, s.iv);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  }
  throw new PbeError('unsupported', `encryption algorithm ${alg.oid} is not supported`);
}

/** The MacData of a PFX. */
export interface PfxMac {
  hashOid: string;
  digest: Uint8Array;
  salt: Uint8Array;
  iterations: number;
}

/** Human name of the MAC hash. */
export function describeMac(mac: PfxMac): string {
  return mac.hashOid === OID.pbmac1
    ? 'PBMAC1'
    : `HMAC-${(HASHES[mac.hashOid]?.name ?? mac.hashOid).toUpperCase()}`;
}

/**
 * Verify the PFX MAC over `content` (the AuthenticatedSafe bytes). Returns false for a wrong password.
 * An empty password is tried both as an empty BMPString and as no bytes at all, as tools differ.
 */
export function verifyPfxMac(mac: PfxMac, password: string, content: Uint8Array): boolean {
  const hash = HASHES[mac.hashOid];
  if (!hash) {
    throw new PbeError(
      'unsupported',
      `the integrity MAC uses ${describeMac(mac)}, which pse-doctor does not support`,
    );
  }
  checkIterations(mac.iterations, 'The PKCS#12 MAC');
  const candidates = [passwordForms(password).bmp];
  if (password === '') candidates.push(Buffer.alloc(0));
  for (const pw of candidates) {
    const key = derivePkcs12Key(hash.name, pw, mac.salt, 3, mac.iterations, hash.size);
    const computed = createHmac(hash.name, key).update(content).digest();
    if (computed.length === mac.digest.length && timingSafeEqual(computed, mac.digest)) return true;
  }
  return false;
}
