/**
 * @module Bounded, lazy DER access for PSE files: a small walker that frames elements (definite lengths
 * checked against the bytes that exist, nesting depth and element count capped) and opens a constructed
 * element only when asked, and decoders for small primitive values (OIDs, times) in the plain forms a
 * PSE holds; other forms go to asn1js, so reading an ordinary PSE loads no ASN.1 library.
 *
 * Why not asn1js for the framing: it builds an object tree of the whole input, about 10 µs per element;
 * a sec folder of 200 PSEs holds ~300 000 elements. Framing lazily also means key objects are never
 * opened at all, not even into a tree.
 */
import { asn1js } from '../../pki/x509.js';

/** Limits for one PSE. A hostile file hits a cap instead of exhausting memory or time. */
export const PSE_DER_LIMITS = {
  /** Real PSEs nest about 20 levels deep (container → content → object → certificate → extensions). */
  maxDepth: 40,
  /** Elements framed per PSE: about 1 500 certificates' worth. */
  maxNodes: 120_000,
} as const;

/** Tag classes (the two high bits of the identifier octet). */
export const UNIVERSAL = 0;
export const CONTEXT = 2;

export const TAGS = {
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  OID: 6,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  PRINTABLE_STRING: 19,
  T61_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  VISIBLE_STRING: 26,
} as const;

/** Why bytes are not the DER we expect; the PSE opener turns it into a ToolError naming the file. */
export class PseFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PseFormatError';
  }
}

/** Shared element budget of one parse. */
interface Budget {
  nodes: number;
}

/**
 * One framed element, as offsets into the buffer it was framed from: `raw` and `content` are views made
 * when asked for (most elements of a sec folder are framed and never read, so they cost no view objects).
 * `children` are framed on first use.
 */
export class Asn1Node {
  /** @internal Children, once framed. */
  kids?: Asn1Node[];
  /** @internal Set when the children were checked and counted (firstChildOf) but not kept. */
  counted?: boolean;
  /** @internal Set when the first child's children were checked and counted (certificateShaped). */
  firstKidCounted?: boolean;
  constructor(
    /** @internal The whole buffer the element was framed in. */
    readonly buf: Uint8Array,
    /** @internal Offset of the identifier octet in `buf`. */
    readonly start: number,
    /** @internal Offset of the first value byte in `buf`. */
    readonly valueStart: number,
    /** @internal Offset after the last value byte in `buf`. */
    readonly end: number,
    readonly tagClass: number,
    readonly constructed: boolean,
    readonly tag: number,
    readonly depth: number,
    /** @internal */
    readonly budget: Budget,
  ) {}

  /** The whole element (identifier, length, value): a view into the input. */
  get raw(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** The value bytes: a view into the input. */
  get content(): Uint8Array {
    return this.buf.subarray(this.valueStart, this.end);
  }
}

/** What `frameHeader` read last (one parse at a time; saves an object per element). */
let hId = 0;
let hTag = 0;
let hValueStart = 0;

/**
 * Check the header of the element at `offset` of `buf` (which must end by `limit`) and return the offset
 * after it; the identifier, tag and value offset are left in hId/hTag/hValueStart. Offsets in messages
 * count from `base`, the start of the value being framed. `count`: charge the element to the budget.
 */
function frameHeader(
  buf: Uint8Array,
  offset: number,
  limit: number,
  base: number,
  depth: number,
  budget: Budget,
  count: boolean,
): number {
  const shown = offset - base;
  if (depth > PSE_DER_LIMITS.maxDepth)
    throw new PseFormatError(`nesting deeper than ${PSE_DER_LIMITS.maxDepth} levels`);
  if (count && ++budget.nodes > PSE_DER_LIMITS.maxNodes)
    throw new PseFormatError(`more than ${PSE_DER_LIMITS.maxNodes} elements`);
  if (offset + 2 > limit) throw new PseFormatError(`an element header at byte ${shown} runs past the end`);
  const id = buf[offset] as number;
  let at = offset + 1;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    // High tag number form: at most 3 more octets (PSEs only use low tags; this just frames safely).
    tag = 0;
    for (let i = 0; ; i++) {
      if (at >= limit || i >= 3) throw new PseFormatError(`a tag at byte ${shown} is malformed`);
      const b = buf[at++] as number;
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (at >= limit) throw new PseFormatError(`an element header at byte ${shown} runs past the end`);
  const first = buf[at++] as number;
  let length: number;
  if (first < 0x80) length = first;
  else {
    const n = first & 0x7f;
    if (n === 0) throw new PseFormatError(`an indefinite length at byte ${shown} (not DER)`);
    if (n > 4) throw new PseFormatError(`a ${n}-byte length at byte ${shown}`);
    if (at + n > limit) throw new PseFormatError(`a length at byte ${shown} runs past the end`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[at++] as number);
  }
  if (length > limit - at) {
    throw new PseFormatError(`an element at byte ${shown} claims ${length} bytes, only ${limit - at} exist`);
  }
  hId = id;
  hTag = tag;
  hValueStart = at;
  return at + length;
}

/** The element whose header `frameHeader` just read, ending at `end`. */
function nodeFromHeader(buf: Uint8Array, start: number, end: number, depth: number, budget: Budget) {
  return new Asn1Node(buf, start, hValueStart, end, hId >> 6, (hId & 0x20) !== 0, hTag, depth, budget);
}

/**
 * Frame the one DER element that starts `bytes`. Its value is not looked into until `childrenOf` asks;
 * the result holds views into `bytes`, so copy what must outlive a buffer that gets wiped.
 */
export function parseDer(bytes: Uint8Array, what: string): { node: Asn1Node; trailing: number } {
  if (bytes.length === 0) throw new PseFormatError(`${what} is empty`);
  try {
    const budget = { nodes: 0 };
    const end = frameHeader(bytes, 0, bytes.length, 0, 0, budget, true);
    const node = nodeFromHeader(bytes, 0, end, 0, budget);
    return { node, trailing: bytes.length - end };
  } catch (err) {
    if (err instanceof PseFormatError) throw new PseFormatError(`${what} is not valid DER (${err.message})`);
    throw err;
  }
}

export function isUniversal(node: Asn1Node | undefined, tag: number): boolean {
  return node !== undefined && node.tagClass === UNIVERSAL && node.tag === tag;
}

export function isContext(node: Asn1Node | undefined, tag: number): boolean {
  return node !== undefined && node.tagClass === CONTEXT && node.tag === tag;
}

/** Children of a constructed element (empty for primitives), framed on first call. Throws PseFormatError. */
export function childrenOf(node: Asn1Node | undefined): Asn1Node[] {
  if (!node?.constructed) return [];
  if (node.kids) return node.kids;
  const kids: Asn1Node[] = [];
  const { buf, valueStart, end, budget } = node;
  const depth = node.depth + 1;
  // Children that firstChildOf already checked are not charged to the budget twice.
  const count = !node.counted;
  for (let at = valueStart; at < end; ) {
    const next = frameHeader(buf, at, end, valueStart, depth, budget, count);
    kids.push(nodeFromHeader(buf, at, next, depth, budget));
    at = next;
  }
  if (node.firstKidCounted && kids[0]) kids[0].counted = true;
  node.kids = kids;
  return kids;
}

/**
 * `childrenOf(node)[0]` without keeping the others: every child is checked and charged to the budget
 * exactly as `childrenOf` does (same errors, same order), but only the first becomes a node. For a quick
 * look at the start of an element whose other children are usually never needed (a certificate's TBS).
 */
export function firstChildOf(node: Asn1Node | undefined): Asn1Node | undefined {
  if (!node?.constructed) return undefined;
  if (node.kids) return node.kids[0];
  const { buf, valueStart, end, budget } = node;
  const depth = node.depth + 1;
  const count = !node.counted;
  let first: Asn1Node | undefined;
  for (let at = valueStart; at < end; ) {
    const next = frameHeader(buf, at, end, valueStart, depth, budget, count);
    first ??= nodeFromHeader(buf, at, next, depth, budget);
    at = next;
  }
  node.counted = true;
  return first;
}

/**
 * Is `node` shaped like a certificate: `SEQUENCE { SEQUENCE tbs, SEQUENCE, BIT STRING }` whose TBS starts
 * with `[0]` or an INTEGER? Checks and counts exactly what `childrenOf(node)` and then (when the three
 * tags fit) `firstChildOf` of the TBS would, with the same errors in the same order, but creates no
 * nodes; a later `childrenOf` of either does not count them again.
 */
export function certificateShaped(node: Asn1Node): boolean {
  if (!isUniversal(node, TAGS.SEQUENCE)) return false;
  if (!node.constructed || node.kids || node.counted) {
    // Already framed (or nothing to frame): the same test on the nodes.
    const parts = childrenOf(node);
    if (parts.length !== 3) return false;
    const [tbs, alg, sig] = parts;
    if (
      !isUniversal(tbs, TAGS.SEQUENCE) ||
      !isUniversal(alg, TAGS.SEQUENCE) ||
      !isUniversal(sig, TAGS.BIT_STRING)
    )
      return false;
    const first = firstChildOf(tbs);
    return isContext(first, 0) || isUniversal(first, TAGS.INTEGER);
  }
  const { buf, valueStart, end, budget } = node;
  const depth = node.depth + 1;
  let count = 0;
  let shaped = true;
  let tbsValueStart = 0;
  let tbsEnd = 0;
  let tbsConstructed = false;
  for (let at = valueStart; at < end; count++) {
    const next = frameHeader(buf, at, end, valueStart, depth, budget, true);
    const universal = hId >> 6 === UNIVERSAL;
    if (count === 0) {
      shaped &&= universal && hTag === TAGS.SEQUENCE;
      tbsValueStart = hValueStart;
      tbsEnd = next;
      tbsConstructed = (hId & 0x20) !== 0;
    } else if (count === 1) shaped &&= universal && hTag === TAGS.SEQUENCE;
    else if (count === 2) shaped &&= universal && hTag === TAGS.BIT_STRING;
    at = next;
  }
  node.counted = true;
  if (count !== 3 || !shaped || !tbsConstructed) return false;
  let firstId = -1;
  let firstTag = -1;
  for (let at = tbsValueStart; at < tbsEnd; ) {
    const next = frameHeader(buf, at, tbsEnd, tbsValueStart, depth + 1, budget, true);
    if (firstId < 0) {
      firstId = hId;
      firstTag = hTag;
    }
    at = next;
  }
  node.firstKidCounted = true;
  if (firstId < 0) return false;
  const tagClass = firstId >> 6;
  return (tagClass === CONTEXT && firstTag === 0) || (tagClass === UNIVERSAL && firstTag === TAGS.INTEGER);
}

/** The whole element (tag, length and value) as it was in the input. */
export function rawOf(node: Asn1Node): Uint8Array {
  return node.raw;
}

/** The value bytes of an element (after tag and length). */
export function contentOf(node: Asn1Node): Uint8Array {
  return node.content;
}

/** A small non-negative INTEGER as a number; undefined when absent, negative or above 2^48. */
export function readSmallInteger(node: Asn1Node | undefined): number | undefined {
  if (!node || !isUniversal(node, TAGS.INTEGER) || node.constructed) return undefined;
  const { buf, valueStart, end } = node;
  const length = end - valueStart;
  if (length === 0 || length > 6 || ((buf[valueStart] as number) & 0x80) !== 0) return undefined;
  let value = 0;
  for (let i = valueStart; i < end; i++) value = value * 256 + (buf[i] as number);
  return value;
}

/**
 * Values decoded by asn1js, by their bytes: only the forms the direct decoders below leave to it (odd
 * encodings, which a real PSE does not have), so a hostile file repeating one costs a lookup. Bounded.
 */
const DECODED = new Map<string, string | null>();
const MAX_DECODED = 4096;

function decodeCached(node: Asn1Node, decode: (raw: Uint8Array) => string | undefined): string | undefined {
  const key = Buffer.from(node.raw).toString('latin1');
  const hit = DECODED.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const value = decode(node.raw);
  if (DECODED.size >= MAX_DECODED) DECODED.clear();
  DECODED.set(key, value ?? null);
  return value;
}

/**
 * Dotted text of an OID in its plain form (a one-byte length, minimal sub-identifiers of at most four
 * bytes each), as asn1js gives it; undefined for any other form, which asn1js then decodes.
 */
function plainOid(node: Asn1Node): string | undefined {
  const { buf, start, valueStart, end } = node;
  if (valueStart - start !== 2) return undefined;
  let text = '';
  for (let at = valueStart, first = true; at < end; first = false) {
    if (buf[at] === 0x80) return undefined; // Not minimal: asn1js decides.
    let value = 0;
    let bytes = 0;
    for (;;) {
      if (at >= end || ++bytes > 4) return undefined;
      const b = buf[at++] as number;
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    if (first) text = value < 40 ? `0.${value}` : value < 80 ? `1.${value - 40}` : `2.${value - 80}`;
    else text += `.${value}`;
  }
  return text;
}

/** Dotted OID text, or undefined when the element is not a plausible OID. */
export function readOid(node: Asn1Node | undefined): string | undefined {
  if (!node || !isUniversal(node, TAGS.OID) || node.constructed) return undefined;
  const length = node.end - node.valueStart;
  if (length === 0 || length > 64) return undefined;
  return (
    plainOid(node) ??
    decodeCached(node, (raw) => {
      const lib = asn1js();
      const parsed = lib.fromBER(raw, { maxDepth: 1, maxNodes: 1, parseEmbedded: false });
      if (parsed.offset === -1 || !(parsed.result instanceof lib.ObjectIdentifier)) return undefined;
      const text = parsed.result.valueBlock.toString();
      return /^\d+(\.\d+)+$/.test(text) ? text : undefined;
    })
  );
}

const STRING_TAGS = new Set<number>([
  TAGS.PRINTABLE_STRING,
  TAGS.UTF8_STRING,
  TAGS.IA5_STRING,
  TAGS.VISIBLE_STRING,
  TAGS.T61_STRING,
]);

/** Text of a string element (PrintableString, UTF8String, IA5String, …), capped at 200 characters. */
export function readString(node: Asn1Node | undefined): string | undefined {
  if (!node || node.tagClass !== UNIVERSAL || node.constructed || !STRING_TAGS.has(node.tag))
    return undefined;
  const { buf, valueStart, end } = node;
  // A view of the first 800 value bytes (no copy), decoded.
  const text = Buffer.from(buf.buffer, buf.byteOffset + valueStart, Math.min(end - valueStart, 800)).toString(
    node.tag === TAGS.UTF8_STRING ? 'utf8' : 'latin1',
  );
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(buf: Uint8Array, at: number): number {
  const a = (buf[at] as number) - 0x30;
  const b = (buf[at + 1] as number) - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * ISO 8601 of a time in the one form a PSE writes (UTCTime `YYMMDDHHMMSSZ`, GeneralizedTime
 * `YYYYMMDDHHMMSSZ`, one-byte length), computed as asn1js computes it (Date.UTC of the fields, years
 * before 1950 for UTCTime's 50…99); null when not a valid date; undefined for any other form, which
 * asn1js then decodes (fractions, offsets, shorter forms).
 */
function plainTime(node: Asn1Node): string | null | undefined {
  const { buf, start, valueStart, end } = node;
  if (valueStart - start !== 2) return undefined;
  const utc = node.tag === TAGS.UTC_TIME;
  const digits = utc ? 12 : 14;
  if (end - valueStart !== digits + 1 || buf[end - 1] !== 0x5a) return undefined;
  const fields: number[] = [];
  for (let at = valueStart; at < end - 1; at += 2) {
    const v = twoDigits(buf, at);
    if (v < 0) return undefined;
    fields.push(v);
  }
  let year: number;
  if (utc) {
    const yy = fields.shift() as number;
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else year = (fields.shift() as number) * 100 + (fields.shift() as number);
  const [month, day, hour, minute, second] = fields as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, 0));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** ISO 8601 of a GeneralizedTime/UTCTime element, or undefined when not a valid time. */
export function readTime(node: Asn1Node | undefined): string | undefined {
  if (!node || node.tagClass !== UNIVERSAL || node.constructed) return undefined;
  if (node.tag !== TAGS.GENERALIZED_TIME && node.tag !== TAGS.UTC_TIME) return undefined;
  if (node.end - node.valueStart > 40) return undefined;
  const plain = plainTime(node);
  if (plain !== undefined) return plain ?? undefined;
  return decodeCached(node, (raw) => {
    try {
      const lib = asn1js();
      const parsed = lib.fromBER(raw, { maxDepth: 1, maxNodes: 1, parseEmbedded: false });
      if (parsed.offset === -1 || !(parsed.result instanceof lib.UTCTime)) return undefined;
      const date = parsed.result.toDate();
      return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
    } catch {
      return undefined;
    }
  });
}

/** Bytes of a DER header (identifier octet and length) for a value of `length` bytes. */
function headerLength(length: number): number {
  if (length < 0x80) return 2;
  let n = 2;
  for (let v = length; v > 0; v = Math.floor(v / 256)) n++;
  return n;
}

/**
 * One DER element from its identifier octet and the concatenated parts of its value, written into one
 * buffer (no intermediate copies: a sec folder re-assembles a PKRoot in every PSE).
 */
export function encodeDer(identifier: number, ...parts: Uint8Array[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const header = headerLength(length);
  const out = Buffer.allocUnsafe(header + length);
  out[0] = identifier;
  if (header === 2) out[1] = length;
  else {
    out[1] = 0x80 | (header - 2);
    for (let i = header - 1, v = length; i >= 2; i--, v = Math.floor(v / 256)) out[i] = v % 256;
  }
  let at = header;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Identifier octets used when re-assembling certificates. */
export const ID = {
  SEQUENCE: 0x30,
  CONTEXT_CONSTRUCTED: (n: number) => 0xa0 | n,
} as const;
