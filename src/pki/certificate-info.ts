/**
 * @module X.509 certificate (parsed by @peculiar/x509) → the shared CertificateInfo model, SAP-style.
 *
 * DNs come out in SAP order and keywords (`formatDnSap`), serials as colon hex, fingerprints as lower-case
 * hex of the DER. Everything here is synchronous (node:crypto for hashes and the self-signature check).
 */
import { createHash, type KeyObject, X509Certificate as NodeX509 } from 'node:crypto';
import type { CertificateInfo } from '../model/certificate.js';
import { type CertificateScan, scanCertificate, scanPublicKey } from './certificate-scan.js';
import { formatDnSap, sameDn } from './dn.js';
import type * as x509 from './x509.js';
import { x509 as loadX509 } from './x509.js';

/** Colon-separated upper-case hex (`05:1C:…`), the way SAP prints serials and key ids. */
export function formatColonHex(hex: string): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  const even = clean.length % 2 === 1 ? `0${clean}` : clean;
  return (even.match(/../g) ?? []).join(':');
}

/** PEM text for DER bytes (64-character lines, trailing newline). */
export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Parse one certificate from PEM text or DER bytes. Throws the library's error on bad input; readers
 * turn that into a ToolError with the input's name.
 */
export function parseCertificate(input: string | Uint8Array): x509.X509Certificate {
  return new (loadX509().X509Certificate)(typeof input === 'string' ? input : Buffer.from(input));
}

const HASH_NAMES: Record<string, string> = {
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  MD5: 'md5',
};

/** The OpenSSL-style name of the signature algorithm (`sha256WithRSAEncryption`, `ecdsa-with-SHA384`). */
function describeSignatureAlgorithm(cert: x509.X509Certificate): string | undefined {
  const alg = cert.signatureAlgorithm as { name?: string; hash?: { name?: string } };
  const hash = alg.hash?.name ? HASH_NAMES[alg.hash.name.toUpperCase()] : undefined;
  switch (alg.name) {
    case 'RSASSA-PKCS1-v1_5':
      return hash ? `${hash}WithRSAEncryption` : 'rsaEncryption';
    case 'RSA-PSS':
      return 'rsassaPss';
    case 'ECDSA':
      return hash ? `ecdsa-with-${hash.toUpperCase()}` : 'ecdsa';
    case 'Ed25519':
      return 'ED25519';
    case 'Ed448':
      return 'ED448';
    default:
      return alg.name;
  }
}

function describeKey(cert: x509.X509Certificate): CertificateInfo['key'] {
  try {
    const alg = cert.publicKey.algorithm as { name?: string; modulusLength?: number; namedCurve?: string };
    if (alg.name?.startsWith('RSA'))
      return { algorithm: 'RSA', ...(alg.modulusLength ? { size: alg.modulusLength } : {}) };
    if (alg.name === 'ECDSA' || alg.name === 'ECDH') {
      const size = alg.namedCurve ? Number(/\d+$/.exec(alg.namedCurve)?.[0]) : undefined;
      return {
        algorithm: 'EC',
        ...(alg.namedCurve ? { curve: alg.namedCurve } : {}),
        ...(size ? { size } : {}),
      };
    }
    if (alg.name) return { algorithm: alg.name };
  } catch {
    // Unknown key types (DSA, GOST…) are not fatal: the other fields still describe the certificate.
  }
  return undefined;
}

/**
 * Does the certificate's own public key verify its signature? Deliberately not OpenSSL's `checkIssued`:
 * that also demands keyCertSign in the key usage, which many self-signed server certificates lack.
 * False when the check cannot run (unknown key type, damaged DER).
 */
export function isSignedByOwnKey(der: Uint8Array): boolean {
  try {
    const node = new NodeX509(der);
    return node.verify(node.publicKey);
  } catch {
    return false;
  }
}

/** Names of the key purposes SAP admins meet; others stay dotted. */
const KEY_PURPOSES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

/** `1.3.6.1.5.5.7.3.2` → `clientAuth`; unknown purposes keep their OID. */
export function nameKeyPurpose(oid: string): string {
  return KEY_PURPOSES[oid] ?? oid;
}

/** The extension fields of the model, read by the full parser (used when the DER walk failed). */
function readExtensionsSlowly(cert: x509.X509Certificate, info: CertificateInfo): void {
  const lib = loadX509();
  for (const ext of cert.extensions) {
    try {
      if (ext instanceof lib.BasicConstraintsExtension) info.isCA = ext.ca;
      else if (ext instanceof lib.SubjectKeyIdentifierExtension)
        info.subjectKeyId = formatColonHex(ext.keyId);
      else if (ext instanceof lib.AuthorityKeyIdentifierExtension && ext.keyId)
        info.authorityKeyId = formatColonHex(ext.keyId);
      else if (ext instanceof lib.SubjectAlternativeNameExtension) {
        const names = ext.names.items.filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => n.value);
        if (names.length) info.subjectAltNames = names;
      } else if (ext instanceof lib.AuthorityInfoAccessExtension) {
        const urls = ext.caIssuers.filter((n) => n.type === 'url').map((n) => n.value);
        if (urls.length) info.aiaIssuers = urls;
      } else if (ext instanceof lib.ExtendedKeyUsageExtension) {
        info.extendedKeyUsage = [...ext.usages].map((u) => nameKeyPurpose(String(u)));
      }
    } catch {
      // A malformed extension must not hide the rest of the certificate.
    }
  }
}

/**
 * Describe a parsed certificate in the shared model: SAP-order DNs, colon serial, SHA-256/SHA-1, key,
 * signature algorithm, SKI/AKI, SAN, AIA caIssuers, CA flag, self-signed. `pem` is set to `opts.pem` when
 * given (keep a store's exact PEM text) or generated from the DER.
 *
 * Self-signed means: subject and issuer name the same entity (`sameDn`) and the certificate's own key
 * verifies its signature. Extensions are read by a DER walk (`scanCertificate`), which is several times
 * cheaper than the parser's extension objects; the parser is used only when the walk fails.
 */
export function describeCertificate(
  cert: x509.X509Certificate,
  opts: { pem?: string } = {},
): CertificateInfo {
  const der = new Uint8Array(cert.rawData);
  const info: CertificateInfo = {
    subject: formatDnSap(cert.subjectName),
    issuer: formatDnSap(cert.issuerName),
    serial: formatColonHex(cert.serialNumber),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sha256: createHash('sha256').update(der).digest('hex'),
    sha1: createHash('sha1').update(der).digest('hex'),
  };
  const key = describeKey(cert);
  if (key) info.key = key;
  const sig = describeSignatureAlgorithm(cert);
  if (sig) info.signatureAlgorithm = sig;

  const scan = scanCertificate(der);
  if (scan) {
    const ext = scan.extensions;
    if (ext.isCA !== undefined) info.isCA = ext.isCA;
    if (ext.subjectKeyId) info.subjectKeyId = formatColonHex(ext.subjectKeyId);
    if (ext.authorityKeyId) info.authorityKeyId = formatColonHex(ext.authorityKeyId);
    if (ext.subjectAltNames) info.subjectAltNames = ext.subjectAltNames;
    if (ext.aiaIssuers) info.aiaIssuers = ext.aiaIssuers;
    if (ext.extendedKeyUsage) info.extendedKeyUsage = ext.extendedKeyUsage.map(nameKeyPurpose);
  } else readExtensionsSlowly(cert, info);
  if (info.isCA === undefined) info.isCA = false;
  // The name test is cheap and rules out almost every leaf before the signature check runs.
  info.selfSigned = sameDn(info.subject, info.issuer ?? '') && isSignedByOwnKey(der);
  info.pem = opts.pem ?? derToPem(der);
  return info;
}

/** SHA-256 (lower-case hex) of a PEM or DER certificate's DER bytes. */
export function certificateSha256(input: string | Uint8Array): string {
  return createHash('sha256')
    .update(new Uint8Array(parseCertificate(input).rawData))
    .digest('hex');
}

/** Signature algorithms named without the parser, exactly as `describeSignatureAlgorithm` names them. */
const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
};

/** OpenSSL curve names → the WebCrypto names the parser reports. */
const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

function quickKey(key: KeyObject): CertificateInfo['key'] {
  const details = key.asymmetricKeyDetails;
  if ((key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') && details?.modulusLength)
    return { algorithm: 'RSA', size: details.modulusLength };
  const curve =
    key.asymmetricKeyType === 'ec' && details?.namedCurve ? CURVES[details.namedCurve] : undefined;
  if (curve) return { algorithm: 'EC', curve, size: Number(/\d+$/.exec(curve)?.[0]) };
  return undefined;
}

function sapName(attrs: CertificateScan['subject']): string {
  return formatDnSap([...attrs].reverse().map((a) => ({ key: a.oid, value: a.value })));
}

/**
 * The description `describeCertificate` gives, read without the X.509 library: only for certificates
 * whose every field has a form both read alike (names in UTF8String/PrintableString, an RSA or P-256/
 * P-384/P-521 key, a common RSA or ECDSA signature algorithm); otherwise undefined. A test compares
 * both on every root Node ships and on generated RSA and EC chains.
 */
export function describeQuickly(der: Uint8Array, opts: { pem?: string } = {}): CertificateInfo | undefined {
  const scan = scanCertificate(der);
  if (!scan?.plainNames || !scan.notBefore || !scan.notAfter) return undefined;
  const signatureAlgorithm = scan.signatureOid ? SIGNATURE_NAMES[scan.signatureOid] : undefined;
  if (!signatureAlgorithm) return undefined;
  // Names that differ (a CA's own certificate is the exception in a trust list) need no signature check,
  // so a plain RSA or EC key is read from the DER; OpenSSL reads the others, and checks self-signatures.
  let selfIssued = true;
  try {
    selfIssued = sameDn(sapName(scan.subject), sapName(scan.issuer));
  } catch {
    // Left to the way below, which meets the same names again.
  }
  let node: NodeX509 | undefined;
  let key: CertificateInfo['key'] = selfIssued ? undefined : scanPublicKey(scan.spki);
  if (!key) {
    try {
      node = new NodeX509(der);
      key = quickKey(node.publicKey);
    } catch {
      return undefined;
    }
    if (!key) return undefined;
  }
  // The parser drops the sign byte DER puts before a serial whose first bit is set; other forms go to it.
  let serialHex = scan.serialHex;
  if (serialHex.startsWith('00') && serialHex.length > 2) {
    if (Number.parseInt(serialHex[2] as string, 16) < 8) return undefined;
    serialHex = serialHex.slice(2);
  }
  const info: CertificateInfo = {
    subject: sapName(scan.subject),
    issuer: sapName(scan.issuer),
    serial: formatColonHex(serialHex),
    notBefore: scan.notBefore,
    notAfter: scan.notAfter,
    sha256: createHash('sha256').update(der).digest('hex'),
    sha1: createHash('sha1').update(der).digest('hex'),
    key,
    signatureAlgorithm,
  };
  const ext = scan.extensions;
  if (ext.isCA !== undefined) info.isCA = ext.isCA;
  if (ext.subjectKeyId) info.subjectKeyId = formatColonHex(ext.subjectKeyId);
  if (ext.authorityKeyId) info.authorityKeyId = formatColonHex(ext.authorityKeyId);
  if (ext.subjectAltNames) info.subjectAltNames = ext.subjectAltNames;
  if (ext.aiaIssuers) info.aiaIssuers = ext.aiaIssuers;
  if (ext.extendedKeyUsage) info.extendedKeyUsage = ext.extendedKeyUsage.map(nameKeyPurpose);
  if (info.isCA === undefined) info.isCA = false;
  let ownKey = false;
  if (sameDn(info.subject, info.issuer ?? '')) {
    try {
      node ??= new NodeX509(der);
      ownKey = node.verify(node.publicKey);
    } catch {
      ownKey = false;
    }
  }
  info.selfSigned = ownKey;
  info.pem = opts.pem ?? derToPem(der);
  return info;
}

/**
 * Describe a certificate from its DER (or PEM): without loading the X.509 library when
 * `describeQuickly` can, else through `describeCertificate`. Throws the parser's error on bad input.
 */
export function describeDer(input: string | Uint8Array, opts: { pem?: string } = {}): CertificateInfo {
  const der = typeof input === 'string' ? pemBody(input) : input;
  return (der && describeQuickly(der, opts)) ?? describeCertificate(parseCertificate(input), opts);
}

/** The DER of a single-certificate PEM, or undefined (then the parser reads the input). */
function pemBody(pem: string): Uint8Array | undefined {
  const m = /^\s*-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----\s*$/.exec(pem);
  return m ? new Uint8Array(Buffer.from((m[1] as string).replace(/\s+/g, ''), 'base64')) : undefined;
}

/**
 * The X.509 library's message in our words ("Data does not match to Extension ASN1 schema" says which
 * part is malformed, not in a way an admin can act on).
 */
export function plainParseReason(message: string): string {
  const part = /does not match to (\w+) ASN1 schema/i.exec(message)?.[1];
  if (part && /^extension/i.test(part))
    return 'one of its extensions is malformed (its bytes do not have the structure X.509 defines for that extension); the CA issued a broken certificate or the file was damaged';
  if (part || /ASN\.?1/i.test(message))
    return `its ${part ? `${part.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} ` : ''}structure does not match X.509 (a field is missing or has the wrong type); the file may be damaged`;
  return message;
}
