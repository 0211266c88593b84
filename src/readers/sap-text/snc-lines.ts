/**
 * @module Handlers for SNC lines: CPIC error blocks, `SncPEstablishContext` / `SNCERR_*` / GSS-API
 * lines (`snc-block.ts`), and CommonCryptoLib sectraces (Kerberos failures, `gss_display_name` output).
 */
import type { EvidenceEvent } from '../../model/evidence.js';
import { type AssemblyState, type Ctx, type EventDraft, NotMine } from './assembly-state.js';
import { BlockTable, GAP } from './block-table.js';
import type { Segment } from './line-prefix.js';
import { KerberosBlock } from './other-blocks.js';
import { hasErrorPrefix, SOURCE_LOCATION, stripErrorPrefix, stripLocation } from './patterns.js';
import { CPIC_LABEL, SncBlock } from './snc-block.js';

/** The SNC/CPIC and Kerberos blocks of one input and the handlers that feed them. */
export class SncLines {
  readonly blocks = new BlockTable<SncBlock>();
  private readonly krbBlocks = new BlockTable<KerberosBlock>();
  /** Sectrace threads whose `gss_display_name output buffer` line came, by line number. */
  private readonly pendingName = new Map<string, number>();

  constructor(private readonly state: AssemblyState) {}

  find(thread: string, no: number): SncBlock | undefined {
    return this.blocks.find(thread, no);
  }

  /** A `gss_display_name` output is awaited: every line is read. */
  get busy(): boolean {
    return this.pendingName.size > 0;
  }

  /** No block open and no name pending. */
  get idle(): boolean {
    return this.blocks.size === 0 && this.krbBlocks.size === 0 && this.pendingName.size === 0;
  }

  /**
   * Whether an unclaimed kernel line of `thread` may touch an open CPIC/SNC block (Kerberos blocks take
   * only sectrace lines).
   */
  reaches(thread: string): boolean {
    return this.blocks.reaches(thread);
  }

  touch(block: SncBlock, seg: Segment, no: number): void {
    block.touch(no);
    if (seg.traceStyle) block.traceStyle = true;
    this.blocks.last = block;
  }

  private snc(c: Ctx): SncBlock {
    const block = this.blocks.find(c.seg.thread, c.no) ?? this.open(c.seg.thread, c.no);
    this.touch(block, c.seg, c.no);
    return block;
  }

  private open(thread: string, no: number): SncBlock {
    const block = new SncBlock(thread, no);
    const ts = this.state.timestampOf(thread);
    if (ts) block.facts.timestamp = ts;
    return this.blocks.add(thread, block);
  }

  // ------------------------------------------------------------ structures read before the table

  /** The CPIC error block (LOCATION … COUNTER). True when the line belongs to it. */
  handleCpic(seg: Segment, no: number): boolean {
    const t = seg.text;
    const snc = this.blocks.find(seg.thread, no);
    if (snc?.cpic) {
      const label = CPIC_LABEL.exec(t);
      if (label) {
        snc.applyLabel(label[1]!, label[2] ?? '');
        this.touch(snc, seg, no);
        return true;
      }
      if ((snc.lastLabel === 'ERROR' || snc.lastLabel === 'DETAIL') && !/^\s*(?:\*\*\*|<<-|->>|\[)/.test(t)) {
        snc.applyContinuation(t);
        this.touch(snc, seg, no);
        return true;
      }
      snc.cpic = false;
      return false;
    }
    // Only a LOCATION line opens a CPIC block: other lines never compile the label regex.
    const label = t.includes('LOCATION') ? CPIC_LABEL.exec(t) : null;
    if (label && label[1] === 'LOCATION' && label[2]) {
      const block = snc ?? this.blocks.add(seg.thread, new SncBlock(seg.thread, no));
      block.cpic = true;
      block.cpicSeen = true;
      this.state.out.seen.cpic++;
      block.applyLabel('LOCATION', label[2]);
      this.touch(block, seg, no);
      return true;
    }
    return false;
  }

  /** A sectrace record: `gss_display_name` output, Kerberos lines. True when the line was one. */
  handleSectrace(seg: Segment, no: number): boolean {
    const st = seg.sectrace!;
    const t = seg.text;
    const pending = this.pendingName.get(st.tid);
    if (pending !== undefined) {
      this.pendingName.delete(st.tid);
      if (no - pending <= 3 && !/gss_display_name/.test(t)) {
        const name = t.trim();
        const ev: Extract<EventDraft, { kind: 'snc-name' }> = { kind: 'snc-name', name };
        if ((name.match(/@/g) ?? []).length >= 2) ev.anomaly = 'doubled-realm';
        ev.timestamp = st.timestamp;
        if (st.tid) ev.thread = st.tid;
        this.state.emit(ev, [pending, no]);
        return true;
      }
    }
    if (/gss_display_name output buffer/.test(t)) {
      this.pendingName.set(st.tid, no);
      return true;
    }
    if (/^\s*[{}]?\s*gss_display_name\b/.test(t)) return true;
    if (/kerberos|spnego|krb5/i.test(st.component) || /kerberos/i.test(t)) {
      let block = this.krbBlocks.find(st.tid, no);
      if (!block) {
        block = this.krbBlocks.add(st.tid, new KerberosBlock(st.tid, no));
        block.facts.timestamp = st.timestamp;
        if (st.process) block.facts.process = st.process;
        if (st.tid) block.facts.thread = st.tid;
      }
      if (block.apply(t)) {
        block.touch(no);
        this.krbBlocks.last = block;
        return true;
      }
      return /kerberos/i.test(st.component);
    }
    return false;
  }

  // ------------------------------------------------------------ line types

  onSncEstablish(c: Ctx): void {
    const block = this.snc(c);
    block.snc = true;
    block.setRole('client');
    block.facts.sncTarget ??= c.m[1]!;
    block.addDetail(stripLocation(stripErrorPrefix(c.t)));
    const loc = SOURCE_LOCATION.exec(c.t);
    if (loc) block.facts.sourceLocation ??= `${loc[1]} ${loc[2]}`;
    block.applyText(c.t);
  }

  onSncFollowUp(c: Ctx): void {
    const block = this.blocks.find(c.seg.thread, c.no);
    if (!block) throw new NotMine();
    block.addFollowUp(c.m[1]!.trim());
    this.touch(block, c.seg, c.no);
  }

  onSncLine(c: Ctx): void {
    const block = this.snc(c);
    block.snc = true;
    block.applyText(c.t);
    if (hasErrorPrefix(c.t)) {
      block.addDetail(stripLocation(stripErrorPrefix(c.t)));
      const loc = SOURCE_LOCATION.exec(c.t);
      if (loc) block.facts.sourceLocation ??= `${loc[1]} ${loc[2]}`;
    }
    if (/SncPDLInit|LoadLibrary/.test(c.t)) block.setRole('client');
  }

  onSncContinuation(c: Ctx): void {
    const block = this.blocks.find(c.seg.thread, c.no);
    if (!block || c.no - block.lastTouch > 3) throw new NotMine();
    block.applyText(c.t);
    this.touch(block, c.seg, c.no);
  }

  onRfcError(c: Ctx): void {
    this.snc(c).applyText(c.t);
  }

  // ------------------------------------------------------------ closing

  /** Threads with an SNC failure or an open CPIC block, or a Kerberos failure. */
  markHot(mark: (thread: string) => void): void {
    // Asked after each line that changed the blocks: an empty table (most of the time) costs no iterator.
    if (this.blocks.map.size > 0)
      for (const b of this.blocks.map.values()) if (b.cpic || b.snc) mark(b.thread);
    if (this.krbBlocks.map.size > 0)
      for (const b of this.krbBlocks.map.values()) if (b.failed) mark(b.thread);
  }

  closeStale(no: number): void {
    // Run for every line: an empty table (most of the time) costs no iterator.
    if (this.blocks.map.size > 0)
      for (const b of this.blocks.map.values()) if (no - b.lastTouch > GAP) this.finish(b);
    if (this.krbBlocks.map.size > 0)
      for (const b of this.krbBlocks.map.values()) if (no - b.lastTouch > GAP) this.finishKerberos(b);
  }

  /** Forget `gss_display_name` outputs that never came. */
  prunePending(no: number): void {
    if (this.pendingName.size === 0) return;
    for (const [tid, at] of this.pendingName) if (no - at > 3) this.pendingName.delete(tid);
  }

  finishAll(): void {
    for (const b of [...this.blocks.map.values()]) this.finish(b);
    for (const b of [...this.krbBlocks.map.values()]) this.finishKerberos(b);
  }

  private finish(block: SncBlock): void {
    this.blocks.remove(block);
    for (const ev of block.toEvents()) {
      const e = ev as EvidenceEvent;
      if (block.thread && !e.thread) e.thread = block.thread;
      this.state.emit(ev, block.lines.length > 0 ? block.lines : [block.firstLine]);
    }
  }

  private finishKerberos(block: KerberosBlock): void {
    this.krbBlocks.remove(block);
    this.state.emitBlock(block, block.toEvent());
  }
}
