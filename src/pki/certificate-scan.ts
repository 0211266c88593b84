/**
 * @module A bounded DER walk over one X.509 certificate that reads only the fields indexes and reports need.
 *
 * @peculiar/x509 builds every extension through its schema parser on first access, which costs about a
 * millisecond per certificate on a cold process; the root store and `describeCertificate` need only a
 * handful of fields. This walker reads them straight from the DER: names (as attribute lists), validity,
 * and the extensions SKI, AKI, basic constraints, subjectAltName (DNS/IP) and AIA caIssuers. It never
 * throws: a certificate it cannot walk gives `undefined`, and callers fall back to the full parser.
 */

/** One attribute of a name, in DER order (C first for most CAs). `oid` is dotted. */
export interface ScannedAttribute {
  oid: string;
  value: string;
}

/** The extensions the walker reads; absent ones stay undefined. */
export interface ScannedExtensions {
  /** Colon-free lower-case hex. */
  subjectKeyId?: string;
  authorityKeyId?: string;
  isCA?: boolean;
  /** dNSName and iPAddress entries, in order. */
  subjectAltNames?: string[];
  /** caIssuers URLs. */
  aiaIssuers?: string[];
  /** Extended key usage OIDs (dotted), in order. */
  extendedKeyUsage?: string[];
}

export interface CertificateScan {
  subject: ScannedAttribute[];
  issuer: ScannedAttribute[];
  /** ISO 8601 UTC (`toISOString` form). */
  notBefore?: string;
  notAfter?: string;
  /** The raw bytes of the subjectPublicKeyInfo (for comparing keys). */
  spki: Uint8Array;
  extensions: ScannedExtensions;
  /** Lower-case hex of the serial number's content bytes (a leading 00 kept, as DER has it). */
  serialHex: string;
  /** Dotted OID of the certificate's (outer) signature algorithm, when readable. */
  signatureOid?: string;
  /** Every name value is a UTF8String or PrintableString (text any parser reads the same way). */
  plainNames: boolean;
}

interface Tlv {
  tag: number;
  /** The tag byte's offset. */
  start: number;
  /** First content byte. */
  body: number;
  /** One past the last content byte. */
  end: number;
}

/** Certificates are a few KiB; anything claiming more than this is not one we walk. */
const MAX_CERT_BYTES = 1 << 20;
/** Names, SAN lists and extension lists are capped so hostile input cannot make the walk long. */
const MAX_ITEMS = 512;

function readTlv(buf: Uint8Array, pos: number, limit: number): Tlv | undefined {
  if (pos + 2 > limit) return undefined;
  const tag = buf[pos] as number;
  // Certificates use low tag numbers only; a multi-byte tag means this is not what we expect.
  if ((tag & 0x1f) === 0x1f) return undefined;
  let len = buf[pos + 1] as number;
  let body = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || body + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[body + i] as number);
    body += n;
  }
  const end = body + len;
  if (end > limit) return undefined;
  return { tag, start: pos, body, end };
}

function children(buf: Uint8Array, parent: Tlv): Tlv[] | undefined {
  const out: Tlv[] = [];
  let pos = parent.body;
  while (pos < parent.end) {
    const t = readTlv(buf, pos, parent.end);
    if (!t || out.length >= MAX_ITEMS) return undefined;
    out.push(t);
    pos = t.end;
  }
  return out;
}

function decodeOid(buf: Uint8Array, t: Tlv): string | undefined {
  if (t.tag !== 0x06 || t.end - t.body > 64 || t.end === t.body) return undefined;
  const parts: number[] = [];
  let value = 0;
  for (let i = t.body; i < t.end; i++) {
    const b = buf[i] as number;
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

function hexOf(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('hex');
}

function textOf(buf: Uint8Array, t: Tlv, encoding: BufferEncoding): string {
  return Buffer.from(buf.buffer, buf.byteOffset + t.body, t.end - t.body).toString(encoding);
}

/** A directory string as text; types no certificate name should use come back as `#<hex of the TLV>`. */
function decodeString(buf: Uint8Array, t: Tlv): string {
  switch (t.tag) {
    case 0x0c: // UTF8String
      return textOf(buf, t, 'utf8');
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x1a: // VisibleString
    case 0x14: // TeletexString: in practice Latin-1
      return textOf(buf, t, 'latin1');
    case 0x1e: {
      // BMPString: UTF-16 big-endian
      const bytes = Buffer.from(buf.subarray(t.body, t.end));
      if (bytes.length % 2 === 1) return `#${hexOf(buf, t.start, t.end)}`;
      return bytes.swap16().toString('utf16le');
    }
    case 0x1c: {
      // UniversalString: UTF-32 big-endian
      let out = '';
      for (let i = t.body; i + 3 < t.end; i += 4) {
        const cp =
          (buf[i] as number) * 0x1000000 +
          ((buf[i + 1] as number) << 16) +
          ((buf[i + 2] as number) << 8) +
          (buf[i + 3] as number);
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return out;
    }
    default:
      return `#${hexOf(buf, t.start, t.end)}`;
  }
}

/** Set by `decodeName` when a value of another string type than UTF8String or PrintableString was seen. */
let sawOtherString = false;

function decodeName(buf: Uint8Array, name: Tlv): ScannedAttribute[] | undefined {
  if (name.tag !== 0x30) return undefined;
  const rdns = children(buf, name);
  if (!rdns) return undefined;
  const out: ScannedAttribute[] = [];
  for (const rdn of rdns) {
    if (rdn.tag !== 0x31) return undefined;
    for (const atv of children(buf, rdn) ?? []) {
      const parts = atv.tag === 0x30 ? children(buf, atv) : undefined;
      const [type, value] = parts ?? [];
      const oid = type ? decodeOid(buf, type) : undefined;
      if (!oid || !value) return undefined;
      if (value.tag !== 0x0c && value.tag !== 0x13) sawOtherString = true;
      out.push({ oid, value: decodeString(buf, value) });
      if (out.length > MAX_ITEMS) return undefined;
    }
  }
  return out;
}

function decodeTime(buf: Uint8Array, t: Tlv): string | undefined {
  const text = textOf(buf, t, 'latin1');
  let m: RegExpExecArray | null;
  let year: number;
  if (t.tag === 0x17) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text);
    if (!m) return undefined;
    const yy = Number(m[1]);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
  } else if (t.tag === 0x18) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d{1,9})?Z$/.exec(text);
    if (!m) return undefined;
    year = Number(m[1]);
  } else return undefined;
  const ms = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  // Date.UTC maps years 0–99 to 1900–1999; set the full year explicitly.
  d.setUTCFullYear(year);
  return d.toISOString();
}

function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length !== 16) return Buffer.from(bytes).toString('hex');
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2)
    parts.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  // Compress the longest run (more than one) of zero groups, as the full parser does.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === '0') j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen <= 1) return parts.join(':');
  return `${parts.slice(0, bestStart).join(':')}::${parts.slice(bestStart + bestLen).join(':')}`;
}

function readExtension(buf: Uint8Array, oid: string, value: Tlv, into: ScannedExtensions): void {
  const inner = readTlv(buf, value.body, value.end);
  if (!inner) return;
  switch (oid) {
    case '2.5.29.14': // subjectKeyIdentifier: OCTET STRING
      if (inner.tag === 0x04) into.subjectKeyId = hexOf(buf, inner.body, inner.end);
      return;
    case '2.5.29.35': {
      // authorityKeyIdentifier: SEQUENCE { [0] keyIdentifier OPTIONAL, … }
      const first = inner.tag === 0x30 ? children(buf, inner)?.[0] : undefined;
      if (first?.tag === 0x80) into.authorityKeyId = hexOf(buf, first.body, first.end);
      return;
    }
    case '2.5.29.19': {
      // basicConstraints: SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen INTEGER OPTIONAL }
      const first = inner.tag === 0x30 ? children(buf, inner)?.[0] : undefined;
      into.isCA = first?.tag === 0x01 && first.end > first.body && buf[first.body] !== 0;
      return;
    }
    case '2.5.29.17': {
      if (inner.tag !== 0x30) return;
      const names: string[] = [];
      for (const gn of children(buf, inner) ?? []) {
        if (gn.tag === 0x82) names.push(textOf(buf, gn, 'latin1'));
        else if (gn.tag === 0x87) names.push(formatIp(buf.subarray(gn.body, gn.end)));
      }
      if (names.length) into.subjectAltNames = names;
      return;
    }
    case '2.5.29.37': {
      // extKeyUsage: SEQUENCE OF KeyPurposeId (OID)
      if (inner.tag !== 0x30) return;
      const oids: string[] = [];
      for (const kp of children(buf, inner) ?? []) {
        const dotted = kp.tag === 0x06 ? decodeOid(buf, kp) : undefined;
        if (dotted) oids.push(dotted);
      }
      into.extendedKeyUsage = oids;
      return;
    }
    case '1.3.6.1.5.5.7.1.1': {
      if (inner.tag !== 0x30) return;
      const urls: string[] = [];
      for (const ad of children(buf, inner) ?? []) {
        const [method, location] = (ad.tag === 0x30 ? children(buf, ad) : undefined) ?? [];
        if (method && location?.tag === 0x86 && decodeOid(buf, method) === '1.3.6.1.5.5.7.48.2')
          urls.push(textOf(buf, location, 'latin1'));
      }
      if (urls.length) into.aiaIssuers = urls;
      return;
    }
  }
}

/**
 * Walk a certificate's DER. Returns `undefined` when the bytes are not a certificate of the usual
 * shape (the caller then uses the full parser); never throws.
 */
export function scanCertificate(der: Uint8Array): CertificateScan | undefined {
  try {
    if (der.length > MAX_CERT_BYTES) return undefined;
    const cert = readTlv(der, 0, der.length);
    if (cert?.tag !== 0x30) return undefined;
    const tbs = readTlv(der, cert.body, cert.end);
    if (tbs?.tag !== 0x30) return undefined;
    const fields = children(der, tbs);
    if (!fields) return undefined;
    let i = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version
    const serial = fields[i++];
    const sigAlg = fields[i++];
    const issuer = fields[i++];
    const validity = fields[i++];
    const subject = fields[i++];
    const spki = fields[i++];
    if (
      serial?.tag !== 0x02 ||
      sigAlg?.tag !== 0x30 ||
      !issuer ||
      !validity ||
      !subject ||
      spki?.tag !== 0x30
    )
      return undefined;
    sawOtherString = false;
    const issuerAttrs = decodeName(der, issuer);
    const subjectAttrs = decodeName(der, subject);
    if (!issuerAttrs || !subjectAttrs) return undefined;
    const times = validity.tag === 0x30 ? children(der, validity) : undefined;
    const scan: CertificateScan = {
      subject: subjectAttrs,
      issuer: issuerAttrs,
      spki: der.subarray(spki.start, spki.end),
      extensions: {},
      serialHex: hexOf(der, serial.body, serial.end),
      plainNames: !sawOtherString,
    };
    const outerAlg = readTlv(der, tbs.end, cert.end);
    const outerOid = outerAlg?.tag === 0x30 ? readTlv(der, outerAlg.body, outerAlg.end) : undefined;
    const signatureOid = outerOid ? decodeOid(der, outerOid) : undefined;
    if (signatureOid) scan.signatureOid = signatureOid;
    const nb = times?.[0] ? decodeTime(der, times[0]) : undefined;
    const na = times?.[1] ? decodeTime(der, times[1]) : undefined;
    if (nb) scan.notBefore = nb;
    if (na) scan.notAfter = na;
    const extsWrap = fields.slice(i).find((f) => f.tag === 0xa3);
    const exts = extsWrap ? readTlv(der, extsWrap.body, extsWrap.end) : undefined;
    if (exts?.tag === 0x30) {
      for (const ext of children(der, exts) ?? []) {
        const parts = ext.tag === 0x30 ? children(der, ext) : undefined;
        const oid = parts?.[0] ? decodeOid(der, parts[0]) : undefined;
        const value = parts?.[parts.length - 1];
        if (!oid || value?.tag !== 0x04) continue;
        readExtension(der, oid, value, scan.extensions);
      }
    }
    return scan;
  } catch {
    return undefined;
  }
}

/** The public keys `scanPublicKey` reads: RSA, and EC on the three NIST curves (dotted OID → name). */
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const NAMED_CURVES: Record<string, { name: 'P-256' | 'P-384' | 'P-521'; size: number; bytes: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 256, bytes: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 384, bytes: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 521, bytes: 66 },
};

/** An INTEGER's value bytes when it is positive and minimally encoded, else undefined. */
function positiveInteger(buf: Uint8Array, t: Tlv | undefined): { start: number; end: number } | undefined {
  if (t?.tag !== 0x02 || t.end === t.body) return undefined;
  const first = buf[t.body] as number;
  if (first & 0x80) return undefined;
  if (first === 0) {
    if (t.end - t.body === 1 || ((buf[t.body + 1] as number) & 0x80) === 0) return undefined;
    return { start: t.body + 1, end: t.end };
  }
  return { start: t.body, end: t.end };
}

/**
 * An RSA key's modulus size in bits, or an EC key's curve (and its size), read from a subjectPublicKeyInfo of the
 * plain form (RSA: NULL or no parameters, `SEQUENCE { INTEGER n, INTEGER e }`; EC: a named NIST curve
 * and a point of that curve's size). Anything else, or anything odd, gives undefined (the caller then
 * has OpenSSL read the key). Never throws.
 */
export function scanPublicKey(
  spki: Uint8Array,
):
  | { algorithm: 'RSA'; size: number }
  | { algorithm: 'EC'; curve: 'P-256' | 'P-384' | 'P-521'; size: number }
  | undefined {
  try {
    const outer = readTlv(spki, 0, spki.length);
    if (outer?.tag !== 0x30 || outer.end !== spki.length) return undefined;
    const [alg, bits, ...more] = children(spki, outer) ?? [];
    if (alg?.tag !== 0x30 || bits?.tag !== 0x03 || more.length > 0) return undefined;
    const [oidTlv, params, ...extra] = children(spki, alg) ?? [];
    if (!oidTlv || extra.length > 0 || bits.end - bits.body < 2 || spki[bits.body] !== 0) return undefined;
    const oid = decodeOid(spki, oidTlv);
    const key = readTlv(spki, bits.body + 1, bits.end);
    if (oid === RSA_ENCRYPTION) {
      if (params && (params.tag !== 0x05 || params.end !== params.body)) return undefined;
      if (key?.tag !== 0x30 || key.end !== bits.end) return undefined;
      const [n, e, ...rest] = children(spki, key) ?? [];
      const modulus = positiveInteger(spki, n);
      if (!modulus || !positiveInteger(spki, e) || rest.length > 0) return undefined;
      const top = spki[modulus.start] as number;
      return { algorithm: 'RSA', size: (modulus.end - modulus.start - 1) * 8 + (32 - Math.clz32(top)) };
    }
    if (oid === EC_PUBLIC_KEY) {
      const curve = params ? NAMED_CURVES[decodeOid(spki, params) ?? ''] : undefined;
      if (!curve) return undefined;
      const point = bits.end - bits.body - 1;
      const form = spki[bits.body + 1];
      const fits =
        (form === 0x04 && point === 1 + 2 * curve.bytes) ||
        ((form === 0x02 || form === 0x03) && point === 1 + curve.bytes);
      return fits ? { algorithm: 'EC', curve: curve.name, size: curve.size } : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
