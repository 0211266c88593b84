/**
 * @module What every block handler of the SAP text assembler shares: the line ring (so an event keeps
 * the text of its lines), the threads' latest timestamps, the result counters and `emit`.
 */
import type { EventAggregator } from '../../evidence/aggregate.js';
import type { EvidenceEvent, SourceRef, TraceInfoEvent } from '../../model/evidence.js';
import type { Segment } from './line-prefix.js';
import type { BlockBase } from './other-blocks.js';

const RING = 4096;
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
  private readonly ringNo = new Int32Array(RING).fill(-1);
  private readonly ringText: string[] = new Array(RING);

  constructor(
    readonly input: number,
    private readonly events: EventAggregator,
  ) {}

  /** Keep the line's text for a while: an event closing later quotes its lines. */
  remember(no: number, text: string, cut: boolean): void {
    this.curNo = no;
    this.curCut = cut;
    const slot = no % RING;
    this.ringNo[slot] = no;
    this.ringText[slot] = text.length > MAX_LINE_TEXT ? text.slice(0, MAX_LINE_TEXT) : text;
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
      const slot = no % RING;
      if (this.ringNo[slot] === no) this.out.lines[`${this.input}:${no}`] = this.ringText[slot]!;
    }
  }
}
