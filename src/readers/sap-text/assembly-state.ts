/**
 * @module What every block handler of the SAP text assembler shares: the line ring (so an event keeps
 * the text of its lines), the threads' latest timestamps, the result counters and `emit`.
 */
import type { EventAggregator } from '../../evidence/aggregate.js';
import type { EvidenceEvent, SourceRef, TraceInfoEvent } from '../../model/evidence.js';
import type { Segment } from './line-prefix.js';
import type { BlockBase } from './other-blocks.js';

/** Lines the ring keeps: an event quotes lines at most this far back. */
const RING = 4096;
/**
 * The ring starts this small and doubles (up to RING) as line numbers pass its size, so a short input
 * (a folder of 10,000 small traces) allocates a few kilobytes, not 48 KiB per input.
 */
const FIRST_RING = 256;
const MAX_LINE_TEXT = 4096;

/** What a reader run found, besides the events handed to the aggregator. */
export interface AssemblerResult {
  lines: Record<string, string>;
  recognizedLines: number;
  unrecognizedLines: number;
  unrecognizedSample: number[];
  warnings: string[];
  /** Which kinds of text were seen, to name the input's format. */
  seen: { threaded: number; sectrace: number; joined: number; cpic: number };
  traceInfo: TraceInfoEvent | undefined;
}

/** An event before the assembler adds its source (distributes over the union). */
export type EventDraft = DistributiveOmit<EvidenceEvent, 'source'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One line as a line type's handler sees it: the segment, its text, its number and the type's match. */
export type Ctx = { seg: Segment; t: string; no: number; m: RegExpExecArray };

/** A handler throws this when the line is not its after all; the next line type is tried. */
export class NotMine extends Error {}

/** Shared state of one assembler run (see module comment). */
export class AssemblyState {
  readonly out: AssemblerResult = {
    lines: {},
    recognizedLines: 0,
    unrecognizedLines: 0,
    unrecognizedSample: [],
    warnings: [],
    seen: { threaded: 0, sectrace: 0, joined: 0, cpic: 0 },
    traceInfo: undefined,
  };
  /** Number of the line being handled, and whether it was cut at the length cap. */
  curNo = 0;
  curCut = false;
  private readonly lastTs = new Map<string, string>();
  private ringNo = new Int32Array(FIRST_RING).fill(-1);
  private ringText: string[] = new Array(FIRST_RING);

  constructor(
    readonly input: number,
    private readonly events: EventAggregator,
  ) {}

  /** Keep the line's text for a while: an event closing later quotes its lines. */
  remember(no: number, text: string, cut: boolean): void {
    this.curNo = no;
    this.curCut = cut;
    if (no >= this.ringNo.length && this.ringNo.length < RING) this.growRing(no);
    const slot = no % this.ringNo.length;
    this.ringNo[slot] = no;
    this.ringText[slot] = text.length > MAX_LINE_TEXT ? text.slice(0, MAX_LINE_TEXT) : text;
  }

  /**
   * A line taken without its text (a quiet line, quiet-lines.ts): it takes its slot in the ring as
   * `remember` would, so the lines the ring holds stay the same; no event quotes it.
   */
  skip(no: number): void {
    this.curNo = no;
    this.curCut = false;
    if (no >= this.ringNo.length && this.ringNo.length < RING) this.growRing(no);
    const slot = no % this.ringNo.length;
    this.ringNo[slot] = -1;
    this.ringText[slot] = '';
  }

  /**
   * Double the ring until line `no` fits or it has RING slots. Every line held so far is below the old
   * size, so it keeps its slot and none is lost: the ring holds the same lines as a full-size one would.
   */
  private growRing(no: number): void {
    let size = this.ringNo.length;
    while (size <= no && size < RING) size *= 2;
    const nos = new Int32Array(size).fill(-1);
    const texts: string[] = new Array(size);
    // A plain loop, not forEach: a growing ring copies up to 2,048 slots, in code not yet optimised.
    const held = this.ringNo;
    for (let i = 0; i < held.length; i++) {
      const no = held[i]!;
      if (no < 0) continue;
      nos[no % size] = no;
      texts[no % size] = this.ringText[i]!;
    }
    this.ringNo = nos;
    this.ringText = texts;
  }

  setTimestamp(thread: string, ts: string): void {
    if (this.lastTs.size > 4096) this.lastTs.clear();
    this.lastTs.set(thread, ts);
  }

  timestampOf(thread: string): string | undefined {
    return this.lastTs.get(thread);
  }

  /** Hand an event to the aggregator; its lines' text is kept when it is new. */
  /** Emit an event; returns it as stored when it is new (merged or dropped ones return undefined). */
  emit(partial: EventDraft, lineNos: number[]): EvidenceEvent | undefined {
    const lines = [...new Set(lineNos)].sort((a, b) => a - b).slice(0, 64);
    const event = { ...partial, source: this.sourceOf(lines) } as EvidenceEvent;
    if (!this.events.add(event)) return undefined;
    this.keepLines(lines);
    return event;
  }

  /** Emit the event of a closed simple block (thread and timestamp filled in from the block). */
  emitBlock(block: BlockBase, ev: EventDraft | undefined): void {
    if (!ev) return;
    const e = ev as EvidenceEvent;
    if (block.thread && !e.thread) e.thread = block.thread;
    const ts = this.lastTs.get(block.thread);
    if (ts && !e.timestamp) e.timestamp = ts;
    this.emit(ev, block.lines.length > 0 ? block.lines : [block.firstLine]);
  }

  sourceOf(lines: number[]): SourceRef {
    const sorted = [...lines].sort((a, b) => a - b);
    const first = sorted[0] ?? 0;
    const last = sorted[sorted.length - 1] ?? first;
    const ref: SourceRef = { input: this.input, line: first };
    if (last !== first) ref.endLine = last;
    if (sorted.length > 1) ref.keyLines = sorted;
    return ref;
  }

  keepLines(lines: number[]): void {
    for (const no of lines) {
      const slot = no % this.ringNo.length;
      if (this.ringNo[slot] === no) this.out.lines[`${this.input}:${no}`] = this.ringText[slot]!;
    }
  }
}
