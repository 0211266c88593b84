/**
 * @module A SAP PSE writer FOR TESTS ONLY (never imported from src/): v2/v4 containers, plain or
 * PIN-protected, with a chosen own certificate, key, chain, root and trust list.
 *
 * It is written independently of the reader (its own DER encoder and key derivation), so a round trip
 * tests both against the format, and it reproduces the real sapgenpse files byte for byte when given
 * their content, salt and iteration count (see pse-writer.test.ts).
 */
import { createCipheriv, createHash, createPrivateKey, randomBytes } from 'node:crypto';

/** Object type OIDs seen in real files; the list OIDs marked "writer" are made up for test objects. */
export const OBJECT_OIDS = {
  SKnew: '1.3.36.2.3.4',
  Cert: '1.3.36.2.1.3',
  PKRoot: '1.3.36.2.5.1',
  CertList: '1.3.36.2.0',
  /** writer: not seen in a real file. */
  PKList: '1.3.36.2.0',
  /** writer: not seen in a real file. */
  CSet: '1.3.36.2.0',
  /** writer: not seen in a real file. */
  FCPath: '1.3.36.2.1.2',
} as const;

export const PBE_3DES_OID = '1.2.840.113549.1.12.1.3';

// ---- a tiny DER encoder (independent of src/readers/pse/asn1.ts) ----

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Buffer.from([0x80 | out.length, ...out]);
}

/** One TLV. */
export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

export const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
export const set = (...parts: Uint8Array[]) => tlv(0x31, ...parts);
export const octets = (b: Uint8Array) => tlv(0x04, b);
export const printable = (s: string) => tlv(0x13, Buffer.from(s, 'latin1'));

export function int(value: number | bigint | Uint8Array): Buffer {
  if (value instanceof Uint8Array) {
    let b = Buffer.from(value);
    while (b.length > 1 && b[0] === 0 && ((b[1] as number) & 0x80) === 0) b = b.subarray(1);
    if (((b[0] as number) & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
    return tlv(0x02, b);
  }
  let hex = BigInt(value).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (((b[0] as number) & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const bytes: number[] = [Number((arcs[0] as bigint) * 40n + (arcs[1] as bigint))];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [];
    let v = arc;
    do {
      chunk.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] = (chunk[i] as number) | 0x80;
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

export function generalizedTime(d: Date): Buffer {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const text = `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x18, Buffer.from(text, 'latin1'));
}

/** A minimal DER reader for taking certificates apart (test inputs are trusted). */
export function children(der: Uint8Array): Buffer[] {
  const out: Buffer[] = [];
  const buf = Buffer.from(der);
  const { start, end } = header(buf, 0);
  for (let i = start; i < end; ) {
    const h = header(buf, i);
    out.push(buf.subarray(i, h.end));
    i = h.end;
  }
  return out;
}

function header(buf: Buffer, at: number): { start: number; end: number } {
  const first = buf[at + 1] as number;
  if (first < 0x80) return { start: at + 2, end: at + 2 + first };
  const n = first & 0x7f;
  let l = 0;
  for (let i = 0; i < n; i++) l = l * 256 + (buf[at + 2 + i] as number);
  return { start: at + 2 + n, end: at + 2 + n + l };
}

/** The value bytes of one TLV. */
export function contentBytes(der: Uint8Array): Buffer {
  const buf = Buffer.from(der);
  const h = header(buf, 0);
  return buf.subarray(h.start, h.end);
}

// ---- PKCS#12 key derivation (RFC 7292 B.2), written again here on purpose ----

/** Derive `n` bytes for purpose `id` (1 key, 2 IV) from the PIN. */
export function pkcs12Derive(
  pin: string,
  salt: Uint8Array,
  iterations: number,
  id: number,
  n: number,
): Buffer {
  const v = 64;
  const pw = Buffer.from(`${pin}\0`, 'utf16le').swap16();
  const fill = (b: Uint8Array) => {
    const out = Buffer.alloc(b.length ? v * Math.ceil(b.length / v) : 0);
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length] as number;
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(pw)]);
  const chunks: Buffer[] = [];
  for (let got = 0; got < n; ) {
    let a = createHash('sha1').update(Buffer.alloc(v, id)).update(I).digest();
    for (let i = 1; i < iterations; i++) a = createHash('sha1').update(a).digest();
    chunks.push(a);
    got += a.length;
    const B = fill(a).subarray(0, v);
    for (let j = 0; j < I.length; j += v) {
      const sum = BigInt(`0x${I.subarray(j, j + v).toString('hex')}`) + BigInt(`0x${B.toString('hex')}`) + 1n;
      const hex = (sum & ((1n << BigInt(v * 8)) - 1n)).toString(16).padStart(v * 2, '0');
      Buffer.from(hex, 'hex').copy(I, j);
    }
  }
  return Buffer.concat(chunks).subarray(0, n);
}

function encrypt3des(pin: string, salt: Uint8Array, iterations: number, data: Uint8Array): Buffer {
  const key = pkcs12Derive(pin, salt, iterations, 1, 24);
  const iv = pkcs12Derive(pin, salt, iterations, 2, 8);
  const c = createCipheriv('des-ede3-cbc', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

// ---- objects ----

export interface PseObjectSpec {
  name: string;
  oid: string;
  time?: Date;
  /** DER of the value. */
  value: Uint8Array;
}

/** One encoded object: `SEQUENCE { PrintableString name, GeneralizedTime, OID, value }`. */
export function encodeObject(o: PseObjectSpec, defaultTime: Date): Buffer {
  return seq(printable(o.name), generalizedTime(o.time ?? defaultTime), oid(o.oid), o.value);
}

/** PKRoot split form of a (self-signed) certificate: `SEQUENCE { subject, SEQUENCE { …key… }, [0] exts }`. */
export function splitRoot(certDer: Uint8Array): Buffer {
  const [tbs, alg, sig] = children(certDer) as [Buffer, Buffer, Buffer];
  const parts = children(tbs);
  let i = 0;
  const version = (parts[0]?.[0] as number) === 0xa0 ? parts[i++] : undefined;
  const serial = parts[i++] as Buffer;
  i++; // signature algorithm inside the TBS (same as `alg`)
  i++; // issuer (a root is self-issued)
  const validity = parts[i++] as Buffer;
  const subject = parts[i++] as Buffer;
  const spki = parts[i++] as Buffer;
  const ext = parts.slice(i).find((p) => p[0] === 0xa3);
  const key = seq(...(version ? [version] : []), serial, spki, tlv(0xa1, validity), tlv(0xa2, alg), sig);
  return seq(subject, key, ...(ext ? [tlv(0xa0, contentBytes(ext))] : []));
}

/**
 * The SKnew value in SECUDE's form for RSA: `SEQUENCE { AlgorithmIdentifier rsaEncryption, BIT STRING
 * SEQUENCE { INTEGER p, INTEGER q } }` (the real files show two ~1024-bit integers there). Other key
 * types get their PKCS#8 bytes in the BIT STRING (the real layout for them is unknown; it never matters
 * to the reader, which does not look inside).
 */
export function encodeSecretKey(keyPem: string): Buffer {
  const key = createPrivateKey(keyPem);
  if (key.asymmetricKeyType === 'rsa') {
    const jwk = key.export({ format: 'jwk' }) as { p: string; q: string };
    const bits = seq(int(Buffer.from(jwk.p, 'base64url')), int(Buffer.from(jwk.q, 'base64url')));
    return seq(
      seq(oid('1.2.840.113549.1.1.1'), Buffer.from([0x05, 0x00])),
      tlv(0x03, Buffer.from([0]), bits),
    );
  }
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  return seq(seq(oid('1.2.840.10045.2.1')), tlv(0x03, Buffer.from([0]), pkcs8));
}

export interface PseSpec {
  /** Own certificate (DER) → `Cert`. */
  own?: Uint8Array;
  /** Own private key (PKCS#8 PEM) → `SKnew`. */
  keyPem?: string;
  /** FCPath: the own certificate's issuers, nearest first. */
  chain?: Uint8Array[];
  /** Root (self-signed DER) → `PKRoot` in split form. */
  root?: Uint8Array;
  /** Trusted certificates → the list object. */
  trusted?: Uint8Array[];
  /** Name of the list object. Default `CertList` (what sapgenpse wrote). */
  listName?: 'CertList' | 'PKList' | 'CSet';
  /** More objects, verbatim. */
  extra?: PseObjectSpec[];
}

/** The object list for a spec, in the order sapgenpse writes them (key, root, own, list). */
export function buildObjects(spec: PseSpec): PseObjectSpec[] {
  const objects: PseObjectSpec[] = [];
  if (spec.keyPem)
    objects.push({ name: 'SKnew', oid: OBJECT_OIDS.SKnew, value: encodeSecretKey(spec.keyPem) });
  if (spec.root) objects.push({ name: 'PKRoot', oid: OBJECT_OIDS.PKRoot, value: splitRoot(spec.root) });
  if (spec.own) objects.push({ name: 'Cert', oid: OBJECT_OIDS.Cert, value: Buffer.from(spec.own) });
  if (spec.chain?.length) {
    objects.push({ name: 'FCPath', oid: OBJECT_OIDS.FCPath, value: seq(...spec.chain.map((c) => set(c))) });
  }
  if (spec.trusted) {
    const name = spec.listName ?? 'CertList';
    objects.push({ name, oid: OBJECT_OIDS[name], value: set(...spec.trusted) });
  }
  objects.push(...(spec.extra ?? []));
  return objects;
}

// ---- content and containers ----

export interface PbeSpec {
  salt: Uint8Array;
  iterations: number;
}

function algorithmIdentifier(pbe: PbeSpec): Buffer {
  return seq(oid(PBE_3DES_OID), seq(octets(pbe.salt), int(pbe.iterations)));
}

/** `SEQUENCE { AlgorithmIdentifier, GeneralizedTime, INTEGER, SET OF object }`. */
export function encodeContent(opts: {
  pbe: PbeSpec;
  createdAt: Date;
  contentInteger?: number;
  objects: PseObjectSpec[];
  /** Sort the SET like DER does (the real files are sorted). Default true. */
  sort?: boolean;
}): Buffer {
  const encoded = opts.objects.map((o) => encodeObject(o, opts.createdAt));
  if (opts.sort !== false) encoded.sort(Buffer.compare);
  return seq(
    algorithmIdentifier(opts.pbe),
    generalizedTime(opts.createdAt),
    int(opts.contentInteger ?? 1),
    set(...encoded),
  );
}

/** Wrap content into a v2 or v4 container, encrypting it when `pin` is given. */
export function wrapContent(opts: {
  version: 2 | 4;
  content: Uint8Array;
  pbe: PbeSpec;
  pin?: string;
}): Buffer {
  const { version, content, pbe, pin } = opts;
  if (version === 2) {
    if (pin === undefined) return seq(int(2), content);
    const check = encrypt3des(pin, pbe.salt, pbe.iterations, Buffer.from(pin, 'latin1'));
    const body = encrypt3des(pin, pbe.salt, pbe.iterations, content);
    return seq(int(2), tlv(0xa0, octets(check), algorithmIdentifier(pbe), octets(body)));
  }
  const digest = createHash('sha1').update(content).digest();
  const body = pin === undefined ? Buffer.from(content) : encrypt3des(pin, pbe.salt, pbe.iterations, content);
  return seq(
    int(4),
    tlv(0xa3, int(pin === undefined ? 0 : 1), algorithmIdentifier(pbe), octets(body), octets(digest)),
  );
}

export interface WritePseOptions extends PseSpec {
  version: 2 | 4;
  pin?: string;
  /** Default: 8 random bytes. */
  salt?: Uint8Array;
  /** Default 10 000 (what sapgenpse uses); tests may lower it for speed. */
  iterations?: number;
  createdAt?: Date;
  /** Use these objects instead of building them from the spec fields. */
  objects?: PseObjectSpec[];
}

/** Write a PSE file. */
export function writePse(opts: WritePseOptions): Buffer {
  const pbe = { salt: opts.salt ?? randomBytes(8), iterations: opts.iterations ?? 10_000 };
  const createdAt = opts.createdAt ?? new Date('2026-01-15T12:00:00Z');
  const content = encodeContent({ pbe, createdAt, objects: opts.objects ?? buildObjects(opts) });
  return wrapContent({
    version: opts.version,
    content,
    pbe,
    ...(opts.pin !== undefined ? { pin: opts.pin } : {}),
  });
}
