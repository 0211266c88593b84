/**
 * @module Lines no structured line type claims, matched against the knowledge model (kb `printed:` and
 * `patterns:`) and turned into `message` events. Lines of one failure (a Java stack trace with its
 * `Caused by:` lines, a Cloud Connector block, a HANA error with its RTE line) become one event: a
 * recognised line joins the open group when it follows within a few lines or only stack frames lie between.
 */
import { kbMatchDisabled, loadRecognizer } from '../../kb/recognize/load.js';
import type { Recognizer, RecognizerHit } from '../../kb/recognize/matcher.js';
import type { RecognizerEntry } from '../../kb/recognize/model.js';
import { OUTSIDE_CLIENT_STACKS, WRAPPER_CAUSES } from '../../kb/types.js';
import type { EvidenceEvent, MessageEvent, PrintedCertificate } from '../../model/evidence.js';
import { isPublicIntermediate } from '../../pki/lone-leaf.js';
import { compileNow } from '../text/compile-now.js';
import { holdsAny } from '../text/texts-first.js';
import { ChainLines } from './chain-lines.js';
import { CONTEXT_ANY_GROUPED, CONTEXT_FACTS } from './context-facts.js';
import { stripLogPrefix } from './log-prefix.js';
import { PemLines } from './pem-lines.js';
import { mayNameHeadWord } from './platform.js';
import { PRODUCTS, stackOf } from './stack-of.js';

/** Lines between two recognised lines of one failure (beyond stack frames). */
const MAX_GAP = 3;
/** A recognised line that starts a cause of the failure above it (`Caused by: …`). */
const CAUSE_LINE = /^\s{0,40}(?:Caused by:|Suppressed:|Inner exception|--->)/;
/** Recognised lines one event keeps (more are counted into the same event). */
const MAX_GROUP_LINES = 12;
/** Text kept of the recognised line. */
const MAX_TEXT = 400;

/** A stack-trace frame or continuation: it keeps a Java/.NET/Node failure open without being one. */
const FRAME = /^\s{0,40}(?:at\s|\.\.\. \d{1,6} more|---\s?End of)/;

interface Group {
  first: number;
  last: number;
  lines: number[];
  hits: Array<{ no: number; text: string; bare: string; hit: RecognizerHit }>;
  also: Set<string>;
}

/** Receives each finished event with the line numbers it quotes; returns the event as stored. */
export type MessageSink = (event: MessageEvent, lines: number[]) => EvidenceEvent | undefined;

/** Message events of one input that get the chain, host and trust store read at its end. */
const MAX_TRACKED = 200;

/** A URL of an SAP system: an ICF service path or an SAP HTTPS port (443NN, 5NN01). */
const SAP_TARGET =
  /https:\/\/[^\s"'/]{1,253}(?::(?:443\d\d|5\d\d01))?\/sap\/|:(?:443\d\d|5\d\d01)\/|\bcom\.sap\.adt\./;

/**
 * The host a line shows the client calling: a URL, Python's `host='…'`, s_client's `-connect`, curl's
 * `Connected to`, or a connection "to <host>:<port>" as Java programs and the Cloud Connector log it.
 */
const HOST_IN_LINE =
  /https:\/\/([A-Za-z0-9][A-Za-z0-9.-]{0,252})|host='([A-Za-z0-9][A-Za-z0-9.-]{0,252})'|-connect ([A-Za-z0-9][A-Za-z0-9.-]{0,252}):\d|Connected to ([A-Za-z0-9][A-Za-z0-9.-]{0,252}) \(|[Cc]onnection to ([A-Za-z0-9][A-Za-z0-9-]{0,62}\.[A-Za-z0-9.-]{1,190}):\d{1,5}\b/g;

/**
 * URLs a paste names that are not a call's target: the documentation links tools print (Gradle's "See:
 * https://docs.gradle.org/…", urllib3's readthedocs link, curl's error page).
 */
const DOC_HOSTS =
  /^(?:curl\.se|curl\.haxx\.se|aka\.ms|go\.microsoft\.com|learn\.microsoft\.com|support\.microsoft\.com|nodejs\.org|me\.sap\.com|launchpad\.support\.sap\.com|help\.sap\.com|community\.sap\.com|answers\.sap\.com|stackoverflow\.com|www\.openssl\.org|docs\.[a-z0-9.-]{1,200}|[a-z0-9-]{1,63}\.readthedocs\.io|developer\.mozilla\.org|www\.rfc-editor\.org|datatracker\.ietf\.org|pkg\.go\.dev)$/i;
/** Distinct URL hosts outside the failures kept at most (past that, none is taken as the target). */
const MAX_URL_HOSTS = 4;

/** Lines whose context facts are read whatever they are (then only lines offered to the model). */
const CONTEXT_HEAD_LINES = 2000;

/** Whether only outside clients print the texts of this entry (no SAP stack lists it). */
function outsideOnly(entry: RecognizerEntry): boolean {
  return entry.stacks.every((s) => OUTSIDE_CLIENT_STACKS.has(s));
}

/** Collects recognised lines of one input into `message` events. */
export class MessageLines {
  private recognizer: Recognizer | undefined;
  /** The bench-only switch that measures analyze without the knowledge model (load.ts). */
  private readonly noModel = kbMatchDisabled();
  private open: Group | undefined;
  private readonly chains = new ChainLines();
  /** PEM certificate blocks pasted into the text (parsed after the pass, only when there are some). */
  readonly pems = new PemLines();
  private readonly emitted: MessageEvent[] = [];
  private host: string | undefined;
  /** Hosts of URLs in lines outside the failures (more than MAX_URL_HOSTS: none is the call's). */
  private readonly urlHosts = new Set<string>();
  /** The last line the model read without a hit (its number and text), for the target of a failure below it. */
  private before: { no: number; text: string } | undefined;
  private callsSap = false;
  private readonly context = new Set<string>();
  private contextLines = 0;

  constructor(
    private readonly input: number,
    private readonly sink: MessageSink,
  ) {}

  /**
   * See every line: `text` is given for lines worth matching (not for kernel trace lines a line type
   * claimed). Returns true when an unclaimed line was recognised (it belongs to a message event) or
   * continues an open one (a stack frame).
   */
  see(no: number, text: string | undefined, claimed = false): boolean {
    if (this.open && no - this.open.last > MAX_GAP) this.close();
    if (text === undefined) return false;
    this.chains.see(no, text);
    this.pems.see(no, text);
    // A log collector's prefix (cf logs, a container runtime, a timestamp and level) is not the program's.
    const bare = stripLogPrefix(text);
    if (this.open && !claimed && FRAME.test(bare)) {
      this.open.last = no;
      return true;
    }
    if (this.noModel) return false;
    this.recognizer ??= loadRecognizer();
    let hits = this.recognizer.match(text);
    // A kernel trace line (`[Thr …]`: the ICM, the Web Dispatcher, a work process) is never printed by an
    // outside client: a phrase of one (curl's "SSL connect error" in "marked inactive (ssl connect
    // error)") is a coincidence of words there.
    if (hits.length > 0 && text.startsWith('[Thr ')) hits = hits.filter((h) => !outsideOnly(h.entry));
    // The call that failed, read from the recognised lines and the lines of an open failure (a URL),
    // and from the line just above a failure's first line (a log's "Failed to open connection to …").
    if (hits.length > 0 || this.open) this.readTarget(text);
    else if (this.urlHosts.size <= MAX_URL_HOSTS && text.includes('https://')) this.seeUrl(text);
    if (hits.length > 0 && !this.open && this.before !== undefined && this.before.no === no - 1)
      this.readTarget(this.before.text);
    this.before = hits.length === 0 ? { no, text } : undefined;
    if (hits.length === 0) {
      // A `Caused by:` line the model does not know continues the open failure like a frame; one it knows
      // (the root cause: a key store password, a missing file) joins it as a hit above.
      if (this.open && !claimed && CAUSE_LINE.test(bare)) {
        this.open.last = no;
        return true;
      }
      return false;
    }
    // One failure: the next line, a `Caused by:` line, or the same entry again within a few lines.
    const o = this.open;
    if (
      o &&
      !(
        no - o.last <= 1 ||
        // A wrapper that fits many causes (`The SSL connection could not be established, see inner
        // exception`, `fetch failed`) waits a few lines for the exception it wraps.
        (no - o.last <= MAX_GAP && o.hits.every((h) => h.hit.entry.causes.length >= WRAPPER_CAUSES)) ||
        CAUSE_LINE.test(bare) ||
        o.hits.some((h) => h.hit.entry === hits[0]!.entry)
      )
    )
      this.close();
    const group = this.open ?? {
      first: no,
      last: no,
      lines: [],
      hits: [],
      also: new Set<string>(),
    };
    this.open = group;
    group.last = no;
    if (group.lines.length < MAX_GROUP_LINES) {
      group.lines.push(no);
      // The quoted detail after a wrapper (detailOf), then of the outside clients' entries one line
      // matches, the one that fits fewer causes (see moreSpecific).
      let top = detailOf(hits);
      for (const h of hits)
        if (h !== top && moreSpecific(h, top) && h.entry.causes.length < top.entry.causes.length) top = h;
      group.hits.push({ no, text, bare, hit: top });
    }
    for (const h of hits) group.also.add(h.entry.id);
    return !claimed;
  }

  /** No message group open and no chain dump being read: a line the quiet gate rules out changes nothing. */
  get idle(): boolean {
    return this.open === undefined && this.chains.idle;
  }

  /** A line the quiet gate ruled out (quiet-lines.ts): counted towards the head, as `seeContext` would. */
  skip(): void {
    if (this.contextLines < CONTEXT_HEAD_LINES) this.contextLines++;
  }

  /**
   * Read the facts a line states beside the messages (KB_CONTEXT_FACTS). Like the product's name: every
   * line of the head (a kernel trace's `auth_type=` line too), later only lines the model is offered.
   */
  seeContext(text: string, offered: boolean): void {
    if (this.contextLines < CONTEXT_HEAD_LINES) this.contextLines++;
    else if (!offered) return;
    if (
      this.context.size < CONTEXT_FACTS.length &&
      text.length <= 4096 &&
      mayNameHeadWord(text) &&
      compileNow(CONTEXT_ANY_GROUPED).test(text)
    ) {
      // Only the regexes of facts not yet seen whose words the line holds (most are long: compiling
      // them costs milliseconds at the first line that runs them).
      const low = text.toLowerCase();
      // Index loops, no closures: this runs on many lines in V8's interpreter (see holdsAny).
      for (let i = 0; i < CONTEXT_FACTS.length; i++) {
        const row = CONTEXT_FACTS[i]!;
        const fact = row[0];
        const keys = row[2];
        if (this.context.has(fact)) continue;
        let holds = true;
        for (let k = 0; k < keys.length && holds; k++) holds = holdsAny(low, keys[k]!);
        if (holds && compileNow(row[1]).test(text)) this.context.add(fact);
      }
    }
  }

  /** Close the open group (end of input, or too many lines since its last line). */
  close(): void {
    const g = this.open;
    this.open = undefined;
    if (!g || g.hits.length === 0) return;
    // The most specific match of the group names the entry: an entry that fits fewer causes (the
    // inner exception, the OpenSSL reason) over a wrapper that fits many (`fetch failed`, `The SSL
    // connection could not be established`), then the longer phrase; on a tie the later line (the root
    // cause of a stack trace comes last) wins.
    let best = g.hits[0]!;
    for (const h of g.hits) if (moreSpecific(h.hit, best.hit)) best = h;
    const entry = best.hit.entry;
    const event: MessageEvent = {
      kind: 'message',
      source: { input: this.input, line: g.first, keyLines: [best.no] },
      entry: entry.id,
      stack: stackOf(
        entry,
        g.hits.map((h) => h.bare),
      ),
      text: best.text.length > MAX_TEXT ? `${best.text.slice(0, MAX_TEXT)}…` : best.text,
      matched: best.hit.matched,
    };
    if (g.last > g.first) event.source.endLine = g.last;
    if (entry.side) event.side = entry.side;
    const code = codeOf(entry);
    if (code) event.code = code;
    g.also.delete(entry.id);
    if (g.also.size > 0) event.also = [...g.also];
    const stored = this.sink(event, g.lines);
    if (stored?.kind === 'message' && this.emitted.length < MAX_TRACKED) this.emitted.push(stored);
  }

  /** The host and whether it is an SAP system, from a URL in a line of the failure. */
  private readTarget(text: string): void {
    if (text.length > 4096) return;
    if (this.host === undefined) {
      // The first host of the line that is not a documentation link the message points to.
      for (const h of text.matchAll(HOST_IN_LINE)) {
        const host = (h[1] ?? h[2] ?? h[3] ?? h[4] ?? h[5])!.replace(/\.$/, '');
        if (DOC_HOSTS.test(host)) continue;
        this.host = host;
        break;
      }
    }
    if (!this.callsSap && SAP_TARGET.test(text)) this.callsSap = true;
  }

  /** A URL's host in a line outside the failures (`URL: https://10.41.8.23:44301/…` in the prose). */
  private seeUrl(text: string): void {
    if (text.length > 4096) return;
    const h = /https:\/\/([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:]{2,45}\])/.exec(text)?.[1];
    if (h && !DOC_HOSTS.test(h)) this.urlHosts.add(h.replace(/\.$/, '').toLowerCase());
  }

  /** The context facts the input stated (sorted), for the structured failures of the same input. */
  contextFacts(): string[] {
    return [...this.context].sort();
  }

  /** The peer chain a client tool printed in the input (leaf first) and the host it was called for. */
  printedChain(): { chain: PrintedCertificate[]; host: string | undefined } {
    return { chain: this.chains.chain(), host: this.host };
  }

  /** End of input: close the open group and give every message event the chain and host read. */
  finish(): void {
    this.close();
    this.pems.finish();
    const chain = this.chains.chain();
    // No failure line names its host: the one URL the rest of the paste names is the call's.
    const host = this.host ?? (this.urlHosts.size === 1 ? [...this.urlHosts][0] : undefined);
    // The issuer of the server's certificate, as curl -v and wget print it (they show no chain): a public
    // CA's intermediate that the client could not find was not sent (a client has the public roots).
    const issuer = this.chains.leafIssuer;
    if (issuer !== undefined && isPublicIntermediate(issuer)) this.context.add('public-intermediate-issuer');
    for (const ev of this.emitted) {
      if (chain.length > 0) ev.chain = chain;
      if (host && !ev.host) ev.host = host;
      if (this.callsSap) ev.callsSap = true;
      if (this.chains.trustStore) ev.trustStore = this.chains.trustStore;
      if (this.context.size > 0) ev.context = [...this.context].sort();
      // A text either side prints, in a TLS server's log (nginx, Apache, a Java server): the server printed it.
      if (ev.side === 'either' && this.context.has('server-log')) ev.side = 'server';
      // A Windows event log of a machine an SAP system calls is that server's log.
      if (ev.side === 'either' && ev.stack === 'schannel' && this.context.has('sap-calls'))
        ev.side = 'server';
    }
  }
}

/** Phrases shorter than this are matched by score only (too short to call specific). */
const SPECIFIC_SCORE = 16;

/** Is hit `a` more specific than `b` (see close())? Equal counts as more specific (the later line). */
function moreSpecific(a: RecognizerHit, b: RecognizerHit): boolean {
  // One phrase inside the other (`UNABLE_TO_GET_ISSUER_CERT` in `…_LOCALLY`): the longer read wins.
  const ma = a.matched.toLowerCase();
  const mb = b.matched.toLowerCase();
  if (ma !== mb && (ma.includes(mb) || mb.includes(ma))) return ma.length > mb.length;
  // A text that itself defers to its inner exception (.NET's "…, see inner exception") never names the
  // entry over the exception it wraps.
  const da = ma.includes('inner exception');
  if (da !== mb.includes('inner exception')) return !da;
  // Nor does a symptom whose first reading is "cause unknown" (a browser's CORS block) over a telling text
  // of the same failure (the certificate error the browser printed with it; a wrapper of many causes is not).
  const ua = a.entry.causes[0] === 'unknown';
  const ub = b.entry.causes[0] === 'unknown';
  if (ua !== ub && (ua ? b : a).entry.causes.length < WRAPPER_CAUSES) return !ua;
  const ca = a.entry.causes.length;
  const cb = b.entry.causes.length;
  if (
    a.score >= SPECIFIC_SCORE &&
    b.score >= SPECIFIC_SCORE &&
    ca !== cb &&
    // Outside clients' exceptions wrap one another (`HttpRequestException` around an
    // `AuthenticationException`): the entry that fits fewer causes is the inner, telling one. So does a
    // product's own summary around the text it quotes (SAC's "Failed to connect to system" above the
    // browser's `net::ERR_CERT_…`). SAP traces keep their own order (the error code over the state line).
    ((OUTSIDE_CLIENT_STACKS.has(a.entry.stacks[0] ?? '') &&
      OUTSIDE_CLIENT_STACKS.has(b.entry.stacks[0] ?? '')) ||
      isProductWrapper(a.entry) ||
      isProductWrapper(b.entry))
  )
    return ca < cb;
  return a.score >= b.score;
}

/** An entry of a product's own summary that fits many causes (it wraps the telling text). */
function isProductWrapper(entry: RecognizerEntry): boolean {
  return PRODUCTS.has(entry.stacks[0] ?? '') && entry.causes.length >= WRAPPER_CAUSES;
}

/** Causes of a connection that failed below TLS: a network text quoted by such a wrapper adds nothing. */
const BELOW_TLS: ReadonlySet<string> = new Set(['network', 'proxy']);

/** Characters a quoted detail must match to count (short words like "SSL error" occur everywhere). */
const MIN_DETAIL = 16;

/**
 * The hit that names the failure in one line: the most specific match, unless another entry's text is
 * quoted after it as its detail ("Connection failed (RTE:[300015] SSL certificate validation failed:
 * certificate has expired)") — then the quoted detail says more about the cause than the wrapper. A
 * network-level text quoted by an entry that is itself about the connection below TLS ("RTE:[89001]
 * Cannot resolve host name … No such host is known", a proxy's "tunneling socket could not be
 * established, cause=connect ECONNREFUSED") says nothing more: the wrapper's own hypotheses stay.
 */
export function detailOf(hits: readonly RecognizerHit[]): RecognizerHit {
  const first = hits[0]!;
  const belowTls = BELOW_TLS.has(firstCause(first) ?? '');
  let detail: RecognizerHit | undefined;
  for (const h of hits) {
    if (h === first || h.start < first.end || h.score < MIN_DETAIL || h.entry.hypotheses.length === 0)
      continue;
    if (belowTls && firstCause(h) === 'network') continue;
    if (!detail || h.start > detail.start) detail = h;
  }
  return detail ?? first;
}

/** The cause an entry ranks first. */
function firstCause(hit: RecognizerHit): string | undefined {
  return hit.entry.hypotheses[0]?.cause;
}

/** The code an entry names, for code and alert entries (`ERR_CERT_DATE_INVALID`, `SSSLERR_…`). */
function codeOf(entry: RecognizerEntry): string | undefined {
  if (entry.kind !== 'code' && entry.kind !== 'alert' && entry.kind !== 'message') return undefined;
  return entry.id;
}
