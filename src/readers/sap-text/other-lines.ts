/**
 * @module Handlers for the smaller shapes: inbound (server-role) certificate handling, Java exceptions,
 * crypto-library load failures, WSS040, and the one-line client and connection errors.
 */
import type { EvidenceEvent } from '../../model/evidence.js';
import { type AssemblyState, type Ctx, type EventDraft, NotMine } from './assembly-state.js';
import { BlockTable, GAP } from './block-table.js';
import {
  BlockBase,
  classifyJava,
  InboundBlock,
  JavaBlock,
  readBrowserError,
  readConnectionFailure,
  readHanaError,
} from './other-blocks.js';
import type { SncLines } from './snc-lines.js';
import type { SslLines } from './ssl-lines.js';

/** A Java exception's frames end it after this many lines without one. */
const JAVA_GAP = 12;
/** A library-load failure takes the OS error printed within this many lines. */
const LIB_GAP = 3;

type LibBlock = BlockBase & { event: EvidenceEvent & { kind: 'lib-load-failure' } };

/** Inbound, Java and library blocks of one input and the handlers of the one-line shapes. */
export class OtherLines {
  private readonly inboundBlocks = new BlockTable<InboundBlock>();
  private readonly javaBlocks = new BlockTable<JavaBlock>();
  private pendingLib: LibBlock | undefined;

  constructor(
    private readonly state: AssemblyState,
    private readonly ssl: SslLines,
    private readonly snc: SncLines,
  ) {}

  /** A library failure waits for its OS error line: every line is read. */
  get busy(): boolean {
    return this.pendingLib !== undefined;
  }

  /** No block open and no library failure pending. */
  get idle(): boolean {
    return this.inboundBlocks.size === 0 && this.javaBlocks.size === 0 && this.pendingLib === undefined;
  }

  private inboundFor(c: Ctx): InboundBlock {
    let block = this.inboundBlocks.find(c.seg.thread, c.no);
    block ??= this.inboundBlocks.add(c.seg.thread, new InboundBlock(c.seg.thread, c.no));
    block.touch(c.no);
    this.inboundBlocks.last = block;
    return block;
  }

  /** `role=2 (SERVER), auth_type=…`: the SSL session's role, and for a server the inbound auth type. */
  onRoleArgs(c: Ctx): void {
    const block = this.ssl.ssl(c, false);
    block.setRole(c.m[1] === 'SERVER' ? 'server' : 'client', c.m[0], 3);
    const auth = /auth_type=\d{1,2} \((\w{1,40})\)/.exec(c.t);
    if (auth && c.m[1] === 'SERVER') {
      const ib = this.inboundFor(c);
      ib.authType ??= auth[1]!;
    }
  }

  onInbound(c: Ctx): void {
    const block = this.inboundFor(c);
    const t = c.t.trim();
    const fwd = /Forwarded Client certificate:\s*subject=(.{0,2000})$/.exec(t);
    if (fwd) {
      const rest = fwd[1]!;
      const k = rest.indexOf(', issuer=');
      block.subject ??= (k >= 0 ? rest.slice(0, k) : rest).trim();
      if (k >= 0) block.issuer ??= rest.slice(k + ', issuer='.length).trim();
      return;
    }
    if (/Reject untrusted forwarded certificate/.test(t)) block.setProblem('forwarded-cert-rejected', t);
    else if (/ReverseProxyTrustworthy|intermediary is NOT trusted/.test(t))
      block.setProblem('intermediary-not-trusted', t);
    else block.setProblem('no-client-cert', t);
  }

  onInboundContext(c: Ctx): void {
    const block = this.inboundBlocks.find(c.seg.thread, c.no);
    if (block) block.touch(c.no);
    // A server-role session (its auth type seen) that got no client certificate: on its own the normal
    // case of a browser, beside a refused certificate logon the reason (rules inbound-client-cert and
    // client-cert-required judge it).
    if (block?.authType && /anonymous client|<no cert>/.test(c.t)) block.setProblem('no-client-cert', c.t);
    const ssl = this.ssl.find(c.seg.thread, c.no);
    if (ssl) ssl.touch(c.no, false);
  }

  onWss040(c: Ctx): void {
    const text = c.t.trim();
    const ev: Extract<EventDraft, { kind: 'ssl-failure' }> = {
      kind: 'ssl-failure',
      origin: 'abap-message',
      role: 'client',
      roleEvidence: 'WSS040',
      error: { name: 'WSS040' },
      errorText: text,
    };
    this.state.emit(ev, [c.no]);
  }

  onConnection(c: Ctx): void {
    const ev = readConnectionFailure(c.t);
    if (!ev) throw new NotMine();
    const ts = this.state.timestampOf(c.seg.thread);
    if (ts) ev.timestamp = ts;
    if (c.seg.thread) ev.thread = c.seg.thread;
    this.state.emit(ev, [c.no]);
  }

  onHana(c: Ctx): void {
    const ev = readHanaError(c.t);
    if (!ev) throw new NotMine();
    this.state.emit(ev, [c.no]);
  }

  onBrowser(c: Ctx): void {
    const ev = readBrowserError(c.t);
    if (!ev) throw new NotMine();
    this.state.emit(ev, [c.no]);
  }

  onJava(c: Ctx): void {
    if (!classifyJava(c.t)) throw new NotMine();
    let block = this.javaBlocks.find(c.seg.thread, c.no);
    if (!block) block = this.javaBlocks.add(c.seg.thread, new JavaBlock(c.seg.thread, c.no));
    block.apply(c.t);
    block.touch(c.no);
    this.javaBlocks.last = block;
  }

  onJavaFrame(c: Ctx): void {
    const block = this.javaBlocks.find(c.seg.thread, c.no);
    if (!block) throw new NotMine();
    block.apply(c.t);
    block.lastTouch = c.no;
  }

  onDlLoad(c: Ctx): void {
    this.flushLib();
    const lib = /(?:LoadLibrary|dlopen)\("([^"]{1,500})"\)/.exec(c.t);
    const block = new BlockBase(c.seg.thread, c.no) as LibBlock;
    block.event = {
      kind: 'lib-load-failure',
      error: { name: c.m[1]! },
      source: { input: this.state.input, line: c.no },
    };
    if (lib) block.event.library = lib[1]!;
    const ts = this.state.timestampOf(c.seg.thread);
    if (ts) block.event.timestamp = ts;
    if (c.seg.thread) block.event.thread = c.seg.thread;
    block.touch(c.no);
    this.pendingLib = block;
  }

  /** `Error 5 = "Access is denied."`: the OS error of a library load, or of an open SNC block. */
  onOsError(c: Ctx): void {
    const m = /^\s*Error (\d{1,6}) = "([^"]{0,300})"?/.exec(c.t)!;
    if (this.pendingLib && c.no - this.pendingLib.lastTouch <= LIB_GAP) {
      this.pendingLib.event.osError = { code: m[1]!, text: m[2]! };
      this.pendingLib.touch(c.no);
      this.flushLib();
      return;
    }
    const snc = this.snc.find(c.seg.thread, c.no);
    if (snc) {
      snc.osError ??= { code: m[1]!, text: m[2]! };
      this.snc.touch(snc, c.seg, c.no);
      return;
    }
    throw new NotMine();
  }

  // ------------------------------------------------------------ closing

  /** Threads with an inbound or Java problem in progress. */
  markHot(mark: (thread: string) => void): void {
    // Asked after each line that changed the blocks: an empty table (most of the time) costs no iterator.
    if (this.inboundBlocks.map.size > 0)
      for (const b of this.inboundBlocks.map.values()) if (b.problem) mark(b.thread);
    if (this.javaBlocks.map.size > 0)
      for (const b of this.javaBlocks.map.values()) if (b.problem) mark(b.thread);
  }

  closeStale(no: number): void {
    // Run for every line: an empty table (most of the time) costs no iterator.
    if (this.inboundBlocks.map.size > 0)
      for (const b of this.inboundBlocks.map.values()) if (no - b.lastTouch > GAP) this.finishInbound(b);
    if (this.javaBlocks.map.size > 0)
      for (const b of this.javaBlocks.map.values()) if (no - b.lastTouch > JAVA_GAP) this.finishJava(b);
    if (this.pendingLib && no - this.pendingLib.lastTouch > LIB_GAP) this.flushLib();
  }

  finishAll(): void {
    for (const b of [...this.inboundBlocks.map.values()]) this.finishInbound(b);
    for (const b of [...this.javaBlocks.map.values()]) this.finishJava(b);
    this.flushLib();
  }

  private finishInbound(block: InboundBlock): void {
    this.inboundBlocks.remove(block);
    this.state.emitBlock(block, block.toEvent());
  }

  private finishJava(block: JavaBlock): void {
    this.javaBlocks.remove(block);
    this.state.emitBlock(block, block.toEvent());
  }

  private flushLib(): void {
    const lib = this.pendingLib;
    if (!lib) return;
    this.pendingLib = undefined;
    const { source: _s, ...rest } = lib.event;
    this.state.emit(rest, lib.lines);
  }
}
