/**
 * @module Which lines past the small always-read head of a kernel trace (up to 64 KiB) are read although
 * they hold no prefilter marker: every line that is not a `[Thr …]` line (a paste of another stack's
 * messages, a header, a blank line), the SSL initialisation block and the truncation notice, which
 * describe the trace itself, and in an excerpt without the trace file's header also failure lines
 * printed without `ERROR` (KERNEL_FAILURE_WORDS: lines copied out of a trace without their `*** ERROR =>`
 * line). Otherwise, and further on, the `[Thr …]` lines of a failure are reached through its `ERROR` line.
 */
import { MarkerSet } from '../text/marker-set.js';
import { KERNEL_FAILURE_WORDS } from './markers.js';

/** `[Thr `: a kernel trace line (the scanner's byte-level tests share this one). */
export function isThreadLine(buf: Uint8Array, s: number, e: number): boolean {
  return (
    e - s >= 5 &&
    buf[s] === 0x5b &&
    buf[s + 1] === 0x54 &&
    buf[s + 2] === 0x68 &&
    buf[s + 3] === 0x72 &&
    buf[s + 4] === 0x20
  );
}

/** The trace-info line types that need no failure around them (line-types.ts). */
const INFO_MARKERS: readonly string[] = ['SSL Initialization', 'TRACE FILE TRUNCATED'];
const EXCERPT_MARKERS: readonly string[] = [...INFO_MARKERS, ...KERNEL_FAILURE_WORDS];

/** See the module comment. */
export class HeadGate {
  private readonly info: MarkerSet;

  /**
   * @param excerpt kernel lines without the trace file's header: failure lines printed without `ERROR`
   *   are read too (each word is one more search over the zone: some 10 µs per 64 KiB, which a whole
   *   trace file, whose failures print their `ERROR` line, does not pay).
   */
  constructor(excerpt = false) {
    this.info = new MarkerSet(excerpt ? EXCERPT_MARKERS : INFO_MARKERS);
  }

  /**
   * The buffer `next` belongs to, and the first marker hit in it at or after the last line asked (-1:
   * none up to `to`).
   */
  private buf: Buffer | undefined;
  private next = -1;

  /** Whether the line `buf[s, e)` is read; no line starting at or past `zoneEnd` is asked about. */
  wants(buf: Buffer, s: number, e: number, zoneEnd: number): boolean {
    if (!isThreadLine(buf, s, e)) return true;
    // Lines are asked in order: the next hit stays the answer until a line passes it. The search stops
    // where the zone's last line can end, not at the end of the buffer (every marker is searched in turn).
    if (
      buf !== this.buf ||
      (this.next >= 0 && this.next < s) ||
      (this.next < 0 && (s < this.from || e > this.to))
    ) {
      // Anchored on the trace's own bytes (its first bytes, as the prefilter's markers are): left to the
      // prior, the anchors were `SSL ` and `TRAC`, whose first bytes every `[Thr …]` line holds.
      if (!this.buf) this.info.calibrate(buf);
      this.buf = buf;
      this.from = s;
      this.to = Math.min(buf.length, Math.max(zoneEnd, e));
      this.next = this.info.find(buf, s, this.to);
    }
    return this.next >= 0 && this.next < e;
  }

  /** Where the search for `next` started, and where it stopped. */
  private from = 0;
  private to = 0;
}
