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

/** Literals found anywhere in a line, and literals a line (or a part of it) starts with after blanks. */
export class LiteralGate {
  /**
   * Per pair of characters (packed, 14 bits): bit 1, the pair is a two-character literal; bit 2, a
   * three-character literal starts with it; bit 4, a longer one does. Most pairs of a line have none,
   * so one look-up in this 16 KiB table rules out most positions.
   */
  private readonly pairs = new Uint8Array(1 << 14);
  /** Three-character literals, by their packed characters (few: looked up only where a pair flags one). */
  private readonly three = new Set<number>();
  /** Longer literals: their first four characters hashed (one bit each), then the literals by those four. */
  private readonly fourHash = new Uint8Array(1 << (HASH_BITS - 3));
  private readonly byFour = new Map<number, string[]>();
  /** Start literals, by their first character. */
  private readonly starts = new Map<number, string[]>();

  /**
   * @param anywhere literals of at least two characters (a one-character literal is refused)
   * @param atStart literals of at least one character, tested by `startsWith`
   */
  constructor(anywhere: Iterable<string>, atStart: Iterable<string> = []) {
    for (const raw of anywhere) {
      const s = raw.toLowerCase();
      if (!isAscii(s)) continue; // see the module comment
      if (s.length < 2) throw new Error(`literal too short for the gate: ${JSON.stringify(raw)}`);
      let v = 0;
      for (let i = 0; i < Math.min(4, s.length); i++) v = ((v << 7) | s.charCodeAt(i)) & MASK4;
      const first = (s.charCodeAt(0) << 7) | s.charCodeAt(1);
      if (s.length === 2) this.pairs[first]! |= 1;
      else if (s.length === 3) {
        this.pairs[first]! |= 2;
        this.three.add(v);
      } else {
        this.pairs[first]! |= 4;
        const h = hash(v);
        this.fourHash[h >>> 3]! |= 1 << (h & 7);
        const list = this.byFour.get(v);
        if (list) list.push(s);
        else this.byFour.set(v, [s]);
      }
    }
    for (const raw of atStart) {
      const s = raw.toLowerCase();
      if (!isAscii(s)) continue;
      if (s.length === 0) throw new Error('empty start literal');
      const list = this.starts.get(s.charCodeAt(0));
      if (list) list.push(s);
      else this.starts.set(s.charCodeAt(0), [s]);
    }
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
