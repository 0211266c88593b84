/**
 * @module PKCS#12 (`.p12`, `.pfx`): the certificate bags, after checking the MAC with the password.
 *
 * The MAC is verified before anything is decrypted, so a wrong password is named as such. Private keys
 * (keyBag, pkcs8ShroudedKeyBag) are recognised and counted, never decrypted or returned.
 */
import { ToolError } from '../../model/errors.js';
import {
  childrenOf,
  DerError,
  expectUniversal,
  isContext,
  isUniversal,
  octetsOf,
  oidOf,
  smallIntOf,
  TAG,
  type Tlv,
  walkDer,
} from './der.js';
import {
  type AlgorithmId,
  decryptWithPassword,
  describeEncryption,
  describeMac,
  OID,
  PbeError,
  type PfxMac,
  passwordForms,
  readAlgorithmId,
  verifyPfxMac,
} from './pbe.js';
import { OID_DATA, OID_SIGNED_DATA } from './pkcs7.js';

export { looksLikePkcs12 } from './sniff.js';

const OID_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const OID_ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
  crl: '1.2.840.113549.1.12.10.1.4',
  secret: '1.2.840.113549.1.12.10.1.5',
  safeContents: '1.2.840.113549.1.12.10.1.6',
} as const;
const OID_X509_CERT = '1.2.840.113549.1.9.22.1';
const OID_FRIENDLY_NAME = '1.2.840.113549.1.9.20';

/** One certificate bag. */
export interface Pkcs12Certificate {
  der: Buffer;
  friendlyName?: string;
}

export interface Pkcs12Content {
  certificates: Pkcs12Certificate[];
  /** Private keys seen and skipped (never decrypted). */
  skippedKeys: number;
  /** How the parts were protected, for the report (`PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)`). */
  encryption: string[];
  mac?: string;
  warnings: string[];
}

interface SafePart {
  kind: 'data' | 'encrypted' | 'enveloped' | 'other';
  bytes?: Uint8Array;
  alg?: AlgorithmId;
}

/**
 * Read the certificates of a PKCS#12 file. `password` is needed when the MAC or encrypted parts require it;
 * `name` only labels errors. Throws ToolError `password-required`, `wrong-password` or `bad-certificate`.
 */
export function readPkcs12(bytes: Uint8Array, password: string | undefined, name: string): Pkcs12Content {
  try {
    return readPkcs12Inner(bytes, password, name);
  } catch (err) {
    if (err instanceof ToolError) throw err;
    if (err instanceof DerError || err instanceof PbeError) {
      throw new ToolError('bad-certificate', { name, reason: `PKCS#12: ${err.message}` }, { cause: err });
    }
    throw err;
  }
}

function readPkcs12Inner(bytes: Uint8Array, password: string | undefined, name: string): Pkcs12Content {
  const top = walkDer(bytes);
  const [versionTlv, authSafeTlv, macTlv] = childrenOf(bytes, expectUniversal(top, TAG.SEQUENCE, 'PFX'));
  const version = smallIntOf(bytes, expectUniversal(versionTlv, TAG.INTEGER, 'PFX version'), 1000);
  if (version !== 3) throw new DerError(`PFX version ${version} (expected 3)`);
  const [typeTlv, contentTlv] = childrenOf(bytes, expectUniversal(authSafeTlv, TAG.SEQUENCE, 'PFX authSafe'));
  const type = oidOf(bytes, expectUniversal(typeTlv, TAG.OID, 'authSafe content type'));
  if (type === OID_SIGNED_DATA) {
    throw new DerError('uses public-key integrity mode (signed authSafe), which pse-doctor does not read');
  }
  if (type !== OID_DATA || !isContext(contentTlv, 0))
    throw new DerError(`authSafe content type ${type} is not data`);
  const authSafeBytes = octetsOf(
    bytes,
    expectUniversal(childrenOf(bytes, contentTlv)[0], TAG.OCTET_STRING, 'authSafe'),
  );
  const mac = macTlv ? readMacData(bytes, macTlv) : undefined;

  const result: Pkcs12Content = { certificates: [], skippedKeys: 0, encryption: [], warnings: [] };
  if (mac) result.mac = `${describeMac(mac)}, ${mac.iterations} iterations`;
  const parts = readAuthenticatedSafe(authSafeBytes);
  const needsPassword = parts.some((p) => p.kind === 'encrypted');

  if (password === undefined) {
    if (needsPassword) throw new ToolError('password-required', { name });
    if (mac) result.warnings.push('No password given: the integrity MAC was not checked.');
  } else if (mac) {
    // MAC first: a wrong password is named before any decryption is attempted.
    if (!verifyPfxMac(mac, password, authSafeBytes)) throw new ToolError('wrong-password', { name });
  } else {
    result.warnings.push(
      'The file has no integrity MAC; a wrong password shows only as a decryption failure.',
    );
  }

  const pw = password === undefined ? undefined : passwordForms(password);
  for (const part of parts) {
    if (part.kind === 'data' && part.bytes) {
      readSafeContents(part.bytes, result, 0);
    } else if (part.kind === 'encrypted' && part.bytes && part.alg && pw) {
      result.encryption.push(describeEncryption(part.alg));
      let plain: Buffer;
      try {
        plain = decryptWithPassword(part.alg, pw, part.bytes);
      } catch (err) {
        if (err instanceof PbeError && err.kind === 'decrypt-failed') {
          if (!mac) throw new ToolError('wrong-password', { name });
          throw new DerError('an encrypted part does not decrypt although the MAC matched (corrupt file)');
        }
        throw err;
      }
      try {
        readSafeContents(plain, result, 0);
      } catch (err) {
        // Without a MAC, garbage after a lucky padding byte means the password was wrong.
        if (!mac && err instanceof DerError) throw new ToolError('wrong-password', { name });
        throw err;
      }
    } else if (part.kind === 'enveloped') {
      result.warnings.push('A part is encrypted to a public key (envelopedData) and was skipped.');
    } else if (part.kind === 'other') {
      result.warnings.push('A part of unknown content type was skipped.');
    }
  }
  if (result.skippedKeys > 0) {
    result.warnings.push(
      `${result.skippedKeys} private key${result.skippedKeys === 1 ? '' : 's'} skipped: pse-doctor never decrypts or shows keys.`,
    );
  }
  return result;
}

function readMacData(buf: Uint8Array, tlv: Tlv): PfxMac {
  const [digestInfo, saltTlv, iterTlv] = childrenOf(buf, expectUniversal(tlv, TAG.SEQUENCE, 'MacData'));
  const [algTlv, digestTlv] = childrenOf(buf, expectUniversal(digestInfo, TAG.SEQUENCE, 'MAC DigestInfo'));
  const alg = readAlgorithmId(buf, expectUniversal(algTlv, TAG.SEQUENCE, 'MAC algorithm'));
  const digest = octetsOf(buf, expectUniversal(digestTlv, TAG.OCTET_STRING, 'MAC digest'));
  const salt = octetsOf(buf, expectUniversal(saltTlv, TAG.OCTET_STRING, 'MAC salt'));
  const iterations = iterTlv
    ? smallIntOf(buf, expectUniversal(iterTlv, TAG.INTEGER, 'MAC iterations'), 2 ** 40)
    : 1;
  return { hashOid: alg.oid === OID.pbmac1 ? OID.pbmac1 : alg.oid, digest, salt, iterations };
}

function readAuthenticatedSafe(bytes: Uint8Array): SafePart[] {
  const top = walkDer(bytes);
  const parts: SafePart[] = [];
  for (const ci of childrenOf(bytes, expectUniversal(top, TAG.SEQUENCE, 'AuthenticatedSafe'))) {
    const [typeTlv, contentTlv] = childrenOf(
      bytes,
      expectUniversal(ci, TAG.SEQUENCE, 'AuthenticatedSafe entry'),
    );
    const type = oidOf(bytes, expectUniversal(typeTlv, TAG.OID, 'AuthenticatedSafe entry type'));
    const inner = isContext(contentTlv, 0) ? childrenOf(bytes, contentTlv)[0] : undefined;
    if (type === OID_DATA) {
      parts.push({
        kind: 'data',
        bytes: octetsOf(bytes, expectUniversal(inner, TAG.OCTET_STRING, 'data part')),
      });
    } else if (type === OID_ENCRYPTED_DATA) {
      const [, eci] = childrenOf(bytes, expectUniversal(inner, TAG.SEQUENCE, 'EncryptedData'));
      const [, algTlv, dataTlv] = childrenOf(
        bytes,
        expectUniversal(eci, TAG.SEQUENCE, 'EncryptedContentInfo'),
      );
      const alg = readAlgorithmId(
        bytes,
        expectUniversal(algTlv, TAG.SEQUENCE, 'content encryption algorithm'),
      );
      if (!isContext(dataTlv, 0)) {
        parts.push({ kind: 'encrypted', bytes: new Uint8Array(0), alg });
        continue;
      }
      // [0] IMPLICIT OCTET STRING: primitive, or constructed segments in BER.
      parts.push({ kind: 'encrypted', bytes: octetsOf(bytes, dataTlv), alg });
    } else if (type === OID_ENVELOPED_DATA) {
      parts.push({ kind: 'enveloped' });
    } else {
      parts.push({ kind: 'other' });
    }
  }
  return parts;
}

function readSafeContents(bytes: Uint8Array, out: Pkcs12Content, depth: number): void {
  if (depth > 4) throw new DerError('safe contents nested too deeply');
  const top = walkDer(bytes);
  for (const bag of childrenOf(bytes, expectUniversal(top, TAG.SEQUENCE, 'SafeContents'))) {
    const [idTlv, valueTlv, attrsTlv] = childrenOf(bytes, expectUniversal(bag, TAG.SEQUENCE, 'SafeBag'));
    const bagId = oidOf(bytes, expectUniversal(idTlv, TAG.OID, 'SafeBag type'));
    if (bagId === BAG.key || bagId === BAG.shroudedKey) {
      out.skippedKeys++;
      continue;
    }
    const value = isContext(valueTlv, 0) ? childrenOf(bytes, valueTlv)[0] : undefined;
    if (bagId === BAG.cert) {
      const [certIdTlv, certValueTlv] = childrenOf(bytes, expectUniversal(value, TAG.SEQUENCE, 'CertBag'));
      const certId = oidOf(bytes, expectUniversal(certIdTlv, TAG.OID, 'CertBag type'));
      if (certId !== OID_X509_CERT || !isContext(certValueTlv, 0)) {
        out.warnings.push(`A certificate bag of type ${certId} (not X.509) was skipped.`);
        continue;
      }
      const der = octetsOf(
        bytes,
        expectUniversal(childrenOf(bytes, certValueTlv)[0], TAG.OCTET_STRING, 'certificate'),
      );
      const entry: Pkcs12Certificate = { der: Buffer.from(der) };
      const friendlyName = attrsTlv ? readFriendlyName(bytes, attrsTlv) : undefined;
      if (friendlyName) entry.friendlyName = friendlyName;
      out.certificates.push(entry);
    } else if (bagId === BAG.safeContents && value) {
      readSafeContents(bytes.subarray(value.start, value.end), out, depth + 1);
    } else if (bagId === BAG.crl) {
      out.warnings.push('A CRL bag was skipped.');
    } else if (bagId === BAG.secret) {
      out.warnings.push('A secret bag was skipped.');
    }
  }
}

function readFriendlyName(buf: Uint8Array, attrs: Tlv): string | undefined {
  if (!isUniversal(attrs, TAG.SET)) return undefined;
  for (const attr of childrenOf(buf, attrs)) {
    const [oidTlv, valuesTlv] = childrenOf(buf, attr);
    if (!isUniversal(oidTlv, TAG.OID) || oidOf(buf, oidTlv) !== OID_FRIENDLY_NAME || !valuesTlv) continue;
    const value = childrenOf(buf, valuesTlv)[0];
    if (!isUniversal(value, TAG.BMP_STRING)) return undefined;
    const be = buf.subarray(value.contentStart, value.contentEnd);
    const le = Buffer.alloc(be.length - (be.length % 2));
    for (let i = 0; i + 1 < be.length; i += 2) {
      le[i] = be[i + 1]!;
      le[i + 1] = be[i]!;
    }
    return le.toString('utf16le').slice(0, 200);
  }
  return undefined;
}
