/**
 * @module The one-pass classifier and event assembler for SAP text evidence: each line is matched
 * against a table of named line types; facts collect in per-thread blocks (SSL session, SNC/CPIC,
 * Kerberos, inbound, Java) which become events when they close. Mixed pastes need no pre-sorting.
 */

import type { EventAggregator } from '../../evidence/aggregate.js';
import type { EvidenceEvent, SourceRef, SslFailureEvent, TraceInfoEvent } from '../../model/evidence.js';
import type { LineConsumer } from '../text/line-scanner.js';
import { isDumpStart } from './cert-dump.js';
import { ICM_CODES, ICM_SSL_NUMBERS, sapSslNumber } from './codes.js';
import { readEndpoint, readQuoted } from './endpoint.js';
import { type Segment, splitLine } from './line-prefix.js';
import { MessageLines } from './message-lines.js';
import {
  BlockBase,
  classifyJava,
  InboundBlock,
  icmConnectionProblem,
  JavaBlock,
  KerberosBlock,
  readBrowserError,
  readConnectionFailure,
  readHanaError,
} from './other-blocks.js';
import { CPIC_LABEL, SncBlock } from './snc-block.js';
import { type ContextKey, SslBlock, type SslFacts } from './ssl-block.js';

/** Lines without a new fact after which a block is closed. */
const GAP = 60;
/** An unprefixed line joins the block touched within this many lines (pastes mix prefixed and bare lines). */
const ATTACH = 12;
const MAX_OPEN = 256;
const RING = 4096;
const MAX_LINE_TEXT = 4096;
const MAX_SAMPLE = 20;

interface Touchable {
  thread: string;
  lastTouch: number;
  readonly firstLine: number;
}

/** Open blocks of one kind, by thread; bare lines attach to the block touched last. */
class BlockTable<B extends Touchable> {
  readonly map = new Map<string, B>();
  last: B | undefined;

  find(thread: string, no: number): B | undefined {
    if (thread === '') {
      const last = this.last;
      if (last && no - last.lastTouch <= ATTACH && this.map.get(last.thread) === last) return last;
      return this.map.get('');
    }
    const b = this.map.get(thread);
    if (b) return b;
    const bare = this.map.get('');
    if (bare && no - bare.lastTouch <= ATTACH) {
      this.map.delete('');
      bare.thread = thread;
      this.map.set(thread, bare);
      return bare;
    }
    return undefined;
  }

  add(thread: string, block: B): B {
    this.map.set(thread, block);
    this.last = block;
    return block;
  }

  remove(block: B): void {
    if (this.map.get(block.thread) === block) this.map.delete(block.thread);
    if (this.last === block) this.last = undefined;
  }

  get size(): number {
    return this.map.size;
  }
}

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

type Ctx = { seg: Segment; t: string; no: number; m: RegExpExecArray };
interface LineType {
  name: string;
  re: RegExp;
  apply: (a: SapTextAssembler, c: Ctx) => void;
}

const TIMESTAMP =
  /^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} \d{1,2}:\d{2}:\d{2}(?:[:.]\d{1,6})? \d{4}\s*$/;
const SOURCE_LOCATION = /\[([\w.]{1,60})\s+(\d{1,6})\]\s*$/;
const SSL_CODE = /\b(SSSL(?:ERR|RC)_[A-Z0-9_]{2,60})(?:\s*\(\s*(-)?\s*(\d{1,5})\s*\))?/;
const NUMBER_BEFORE_CODE = /failed \((-\d{1,5})\):\s*(SSSL(?:ERR|RC)_[A-Z0-9_]{2,60})/;
const BARE_CODE = /^\s*SSSL(?:ERR|RC)_[A-Z0-9_]{2,60}\s*(?:\(\s*-?\s*\d{1,5}\s*\))?\s*$/;
const ALERT =
  /((?:received|sent) a fatal TLS [a-z ]{1,40}? alert message from the peer|Server aborted TLS handshake[^"]{0,120})/;
const KNOWN_ERROR_TEXT =
  /^\s*(Remote Peer has closed the network connection|Server certificate does not match supplied TargetHostname|The peer's X\.509 Certificate \(chain\) is untrusted|Peer's X\.509 certificate \(chain\) validation failed|\(no error\) non-blocking)/;
const TRACE_ERROR_PREFIX = /^\s*(?:\*\*\* ?ERROR =>|<<- ERROR:?|\*\*\* ?ERROR)\s*/;

/**
 * The line-type table, tried in order; the first type whose pattern matches handles the line. Every
 * pattern is linear-time (bounded classes, no nested quantifiers).
 */
export const LINE_TYPES: readonly LineType[] = [
  { name: 'also-check', re: /Also check transaction SMICM/, apply: (a, c) => a.closeSsl(c.seg.thread, c.no) },
  {
    name: 'report-error-number',
    re: /^\s*Error Number\s+\d{1,6}\s*$/,
    apply: (a, c) => a.closeSsl(c.seg.thread, c.no),
  },
  { name: 'report-ok', re: /^\s*\S{1,300} : ok\s*$/, apply: () => {} },
  { name: 'ruler', re: /^\s*(?:=|-){5,}\s*$/, apply: () => {} },
  {
    name: 'trace-header',
    re: /^\s*trc file: "([^"]{0,200})", trc level: (\d{1,2}), release: "([^"]{0,40})"/,
    apply: (a, c) => a.onTraceHeader(c),
  },
  { name: 'trace-truncated', re: /TRACE FILE TRUNCATED/, apply: (a, c) => a.onTraceTruncated(c) },
  { name: 'ssl-init-banner', re: /^\s*=\s*SSL Initialization\b/, apply: (a, c) => a.onInitBanner(c) },
  {
    name: 'errorstack-begin',
    re: /Begin of Secu(?:de)?-SSL Errorstack/,
    apply: (a, c) => a.ssl(c).beginErrorstack(),
  },
  { name: 'errorstack-end', re: /End of Secu(?:de)?-SSL Errorstack/, apply: (a, c) => a.ssl(c) },
  { name: 'cert-dump', re: /^\s*Certificate:\s*$/, apply: (a, c) => a.ssl(c, false).startDump() },
  { name: 'pem-begin', re: /-----BEGIN CERTIFICATE-----/, apply: (a, c) => a.ssl(c, false).beginPem() },
  { name: 'session-init', re: /SapSSLSessionInit\((?![^)]{0,300}\)==)/, apply: (a, c) => a.onSessionInit(c) },
  { name: 'session-call', re: /^\s*->> SapSSL\w{1,60}\(/, apply: (a, c) => a.onSessionCall(c) },
  { name: 'handshake-failed', re: /SSL handshake with /, apply: (a, c) => a.onHandshake(c) },
  {
    name: 'function-rc',
    re: /\b(SapSSL\w{1,60})\(([^()]{0,300})\)==(\w{1,80})/,
    apply: (a, c) => a.onFunctionRc(c),
  },
  { name: 'pse', re: /(?:\b(cli|srv) SSL session PSE|session uses PSE file)/, apply: (a, c) => a.onPse(c) },
  { name: 'ni-handle', re: /SSL NI-hdl (\d{1,10}):/, apply: (a, c) => a.onNiHandle(c) },
  { name: 'target-hostname', re: /Target Hostname\s*=/, apply: (a, c) => a.onTargetHostname(c, false) },
  { name: 'target-hostname-30', re: /TargetHostname\s*=/, apply: (a, c) => a.onTargetHostname(c, true) },
  {
    name: 'server-cert-subject',
    re: /ServerCert\.subject\s*=\s*(.{1,4000})$/,
    apply: (a, c) => a.onServerCertSubject(c),
  },
  { name: 'sni', re: /TLSextSNI server_name\s*=/, apply: (a, c) => a.onSni(c) },
  {
    name: 'ssl-ctx',
    re: /\b(Client|Server) SSL_CTX ([0-9a-fA-Fx]{1,20}) pvflags=(\d{1,10})(?: \(([^)]{0,200})\))?/,
    apply: (a, c) => a.onSslCtx(c),
  },
  {
    name: 'ciphersuites',
    re: /\b(?:SSL_CTX|session) ciphersuites\s*=\s*"?([^\s"]{1,500})/,
    apply: (a, c) => a.onCiphersuites(c),
  },
  {
    name: 'ssl-state',
    re: /SSL_get_state\(\)==(0x[0-9a-fA-F]{1,8})\s*"([^"]{0,200})"?/,
    apply: (a, c) => a.onSslState(c),
  },
  {
    name: 'error-during',
    re: /ERROR during (\S{1,80}) from (\S{1,80})==(\w{1,40})/,
    apply: (a, c) => a.onErrorDuring(c),
  },
  { name: 'alert-arrow', re: /^\s*=>\s*"(.{0,2000})$/, apply: (a, c) => a.onArrow(c) },
  { name: 'crypto-rc', re: /\(\s*(\d{1,12})\/(0x[0-9a-fA-F]{1,8})\s*\)/, apply: (a, c) => a.onCryptoRc(c) },
  {
    name: 'incomplete-handshake',
    re: /(\w{1,60}\(\)): incomplete SSL handshake/,
    apply: (a, c) => a.onIncomplete(c),
  },
  { name: 'error-text', re: KNOWN_ERROR_TEXT, apply: (a, c) => a.onKnownErrorText(c) },
  {
    name: 'peer-not-trusted',
    re: /Peer not trusted|peer certificate \(chain\) is not trusted|Failed to verify peer certificate/,
    apply: (a, c) => a.onPeerNotTrusted(c),
  },
  { name: 'role-args', re: /\brole=\d{1,2} \((SERVER|CLIENT)\)/, apply: (a, c) => a.onRoleArgs(c) },
  {
    name: 'inbound',
    re: /ReverseProxyTrustworthy|intermediary is NOT trusted|Reject untrusted forwarded certificate|received via HTTPS without certificate|Forwarded Client certificate:/,
    apply: (a, c) => a.onInbound(c),
  },
  {
    name: 'inbound-context',
    re: /connection with anonymous client|cert_len = <no cert>|^\s*Trusted certificate:/,
    apply: (a, c) => a.onInboundContext(c),
  },
  {
    name: 'connection',
    re: /Proxy connection to |[Cc]onnect(?:ion)? to .{1,300}\bfailed/,
    apply: (a, c) => a.onConnection(c),
  },
  { name: 'icm-conn-init', re: /IcmConnInitClientSSL/, apply: (a, c) => a.onIcmConnInit(c) },
  { name: 'ssl-detail', re: /^\s*(?:SSL::|SAPCRYPTO:|SSL:)\S/, apply: (a, c) => a.onDetail(c) },
  { name: 'ssl-code', re: SSL_CODE, apply: (a, c) => a.onSslCode(c) },
  {
    name: 'wss040',
    re: /\bWSS040\b|Missing credential\. Specify SSL client PSE/,
    apply: (a, c) => a.onWss040(c),
  },
  {
    name: 'icm-code',
    re: /\bICM_HTTP_[A-Z_]{2,60}\b|\bSCLNT_HTTP\d{3}\b|HTTP error \d{3} occ/,
    apply: (a, c) => a.onIcmCode(c),
  },
  { name: 'dl-load', re: /DlLoadLib\(\)==(DLE[A-Z_]{2,30})/, apply: (a, c) => a.onDlLoad(c) },
  { name: 'os-error', re: /^\s*Error (\d{1,6}) = "/, apply: (a, c) => a.onOsError(c) },
  {
    name: 'snc-establish',
    re: /SncPEstablishContext\(\) failed for target='([^']{0,300})'/,
    apply: (a, c) => a.onSncEstablish(c),
  },
  {
    name: 'snc-followup',
    re: /\*\*\* ?ERROR =>\s*(STI\w{1,40}:.{1,300})$/,
    apply: (a, c) => a.onSncFollowUp(c),
  },
  {
    name: 'snc-line',
    re: /\bSNCERR_[A-Z0-9_]|GSS-API\((?:maj|min)\)|\bA2[0-9A-F]{6}:|\bSncP\w{2,40}\(|SncProcess/,
    apply: (a, c) => a.onSncLine(c),
  },
  {
    name: 'snc-continuation',
    re: /^\s*(?:Unable to (?:establish|load|acquire)|target="|named ")/,
    apply: (a, c) => a.onSncContinuation(c),
  },
  { name: 'rfc-error', re: /\bRFC_[A-Z_]{3,40} \(rc=-?\d{1,6}\)/, apply: (a, c) => a.onRfcError(c) },
  { name: 'hana-rte', re: /RTE:\[\d{1,8}\]/, apply: (a, c) => a.onHana(c) },
  {
    name: 'browser',
    re: /(?:SSL_ERROR|SEC_ERROR|MOZILLA_PKIX_ERROR)_[A-Z0-9_]{3}|ERR_(?:CERT|SSL)_[A-Z0-9_]{3}|ERR_BAD_SSL_CLIENT_AUTH_CERT/,
    apply: (a, c) => a.onBrowser(c),
  },
  {
    name: 'java',
    re: /PKIX path|certification path|Exception|javax\.net\.ssl|handshake_failure|protocol_version/,
    apply: (a, c) => a.onJava(c),
  },
  {
    name: 'java-frame',
    re: /^\s*at [\w$.<>]{1,300}\(|^\s*\.\.\. \d{1,6} more\s*$|^\s*Caused by:/,
    apply: (a, c) => a.onJavaFrame(c),
  },
  {
    name: 'python-traceback',
    re: /^\s*Traceback \(most recent call last\):|^\s*File "[^"]{1,500}", line \d{1,7}|^\s*\[MSG: class=/,
    apply: () => {},
  },
];

/**
 * Every line any type in LINE_TYPES can match also matches this (a cheap first test, so noise lines
 * skip the table). Tests check it against every line type on every fixture line.
 */
export const MAYBE_INTERESTING = new RegExp(
  [
    'S(?:SL|APCRYPTO|erverCert|erver certificate|CLNT_HTTP|nc|TI|NCERR|EC_ERROR)',
    'A(?:lso check|2[0-9A-F]{6}:)',
    'E(?:rror Number|rrorstack|RROR during|rror \\d|RR_CERT|xception)',
    'C(?:ertificate:|aused by|onnect(?:ion)? to)',
    'P(?:SE|KIX|roxy)',
    'R(?:emote Peer|everseProxy|FC_|TE:\\[)',
    'T(?:RUNCATED|LSextSNI|rusted certificate|raceback)',
    'H(?:ostname|TTP error)',
    'I(?:CM_HTTP_)',
    'N(?:I-hdl)',
    'G(?:SS-API)',
    'M(?:issing credential|OZILLA_PKIX)',
    'D(?:lLoadLib)',
    'W(?:SS040)',
    'X\\.509',
    'B(?:EGIN CERT)',
    'F(?:ile ")',
    'U(?:nable to)',
    'c(?:iphersuites|ert_len|ertification path|onnect(?:ion)? to)',
    'n(?:ot trusted|amed ")',
    'v(?:erify peer)',
    'r(?:ole=)',
    'i(?:ntermediary)',
    'o(?:rwarded)',
    'w(?:ithout certificate)',
    'a(?:nonymous client)',
    't(?:rc file|arget=")',
    'j(?:avax)',
    'h(?:andshake_failure|ostname)',
    'p(?:rotocol_version)',
    ' : ok',
    '={5}',
    '-{5}',
    '=>',
    '\\/0x',
    '\\(no error\\)',
    '^\\s*at ',
    '\\.\\.\\. \\d',
    '\\[MSG:',
  ].join('|'),
);

/** Lines the table did not recognise make `apply` throw this; the assembler counts them. */
class NotMine extends Error {}

/** Turns decoded lines of one input into evidence events (see module comment). */
export class SapTextAssembler implements LineConsumer {
  private readonly sslBlocks = new BlockTable<SslBlock>();
  private readonly sncBlocks = new BlockTable<SncBlock>();
  private readonly krbBlocks = new BlockTable<KerberosBlock>();
  private readonly inboundBlocks = new BlockTable<InboundBlock>();
  private readonly javaBlocks = new BlockTable<JavaBlock>();
  private readonly messages: MessageLines;
  private readonly lastTs = new Map<string, string>();
  private readonly pendingName = new Map<string, number>();
  private pendingLib: (BlockBase & { event: EvidenceEvent & { kind: 'lib-load-failure' } }) | undefined;
  private inInit = false;
  private headerLeft = 0;
  private info: TraceInfoEvent | undefined;
  private infoLines: number[] = [];
  private readonly ringNo = new Int32Array(RING).fill(-1);
  private readonly ringText: string[] = new Array(RING);
  private readonly out: AssemblerResult = {
    lines: {},
    recognizedLines: 0,
    unrecognizedLines: 0,
    unrecognizedSample: [],
    warnings: [],
    seen: { threaded: 0, sectrace: 0, joined: 0, cpic: 0 },
    traceInfo: undefined,
  };
  private curNo = 0;
  private curCut = false;
  private hot = false;
  private hotBare = false;
  private readonly hotThreads = new Set<string>();
  private lookThread: string | undefined;
  private lookThreadBytes: Buffer | undefined;
  private hotThreadBytes: Buffer[] = [];
  /** A line changed the blocks since the hot state was computed (it is computed when asked for). */
  private hotStale = false;

  constructor(
    private readonly input: number,
    private readonly events: EventAggregator,
  ) {
    this.messages = new MessageLines(input, (event, lines) => this.emit(event, lines));
  }

  wantsEveryLine(): boolean {
    if (this.hotStale) this.refreshHot();
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
    if (/SSSL|SapSSL|Errorstack|SSL handshake|Peer not trusted|SNCERR|GSS-API|SncP|ERROR during/.test(text))
      return 160;
    return /SSL|Snc|SNC|DlLoadLib|LoadLibrary|roxy|NIE|orwarded|intermediary|certificate|LOCATION|ICM_HTTP/.test(
      text,
    )
      ? 4
      : 0;
  }

  /** The session of a failure starts at `SapSSLSessionInit`: nothing before it belongs to the failure. */
  lookbackStop(buf: Buffer, s: number, e: number): boolean {
    return e > s && buf.subarray(s, e).indexOf(SESSION_INIT) >= 0;
  }

  /** Beyond the lines read back, the thread's latest timestamp line (`… Tue May 24 13:51:07:344 2022`). */
  lookbackExtra(buf: Buffer, s: number, e: number): boolean {
    let p = s;
    if (buf[p] === 0x5b) {
      const close = buf.indexOf(0x5d, p);
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
    return TIMESTAMP.test(buf.toString('latin1', p, e));
  }

  /**
   * Byte-level filter while inside a block or looking back: a `[Thr <id>]` line of a thread with no
   * open failure (and not the thread of the marker line) cannot belong to it and is not decoded.
   */
  wantsLine(buf: Buffer, s: number, e: number): boolean {
    if (
      e - s < 7 ||
      buf[s] !== 0x5b ||
      buf[s + 1] !== 0x54 ||
      buf[s + 2] !== 0x68 ||
      buf[s + 3] !== 0x72 ||
      buf[s + 4] !== 0x20
    )
      return true;
    if (this.hotStale) this.refreshHot();
    if (this.hotBare) return true;
    const look = this.lookThreadBytes;
    if (look && sameThread(buf, s + 5, e, look)) return true;
    for (const id of this.hotThreadBytes) if (sameThread(buf, s + 5, e, id)) return true;
    return false;
  }

  /** Which threads have a block that is a failure (or a structure still open): those lines are read. */
  private refreshHot(): void {
    this.hotStale = false;
    this.hotThreads.clear();
    this.hotBare =
      this.pendingName.size > 0 || this.pendingLib !== undefined || this.inInit || this.headerLeft > 0;
    for (const b of this.sslBlocks.map.values())
      if (b.anchored || b.inErrorstack || b.dump || b.pemLines) this.markHot(b.thread);
    for (const b of this.sncBlocks.map.values()) if (b.cpic || b.snc) this.markHot(b.thread);
    for (const b of this.krbBlocks.map.values()) if (b.failed) this.markHot(b.thread);
    for (const b of this.inboundBlocks.map.values()) if (b.problem) this.markHot(b.thread);
    for (const b of this.javaBlocks.map.values()) if (b.problem) this.markHot(b.thread);
    this.hot = this.hotBare || this.hotThreads.size > 0;
    let same = this.hotThreadBytes.length === this.hotThreads.size;
    for (const b of this.hotThreadBytes) if (same && !this.hotThreads.has(b.toString('latin1'))) same = false;
    if (!same) this.hotThreadBytes = [...this.hotThreads].map((t) => Buffer.from(t, 'latin1'));
  }

  private markHot(thread: string): void {
    if (thread === '') this.hotBare = true;
    else this.hotThreads.add(thread);
  }

  onLine(no: number, text: string, cut: boolean): void {
    this.curNo = no;
    this.curCut = cut;
    const slot = no % RING;
    this.ringNo[slot] = no;
    this.ringText[slot] = text.length > MAX_LINE_TEXT ? text.slice(0, MAX_LINE_TEXT) : text;
    let recognized = true;
    for (const seg of splitLine(text)) {
      if (seg.thread !== '' && !seg.sectrace) this.out.seen.threaded++;
      if (seg.sectrace) this.out.seen.sectrace++;
      if (seg.joined) this.out.seen.joined++;
      if (!this.handleSegment(seg, no)) recognized = false;
    }
    // The one hook of the knowledge model: a line no line type claims is matched against kb phrases.
    if (this.messages.see(no, recognized ? undefined : text)) recognized = true;
    if (recognized) this.out.recognizedLines++;
    else {
      this.out.unrecognizedLines++;
      if (this.out.unrecognizedSample.length < MAX_SAMPLE) this.out.unrecognizedSample.push(no);
    }
    this.closeStale(no);
    // Only the prefilter asks (past the fully read head), so most lines never pay for the refresh.
    this.hotStale = true;
  }

  /** Close everything still open (end of input) and return what was found. */
  finish(): AssemblerResult {
    const atEnd = this.curNo;
    for (const b of [...this.sslBlocks.map.values()]) this.finishSsl(b, true);
    for (const b of [...this.sncBlocks.map.values()]) this.finishSnc(b);
    for (const b of [...this.krbBlocks.map.values()]) this.finishSimple(this.krbBlocks, b, b.toEvent());
    for (const b of [...this.inboundBlocks.map.values()])
      this.finishSimple(this.inboundBlocks, b, b.toEvent());
    for (const b of [...this.javaBlocks.map.values()]) this.finishSimple(this.javaBlocks, b, b.toEvent());
    this.messages.close();
    this.flushLib();
    if (this.info) {
      const lines = this.infoLines.length > 0 ? this.infoLines : [atEnd];
      this.info.source = this.sourceOf(lines);
      this.keepLines(lines);
      this.out.traceInfo = this.info;
      if (this.info.traceLevel === 1)
        this.out.warnings.push(
          'trace level 1: the SSL errorstack and certificate chain are not written; raise the ICM trace level to 2 (SMICM → Goto → Trace Level) and reproduce',
        );
      if (this.info.truncatedByKernel)
        this.out.warnings.push(
          'the kernel truncated this trace (TRACE FILE TRUNCATED): earlier entries are lost',
        );
    }
    return this.out;
  }

  // ---------------------------------------------------------------- dispatch

  private handleSegment(seg: Segment, no: number): boolean {
    const t = seg.text;
    if (/^\s*$/.test(t)) {
      const s = this.sslBlocks.find(seg.thread, no);
      if (s) s.expectErrorText = false;
      return true;
    }
    if (TIMESTAMP.test(t)) {
      this.setTimestamp(seg.thread, t.trim());
      return true;
    }
    if (this.inInit) {
      if (/^\s*=/.test(t)) {
        this.onInitLine(t, no);
        return true;
      }
      this.inInit = false;
    }
    if (this.headerLeft > 0) {
      this.headerLeft--;
      const h =
        /^\s*(sid|sysno|relno|patchno|patchlevel|systemid|make|profile|pid|intno)\s{1,40}(\S.{0,300})$/.exec(
          t,
        );
      if (h) {
        if (h[1] === 'sid' && this.info) this.info.sid ??= h[2]!.trim();
        return true;
      }
    }
    if (seg.sectrace && this.handleSectrace(seg, no)) return true;
    if (this.handleSslState(seg, no)) return true;
    if (this.handleCpic(seg, no)) return true;
    const ssl = this.sslBlocks.find(seg.thread, no);
    const maybe = MAYBE_INTERESTING.test(t);
    for (const type of maybe ? LINE_TYPES : []) {
      const m = type.re.exec(t);
      if (!m) continue;
      try {
        type.apply(this, { seg, t, no, m });
      } catch (err) {
        if (err instanceof NotMine) continue;
        throw err;
      }
      if (ssl && type.name !== 'handshake-failed' && type.name !== 'ssl-code') ssl.expectErrorText = false;
      return true;
    }
    // The text printed after an error code is prose, not another kernel function's trace line.
    if (ssl?.expectErrorText && !/^\s*\w{1,60}(?:\([^)]{0,200}\))?: /.test(t)) {
      ssl.expectErrorText = false;
      ssl.facts.errorText ??= t.trim();
      this.touchSsl(ssl, seg, no);
      return true;
    }
    // A kernel trace prints a failure's text in one run of lines; an unrelated line of the same thread
    // ends it, so the next session's lines cannot join it.
    if (ssl && seg.thread !== '' && ssl.thread === seg.thread && ssl.traceStyle && ssl.handshakeLine) {
      this.finishSsl(ssl, false);
    }
    return false;
  }

  /** The SSL block's own sub-states: PEM lines, chain dump, errorstack. */
  private handleSslState(seg: Segment, no: number): boolean {
    const ssl = this.sslBlocks.find(seg.thread, no);
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
    if (ssl.inErrorstack) {
      if (/End of Secu(?:de)?-SSL Errorstack/.test(t)) {
        ssl.endErrorstack();
        this.touchSsl(ssl, seg, no);
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
        this.sslCommon(ssl, t);
      }
      this.touchSsl(ssl, seg, no);
      return true;
    }
    return false;
  }

  private handleCpic(seg: Segment, no: number): boolean {
    const t = seg.text;
    const snc = this.sncBlocks.find(seg.thread, no);
    if (snc?.cpic) {
      const label = CPIC_LABEL.exec(t);
      if (label) {
        snc.applyLabel(label[1]!, label[2] ?? '');
        this.touchSnc(snc, seg, no);
        return true;
      }
      if ((snc.lastLabel === 'ERROR' || snc.lastLabel === 'DETAIL') && !/^\s*(?:\*\*\*|<<-|->>|\[)/.test(t)) {
        snc.applyContinuation(t);
        this.touchSnc(snc, seg, no);
        return true;
      }
      snc.cpic = false;
      return false;
    }
    const label = CPIC_LABEL.exec(t);
    if (label && label[1] === 'LOCATION' && label[2]) {
      const block = snc ?? this.sncBlocks.add(seg.thread, new SncBlock(seg.thread, no));
      block.cpic = true;
      block.cpicSeen = true;
      this.out.seen.cpic++;
      block.applyLabel('LOCATION', label[2]);
      this.touchSnc(block, seg, no);
      return true;
    }
    return false;
  }

  private handleSectrace(seg: Segment, no: number): boolean {
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
        this.emit(ev, [pending, no]);
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

  // ---------------------------------------------------------------- SSL blocks

  /** The SSL block for this line, opened when missing (unless `open` is false and none exists… then opened anyway). */
  ssl(c: Ctx, key = true): SslBlock {
    const existing = this.sslBlocks.find(c.seg.thread, c.no);
    const block = existing ?? this.openSsl(c.seg.thread, c.no);
    this.touchSsl(block, c.seg, c.no, key);
    return block;
  }

  private openSsl(thread: string, no: number): SslBlock {
    if (this.sslBlocks.size >= MAX_OPEN) {
      const oldest = [...this.sslBlocks.map.values()].sort((a, b) => a.lastTouch - b.lastTouch)[0];
      if (oldest) this.finishSsl(oldest, false);
    }
    const block = new SslBlock(thread, no);
    const ts = this.lastTs.get(thread);
    if (ts) block.facts.timestamp = ts;
    return this.sslBlocks.add(thread, block);
  }

  private touchSsl(block: SslBlock, seg: Segment, no: number, key = true): void {
    block.touch(no, key);
    if (seg.traceStyle) block.traceStyle = true;
    if (seg.joined) block.joined = true;
    if (this.curCut) block.facts.truncated = true;
    this.sslBlocks.last = block;
  }

  /** An SSL block that a new failure line may not join (it already has a different one): close and reopen. */
  private sslFor(c: Ctx, conflict: (b: SslBlock) => boolean): SslBlock {
    const existing = this.sslBlocks.find(c.seg.thread, c.no);
    if (existing && conflict(existing)) this.finishSsl(existing, false);
    return this.ssl(c);
  }

  closeSsl(thread: string, no: number): void {
    const b = this.sslBlocks.find(thread, no);
    if (b) this.finishSsl(b, false);
  }

  /** Facts any SSL line may carry besides its own: error code, alert text, source location. */
  private sslCommon(block: SslBlock, t: string): void {
    const nb = NUMBER_BEFORE_CODE.exec(t);
    if (nb) block.setError(nb[2]!, Number(nb[1]));
    else {
      const m = SSL_CODE.exec(t);
      if (m) block.setError(m[1]!, m[3] ? Number(`${m[2] ?? ''}${m[3]}`) : undefined);
    }
    const alert = ALERT.exec(t);
    if (alert) block.setAlert(alert[1]!, false);
    const loc = SOURCE_LOCATION.exec(t);
    if (loc && /\.(?:c|cpp)$|^\w+$/.test(loc[1]!)) block.facts.sourceLocation ??= `${loc[1]} ${loc[2]}`;
    if (/\bSSL_connect\b/.test(t)) block.setRole('client', 'SSL_connect', 1);
    else if (/\bSSL_accept\b/.test(t)) block.setRole('server', 'SSL_accept', 1);
  }

  /** The error name a line carries, for conflict checks. */
  private codeIn(t: string): string | undefined {
    return NUMBER_BEFORE_CODE.exec(t)?.[2] ?? SSL_CODE.exec(t)?.[1];
  }

  onSessionInit(c: Ctx): void {
    const existing = this.sslBlocks.find(c.seg.thread, c.no);
    if (existing) this.finishSsl(existing, false);
    const block = this.ssl(c, false);
    const role = /\brole=\d{1,2} \((SERVER|CLIENT)\)/.exec(c.t);
    if (role) block.setRole(role[1] === 'SERVER' ? 'server' : 'client', role[0], 3);
  }

  /** `->> SapSSL…(` call lines: a completed failure of this thread is over. */
  onSessionCall(c: Ctx): void {
    const b = this.sslBlocks.find(c.seg.thread, c.no);
    if (b?.handshakeLine) this.finishSsl(b, false);
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
    const before = c.t.slice(0, i).replace(TRACE_ERROR_PREFIX, '').trim().replace(/:$/, '').trim();
    const http = /HTTP error (\d{3}) occ?u?r{1,2}ed/i.exec(before);
    if (http) block.setIcm(Number(http[1]), undefined);
    if (before.length > 0 && !/^Error message$/i.test(before)) block.facts.appMessage ??= before;
    this.sslCommon(block, c.t.slice(ep.end));
  }

  onFunctionRc(c: Ctx): void {
    const fn = c.m[1]!;
    const rc = c.m[3]!;
    if (rc === 'SAP_O_K') {
      const b = this.sslBlocks.find(c.seg.thread, c.no);
      if (b && /^SapSSLSessionStart/.test(fn)) {
        b.succeeded = true;
        this.finishSsl(b, false);
      } else if (b) b.touch(c.no, false);
      return;
    }
    if (!/^SSSL(?:ERR|RC)_/.test(rc)) {
      const b = this.sslBlocks.find(c.seg.thread, c.no);
      if (b) b.touch(c.no, false);
      return;
    }
    const block = this.sslFor(c, (b) => b.hasDifferentError(rc));
    block.facts.function ??= fn;
    const hdl = /sssl_hdl=([0-9a-fA-Fx]{1,20})/.exec(c.m[2]!);
    if (hdl) block.facts.ssslHandle ??= hdl[1]!;
    this.sslCommon(block, c.t);
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
      this.finishSsl(block, false);
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
    this.sslCommon(block, c.t);
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
    this.sslCommon(block, c.t);
  }

  onIncomplete(c: Ctx): void {
    const block = this.ssl(c);
    block.anchored = true;
    block.addDetail(`${c.m[1]}: incomplete SSL handshake`);
    this.sslCommon(block, c.t);
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
    block.addDetail(c.t.replace(TRACE_ERROR_PREFIX, ''));
    this.sslCommon(block, c.t);
  }

  onRoleArgs(c: Ctx): void {
    const block = this.ssl(c, false);
    block.setRole(c.m[1] === 'SERVER' ? 'server' : 'client', c.m[0], 3);
    const auth = /auth_type=\d{1,2} \((\w{1,40})\)/.exec(c.t);
    if (auth && c.m[1] === 'SERVER') {
      const ib = this.inboundFor(c);
      ib.authType ??= auth[1]!;
    }
  }

  onIcmConnInit(c: Ctx): void {
    const code = this.codeIn(c.t);
    const block = this.sslFor(c, (b) => code !== undefined && b.hasDifferentError(code));
    block.setRole('client', 'IcmConnInitClientSSL', 1);
    if (/failed/.test(c.t)) block.anchored = true;
    this.sslCommon(block, c.t);
  }

  onDetail(c: Ctx): void {
    const code = this.codeIn(c.t);
    const block = this.sslFor(c, (b) => code !== undefined && b.hasDifferentError(code));
    block.addDetail(c.t);
    if (/failed/.test(c.t)) block.anchored = true;
    this.sslCommon(block, c.t);
  }

  onSslCode(c: Ctx): void {
    const code = this.codeIn(c.t)!;
    const block = this.sslFor(c, (b) => b.hasDifferentError(code));
    this.sslCommon(block, c.t);
    if (BARE_CODE.test(c.t)) block.expectErrorText = true;
    else if (TRACE_ERROR_PREFIX.test(c.t)) block.addDetail(c.t.replace(TRACE_ERROR_PREFIX, ''));
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
    this.emit(ev, [c.no]);
  }

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
      this.emit(
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

  onDlLoad(c: Ctx): void {
    this.flushLib();
    const lib = /(?:LoadLibrary|dlopen)\("([^"]{1,500})"\)/.exec(c.t);
    const block = new BlockBase(c.seg.thread, c.no) as BlockBase & {
      event: EvidenceEvent & { kind: 'lib-load-failure' };
    };
    block.event = {
      kind: 'lib-load-failure',
      error: { name: c.m[1]! },
      source: { input: this.input, line: c.no },
    };
    if (lib) block.event.library = lib[1]!;
    const ts = this.lastTs.get(c.seg.thread);
    if (ts) block.event.timestamp = ts;
    if (c.seg.thread) block.event.thread = c.seg.thread;
    block.touch(c.no);
    this.pendingLib = block;
  }

  onOsError(c: Ctx): void {
    const m = /^\s*Error (\d{1,6}) = "([^"]{0,300})"?/.exec(c.t)!;
    if (this.pendingLib && c.no - this.pendingLib.lastTouch <= 3) {
      this.pendingLib.event.osError = { code: m[1]!, text: m[2]! };
      this.pendingLib.touch(c.no);
      this.flushLib();
      return;
    }
    const snc = this.sncBlocks.find(c.seg.thread, c.no);
    if (snc) {
      snc.osError ??= { code: m[1]!, text: m[2]! };
      this.touchSnc(snc, c.seg, c.no);
      return;
    }
    throw new NotMine();
  }

  // ---------------------------------------------------------------- SNC blocks

  private snc(c: Ctx): SncBlock {
    const block = this.sncBlocks.find(c.seg.thread, c.no) ?? this.openSnc(c.seg.thread, c.no);
    this.touchSnc(block, c.seg, c.no);
    return block;
  }

  private openSnc(thread: string, no: number): SncBlock {
    const block = new SncBlock(thread, no);
    const ts = this.lastTs.get(thread);
    if (ts) block.facts.timestamp = ts;
    return this.sncBlocks.add(thread, block);
  }

  private touchSnc(block: SncBlock, seg: Segment, no: number): void {
    block.touch(no);
    if (seg.traceStyle) block.traceStyle = true;
    this.sncBlocks.last = block;
  }

  onSncEstablish(c: Ctx): void {
    const block = this.snc(c);
    block.snc = true;
    block.setRole('client');
    block.facts.sncTarget ??= c.m[1]!;
    block.addDetail(stripLocation(c.t.replace(TRACE_ERROR_PREFIX, '')));
    const loc = SOURCE_LOCATION.exec(c.t);
    if (loc) block.facts.sourceLocation ??= `${loc[1]} ${loc[2]}`;
    block.applyText(c.t);
  }

  onSncFollowUp(c: Ctx): void {
    const block = this.sncBlocks.find(c.seg.thread, c.no);
    if (!block) throw new NotMine();
    block.addFollowUp(c.m[1]!.trim());
    this.touchSnc(block, c.seg, c.no);
  }

  onSncLine(c: Ctx): void {
    const block = this.snc(c);
    block.snc = true;
    block.applyText(c.t);
    if (TRACE_ERROR_PREFIX.test(c.t)) {
      block.addDetail(stripLocation(c.t.replace(TRACE_ERROR_PREFIX, '')));
      const loc = SOURCE_LOCATION.exec(c.t);
      if (loc) block.facts.sourceLocation ??= `${loc[1]} ${loc[2]}`;
    }
    if (/SncPDLInit|LoadLibrary/.test(c.t)) block.setRole('client');
  }

  onSncContinuation(c: Ctx): void {
    const block = this.sncBlocks.find(c.seg.thread, c.no);
    if (!block || c.no - block.lastTouch > 3) throw new NotMine();
    block.applyText(c.t);
    this.touchSnc(block, c.seg, c.no);
  }

  onRfcError(c: Ctx): void {
    this.snc(c).applyText(c.t);
  }

  // ---------------------------------------------------------------- other shapes

  private inboundFor(c: Ctx): InboundBlock {
    let block = this.inboundBlocks.find(c.seg.thread, c.no);
    block ??= this.inboundBlocks.add(c.seg.thread, new InboundBlock(c.seg.thread, c.no));
    block.touch(c.no);
    this.inboundBlocks.last = block;
    return block;
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
    if (block) {
      block.touch(c.no);
    }
    const ssl = this.sslBlocks.find(c.seg.thread, c.no);
    if (ssl) ssl.touch(c.no, false);
  }

  onConnection(c: Ctx): void {
    const ev = readConnectionFailure(c.t);
    if (!ev) throw new NotMine();
    const ts = this.lastTs.get(c.seg.thread);
    if (ts) ev.timestamp = ts;
    if (c.seg.thread) ev.thread = c.seg.thread;
    this.emit(ev, [c.no]);
  }

  onHana(c: Ctx): void {
    const ev = readHanaError(c.t);
    if (!ev) throw new NotMine();
    this.emit(ev, [c.no]);
  }

  onBrowser(c: Ctx): void {
    const ev = readBrowserError(c.t);
    if (!ev) throw new NotMine();
    this.emit(ev, [c.no]);
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

  // ---------------------------------------------------------------- trace info

  private infoEvent(no: number): TraceInfoEvent {
    this.info ??= { kind: 'trace-info', source: { input: this.input, line: no } };
    if (this.infoLines.length < 32) this.infoLines.push(no);
    return this.info;
  }

  onTraceHeader(c: Ctx): void {
    const info = this.infoEvent(c.no);
    info.traceFile ??= c.m[1]!;
    info.traceLevel ??= Number(c.m[2]);
    info.release ??= c.m[3]!;
    this.headerLeft = 30;
  }

  onTraceTruncated(c: Ctx): void {
    this.infoEvent(c.no).truncatedByKernel = true;
  }

  onInitBanner(c: Ctx): void {
    this.infoEvent(c.no);
    this.inInit = true;
  }

  private onInitLine(t: string, no: number): void {
    const body = t.replace(/^\s*=\s?/, '');
    if (/^=+\s*$/.test(body) || /^\s*$/.test(body)) {
      if (/^=+\s*$/.test(body)) this.inInit = false;
      return;
    }
    const file = /resulting Filename\s*=\s*"([^"]{1,500})"/.exec(body);
    const found = /found (CommonCryptoLib|SAPCRYPTOLIB|SAPCryptolib)\s+(\S{1,40})/i.exec(body);
    const dpf = /\[(?:dpf|env|def)\]\s*([a-z]{2,12}\/[A-Za-z0-9_/]{1,80})\s*=\s*(.{0,500})$/.exec(body);
    if (!file && !found && !dpf) return;
    const info = this.infoEvent(no);
    if (file) info.cryptoLib = { ...(info.cryptoLib ?? {}), file: file[1]! };
    if (found) info.cryptoLib = { ...(info.cryptoLib ?? {}), version: found[2]! };
    if (dpf) {
      info.parameters ??= {};
      if (Object.keys(info.parameters).length < 64) info.parameters[dpf[1]!] = dpf[2]!.trim();
    }
  }

  // ---------------------------------------------------------------- closing and emitting

  private setTimestamp(thread: string, ts: string): void {
    if (this.lastTs.size > 4096) this.lastTs.clear();
    this.lastTs.set(thread, ts);
  }

  private closeStale(no: number): void {
    for (const b of this.sslBlocks.map.values()) if (no - b.lastTouch > GAP) this.finishSsl(b, false);
    for (const b of this.sncBlocks.map.values()) if (no - b.lastTouch > GAP) this.finishSnc(b);
    for (const b of this.krbBlocks.map.values())
      if (no - b.lastTouch > GAP) this.finishSimple(this.krbBlocks, b, b.toEvent());
    for (const b of this.inboundBlocks.map.values())
      if (no - b.lastTouch > GAP) this.finishSimple(this.inboundBlocks, b, b.toEvent());
    for (const b of this.javaBlocks.map.values())
      if (no - b.lastTouch > 12) this.finishSimple(this.javaBlocks, b, b.toEvent());
    if (this.pendingLib && no - this.pendingLib.lastTouch > 3) this.flushLib();
    for (const [tid, at] of this.pendingName) if (no - at > 3) this.pendingName.delete(tid);
  }

  private finishSsl(block: SslBlock, atEnd: boolean): void {
    this.sslBlocks.remove(block);
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
    this.emit(ev, at);
    if (ev.error && sapSslNumber(ev.error.name) === -1) {
      // The SSL library itself could not be loaded: a library-load fact for the rules as well.
      const lib: EventDraft = { kind: 'lib-load-failure', purpose: 'ssl', error: { ...ev.error } };
      const file = this.info?.cryptoLib?.file;
      if (file) lib.library = file;
      if (ev.timestamp) lib.timestamp = ev.timestamp;
      this.emit(lib, at);
    }
  }

  private finishSnc(block: SncBlock): void {
    this.sncBlocks.remove(block);
    for (const ev of block.toEvents()) {
      const e = ev as EvidenceEvent;
      if (block.thread && !e.thread) e.thread = block.thread;
      this.emit(ev, block.lines.length > 0 ? block.lines : [block.firstLine]);
    }
  }

  private finishSimple<B extends BlockBase>(
    table: BlockTable<B>,
    block: B,
    ev: EventDraft | undefined,
  ): void {
    table.remove(block);
    if (!ev) return;
    const e = ev as EvidenceEvent;
    if (block.thread && !e.thread) e.thread = block.thread;
    const ts = this.lastTs.get(block.thread);
    if (ts && !e.timestamp) e.timestamp = ts;
    this.emit(ev, block.lines.length > 0 ? block.lines : [block.firstLine]);
  }

  private flushLib(): void {
    const lib = this.pendingLib;
    if (!lib) return;
    this.pendingLib = undefined;
    const { source: _s, ...rest } = lib.event;
    this.emit(rest, lib.lines);
  }

  private emit(partial: EventDraft, lineNos: number[]): void {
    const lines = [...new Set(lineNos)].sort((a, b) => a - b).slice(0, 64);
    const event = { ...partial, source: this.sourceOf(lines) } as EvidenceEvent;
    if (this.events.add(event)) this.keepLines(lines);
  }

  private sourceOf(lines: number[]): SourceRef {
    const sorted = [...lines].sort((a, b) => a - b);
    const first = sorted[0] ?? 0;
    const last = sorted[sorted.length - 1] ?? first;
    const ref: SourceRef = { input: this.input, line: first };
    if (last !== first) ref.endLine = last;
    if (sorted.length > 1) ref.keyLines = sorted;
    return ref;
  }

  private keepLines(lines: number[]): void {
    for (const no of lines) {
      const slot = no % RING;
      if (this.ringNo[slot] === no) this.out.lines[`${this.input}:${no}`] = this.ringText[slot]!;
    }
  }
}

const SESSION_INIT = Buffer.from('SapSSLSessionInit(', 'latin1');

/** True when `buf[at…]` holds `id` followed by `]` (the thread id of a `[Thr <id>]` prefix). */
function sameThread(buf: Buffer, at: number, end: number, id: Buffer): boolean {
  const n = id.length;
  if (at + n >= end || buf[at + n] !== 0x5d) return false;
  for (let i = 0; i < n; i++) if (buf[at + i] !== id[i]) return false;
  return true;
}

function stripLocation(t: string): string {
  return t.replace(SOURCE_LOCATION, '').trim();
}

function toIpPort(ep: { host?: string; port?: number | string }): { ip?: string; port?: number | string } {
  const out: { ip?: string; port?: number | string } = {};
  if (ep.host !== undefined) out.ip = ep.host;
  if (ep.port !== undefined) out.port = ep.port;
  return out;
}
