/** @module Buffer-level prefilter: finds the next line holding one of a set of marker strings, without decoding. */
import { finderFor, type WasmFinder } from './wasm-scan.js';

/**
 * Bytes of the sample the anchors are calibrated on: enough to tell rare byte pairs from common ones in
 * a trace (the kernel markers of the bench traces get the same anchors from 2 KiB as from 8 KiB), and
 * cheap: a JavaScript loop over each byte, run once per marker set (a trace has two) before the first
 * search. With 8 KiB the loop ran often enough for V8 to compile it with TurboFan in every trace past
 * the head, on the second core and for nothing: the 250 KiB bench trace touched about 480 pages more
 * and spent 10–20 ms more CPU (perf stat, 10 runs each) than with 2 KiB.
 */
export const CALIBRATION_BYTES = 2 * 1024;

interface Entry {
  bytes: Uint8Array;
  /** Index of the anchor pair inside the marker. */
  offset: number;
}

interface Group {
  /** The anchor: up to four bytes of the marker, starting at its rarest pair of adjacent bytes. */
  needle: Buffer;
  entries: Entry[];
}

/**
 * A set of ASCII markers searched in raw buffers. Each marker is anchored on its rarest pair of adjacent
 * bytes (rarity measured on a sample of the input, usually its head); markers sharing an anchor are
 * found with one native `indexOf` pass, and each occurrence is verified in place. On trace noise this
 * touches few bytes in JavaScript: the native search skips almost everything.
 */
export class MarkerSet {
  readonly markers: readonly string[];
  private groups: Group[] = [];
  private cacheBuf: Buffer | undefined;
  /** Next verified hit per group, for `cacheBuf`; -1 none; -2 not computed. */
  private next: number[] = [];
  private from: number[] = [];
  /** Sample given to `calibrate` and not yet used: anchoring waits for the first `find`. */
  private pending: Buffer | undefined;

  constructor(markers: readonly string[], sample?: Buffer) {
    for (const m of markers) {
      if (m.length === 0 || m.includes('\n') || m.includes('\r') || /[^\x20-\x7e]/.test(m))
        throw new Error(`marker must be non-empty printable ASCII: ${JSON.stringify(m)}`);
    }
    this.markers = markers;
    this.calibrate(sample ?? Buffer.alloc(0));
  }

  /**
   * Re-anchor every marker on its cheapest byte pair in `sample` (ties: the earliest position). The
   * work is done at the first `find`: inputs read in full never search for markers and skip it. The
   * sample is copied (the caller may reuse its buffer).
   */
  calibrate(sample: Buffer): void {
    this.pending = Buffer.from(sample.subarray(0, CALIBRATION_BYTES));
    this.cacheBuf = undefined;
  }

  private anchor(sample: Buffer): void {
    // Only the byte pairs the markers hold are counted (a table of all 65,536 per input would be
    // allocated and cleared again for every upload a server reads).
    const { slots, count } = pairSlots(this.markers);
    const single = new Uint32Array(256);
    // counts[0] takes every pair no marker holds, so the loop needs no branch.
    const counts = new Uint32Array(count + 1);
    const n = Math.min(sample.length, CALIBRATION_BYTES);
    let prev = n > 0 ? sample[0]! : 0;
    if (n > 0) single[prev]!++;
    for (let i = 1; i < n; i++) {
      const b = sample[i]!;
      single[b]!++;
      counts[slots[(prev << 8) | b]!]!++;
      prev = b;
    }
    const pairOf = (key: number) => {
      const slot = slots[key]!;
      return slot > 0 ? counts[slot]! : 0;
    };
    // The native search walks the occurrences of the needle's first byte; each full pair found costs a
    // verification in JavaScript, about twenty times more. A prior prefers capitals and punctuation
    // when the sample is empty or too small to tell.
    const prior = (b: number) => (isLower(b) ? 4 : b === 0x20 ? 6 : 0);
    const cost = (a: number, b: number) =>
      single[a]! + prior(a) + 20 * (pairOf((a << 8) | b) + (prior(b) > 0 ? 1 : 0));
    const byNeedle = new Map<string, Entry[]>();
    for (const m of this.markers) {
      const bytes = Buffer.from(m, 'latin1');
      let best = 0;
      let bestCost = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < bytes.length; i++) {
        const c = cost(bytes[i]!, bytes[i + 1]!);
        if (c < bestCost) {
          bestCost = c;
          best = i;
        }
      }
      // The needle runs on from the anchor for up to four bytes: the native search checks them, so
      // fewer candidates reach the JavaScript verification.
      const needle = bytes.subarray(best, Math.min(best + 4, bytes.length)).toString('latin1');
      const list = byNeedle.get(needle) ?? [];
      list.push({ bytes, offset: best });
      byNeedle.set(needle, list);
    }
    this.groups = [...byNeedle.entries()].map(([needle, entries]) => ({
      needle: Buffer.from(needle, 'latin1'),
      entries,
    }));
    this.cacheBuf = undefined;
  }

  /** The anchors the markers are searched by, after calibrating (for tests). */
  anchors(): string[] {
    if (this.pending) {
      this.anchor(this.pending);
      this.pending = undefined;
    }
    return this.groups.map((g) => g.needle.toString('latin1'));
  }

  /**
   * The WebAssembly finder of these markers (wasm-scan.ts): one pass that finds the first marker and
   * counts line breaks on the way. Undefined where WebAssembly SIMD is missing or the list is long.
   */
  finder(): WasmFinder | undefined {
    return finderFor(this.markers);
  }

  /** Forget cached positions (the bytes of a buffer seen before may have changed: reused buffers). */
  reset(): void {
    this.cacheBuf = undefined;
  }

  /** Position of the anchor of the first marker occurrence in `buf[from, to)`, or -1. */
  find(buf: Buffer, from: number, to: number): number {
    if (this.pending) {
      this.anchor(this.pending);
      this.pending = undefined;
    }
    if (this.cacheBuf !== buf) {
      this.cacheBuf = buf;
      this.next = this.groups.map(() => -2);
      this.from = this.groups.map(() => 0);
    }
    let best = -1;
    for (let g = 0; g < this.groups.length; g++) {
      let hit = this.next[g]!;
      if (hit === -2 || (hit >= 0 && hit < from) || (hit === -1 && this.from[g]! > from)) {
        hit = this.scanGroup(this.groups[g]!, buf, from, buf.length);
        this.next[g] = hit;
        this.from[g] = from;
      }
      if (hit >= 0 && hit < to && (best < 0 || hit < best)) best = hit;
    }
    return best;
  }

  private scanGroup(group: Group, buf: Buffer, from: number, to: number): number {
    let p = from;
    while (p < to) {
      const i = buf.indexOf(group.needle, p);
      if (i < 0 || i >= to) return -1;
      for (const e of group.entries) {
        const start = i - e.offset;
        const len = e.bytes.length;
        if (start < 0 || start + len > buf.length) continue;
        let k = 0;
        while (k < len && buf[start + k] === e.bytes[k]) k++;
        if (k === len) return i;
      }
      p = i + 1;
    }
    return -1;
  }
}

/** Per marker list: the slot (1, 2, …) of every byte pair its markers hold (0: none), built once per list. */
const PAIR_SLOTS = new WeakMap<readonly string[], { slots: Uint16Array; count: number }>();

function pairSlots(markers: readonly string[]): { slots: Uint16Array; count: number } {
  let plan = PAIR_SLOTS.get(markers);
  if (!plan) {
    // Zeroed memory needs no fill; printable ASCII has fewer than 65,535 pairs.
    const slots = new Uint16Array(65536);
    let count = 0;
    for (const m of markers)
      for (let i = 0; i + 1 < m.length; i++) {
        const key = (m.charCodeAt(i) << 8) | m.charCodeAt(i + 1);
        if (slots[key] === 0) slots[key] = ++count;
      }
    plan = { slots, count };
    PAIR_SLOTS.set(markers, plan);
  }
  return plan;
}

function isLower(b: number): boolean {
  return b >= 0x61 && b <= 0x7a;
}
