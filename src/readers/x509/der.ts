/**
 * @module A small, bounded BER/DER walker for hostile certificate containers: every length is checked
 * against the bytes that exist, nesting depth and element count are capped, and nothing recurses without a
 * depth bound. Used to vet bytes before a full parser sees them and to pick apart PKCS#7 and PKCS#12.
 */

/** One tag-length-value element. `start`…`end` covers the whole element; `contentStart`…`contentEnd` the value. */
export interface Tlv {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  tagClass: number;
  constructed: boolean;
  tag: number;
  start: number;
  contentStart: number;
  contentEnd: number;
  end: number;
  /** BER indefinite length (ends with 00 00); never in DER, but PKCS#12 files from some tools use it. */
  indefinite: boolean;
}

/** Why a structure could not be read; the caller turns it into a ToolError naming the input. */
export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** Limits for one walk. Defaults suit certificates and certificate containers. */
export interface DerLimits {
  /** Deepest nesting of constructed elements. Real certificates stay below 15. */
  maxDepth: number;
  /** Most elements in one walk. */
  maxElements: number;
}

export const DEFAULT_DER_LIMITS: DerLimits = { maxDepth: 48, maxElements: 500_000 };

export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  PRINTABLE_STRING: 19,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  BMP_STRING: 30,
} as const;

/**
 * Read the header of the element at `offset` (which must end by `limit`). Checks that a definite length
 * fits in the bytes that exist; for an indefinite length, `contentEnd`/`end` are found by `walkDer`
 * (here they are set to `limit` and must not be trusted).
 */
export function readHeader(buf: Uint8Array, offset: number, limit: number): Tlv {
  if (offset >= limit) throw new DerError(`unexpected end of data at byte ${offset}`);
  const first = buf[offset]!;
  const tagClass = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  let pos = offset + 1;
  if (tag === 0x1f) {
    // High tag number form: base-128, capped at 4 bytes (no real container needs more).
    tag = 0;
    for (let i = 0; ; i++) {
      if (pos >= limit) throw new DerError(`tag runs past the end of data at byte ${offset}`);
      if (i >= 4) throw new DerError(`tag number too long at byte ${offset}`);
      const b = buf[pos++]!;
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (pos >= limit) throw new DerError(`length missing at byte ${pos} (data truncated)`);
  const lenByte = buf[pos++]!;
  if (lenByte === 0x80) {
    if (!constructed) throw new DerError(`indefinite length on a primitive element at byte ${offset}`);
    return {
      tagClass,
      constructed,
      tag,
      start: offset,
      contentStart: pos,
      contentEnd: limit,
      end: limit,
      indefinite: true,
    };
  }
  let length = lenByte;
  if (lenByte & 0x80) {
    const n = lenByte & 0x7f;
    if (n > 4) throw new DerError(`length field of ${n} bytes at byte ${offset} is absurd`);
    if (pos + n > limit) throw new DerError(`length field runs past the end of data at byte ${offset}`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++]!;
  }
  const contentEnd = pos + length;
  if (contentEnd > limit) {
    throw new DerError(
      `element at byte ${offset} claims ${length} bytes but only ${limit - pos} remain (truncated or corrupt)`,
    );
  }
  return {
    tagClass,
    constructed,
    tag,
    start: offset,
    contentStart: pos,
    contentEnd,
    end: contentEnd,
    indefinite: false,
  };
}

/**
 * Walk the whole element at `offset` iteratively, checking every nested length, the depth and the element
 * count; resolves indefinite lengths. Returns the top element with exact bounds.
 */
export function walkDer(
  buf: Uint8Array,
  offset = 0,
  limit = buf.length,
  limits: DerLimits = DEFAULT_DER_LIMITS,
): Tlv {
  const top = readHeader(buf, offset, limit);
  // Explicit stack of open constructed elements; each frame remembers where its next child starts.
  const stack: { tlv: Tlv; next: number }[] = [];
  let count = 1;
  if (top.constructed) stack.push({ tlv: top, next: top.contentStart });
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { tlv } = frame;
    if (tlv.indefinite) {
      if (frame.next + 1 < limit && buf[frame.next] === 0 && buf[frame.next + 1] === 0) {
        tlv.contentEnd = frame.next;
        tlv.end = frame.next + 2;
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) parent.next = tlv.end;
        continue;
      }
      if (frame.next >= limit)
        throw new DerError(`indefinite-length element at byte ${tlv.start} never ends`);
    } else if (frame.next >= tlv.contentEnd) {
      if (frame.next > tlv.contentEnd) throw new DerError(`element at byte ${tlv.start} overruns its parent`);
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) parent.next = tlv.end;
      continue;
    }
    const childLimit = tlv.indefinite ? limit : tlv.contentEnd;
    const child = readHeader(buf, frame.next, childLimit);
    if (++count > limits.maxElements) {
      throw new DerError(`more than ${limits.maxElements} ASN.1 elements: refusing to read further`);
    }
    if (child.constructed) {
      if (stack.length + 1 > limits.maxDepth) {
        throw new DerError(
          `ASN.1 nesting deeper than ${limits.maxDepth} levels: not a certificate container`,
        );
      }
      stack.push({ tlv: child, next: child.contentStart });
    } else {
      frame.next = child.end;
    }
  }
  return top;
}

/**
 * The direct children of a constructed element that `walkDer` has already vetted (so bounds are exact).
 * Indefinite-length children are resolved with a bounded walk of their own.
 */
export function childrenOf(buf: Uint8Array, parent: Tlv, limits: DerLimits = DEFAULT_DER_LIMITS): Tlv[] {
  if (!parent.constructed) throw new DerError(`element at byte ${parent.start} is not constructed`);
  const out: Tlv[] = [];
  let pos = parent.contentStart;
  while (pos < parent.contentEnd) {
    if (parent.indefinite && buf[pos] === 0 && buf[pos + 1] === 0) break;
    const child = readHeader(buf, pos, parent.contentEnd);
    const exact = child.indefinite ? walkDer(buf, pos, parent.contentEnd, limits) : child;
    out.push(exact);
    pos = exact.end;
  }
  return out;
}

/** Content bytes of a primitive element. */
export function contentOf(buf: Uint8Array, tlv: Tlv): Uint8Array {
  return buf.subarray(tlv.contentStart, tlv.contentEnd);
}

/** The bytes of an OCTET STRING, joining the segments of a BER constructed one. */
export function octetsOf(buf: Uint8Array, tlv: Tlv, depth = 0): Uint8Array {
  if (!tlv.constructed) return contentOf(buf, tlv);
  if (depth > 8) throw new DerError(`constructed OCTET STRING nested too deeply at byte ${tlv.start}`);
  const parts = childrenOf(buf, tlv).map((c) => octetsOf(buf, c, depth + 1));
  return Buffer.concat(parts);
}

/** Dotted form of an OBJECT IDENTIFIER element. */
export function oidOf(buf: Uint8Array, tlv: Tlv): string {
  if (tlv.tagClass !== 0 || tlv.tag !== TAG.OID) throw new DerError(`expected an OID at byte ${tlv.start}`);
  const bytes = contentOf(buf, tlv);
  if (bytes.length === 0 || bytes.length > 64) throw new DerError(`bad OID length at byte ${tlv.start}`);
  const arcs: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 256) throw new DerError(`OID arc too large at byte ${tlv.start}`);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const firstArc = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(firstArc, value - firstArc * 40);
      } else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

/** A non-negative INTEGER as a number; larger values than `max` are reported, not wrapped. */
export function smallIntOf(buf: Uint8Array, tlv: Tlv, max = Number.MAX_SAFE_INTEGER): number {
  if (tlv.tagClass !== 0 || tlv.tag !== TAG.INTEGER)
    throw new DerError(`expected an INTEGER at byte ${tlv.start}`);
  const bytes = contentOf(buf, tlv);
  if (bytes.length === 0) throw new DerError(`empty INTEGER at byte ${tlv.start}`);
  if ((bytes[0]! & 0x80) !== 0) throw new DerError(`negative INTEGER at byte ${tlv.start}`);
  let value = 0;
  for (const b of bytes) {
    value = value * 256 + b;
    if (value > max) return Number.POSITIVE_INFINITY;
  }
  return value;
}

/** True when the element is universal with this tag number. */
export function isUniversal(tlv: Tlv | undefined, tag: number): tlv is Tlv {
  return tlv !== undefined && tlv.tagClass === 0 && tlv.tag === tag;
}

/** True when the element is context-specific `[n]`. */
export function isContext(tlv: Tlv | undefined, tag: number): tlv is Tlv {
  return tlv !== undefined && tlv.tagClass === 2 && tlv.tag === tag;
}

/** Expect a universal element of `tag`; throws a DerError naming `what` otherwise. */
export function expectUniversal(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!isUniversal(tlv, tag)) throw new DerError(`${what} is missing or malformed`);
  return tlv;
}
