/**
 * @module Which lines past the small always-read head of a kernel trace (up to 64 KiB) are read although
 * they hold no prefilter marker: every line that is not a `[Thr …]` line (a paste of another stack's
 * messages, a header, a blank line), and the SSL initialisation block and the truncation notice, which
 * describe the trace itself. The `[Thr …]` lines of a failure are reached through its `ERROR` line, as
 * further on.
 */
import { MarkerSet } from '../text/marker-set.js';

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

const INFO_MARKERS: readonly string[] = ['SSL Initialization', 'TRACE FILE TRUNCATED'];

/** See the module comment. */
export class HeadGate {
  /** The trace-info line types that need no failure around them (line-types.ts). */
  private readonly info = new MarkerSet(INFO_MARKERS);

  /** The buffer `next` belongs to, and the first marker hit in it at or after the last line asked (-1: none). */
  private buf: Buffer | undefined;
  private next = -1;

  /** Whether the line `buf[s, e)` is read. */
  wants(buf: Buffer, s: number, e: number): boolean {
    if (!isThreadLine(buf, s, e)) return true;
    // Lines are asked in order: the next hit stays the answer until a line passes it.
    if (buf !== this.buf || (this.next >= 0 && this.next < s) || (this.next < 0 && s < this.from)) {
      // Anchored on the trace's own bytes (its first bytes, as the prefilter's markers are): left to the
      // prior, the anchors were `SSL ` and `TRAC`, whose first bytes every `[Thr …]` line holds.
      if (!this.buf) this.info.calibrate(buf);
      this.buf = buf;
      this.from = s;
      this.next = this.info.find(buf, s, buf.length);
    }
    return this.next >= 0 && this.next < e;
  }

  /** Where the search for `next` started. */
  private from = 0;
}
