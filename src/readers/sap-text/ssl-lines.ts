/**
 * @module Handlers for SapSSL lines: they open, feed and close the per-thread SSL session blocks
 * (`ssl-block.ts`) and emit an `ssl-failure` event when a failed session closes; ICM codes of the
 * network level become `connection-failure` events instead.
 */

import { ICM_CODES, ICM_SSL_NUMBERS, sapSslNumber } from '../../codes/sap-codes.js';
import type { SslFailureEvent } from '../../model/evidence.js';
import { type AssemblyState, type Ctx, type EventDraft, NotMine } from './assembly-state.js';
import { BlockTable, GAP, MAX_OPEN } from './block-table.js';
import { isBareCertificateStart, isChainListingStart, isDumpStart } from './cert-dump.js';
import { readEndpoint, readQuoted } from './endpoint.js';
import type { Segment } from './line-prefix.js';
import { icmConnectionProblem } from './other-blocks.js';
import {
  ALERT,
  BARE_CODE,
  hasErrorPrefix,
  mayHoldAlert,
  NUMBER_BEFORE_CODE,
  SOURCE_LOCATION,
  SSL_CODE,
  stripErrorPrefix,
} from './patterns.js';
import { type ContextKey, SslBlock, type SslFacts } from './ssl-block.js';

/** The SSL session blocks of one input and the handlers of the line types that feed them. */

/**
 * The SapSSL code a line carries, with its number when printed (`failed (-102): SSSLERR_…` first, then
 * `SSSLERR_… (-102)`). Each regex runs only on lines holding a text all its matches hold.
 */
function sslCodeIn(t: string): { name: string; number: number | undefined } | undefined {
  if (!t.includes('SSSL')) return undefined;
  const nb = t.includes('failed (') ? NUMBER_BEFORE_CODE.exec(t) : null;
  if (nb) return { name: nb[2]!, number: Number(nb[1]) };
  const m = SSL_CODE.exec(t);
  return m ? { name: m[1]!, number: m[3] ? Number(`${m[2] ?? ''}${m[3]}`) : undefined } : undefined;
}

export class SslLines {
  readonly blocks = new BlockTable<SslBlock>();

  constructor(
    private readonly state: AssemblyState,
    /** The CommonCryptoLib file the trace's initialisation named (for library failures). */
    private readonly cryptoLibFile: () => string | undefined,
  ) {}

  find(thread: string, no: number): SslBlock | undefined {
    return this.blocks.find(thread, no);
  }

  /** The SSL block for this line, opened when none is open; `key`: the line carries a fact of the event. */
  ssl(c: Ctx, key = true): SslBlock {
    const existing = this.blocks.find(c.seg.thread, c.no);
    const block = existing ?? this.open(c.seg.thread, c.no);
    this.touch(block, c.seg, c.no, key);
    return block;
  }

  private open(thread: string, no: number): SslBlock {
    if (this.blocks.size >= MAX_OPEN) {
      const oldest = [...this.blocks.map.values()].sort((a, b) => a.lastTouch - b.lastTouch)[0];
      if (oldest) this.finish(oldest, false);
    }
    const block = new SslBlock(thread, no);
    const ts = this.state.timestampOf(thread);
    if (ts) block.facts.timestamp = ts;
    return this.blocks.add(thread, block);
  }

  touch(block: SslBlock, seg: Segment, no: number, key = true): void {
    block.touch(no, key);
    if (seg.traceStyle) block.traceStyle = true;
    if (seg.joined) block.joined = true;
    if (this.state.curCut) block.facts.truncated = true;
    this.blocks.last = block;
  }

  /** An SSL block that a new failure line may not join (it already has a different one): close and reopen. */
  private sslFor(c: Ctx, conflict: (b: SslBlock) => boolean): SslBlock {
    const existing = this.blocks.find(c.seg.thread, c.no);
    if (existing && conflict(existing)) this.finish(existing, false);
    return this.ssl(c);
  }

  close(thread: string, no: number): void {
    const b = this.blocks.find(thread, no);
    if (b) this.finish(b, false);
  }

  /** Facts any SSL line may carry besides its own: error code, alert text, source location. */
  private common(block: SslBlock, t: string): void {
    // Each regex runs only on lines holding a text all its matches hold: most lines of
    // a block hold none, and a regex never run is never compiled.
    const code = sslCodeIn(t);
    if (code) block.setError(code.name, code.number);
    const alert = mayHoldAlert(t) ? ALERT.exec(t) : null;
    if (alert) block.setAlert(alert[1]!, false);
    const loc = t.trimEnd().endsWith(']') ? SOURCE_LOCATION.exec(t) : null;
    if (loc && /\.(?:c|cpp)$|^\w+$/.test(loc[1]!)) block.facts.sourceLocation ??= `${loc[1]} ${loc[2]}`;
    if (t.includes('SSL_connect') && /\bSSL_connect\b/.test(t)) block.setRole('client', 'SSL_connect', 1);
    else if (t.includes('SSL_accept') && /\bSSL_accept\b/.test(t)) block.setRole('server', 'SSL_accept', 1);
  }

  /** The error name a line carries, for conflict checks. */
  private codeIn(t: string): string | undefined {
    return sslCodeIn(t)?.name;
  }

  // ------------------------------------------------------------ sub-states of an open block

  /** The open block's own sub-states: PEM lines, chain dump, errorstack. True when the line was one. */
  handleOpenStructure(seg: Segment, no: number): boolean {
    const ssl = this.blocks.find(seg.thread, no);
    if (!ssl) return false;
    const t = seg.text;
    if (ssl.pemLines) {
      if (/-----END CERTIFICATE-----/.test(t)) ssl.endPem();
      else if (/^\s*[A-Za-z0-9+/=]{1,128}\s*$/.test(t)) ssl.addPemLine(t);
      else {
        ssl.endPem();
        return false;
      }
      ssl.touch(no, false);
      return true;
    }
    if (ssl.dump) {
      if (ssl.dump.feed(t, no)) {
        ssl.touch(no, false);
        return true;
      }
      ssl.endDump();
    }
    if (!ssl.inErrorstack && isChainListingStart(t)) {
      ssl.startDump();
      ssl.touch(no, false);
      return true;
    }
    if (!ssl.inErrorstack && isBareCertificateStart(t)) {
      ssl.startDump();
      ssl.dump?.feed(t, no);
      ssl.touch(no, false);
      return true;
    }
    if (ssl.inErrorstack) {
      if (/End of Secu(?:de)?-SSL Errorstack/.test(t)) {
        ssl.endErrorstack();
        this.touch(ssl, seg, no);
        return true;
      }
      if (isDumpStart(t)) {
        ssl.startDump();
        ssl.touch(no, false);
        return true;
      }
      if (/-----BEGIN CERTIFICATE-----/.test(t)) {
        ssl.beginPem();
        ssl.touch(no, false);
        return true;
      }
      const entry = /^\s*(0x[0-9a-fA-F]{8})\s+(\S{1,60})\s+(\S{1,80})\s*$/.exec(t);
      if (entry) ssl.addErrorstackEntry(entry[1]!, entry[2]!, entry[3]!, no);
      else if (ssl.errorstackOverrun(t)) return false;
      else {
        ssl.addErrorstackText(t, no);
        this.common(ssl, t);
      }
      this.touch(ssl, seg, no);
      return true;
    }
    return false;
  }

  /**
   * A line no line type claimed: the prose after an error code joins the block (true); in a kernel
   * trace an unrelated line of the failed session's thread ends the block.
   */
  handleUnclaimed(seg: Segment, no: number, ssl: SslBlock | undefined): boolean {
    const t = seg.text;
    // The text printed after an error code is prose, not another kernel function's trace line.
    if (ssl?.expectErrorText && !/^\s*\w{1,60}(?:\([^)]{0,200}\))?: /.test(t)) {
      ssl.expectErrorText = false;
      ssl.facts.errorText ??= t.trim();
      this.touch(ssl, seg, no);
      return true;
    }
    // A kernel trace prints a failure's text in one run of lines; an unrelated line of the same thread
    // ends it, so the next session's lines cannot join it.
    if (ssl && seg.thread !== '' && ssl.thread === seg.thread && ssl.traceStyle && ssl.handshakeLine) {
      this.finish(ssl, false);
    }
    return false;
  }

  // ------------------------------------------------------------ line types

  onSessionInit(c: Ctx): void {
    const existing = this.blocks.find(c.seg.thread, c.no);
    if (existing) this.finish(existing, false);
    const block = this.ssl(c, false);
    const role = /\brole=\d{1,2} \((SERVER|CLIENT)\)/.exec(c.t);
    if (role) block.setRole(role[1] === 'SERVER' ? 'server' : 'client', role[0], 3);
  }

  /** `->> SapSSL…(` call lines: a completed failure of this thread is over. */
  onSessionCall(c: Ctx): void {
    const b = this.blocks.find(c.seg.thread, c.no);
    if (b?.handshakeLine) this.finish(b, false);
    else if (b) b.touch(c.no, false);
  }

  onHandshake(c: Ctx): void {
    const code = this.codeIn(c.t);
    const block = this.sslFor(c, (b) => b.handshakeLine || (code !== undefined && b.hasDifferentError(code)));
    block.handshakeLine = true;
    block.anchored = true;
    block.freezeContext();
    block.expectErrorText = true;
    block.setRole('client', 'SSL handshake with', 1);
    const i = c.t.indexOf('SSL handshake with ');
    const ep = readEndpoint(c.t, i + 'SSL handshake with '.length);
    block.setTarget(ep.endpoint);
    const before = stripErrorPrefix(c.t.slice(0, i)).trim().replace(/:$/, '').trim();
    const http = before.toLowerCase().includes('http error ')
      ? /HTTP error (\d{3}) occ?u?r{1,2}ed/i.exec(before)
      : null;
    if (http) block.setIcm(Number(http[1]), undefined);
    if (before.length > 0 && !/^Error message$/i.test(before)) block.facts.appMessage ??= before;
    this.common(block, c.t.slice(ep.end));
  }

  onFunctionRc(c: Ctx): void {
    const fn = c.m[1]!;
    const rc = c.m[3]!;
    if (rc === 'SAP_O_K') {
      const b = this.blocks.find(c.seg.thread, c.no);
      if (b && /^SapSSLSessionStart/.test(fn)) {
        b.succeeded = true;
        this.finish(b, false);
        // A successful call keeps a session that has not failed yet open (its set-up calls come one by
        // one); after a failure it belongs to another session of the thread (`SapSSLSetTraceFile`), and
        // keeping the failed block open for it read every line of the thread until none came for 60.
      } else if (b && !b.anchored) b.touch(c.no, false);
      return;
    }
    if (!/^SSSL(?:ERR|RC)_/.test(rc)) {
      const b = this.blocks.find(c.seg.thread, c.no);
      if (b) b.touch(c.no, false);
      return;
    }
    const block = this.sslFor(c, (b) => b.hasDifferentError(rc));
    block.facts.function ??= fn;
    const hdl = /sssl_hdl=([0-9a-fA-Fx]{1,20})/.exec(c.m[2]!);
    if (hdl) block.facts.ssslHandle ??= hdl[1]!;
    this.common(block, c.t);
    // A reason printed after the code on the same line (`==SSSLERR_PSE_ERROR (-40): PIN required …`).
    const tail = c.t
      .slice(c.m.index + c.m[0].length)
      .replace(/^\s{0,4}\(\s{0,2}-?\d{1,5}\s{0,2}\)/, '')
      .replace(/\[[\w.]{1,40}\s{1,12}\d{1,6}\]\s*$/, '')
      .trim();
    if (/^[:-]\s{0,4}\w/.test(tail)) block.addDetail(tail.replace(/^[:-]\s{0,4}/, ''));
  }

  /**
   * A PSE the SSL layer could not open (PSE_NOT_OPENED, NO_CREDENTIALS_FOR_PSE, CANNOT_OPEN_PSE): a failure of its own, with the
   * file, the role its name or the line says (SAPSSLS: the ICM's HTTPS server; SAPSSLC/SAPSSLA: its client)
   * and the line as its reason (file not found, PIN required). Only a kernel error line (`*** ERROR =>`,
   * `ERROR in …`): sapgenpse's "Couldn't open PSE" is the sapgenpse reader's.
   */
  onPseOpenFailed(c: Ctx): void {
    if (!c.t.includes('ERROR')) throw new NotMine();
    const file = c.m[1]!;
    const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
    // A failure of its own: an open block that already holds another failure (another call, a pasted
    // message) ends; one about the same PSE (its reason on the next line) goes on.
    const open = this.blocks.find(c.seg.thread, c.no);
    const openPse = open?.facts.pseFile;
    // The same PSE, or a failure printed on the line just before that names no PSE (its return code).
    const samePse =
      open !== undefined &&
      (openPse === undefined
        ? c.no - open.lastTouch <= 2
        : openPse === file || openPse.endsWith(`/${base}`) || openPse === base);
    if (open?.anchored && !samePse) this.finish(open, false);
    const block = samePse && open ? open : this.contextBlock(c, 'pseFile', file);
    if (samePse && open) {
      if (openPse === undefined) open.setContext('pseFile', file);
      this.touch(open, c.seg, c.no);
    }
    block.anchored = true;
    if (/^SAPSSLS/i.test(base) || /\bserver\b/i.test(c.t)) block.setRole('server', 'server PSE', 2);
    else if (/^SAPSSL[CA]/i.test(base) || /\bclient\b/i.test(c.t)) block.setRole('client', 'client PSE', 2);
    block.addDetail(stripErrorPrefix(c.t).trim());
    this.touch(block, c.seg, c.no);
  }

  onPse(c: Ctx): void {
    const q = readQuoted(c.t, c.m[1] ? 'SSL session PSE' : 'session uses PSE file');
    const block = q ? this.contextBlock(c, 'pseFile', q.value) : this.ssl(c);
    if (q?.truncated) block.facts.truncated = true;
    if (c.m[1] === 'cli') block.setRole('client', 'cli SSL session PSE', 2);
    else if (c.m[1] === 'srv') block.setRole('server', 'srv SSL session PSE', 2);
  }

  /** The block a context line belongs to: a new one when the open block holds another session's value. */
  private contextBlock<K extends ContextKey>(c: Ctx, key: K, value: NonNullable<SslFacts[K]>): SslBlock {
    const block = this.sslFor(c, (b) => b.conflicts(key, value));
    if (!block.setContext(key, value)) {
      this.finish(block, false);
      const fresh = this.ssl(c);
      fresh.setContext(key, value);
      return fresh;
    }
    return block;
  }

  onNiHandle(c: Ctx): void {
    const block = this.contextBlock(c, 'niHandle', Number(c.m[1]));
    const li = c.t.indexOf('local=');
    if (li >= 0) block.setContext('local', toIpPort(readEndpoint(c.t, li + 6).endpoint));
    const pi = c.t.indexOf('peer=');
    if (pi >= 0) block.setContext('peer', toIpPort(readEndpoint(c.t, pi + 5).endpoint));
  }

  onTargetHostname(c: Ctx, dash30: boolean): void {
    const q = readQuoted(c.t, dash30 ? 'TargetHostname' : 'Target Hostname');
    if (!q) {
      this.ssl(c);
      return;
    }
    if (dash30) {
      const block = this.ssl(c);
      block.facts.targetHostname ??= q.value;
      block.setTarget({ host: q.value });
      return;
    }
    const block = this.sslFor(c, (b) => b.conflicts('target', { ...(b.facts.target ?? {}), host: q.value }));
    block.setRole('client', 'Target Hostname', 1);
    if (block.facts.target?.host === undefined || block.facts.target.host !== q.value)
      block.setTarget({ host: q.value });
    if (!block.anchored) block.setContext('target', block.facts.target ?? { host: q.value });
  }

  /** `Server certificate name mismatch: expected "<host>", got "CN=<name>"`: both names of a -30 on one line. */
  onExpectedName(c: Ctx): void {
    const block = this.ssl(c);
    block.setRole('client', 'certificate name mismatch', 1);
    block.facts.targetHostname ??= c.m[1]!;
    if (block.facts.target?.host === undefined) block.setTarget({ host: c.m[1]! });
    const got = c.m[2]!.trim();
    block.facts.serverCertSubject ??= /^[A-Za-z]{1,4}=/.test(got) ? got : `CN=${got}`;
    block.facts.errorText ??= c.t.trim();
    block.anchored = true;
  }

  onServerCertSubject(c: Ctx): void {
    this.ssl(c).facts.serverCertSubject ??= c.m[1]!.trim();
  }

  onSni(c: Ctx): void {
    const q = readQuoted(c.t, 'server_name');
    if (q) this.contextBlock(c, 'sni', q.value);
    else this.ssl(c);
  }

  onSslCtx(c: Ctx): void {
    const side = c.m[1]!;
    const ctx: NonNullable<SslFailureEvent['sslCtx']> = { side, address: c.m[2]!, pvflags: Number(c.m[3]) };
    if (c.m[4])
      ctx.protocolVersions = c.m[4]
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    const block = this.contextBlock(c, 'sslCtx', ctx);
    block.setRole(side === 'Server' ? 'server' : 'client', `${side} SSL_CTX`, 2);
    const cs = /\bciphersuites\s*=\s*"?([^\s"]{1,500})/.exec(c.t);
    if (cs) block.setContext('ciphersuites', cs[1]!);
  }

  onCiphersuites(c: Ctx): void {
    this.contextBlock(c, 'ciphersuites', c.m[1]!);
  }

  onSslState(c: Ctx): void {
    this.contextBlock(c, 'sslState', { code: c.m[1]!, text: c.m[2]! });
  }

  onErrorDuring(c: Ctx): void {
    const block = this.ssl(c);
    block.anchored = true;
    block.facts.operation ??= `${c.m[1]} from ${c.m[2]}`;
    if (/^SSL_ERROR_/.test(c.m[3]!)) block.facts.openSslError ??= c.m[3]!;
    this.common(block, c.t);
  }

  onArrow(c: Ctx): void {
    const block = this.ssl(c);
    const raw = c.m[1]!;
    const closed = raw.trimEnd().endsWith('"');
    const text = closed ? raw.trimEnd().slice(0, -1) : raw;
    if (/^(?:received|sent) a|alert|^Server aborted/i.test(text)) block.setAlert(text, !closed);
    else block.addDetail(`=> "${raw}`);
    block.anchored = true;
  }

  onCryptoRc(c: Ctx): void {
    const block = this.ssl(c);
    block.anchored = true;
    block.facts.cryptoRc ??= { decimal: c.m[1]!, hex: c.m[2]! };
    const text = c.t.trim();
    const arrow = text.indexOf('=> "');
    block.addDetail(arrow > 0 ? text.slice(0, arrow).trim() : text);
    if (arrow > 0) {
      const rest = text.slice(arrow + 4);
      const closed = rest.endsWith('"');
      block.setAlert(closed ? rest.slice(0, -1) : rest, !closed);
    }
    this.common(block, c.t);
  }

  onIncomplete(c: Ctx): void {
    const block = this.ssl(c);
    block.anchored = true;
    block.addDetail(`${c.m[1]}: incomplete SSL handshake`);
    this.common(block, c.t);
  }

  onKnownErrorText(c: Ctx): void {
    const block = this.ssl(c);
    block.expectErrorText = false;
    block.facts.errorText ??= c.t.trim();
    block.anchored = true;
  }

  onPeerNotTrusted(c: Ctx): void {
    const block = this.ssl(c);
    block.anchored = true;
    block.addDetail(stripErrorPrefix(c.t));
    this.common(block, c.t);
  }

  onIcmConnInit(c: Ctx): void {
    const code = this.codeIn(c.t);
    const block = this.sslFor(c, (b) => code !== undefined && b.hasDifferentError(code));
    block.setRole('client', 'IcmConnInitClientSSL', 1);
    if (/failed/.test(c.t)) block.anchored = true;
    this.common(block, c.t);
  }

  onDetail(c: Ctx): void {
    const code = this.codeIn(c.t);
    const block = this.sslFor(c, (b) => code !== undefined && b.hasDifferentError(code));
    block.addDetail(c.t);
    if (/failed/.test(c.t)) block.anchored = true;
    this.common(block, c.t);
  }

  /** An alert text on a line of its own: a fact of the open block of its thread, if there is one. */
  onAlertLine(c: Ctx): void {
    const block = this.blocks.find(c.seg.thread, c.no);
    if (!block) throw new NotMine();
    block.addDetail(c.t.trim());
    this.common(block, c.t);
    this.touch(block, c.seg, c.no);
  }

  /** The SSL client identity (STRUST node) the destination names, for a fix that names it. */
  onClientIdentity(c: Ctx): void {
    const block = this.ssl(c, false);
    block.facts.clientIdentity ??= c.m[1]!;
  }

  onSslCode(c: Ctx): void {
    const code = this.codeIn(c.t)!;
    const block = this.sslFor(c, (b) => b.hasDifferentError(code));
    this.common(block, c.t);
    if (BARE_CODE.test(c.t)) block.expectErrorText = true;
    else if (hasErrorPrefix(c.t)) block.addDetail(stripErrorPrefix(c.t));
  }

  /** ICM / SCLNT_HTTP / `HTTP error` codes: network-level ones are connection failures, the rest SSL. */
  onIcmCode(c: Ctx): void {
    const name = /\b(ICM_HTTP_[A-Z_]{2,60})\b/.exec(c.t)?.[1];
    const sclnt = /\bSCLNT_HTTP(\d{3})\b/.exec(c.t)?.[1];
    const http = /HTTP error (\d{3}) occ/.exec(c.t)?.[1];
    let num = Number(sclnt ?? http ?? Number.NaN);
    if (Number.isNaN(num) && name) {
      const entry = Object.entries(ICM_CODES).find(([, n]) => n === name);
      if (entry) num = Number(entry[0]);
    }
    const known = Number.isNaN(num) ? undefined : num;
    const conn = known !== undefined ? icmConnectionProblem(known) : undefined;
    if (conn && !ICM_SSL_NUMBERS.has(known!)) {
      this.state.emit(
        {
          kind: 'connection-failure',
          problem: conn,
          error: { name: name ?? ICM_CODES[known!] ?? `ICM_HTTP_${known}`, number: known! },
          message: c.t.trim(),
        },
        [c.no],
      );
      return;
    }
    const block = this.ssl(c);
    block.anchored = true;
    block.setIcm(known, name);
    if (http) block.facts.appMessage ??= c.t.trim();
    block.setRole('client', name ?? `HTTP error ${http}`, 1);
  }

  // ------------------------------------------------------------ closing

  /** Threads with a failure (or an open structure) in progress. */
  markHot(mark: (thread: string) => void): void {
    if (this.blocks.map.size === 0) return;
    for (const b of this.blocks.map.values())
      if (b.anchored || b.inErrorstack || b.dump || b.pemLines) mark(b.thread);
  }

  /** No block open. */
  get idle(): boolean {
    return this.blocks.size === 0;
  }

  /** Whether an unclaimed line of `thread` may touch an open block (see BlockTable.reaches). */
  reaches(thread: string): boolean {
    return this.blocks.reaches(thread);
  }

  closeStale(no: number): void {
    // Run for every line: an empty table (most of the time) costs no iterator.
    if (this.blocks.map.size === 0) return;
    for (const b of this.blocks.map.values()) if (no - b.lastTouch > GAP) this.finish(b, false);
  }

  finishAll(): void {
    for (const b of [...this.blocks.map.values()]) this.finish(b, true);
  }

  /** Close a block; a failed session becomes an `ssl-failure` event. */
  finish(block: SslBlock, atEnd: boolean): void {
    this.blocks.remove(block);
    if (block.dump) block.endDump();
    const openStructure = block.inErrorstack || block.pemLines !== undefined;
    if (block.pemLines) block.endPem();
    if (!block.anchored) return;
    if (block.succeeded && !block.facts.error) return;
    const ev: Extract<EventDraft, { kind: 'ssl-failure' }> = {
      kind: 'ssl-failure',
      origin: block.joined || !block.traceStyle ? 'abap-message' : 'trace',
      ...block.facts,
    };
    if (ev.sni !== undefined) ev.sniSeen = true;
    else if (ev.sslCtx || ev.ciphersuites) ev.sniSeen = false;
    const certs = block.certificates();
    if (certs) ev.certificates = certs;
    const re = block.roleEvidence();
    if (re) ev.roleEvidence = re;
    if (block.thread) ev.thread = block.thread;
    if (atEnd && openStructure) ev.truncated = true;
    const lines = [...block.lines, ...block.dumpKeyLines()];
    const at = lines.length > 0 ? lines : [block.firstLine];
    this.state.emit(ev, at);
    if (ev.error && sapSslNumber(ev.error.name) === -1) {
      // The SSL library itself could not be loaded: a library-load fact for the rules as well.
      const lib: EventDraft = { kind: 'lib-load-failure', purpose: 'ssl', error: { ...ev.error } };
      const file = this.cryptoLibFile();
      if (file) lib.library = file;
      if (ev.timestamp) lib.timestamp = ev.timestamp;
      this.state.emit(lib, at);
    }
  }
}

function toIpPort(ep: { host?: string; port?: number | string }): { ip?: string; port?: number | string } {
  const out: { ip?: string; port?: number | string } = {};
  if (ep.host !== undefined) out.ip = ep.host;
  if (ep.port !== undefined) out.port = ep.port;
  return out;
}
