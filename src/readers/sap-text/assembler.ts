/**
 * @module The one-pass classifier and event assembler for SAP text evidence: each line is matched
 * against the line-type table (`line-types.ts`); facts collect in per-thread blocks (SSL session,
 * SNC/CPIC, Kerberos, inbound, Java), kept by one handler per block kind, which become events when they
 * close. Mixed pastes need no pre-sorting. The scanner's prefilter hooks live in `prefilter.ts`.
 */

import type { EventAggregator } from '../../evidence/aggregate.js';
import { byteIndexOf } from '../text/byte-index.js';
import { compileNow } from '../text/compile-now.js';
import type { LineConsumer } from '../text/line-scanner.js';
import { type AssemblerResult, AssemblyState, NotMine } from './assembly-state.js';
import { HeadGate } from './head-gate.js';
import { type Segment, splitLine } from './line-prefix.js';
import { holdsGuard, LINE_TYPES, type LineHandlers } from './line-types.js';
import { maybeInteresting } from './markers.js';
import { MessageLines } from './message-lines.js';
import { OtherLines } from './other-lines.js';
import { isTimestampLine } from './patterns.js';
import type { PemLines } from './pem-lines.js';
import { PlatformSniffer } from './platform.js';
import { LookbackPolicy } from './prefilter.js';
import { QUIET_GATE_AFTER, quietGateAfter, quietPayloadStart } from './quiet-lines.js';
import { SncLines } from './snc-lines.js';
import { SncMechanismSniffer } from './snc-mechanism.js';
import { SslLines } from './ssl-lines.js';
import { TraceInfoLines } from './trace-info-lines.js';

export type { AssemblerResult, EventDraft } from './assembly-state.js';

const MAX_SAMPLE = 20;
/**
 * A kernel trace line (`[Thr …]`) or a sectrace line (`[2020.05.26 10:11:12.123][2][…`); `[SAP][ODBC]…` is
 * neither, nor an application log's `[2024-03-26 11:40:52.902] [ERROR] …`.
 */
const KERNEL_OR_SECTRACE = /^\[(?:Thr |\d{4}\.\d{2}\.\d{2} [\d:.]{5,20}\]\[)/;

/** Turns decoded lines of one input into evidence events (see module comment). */
export class SapTextAssembler implements LineConsumer {
  private readonly state: AssemblyState;
  private readonly h: LineHandlers;
  private readonly policy: LookbackPolicy;
  /** Lines no line type claims, matched against the knowledge model (kb phrases and patterns). */
  private readonly messages: MessageLines;
  /** The SAP product the input comes from, when a line names it (Cloud Connector, CPI, BTP, SAC). */
  readonly platform = new PlatformSniffer();
  readonly sncMechanism = new SncMechanismSniffer();
  private headGate: HeadGate | undefined;
  /** Kernel lines without the trace file's header (set by the reader from the head): see HeadGate. */
  excerpt = false;
  /**
   * @param quietAfter lines that could be quiet the process meets before it builds the quiet-line gate
   * (QUIET_GATE_AFTER; tests give 0); null: every marker line takes the full path (tests compare both).
   */
  constructor(
    input: number,
    events: EventAggregator,
    private readonly quietAfter: number | null = QUIET_GATE_AFTER,
  ) {
    this.state = new AssemblyState(input, events);
    this.messages = new MessageLines(input, (event, lines) => this.state.emit(event, lines));
    const info = new TraceInfoLines(this.state);
    const ssl = new SslLines(this.state, () => info.cryptoLibFile);
    const snc = new SncLines(this.state);
    const other = new OtherLines(this.state, ssl, snc);
    this.h = { ssl, snc, other, info };
    this.policy = new LookbackPolicy((mark) => {
      ssl.markHot(mark);
      snc.markHot(mark);
      other.markHot(mark);
      return snc.busy || other.busy || info.busy;
    });
  }

  // ---------------------------------------------------------------- scanner hooks (prefilter.ts)

  wantsEveryLine(): boolean {
    return this.policy.wantsEveryLine();
  }

  lookbackFor(text: string): number {
    return this.policy.lookbackFor(text);
  }

  lookbackStop(buf: Buffer, s: number, e: number): boolean {
    return this.policy.lookbackStop(buf, s, e);
  }

  lookbackExtra(buf: Buffer, s: number, e: number): boolean {
    return this.policy.lookbackExtra(buf, s, e);
  }

  wantsLine(buf: Buffer, s: number, e: number): boolean {
    return this.policy.wantsLine(buf, s, e);
  }

  wantsHeadLine(buf: Buffer, s: number, e: number, zoneEnd: number): boolean {
    this.headGate ??= new HeadGate(this.excerpt);
    return this.headGate.wants(buf, s, e, zoneEnd);
  }

  /**
   * A marker line no handler can make anything of while no block is open (quiet-lines.ts): counted as
   * the full path would count it (a kernel line, read, not recognised) and not decoded.
   */
  takesQuietLine(buf: Buffer, s: number, e: number, no: number): boolean {
    const { ssl, snc, other, info } = this.h;
    if (info.busy || snc.busy || other.busy || !this.messages.idle) return false;
    // Only a kernel line can be quiet: other inputs never build the gate.
    const p = quietPayloadStart(buf, s, e);
    if (p < 0) return false;
    const gate = this.quietAfter === null ? undefined : quietGateAfter(this.quietAfter);
    if (!gate) return false;
    // Blocks of other threads may be open: the line must not reach one, and they age as on the full path.
    const idle = ssl.idle && snc.idle && other.idle;
    if (!idle) {
      const thread = buf.toString('latin1', s + 5, byteIndexOf(buf, 0x5d, s + 5));
      if (ssl.reaches(thread) || snc.reaches(thread)) return false;
    }
    if (gate.mayMatter(buf, s, p, e)) return false;
    const out = this.state.out;
    this.state.skip(no);
    out.seen.threaded++;
    out.unrecognizedLines++;
    if (out.unrecognizedSample.length < MAX_SAMPLE) out.unrecognizedSample.push(no);
    this.platform.skip();
    this.messages.skip();
    if (!idle) {
      this.closeStale(no);
      this.policy.invalidate();
    }
    return true;
  }

  // ---------------------------------------------------------------- lines

  onLine(no: number, text: string, cut: boolean): void {
    const out = this.state.out;
    this.state.remember(no, text, cut);
    let recognized = true;
    const segs = splitLine(text);
    // Index loops here and in handleSegment: they run per line in V8's interpreter (see holdsAny).
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      if (seg.thread !== '' && !seg.sectrace) out.seen.threaded++;
      if (seg.sectrace) out.seen.sectrace++;
      if (seg.joined) out.seen.joined++;
      if (!this.handleSegment(seg, no)) recognized = false;
    }
    // The one hook of the knowledge model: every line outside a kernel or sectrace trace (those start
    // with "[Thr …]" / "[date]"; a client's "[SAP][ODBC]" prefix does not count) is matched against the kb phrases, claimed or not, so the rules see the
    // kb entry beside the structured event; an unclaimed line the model knows counts as recognised.
    const offered =
      !recognized || text.charCodeAt(0) !== 0x5b || !KERNEL_OR_SECTRACE.test(text) ? text : undefined;
    this.platform.see(text, offered !== undefined);
    this.sncMechanism.see(text, offered !== undefined);
    if (offered !== undefined) {
      this.h.info.seeParameter(text, no);
      this.h.info.seeHostsEntry(text, no);
    }
    this.messages.seeContext(text, offered !== undefined);
    if (this.messages.see(no, offered, recognized)) recognized = true;
    if (recognized) out.recognizedLines++;
    else {
      out.unrecognizedLines++;
      if (out.unrecognizedSample.length < MAX_SAMPLE) out.unrecognizedSample.push(no);
    }
    this.closeStale(no);
    // Only the prefilter asks (past the fully read head), so most lines never pay for the refresh.
    this.policy.invalidate();
  }

  /** The peer chain a client tool printed beside the messages (openssl s_client), with its host. */
  /** The context facts the input stated (after finish()). */
  contextFacts(): string[] {
    return this.messages.contextFacts();
  }

  printedChain(): ReturnType<MessageLines['printedChain']> {
    return this.messages.printedChain();
  }

  /** The PEM certificate blocks pasted into the text, collected but not parsed. */
  get pems(): PemLines {
    return this.messages.pems;
  }

  /** Close everything still open (end of input) and return what was found. */
  finish(): AssemblerResult {
    this.h.ssl.finishAll();
    this.h.snc.finishAll();
    this.h.other.finishAll();
    this.messages.finish();
    this.h.info.finish();
    return this.state.out;
  }

  /**
   * One segment of a line: structures in progress first (trace header, sectrace, SSL sub-states,
   * CPIC block), then the line-type table, then what an open SSL block makes of a line nobody claimed.
   * False: the line was not recognised (counted).
   */
  private handleSegment(seg: Segment, no: number): boolean {
    const { ssl, snc, info } = this.h;
    const t = seg.text;
    if (/^\s*$/.test(t)) {
      const s = ssl.find(seg.thread, no);
      if (s) s.expectErrorText = false;
      return true;
    }
    if (isTimestampLine(t)) {
      this.state.setTimestamp(seg.thread, t.trim());
      return true;
    }
    if (info.handleLine(t, no)) return true;
    if (seg.sectrace && snc.handleSectrace(seg, no)) return true;
    if (ssl.handleOpenStructure(seg, no)) return true;
    if (snc.handleCpic(seg, no)) return true;
    const open = ssl.find(seg.thread, no);
    if (maybeInteresting(t)) {
      for (let i = 0; i < LINE_TYPES.length; i++) {
        const type = LINE_TYPES[i]!;
        if (!holdsGuard(t, type.has)) continue;
        const m = compileNow(type.re).exec(t);
        if (!m) continue;
        try {
          type.apply(this.h, { seg, t, no, m });
        } catch (err) {
          if (err instanceof NotMine) continue;
          throw err;
        }
        if (open && type.name !== 'handshake-failed' && type.name !== 'ssl-code')
          open.expectErrorText = false;
        return true;
      }
    }
    return ssl.handleUnclaimed(seg, no, open);
  }

  private closeStale(no: number): void {
    this.h.ssl.closeStale(no);
    this.h.snc.closeStale(no);
    this.h.other.closeStale(no);
    this.h.snc.prunePending(no);
  }
}
