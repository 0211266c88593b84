/**
 * @module The prefilter and look-back policy of the SAP text reader: which byte markers a large input
 * is searched for (chosen from its head), how far the scanner reads back before a marker line, and
 * which lines it may skip undecoded while a failure block is open (other threads' kernel lines).
 */

import { byteIndexOf } from '../text/byte-index.js';
import { decodeHead, sniffEncoding } from '../text/encoding.js';
import { MarkerSet } from '../text/marker-set.js';
import { isThreadLine } from './head-gate.js';
import {
  anyWord,
  BROAD_MARKERS,
  KERNEL_MARKERS,
  LONG_LOOKBACK_WORDS,
  SECTRACE_MARKERS,
  SHORT_LOOKBACK_WORDS,
  SNC_LOOKBACK_WORDS,
} from './markers.js';
import { isTimestampLine } from './patterns.js';

/** A CommonCryptoLib sectrace record header (`[2024.01.02 10:11:12][3][…`). */
export const SECTRACE_HEAD = /^\[\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2}[.\d]{0,10}\]\[\d{1,2}\]\[/m;

/** Whether `text` holds a sectrace record header (SECTRACE_HEAD), tried only where `][` occurs. */
export function hasSectraceHead(text: string): boolean {
  return text.includes('][') && SECTRACE_HEAD.test(text);
}

/** A kernel trace file's header line (`trc file: "dev_icm", trc level: …`). */
const TRACE_HEADER = /^trc file: "/m;

/** Nearly every line of the head carries a `[Thr …]` prefix (a kernel trace, or an excerpt of one). */
function isThreadedText(text: string): boolean {
  let lines = 0;
  let threaded = 0;
  for (const line of text.split(/\r?\n|\r/)) {
    if (line.trim().length === 0) continue;
    lines++;
    if (/^\[Thr [^\]\s]{1,40}\] /.test(line)) threaded++;
  }
  return lines > 0 && threaded >= lines * 0.9;
}

const TRC_FILE = Buffer.from('trc file: "', 'latin1');

/**
 * `/^trc file: "/m` on `decodeHead(head)`, answered on the bytes; undefined for UTF-16 (decode it). Not
 * UTF-16, the text is the bytes read as latin1 (after a BOM), where only CR and LF start a line.
 */
export function traceHeaderInBytes(head: Buffer): boolean | undefined {
  const enc = sniffEncoding(head);
  if (enc === 'utf-16le' || enc === 'utf-16be') return undefined;
  const body = enc === 'utf-8-bom' ? head.subarray(3) : head;
  for (let p = body.indexOf(TRC_FILE); p >= 0; p = body.indexOf(TRC_FILE, p + 1)) {
    if (p === 0 || body[p - 1] === 0x0a || body[p - 1] === 0x0d) return true;
  }
  return false;
}

/** Choose the prefilter markers from the head: kernel trace, sectrace, or anything else. */
export function markersFor(head: Buffer): MarkerSet {
  return prefilterFor(head).markers();
}

/**
 * The prefilter markers for the head (built when asked: a paste read in full needs none), whether the
 * input is a kernel trace, and whether it is a whole trace file (its `trc file:` header in the head)
 * rather than an excerpt of `[Thr …]` lines.
 */
export function prefilterFor(head: Buffer): {
  markers: () => MarkerSet;
  kernel: boolean;
  traceFile: boolean;
} {
  // A trace header is found in the bytes: most kernel traces start with one, and their head (64 KiB)
  // then needs no decoding into a string that would be dropped at once.
  const kernel = () => new MarkerSet(KERNEL_MARKERS);
  const header = traceHeaderInBytes(head);
  if (header === true) return { markers: kernel, kernel: true, traceFile: true };
  const text = decodeHead(head);
  // Only UTF-16 leaves the bytes without an answer (undefined): its header is looked for in the text.
  if (header === undefined && TRACE_HEADER.test(text))
    return { markers: kernel, kernel: true, traceFile: true };
  if (isThreadedText(text)) return { markers: kernel, kernel: true, traceFile: false };
  const words = hasSectraceHead(text) ? SECTRACE_MARKERS : BROAD_MARKERS;
  return { markers: () => new MarkerSet(words), kernel: false, traceFile: false };
}

const LONG_LOOKBACK = anyWord(LONG_LOOKBACK_WORDS);
const SHORT_LOOKBACK = anyWord(SHORT_LOOKBACK_WORDS);
const SNC_LOOKBACK = anyWord(SNC_LOOKBACK_WORDS);
const SESSION_INIT = Buffer.from('SapSSLSessionInit(', 'latin1');

/**
 * The scanner hooks of the assembler (`lookbackFor`, `lookbackStop`, `lookbackExtra`, `wantsLine`,
 * `wantsEveryLine`). Which threads are "hot" (hold a failure in progress) is asked of the block
 * handlers only when the prefilter needs it, after a line changed the blocks.
 */
export class LookbackPolicy {
  private hot = false;
  private hotBare = false;
  private readonly hotThreads = new Set<string>();
  private hotThreadBytes: Buffer[] = [];
  private lookThread: string | undefined;
  private lookThreadBytes: Buffer | undefined;
  /** A line changed the blocks since the hot state was computed. */
  private stale = false;

  /**
   * @param collectHot marks every thread with a failure in progress; returns true when a pending
   *   structure (header, initialisation, a library error awaiting its OS error) needs every line.
   */
  constructor(private readonly collectHot: (mark: (thread: string) => void) => boolean) {}

  /** The blocks changed (a line was handled). */
  invalidate(): void {
    this.stale = true;
  }

  wantsEveryLine(): boolean {
    if (this.stale) this.refresh();
    return this.hot;
  }

  lookbackFor(text: string): number {
    const look = /^\[Thr ([^\]\s]{1,40})\]/.exec(text)?.[1];
    if (look !== this.lookThread) {
      this.lookThread = look;
      this.lookThreadBytes = look === undefined ? undefined : Buffer.from(look, 'latin1');
    }
    // Failure lines whose errorstack / chain dump / context came before them need a long look back
    // (it stops early at the session's start); other failure lines their nearest neighbours and the
    // timestamp; marker lines that are no failure we know (benign `*** ERROR` lines) nothing.
    if (LONG_LOOKBACK.test(text)) return 160;
    if (SNC_LOOKBACK.test(text)) return 24;
    return SHORT_LOOKBACK.test(text) ? 4 : 0;
  }

  /** The session of a failure starts at `SapSSLSessionInit`: nothing before it belongs to the failure. */
  lookbackStop(buf: Buffer, s: number, e: number): boolean {
    return e > s && buf.subarray(s, e).indexOf(SESSION_INIT) >= 0;
  }

  /** Beyond the lines read back, the thread's latest timestamp line (`… Tue May 24 13:51:07:344 2022`). */
  lookbackExtra(buf: Buffer, s: number, e: number): boolean {
    let p = s;
    if (buf[p] === 0x5b) {
      const close = byteIndexOf(buf, 0x5d, p);
      if (close < 0 || close > e || close - p > 46) return false;
      p = close + 1;
      if (buf[p] === 0x20) p++;
    }
    // "Www Mmm " then digits: day and month names start upper-case, then two lower-case letters.
    if (e - p < 20 || buf[p + 3] !== 0x20 || buf[p + 7] !== 0x20) return false;
    for (const k of [0, 4]) {
      const a = buf[p + k]!;
      if (a < 0x41 || a > 0x5a || buf[p + k + 1]! < 0x61 || buf[p + k + 2]! < 0x61) return false;
    }
    return isTimestampLine(buf.toString('latin1', p, e));
  }

  /**
   * Byte-level filter while inside a block or looking back: a `[Thr <id>]` line of a thread with no
   * open failure (and not the thread of the marker line) cannot belong to it and is not decoded.
   */
  wantsLine(buf: Buffer, s: number, e: number): boolean {
    if (e - s < 7 || !isThreadLine(buf, s, e)) return true;
    if (this.stale) this.refresh();
    if (this.hotBare) return true;
    const look = this.lookThreadBytes;
    if (look && sameThread(buf, s + 5, e, look)) return true;
    // Indexed: runs for each thread line looked back over or read in a block, mostly before V8 optimises
    // it, where `for…of` allocates an iterator and a result per step.
    const hot = this.hotThreadBytes;
    for (let i = 0; i < hot.length; i++) if (sameThread(buf, s + 5, e, hot[i]!)) return true;
    return false;
  }

  /** Which threads have a block that is a failure (or a structure still open): those lines are read. */
  private refresh(): void {
    this.stale = false;
    this.hotThreads.clear();
    this.hotBare = false;
    const busy = this.collectHot((thread) => {
      if (thread === '') this.hotBare = true;
      else this.hotThreads.add(thread);
    });
    if (busy) this.hotBare = true;
    this.hot = this.hotBare || this.hotThreads.size > 0;
    const bytes = this.hotThreadBytes;
    let same = bytes.length === this.hotThreads.size;
    for (let i = 0; same && i < bytes.length; i++) same = this.hotThreads.has(bytes[i]!.toString('latin1'));
    if (!same) this.hotThreadBytes = [...this.hotThreads].map((t) => Buffer.from(t, 'latin1'));
  }
}

/** True when `buf[at…]` holds `id` followed by `]` (the thread id of a `[Thr <id>]` prefix). */
function sameThread(buf: Buffer, at: number, end: number, id: Buffer): boolean {
  const n = id.length;
  if (at + n >= end || buf[at + n] !== 0x5d) return false;
  for (let i = 0; i < n; i++) if (buf[at + i] !== id[i]) return false;
  return true;
}
