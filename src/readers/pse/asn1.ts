/**
 * @module Bounded, lazy DER access for PSE files: a small walker that frames elements (definite lengths
 * checked against the bytes that exist, nesting depth and element count capped) and opens a constructed
 * element only when asked, plus asn1js for decoding small primitive values (OIDs, times).
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

/** One framed element. `children` are framed on first use. */
export interface Asn1Node {
  tagClass: number;
  constructed: boolean;
  tag: number;
  /** The whole element (identifier, length, value): a view into the input. */
  raw: Uint8Array;
  /** The value bytes: a view into the input. */
  content: Uint8Array;
  depth: number;
  /** @internal */
  budget: Budget;
  /** @internal */
  kids?: Asn1Node[];
}

/** Frame the element starting at `offset` of `buf`, which must end by `limit`. */
function frame(buf: Uint8Array, offset: number, limit: number, depth: number, budget: Budget): Asn1Node {
  if (depth > PSE_DER_LIMITS.maxDepth)
    throw new PseFormatError(`nesting deeper than ${PSE_DER_LIMITS.maxDepth} levels`);
  if (++budget.nodes > PSE_DER_LIMITS.maxNodes)
    throw new PseFormatError(`more than ${PSE_DER_LIMITS.maxNodes} elements`);
  if (offset + 2 > limit) throw new PseFormatError(`an element header at byte ${offset} runs past the end`);
  const id = buf[offset] as number;
  let at = offset + 1;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    // High tag number form: at most 3 more octets (PSEs only use low tags; this just frames safely).
    tag = 0;
    for (let i = 0; ; i++) {
      if (at >= limit || i >= 3) throw new PseFormatError(`a tag at byte ${offset} is malformed`);
      const b = buf[at++] as number;
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (at >= limit) throw new PseFormatError(`an element header at byte ${offset} runs past the end`);
  const first = buf[at++] as number;
  let length: number;
  if (first < 0x80) length = first;
  else {
    const n = first & 0x7f;
    if (n === 0) throw new PseFormatError(`an indefinite length at byte ${offset} (not DER)`);
    if (n > 4) throw new PseFormatError(`a ${n}-byte length at byte ${offset}`);
    if (at + n > limit) throw new PseFormatError(`a length at byte ${offset} runs past the end`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[at++] as number);
  }
  if (length > limit - at) {
    throw new PseFormatError(`an element at byte ${offset} claims ${length} bytes, only ${limit - at} exist`);
  }
  return {
    tagClass: id >> 6,
    constructed: (id & 0x20) !== 0,
    tag,
    raw: buf.subarray(offset, at + length),
    content: buf.subarray(at, at + length),
    depth,
    budget,
  };
}

/**
 * Frame the one DER element that starts `bytes`. Its value is not looked into until `childrenOf` asks;
 * the result holds views into `bytes`, so copy what must outlive a buffer that gets wiped.
 */
export function parseDer(bytes: Uint8Array, what: string): { node: Asn1Node; trailing: number } {
  if (bytes.length === 0) throw new PseFormatError(`${what} is empty`);
  try {
    const node = frame(bytes, 0, bytes.length, 0, { nodes: 0 });
    return { node, trailing: bytes.length - node.raw.length };
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
  const buf = node.content;
  for (let at = 0; at < buf.length; ) {
    const child = frame(buf, at, buf.length, node.depth + 1, node.budget);
    kids.push(child);
    at += child.raw.length;
  }
  node.kids = kids;
  return kids;
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
  const bytes = node.content;
  if (bytes.length === 0 || bytes.length > 6 || ((bytes[0] as number) & 0x80) !== 0) return undefined;
  let value = 0;
  for (const b of bytes) value = value * 256 + b;
  return value;
}

/**
 * Decoded primitive values by their bytes: a PSE repeats the same few OIDs and time stamps many times,
 * and an asn1js decode costs far more than a lookup. Bounded.
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

/** Dotted OID text (decoded by asn1js), or undefined when the element is not a plausible OID. */
export function readOid(node: Asn1Node | undefined): string | undefined {
  if (
    !node ||
    !isUniversal(node, TAGS.OID) ||
    node.constructed ||
    node.content.length === 0 ||
    node.content.length > 64
  ) {
    return undefined;
  }
  return decodeCached(node, (raw) => {
    const lib = asn1js();
    const parsed = lib.fromBER(raw, { maxDepth: 1, maxNodes: 1, parseEmbedded: false });
    if (parsed.offset === -1 || !(parsed.result instanceof lib.ObjectIdentifier)) return undefined;
    const text = parsed.result.valueBlock.toString();
    return /^\d+(\.\d+)+$/.test(text) ? text : undefined;
  });
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
  const text = Buffer.from(node.content.subarray(0, 800)).toString(
    node.tag === TAGS.UTF8_STRING ? 'utf8' : 'latin1',
  );
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** ISO 8601 of a GeneralizedTime/UTCTime element (decoded by asn1js), or undefined when not a valid time. */
export function readTime(node: Asn1Node | undefined): string | undefined {
  if (!node || node.tagClass !== UNIVERSAL || node.constructed) return undefined;
  if (node.tag !== TAGS.GENERALIZED_TIME && node.tag !== TAGS.UTC_TIME) return undefined;
  if (node.content.length > 40) return undefined;
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

/** Encode a DER length. */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One DER element from its identifier octet and the concatenated parts of its value. */
export function encodeDer(identifier: number, ...parts: Uint8Array[]): Buffer {
  const content = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([identifier]), encodeLength(content.length), content]);
}

/** Identifier octets used when re-assembling certificates. */
export const ID = {
  SEQUENCE: 0x30,
  CONTEXT_CONSTRUCTED: (n: number) => 0xa0 | n,
} as const;
