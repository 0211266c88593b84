/**
 * @module A byte-level test for "this line holds one of many literals", one pass over its bytes with
 * table look-ups and no string made. Literals are lower-case ASCII; the line is lower-cased as it is
 * read. A line holding a byte outside printable ASCII (0x00 or 0x80 and above) always counts as a hit:
 * the literals say nothing about such text (a regex's `i` flag or the recogniser's `toLowerCase` may map
 * other characters onto them), so the caller must read it in full.
 */

import type { LiteralTables } from './wasm-gate.js';

/** 7-bit characters packed four to an int: the last four characters read. */
const MASK4 = 0xfffffff;
const MASK3 = (1 << 21) - 1;
const MASK2 = (1 << 14) - 1;
const HASH_BITS = 16;

function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

const BLANK = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

/**
 * A gate's tables as JSON keeps them (`LiteralGate.pack`, `LiteralGate.unpack`): the two bitmaps in base64
 * ('' when all zero), the maps as lists of entries. The build writes them for the quiet gate
 * (scripts/build-steps/27-quiet-gate.mjs), so a run loads them without any work per literal.
 */
export interface PackedLiteralTables {
  pairs: string;
  fourHash: string;
  three: number[];
  byFour: [number, string[]][];
  starts: [number, string[]][];
}

const PAIRS_BYTES = 1 << 14;
const FOUR_HASH_BYTES = 1 << (HASH_BITS - 3);

interface Tables {
  pairs: Uint8Array;
  three: Set<number>;
  fourHash: Uint8Array;
  byFour: Map<number, string[]>;
  starts: Map<number, string[]>;
}

/** Literals found anywhere in a line, and literals a line (or a part of it) starts with after blanks. */
export class LiteralGate {
  /**
   * Per pair of characters (packed, 14 bits): bit 1, the pair is a two-character literal; bit 2, a
   * three-character literal starts with it; bit 4, a longer one does. Most pairs of a line have none,
   * so one look-up in this 16 KiB table rules out most positions.
   */
  private readonly pairs: Uint8Array;
  /** Three-character literals, by their packed characters (few: looked up only where a pair flags one). */
  private readonly three: Set<number>;
  /** Longer literals: their first four characters hashed (one bit each), then the literals by those four. */
  private readonly fourHash: Uint8Array;
  private readonly byFour: Map<number, string[]>;
  /** Start literals, by their first character. */
  private readonly starts: Map<number, string[]>;

  private constructor(t: Tables) {
    this.pairs = t.pairs;
    this.three = t.three;
    this.fourHash = t.fourHash;
    this.byFour = t.byFour;
    this.starts = t.starts;
  }

  /**
   * The gate over literals (lower-cased and packed here, one by one).
   * @param anywhere literals of at least two characters (a one-character literal is refused)
   * @param atStart literals of at least one character, tested by `startsWith`
   */
  static of(anywhere: Iterable<string>, atStart: Iterable<string> = []): LiteralGate {
    const t: Tables = {
      pairs: new Uint8Array(PAIRS_BYTES),
      three: new Set(),
      fourHash: new Uint8Array(FOUR_HASH_BYTES),
      byFour: new Map(),
      starts: new Map(),
    };
    for (const raw of anywhere) {
      const s = raw.toLowerCase();
      if (!isAscii(s)) continue; // see the module comment
      if (s.length < 2) throw new Error(`literal too short for the gate: ${JSON.stringify(raw)}`);
      let v = 0;
      for (let i = 0; i < Math.min(4, s.length); i++) v = ((v << 7) | s.charCodeAt(i)) & MASK4;
      const first = (s.charCodeAt(0) << 7) | s.charCodeAt(1);
      if (s.length === 2) t.pairs[first]! |= 1;
      else if (s.length === 3) {
        t.pairs[first]! |= 2;
        t.three.add(v);
      } else {
        t.pairs[first]! |= 4;
        const h = hash(v);
        t.fourHash[h >>> 3]! |= 1 << (h & 7);
        const list = t.byFour.get(v);
        if (list) list.push(s);
        else t.byFour.set(v, [s]);
      }
    }
    for (const raw of atStart) {
      const s = raw.toLowerCase();
      if (!isAscii(s)) continue;
      if (s.length === 0) throw new Error('empty start literal');
      const list = t.starts.get(s.charCodeAt(0));
      if (list) list.push(s);
      else t.starts.set(s.charCodeAt(0), [s]);
    }
    return new LiteralGate(t);
  }

  /** The gate over tables `pack` wrote: no work per literal (the bitmaps are decoded natively). */
  static unpack(p: PackedLiteralTables): LiteralGate {
    return new LiteralGate({
      pairs: bitmap(p.pairs, PAIRS_BYTES),
      three: new Set(p.three),
      fourHash: bitmap(p.fourHash, FOUR_HASH_BYTES),
      byFour: new Map(p.byFour),
      starts: new Map(p.starts),
    });
  }

  /** The tables as `unpack` reads them (JSON-safe). */
  pack(): PackedLiteralTables {
    return {
      pairs: base64(this.pairs),
      fourHash: base64(this.fourHash),
      three: [...this.three],
      byFour: [...this.byFour],
      starts: [...this.starts],
    };
  }

  /** The tables, for the same test in WebAssembly (wasm-scan.ts). */
  tables(): LiteralTables {
    return { pairs: this.pairs, three: this.three, byFour: this.byFour, starts: this.starts };
  }

  /** Whether `buf[s, e)` holds a literal of `anywhere` (or a byte outside printable ASCII). */
  has(buf: Uint8Array, s: number, e: number): boolean {
    const pairs = this.pairs;
    let v = 0;
    // The pair flags of the last three positions, three bits each: the pair ending here, one back, two back.
    let h = 0;
    for (let i = s; i < e; i++) {
      const b = buf[i]!;
      if (b === 0 || b >= 0x80) return true;
      v = ((v << 7) | (b >= 0x41 && b <= 0x5a ? b | 0x20 : b)) & MASK4;
      h = ((h << 3) | pairs[v & MASK2]!) & 0x1ff;
      if (h === 0) continue;
      // A two-character literal ends here; a three-character one starts two back; a longer one three back.
      if ((h & 1) !== 0) return true;
      if ((h & 0x10) !== 0 && this.three.has(v & MASK3)) return true;
      if ((h & 0x100) !== 0) {
        const k = hash(v);
        if ((this.fourHash[k >>> 3]! & (1 << (k & 7))) !== 0 && anyAt(this.byFour.get(v), buf, i - 3, e, 4))
          return true;
      }
    }
    return false;
  }

  /** Whether `buf[s, e)`, its leading blanks skipped, starts with a literal of `atStart`. */
  startsWith(buf: Uint8Array, s: number, e: number): boolean {
    let p = s;
    while (p < e && BLANK(buf[p]!)) p++;
    if (p >= e) return false;
    return anyAt(this.starts.get(lower(buf[p]!)), buf, p, e, 1);
  }
}

/** Whether one of `list` occurs at `buf[at…)` before `e`, its first `known` characters already matched. */
function anyAt(
  list: readonly string[] | undefined,
  buf: Uint8Array,
  at: number,
  e: number,
  known: number,
): boolean {
  if (!list) return false;
  for (let j = 0; j < list.length; j++) {
    const lit = list[j]!;
    if (at + lit.length > e) continue;
    let k = known;
    while (k < lit.length && lower(buf[at + k]!) === lit.charCodeAt(k)) k++;
    if (k === lit.length) return true;
  }
  return false;
}

/** Only characters 0x01–0x7f (see the module comment). */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 0x7f) return false;
  }
  return true;
}

function hash(v: number): number {
  return Math.imul(v, 0x9e3779b1) >>> (32 - HASH_BITS);
}

/** A bitmap in base64, '' when all zero. */
function base64(t: Uint8Array): string {
  return t.some((b) => b !== 0) ? Buffer.from(t.buffer, t.byteOffset, t.length).toString('base64') : '';
}

/** The bitmap `base64` wrote, of `bytes` bytes. */
function bitmap(b64: string, bytes: number): Uint8Array {
  if (b64 === '') return new Uint8Array(bytes);
  const b = Buffer.from(b64, 'base64');
  if (b.length !== bytes) throw new Error(`packed gate table of ${b.length} bytes, not ${bytes}`);
  // A plain Uint8Array over the decoded bytes (no copy), as the tables built from literals are.
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}
