/**
 * @module Streaming line splitter: Buffer chunks → numbered lines (CRLF/LF/CR, UTF-8/cp1252/UTF-16),
 * long lines cut at a cap, and an optional marker prefilter so noise lines are counted but not decoded.
 */
import { byteIndexOf, byteLastIndexOf } from './byte-index.js';
import { countByte } from './count-newlines.js';
import { decodeLine, sniffEncoding, type TextEncoding, transcodeUtf16 } from './encoding.js';
import type { MarkerSet } from './marker-set.js';
import { finderDue, type WasmFinder } from './wasm-scan.js';

/** Receives the lines the scanner decodes. */
export interface LineConsumer {
  /** One line: 1-based number, text without the line break, `cut` when it was longer than the cap. */
  onLine(no: number, text: string, cut: boolean): void;
  /** True while the consumer needs every following line (it is inside a block). */
  wantsEveryLine(): boolean;
  /**
   * How many earlier (skipped) lines to decode before a marker line, judged from its text: a failure
   * line whose context came before it (errorstack, chain dump) wants many, a plain error line few.
   */
  lookbackFor?(text: string): number;
  /**
   * Byte-level filter for lines the prefilter would otherwise decode only because the consumer is in a
   * block or looks back (e.g. a kernel trace line of another thread). False: count the line, skip it.
   */
  wantsLine?(buf: Buffer, start: number, end: number): boolean;
  /** Looking back, a line where the block began (a session start): it is read, nothing before it. */
  lookbackStop?(buf: Buffer, start: number, end: number): boolean;
  /**
   * Looking back past the last wanted line, the nearest line of this kind is read too (e.g. the
   * thread's latest timestamp line), as long as it lies within the byte budget.
   */
  lookbackExtra?(buf: Buffer, start: number, end: number): boolean;
  /**
   * Past the always-read head but within `zoneBytes` (see ScanOptions): whether a line holding no marker
   * is read as if it held one, look back included (a line the consumer could make something of on its own).
   * `zoneEnd`: where the zone ends in `buf` (later lines are never asked about).
   */
  wantsHeadLine?(buf: Buffer, start: number, end: number, zoneEnd: number): boolean;
  /**
   * A line read in full, or a marker line found by the prefilter (`buf[start, end)`, no line break),
   * offered before it is decoded: true when the consumer judged it from its bytes and took it as line `no`
   * (nothing can follow from it, so it is neither decoded nor looked back from). It counts as read.
   */
  takesQuietLine?(buf: Buffer, start: number, end: number, no: number): boolean;
}

export interface ScanOptions {
  /**
   * Lines holding none of these markers (and not near one) are counted but not decoded. A function
   * chooses the set from the head of the text (undefined: decode all). Absent: decode all.
   */
  markers?: MarkerSet | ((head: Buffer) => MarkerSet | undefined);
  /**
   * The first bytes of the input are always read in full (pastes, headers). Default 1 MiB. A function
   * chooses it from the head of the text (called after `markers`).
   */
  fullReadBytes?: number | ((head: Buffer) => number);
  /**
   * Up to this offset (and past `fullReadBytes`), lines without a marker are read as marker lines when
   * the consumer's `wantsHeadLine` asks for them. Default: no such zone.
   */
  zoneBytes?: number;
  /** On a marker hit, at most this many earlier lines (not yet decoded) are decoded first. Default 256. */
  lookbackLines?: number;
  /** …within at most this many bytes. Default 64 KiB. */
  lookbackBytes?: number;
  /** After a marker hit, this many lines are decoded even when the consumer does not ask. Default 16. */
  afterLines?: number;
  /** Longer lines are cut to this many bytes (the rest is skipped, never buffered). Default 64 KiB. */
  maxLineBytes?: number;
  /** Called once with the first chunk of (UTF-8) text (the markers are calibrated on it too). */
  onHead?: (head: Buffer) => void;
}

/** What the scanner saw. */
export interface ScanStats {
  bytes: number;
  lines: number;
  /** Lines decoded and given to the consumer. */
  decodedLines: number;
  /** Lines counted but not decoded (no marker near them). */
  skippedLines: number;
  cutLines: number;
  /** Lines that were not valid UTF-8 and were read as Windows-1252. */
  nonUtf8Lines: number;
  encoding: TextEncoding;
  lineBreak: 'lf' | 'crlf' | 'cr' | 'none';
}

const LF = 0x0a;
const CR = 0x0d;

/** Split a byte stream into numbered lines and give them to `consumer` (see ScanOptions for the prefilter). */
export async function scanLines(
  chunks: AsyncIterable<Buffer>,
  consumer: LineConsumer,
  opts: ScanOptions = {},
): Promise<ScanStats> {
  const scanner = new Scanner(consumer, opts);
  const source = await prepareText(chunks, scanner);
  for await (const chunk of source) scanner.push(chunk);
  scanner.finish();
  return scanner.stats;
}

/** Sniff the encoding from the first bytes and return a UTF-8 chunk stream. */
async function prepareText(chunks: AsyncIterable<Buffer>, scanner: Scanner): Promise<AsyncIterable<Buffer>> {
  const it = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  let done = false;
  // Enough text to tell the encoding and the line-break style from (a tiny first chunk cannot).
  while (headLen < 1 << 16) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    scanner.stats.bytes += b.length;
    head.push(b);
    headLen += b.length;
  }
  const first = head.length === 1 ? head[0]! : Buffer.concat(head);
  const encoding = sniffEncoding(first);
  const stats = scanner.stats;
  stats.encoding = encoding;
  // The generator reaches the stats, the source and the first chunk only through variables it clears
  // when it ends: V8's young-generation collector keeps a finished async generator's closure alive
  // until the next full collection, and through the scanner that would be the consumer with every line
  // it kept (an analysis's whole state), through the source the input's bytes; promoted to the old
  // generation after every request a server answers, they made its collections several times dearer.
  let source: AsyncIterator<Buffer> | undefined = it;
  let firstChunk: Buffer | undefined = encoding === 'utf-8-bom' ? first.subarray(3) : first;
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      const chunk = firstChunk!;
      firstChunk = undefined;
      yield chunk;
      if (done) return;
      for (;;) {
        const r = await source!.next();
        if (r.done) return;
        const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
        stats.bytes += b.length;
        yield b;
      }
    } finally {
      source = undefined;
      firstChunk = undefined;
    }
  }
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return transcodeUtf16(rest(), encoding);
  return rest();
}

class Scanner {
  readonly stats: ScanStats = {
    bytes: 0,
    lines: 0,
    decodedLines: 0,
    skippedLines: 0,
    cutLines: 0,
    nonUtf8Lines: 0,
    encoding: 'utf-8',
    lineBreak: 'none',
  };
  private markers: MarkerSet | undefined;
  private fullReadBytes: number;
  private readonly zoneBytes: number;
  private readonly lookbackLines: number;
  private readonly lookbackBytes: number;
  private readonly afterLines: number;
  private readonly maxLine: number;
  private nl = LF;
  private started = false;
  /** Lines completed so far (the next line is number `lineNo + 1`). */
  private lineNo = 0;
  /** Absolute text offset of the start of the current region. */
  private offset = 0;
  private carry: Buffer | undefined;
  /** The line in progress was cut; drop bytes until its line break. */
  private cutting = false;
  private prevs: Buffer[] = [];
  private prevBytes = 0;
  private lastDecoded = 0;
  private afterLeft = 0;

  constructor(
    private readonly consumer: LineConsumer,
    private readonly opts: ScanOptions,
  ) {
    this.markers = typeof opts.markers === 'function' ? undefined : opts.markers;
    this.fullReadBytes = typeof opts.fullReadBytes === 'number' ? opts.fullReadBytes : 1 << 20;
    this.zoneBytes = opts.zoneBytes ?? 0;
    this.lookbackLines = opts.lookbackLines ?? 256;
    this.lookbackBytes = opts.lookbackBytes ?? 1 << 16;
    this.afterLines = opts.afterLines ?? 16;
    this.maxLine = opts.maxLineBytes ?? 1 << 16;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (!this.started) this.start(chunk);
    if (this.cutting) {
      const i = byteIndexOf(chunk, this.nl);
      if (i < 0) {
        this.offset += chunk.length;
        return;
      }
      this.cutting = false;
      this.lineNo++;
      this.offset += i + 1;
      chunk = chunk.subarray(i + 1);
      if (chunk.length === 0) return;
    }
    if (this.carry) {
      // Finish the line left open by the previous chunk without copying this whole chunk.
      const i = byteIndexOf(chunk, this.nl);
      if (i < 0) {
        const grown = Buffer.concat([this.carry, chunk]);
        this.carry = undefined;
        if (grown.length > this.maxLine) this.cutOpenLine(grown);
        else this.carry = grown;
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, i + 1)]);
      this.carry = undefined;
      this.processRegion(line);
      this.offset += line.length;
      this.remember(line);
      chunk = chunk.subarray(i + 1);
      if (chunk.length === 0) return;
    }
    const last = byteLastIndexOf(chunk, this.nl);
    if (last < 0) {
      if (chunk.length > this.maxLine) this.cutOpenLine(chunk);
      else this.carry = Buffer.from(chunk);
      return;
    }
    const region = chunk.subarray(0, last + 1);
    const tail = chunk.subarray(last + 1);
    this.processRegion(region);
    this.offset += region.length;
    this.remember(region);
    if (tail.length > this.maxLine) this.cutOpenLine(tail);
    else if (tail.length > 0) this.carry = Buffer.from(tail);
  }

  /** Keep the last few processed regions (complete lines) for lookback across chunk boundaries. */
  private remember(region: Buffer): void {
    this.prevs.push(region);
    this.prevBytes += region.length;
    // Keep as many recent regions as the look back can reach (small chunks make many small regions).
    while (
      this.prevs.length > 1 &&
      (this.prevBytes - this.prevs[0]!.length >= this.lookbackBytes || this.prevs.length > 256)
    ) {
      this.prevBytes -= this.prevs.shift()!.length;
    }
  }

  finish(): void {
    if (this.carry && this.carry.length > 0) {
      // The last line has no line break: give it one so it passes the prefilter like any other.
      const buf = Buffer.concat([this.carry, Buffer.from([this.nl])]);
      this.carry = undefined;
      this.processRegion(buf);
    } else if (this.cutting) {
      this.cutting = false;
      this.lineNo++;
    }
    this.stats.lines = this.lineNo;
    this.stats.skippedLines = this.stats.lines - this.stats.decodedLines;
  }

  private start(chunk: Buffer): void {
    this.started = true;
    const probe = chunk.subarray(0, 1 << 16);
    const hasLf = probe.indexOf(LF) >= 0;
    const crIdx = probe.indexOf(CR);
    if (hasLf) {
      this.nl = LF;
      const lf = probe.indexOf(LF);
      this.stats.lineBreak = lf > 0 && probe[lf - 1] === CR ? 'crlf' : 'lf';
    } else if (crIdx >= 0) {
      this.nl = CR;
      this.stats.lineBreak = 'cr';
    }
    this.opts.onHead?.(probe);
    if (typeof this.opts.markers === 'function') this.markers = this.opts.markers(probe);
    if (typeof this.opts.fullReadBytes === 'function') this.fullReadBytes = this.opts.fullReadBytes(probe);
    this.markers?.calibrate(probe);
  }

  /** A line grew past the cap without a line break: give its first part now, drop the rest. */
  private cutOpenLine(buf: Buffer): void {
    this.emit(buf, 0, buf.length, this.lineNo + 1, true);
    this.offset += buf.length;
    this.cutting = true;
  }

  private processRegion(buf: Buffer): void {
    const markers = this.markers;
    markers?.reset();
    // Past the fully read head, the region is searched in WebAssembly where that repays building the
    // finder (finderDue, wasm-scan.ts): one pass finds the next marker and counts the line breaks before it.
    const end = this.offset + buf.length;
    let finder: WasmFinder | undefined;
    if (markers && end > this.fullReadBytes && finderDue(end, buf.length)) finder = markers.finder();
    if (finder && !finder.load(buf)) finder = undefined;
    try {
      this.scanRegion(buf, markers, finder);
    } finally {
      finder?.release();
    }
  }

  private scanRegion(buf: Buffer, markers: MarkerSet | undefined, finder: WasmFinder | undefined): void {
    const nl = this.nl;
    const len = buf.length;
    let pos = 0;
    // The first marker hit at or after `pos` (-1: none to the end): it stays the answer until `pos`
    // passes it, so line-by-line stretches (inside a block, near the head) search once per hit. A hit is
    // where the marker's anchor (MarkerSet) or the marker (the finder) starts: in the marker's line either way.
    let next = -2;
    const nextHit = (): number => {
      if (next === -2 || (next >= 0 && next < pos))
        next = finder ? finder.find(pos, len, nl) : markers!.find(buf, pos, len);
      return next;
    };
    while (pos < len) {
      if (!markers || this.offset + pos < this.fullReadBytes) {
        const e = byteIndexOf(buf, nl, pos);
        if (e >= 0 && this.takesQuiet(buf, pos, e)) {
          this.lastDecoded = this.lineNo + 1;
          this.stats.decodedLines++;
        } else this.emit(buf, pos, e, this.lineNo + 1, false);
        this.lineNo++;
        pos = e + 1;
        continue;
      }
      if (this.afterLeft > 0 || this.consumer.wantsEveryLine()) {
        // Inside a block: read the block's lines; other lines only when they hold a marker themselves.
        const e = byteIndexOf(buf, nl, pos);
        const hit = nextHit();
        if (hit >= 0 && hit < e) this.processHit(buf, pos, e);
        else {
          if (!this.consumer.wantsLine || this.consumer.wantsLine(buf, pos, e)) {
            this.emit(buf, pos, e, this.lineNo + 1, false);
          }
          this.lineNo++;
          if (this.afterLeft > 0) this.afterLeft--;
        }
        pos = e + 1;
        continue;
      }
      if (this.offset + pos < this.zoneBytes && this.consumer.wantsHeadLine) {
        // Near the head: a line the consumer asks for counts as a marker line (with its look back).
        const e = byteIndexOf(buf, nl, pos);
        const hit = nextHit();
        if ((hit >= 0 && hit < e) || this.consumer.wantsHeadLine(buf, pos, e, this.zoneBytes - this.offset))
          this.processHit(buf, pos, e);
        else this.lineNo++;
        pos = e + 1;
        continue;
      }
      const hit = nextHit();
      if (hit < 0) {
        this.lineNo += finder ? finder.lines(pos, len, nl) : countByte(buf, nl, pos, len);
        return;
      }
      let ls = byteLastIndexOf(buf, nl, hit) + 1;
      if (ls < pos) ls = pos;
      // No line break lies between the line's start and the hit.
      this.lineNo += finder ? finder.lines(pos, hit, nl) : countByte(buf, nl, pos, ls);
      const e = byteIndexOf(buf, nl, ls);
      if (this.takesQuiet(buf, ls, e)) {
        this.lastDecoded = ++this.lineNo;
        this.stats.decodedLines++;
        this.afterLeft = this.afterLines;
      } else this.processHit(buf, ls, e);
      pos = e + 1;
    }
  }

  /** Whether the consumer takes the marker line `buf[ls, e)` undecoded (see `takesQuietLine`). */
  private takesQuiet(buf: Buffer, ls: number, e: number): boolean {
    const c = this.consumer;
    if (!c.takesQuietLine || e - ls > this.maxLine) return false;
    const end = this.nl === LF && e > ls && buf[e - 1] === CR ? e - 1 : e;
    return c.takesQuietLine(buf, ls, end, this.lineNo + 1);
  }

  /** A line holding a marker: decode the lines before it that it needs, then the line itself. */
  private processHit(buf: Buffer, ls: number, e: number): void {
    const hitLine = this.decode(buf, ls, e);
    const want = this.consumer.lookbackFor ? this.consumer.lookbackFor(hitLine.text) : this.lookbackLines;
    this.lookback(buf, ls, Math.min(want, this.lookbackLines));
    this.deliver(hitLine, this.lineNo + 1);
    this.lineNo++;
    this.afterLeft = this.afterLines;
  }

  /** Decode the lines just before `ls` that were skipped, so a block's opening lines are not lost. */
  private lookback(buf: Buffer, ls: number, lines: number): void {
    const hitNo = this.lineNo + 1;
    const want = Math.min(lines, hitNo - 1 - this.lastDecoded);
    if (want <= 0) return;
    const spans: { b: Buffer; s: number; e: number; no: number }[] = [];
    const c = this.consumer;
    let bytes = 0;
    let b = buf;
    let end = ls - 1; // index of the line break ending the previous line
    let no = hitNo - 1;
    let back = this.prevs.length - 1;
    if (this.prevs[back] === buf) back--;
    let collecting = true;
    let haveExtra = !c.lookbackExtra;
    while (no > this.lastDecoded && (collecting || !haveExtra)) {
      if (end < 0) {
        const p = back >= 0 ? this.prevs[back] : undefined;
        if (!p) break;
        back--;
        b = p;
        end = b.length - 1;
        continue;
      }
      const s = end > 0 ? byteLastIndexOf(b, this.nl, end - 1) + 1 : 0;
      bytes += end - s + 1;
      if (bytes > this.lookbackBytes) break;
      if (!c.wantsLine || c.wantsLine(b, s, end)) {
        const extra = !haveExtra && c.lookbackExtra!(b, s, end);
        if (collecting || extra) spans.push({ b, s, e: end, no });
        if (extra) haveExtra = true;
        if (collecting && (spans.length >= want || c.lookbackStop?.(b, s, end))) collecting = false;
      }
      end = s - 1;
      no--;
    }
    for (let k = spans.length - 1; k >= 0; k--) {
      const span = spans[k]!;
      this.emit(span.b, span.s, span.e, span.no, false);
    }
  }

  private emit(buf: Buffer, s: number, e: number, no: number, cutAlready: boolean): void {
    this.deliver(this.decode(buf, s, e, cutAlready), no);
  }

  private decode(buf: Buffer, s: number, e: number, cutAlready = false): { text: string; cut: boolean } {
    if (e < 0) e = buf.length;
    if (this.nl === LF && e > s && buf[e - 1] === CR) e--;
    let cut = cutAlready;
    if (e - s > this.maxLine) {
      e = s + this.maxLine;
      cut = true;
    }
    if (cut) {
      // Back off to a UTF-8 character boundary so the cut does not turn the line into cp1252.
      let k = e;
      while (k > s && k > e - 4 && (buf[k]! & 0xc0) === 0x80) k--;
      if (k > s && k < e && buf[k]! >= 0xc0) e = k;
      this.stats.cutLines++;
    }
    const { text, utf8 } = decodeLine(buf, s, e);
    if (!utf8) this.stats.nonUtf8Lines++;
    return { text, cut };
  }

  private deliver(line: { text: string; cut: boolean }, no: number): void {
    this.stats.decodedLines++;
    this.lastDecoded = no;
    this.consumer.onLine(no, line.text, line.cut);
  }
}
