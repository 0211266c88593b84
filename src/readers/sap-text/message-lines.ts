/**
 * @module Lines no structured line type claims, matched against the knowledge model (kb `printed:` and
 * `patterns:`) and turned into `message` events. Lines of one failure (a Java stack trace with its
 * `Caused by:` lines, a Cloud Connector block, a HANA error with its RTE line) become one event: a
 * recognised line joins the open group when it follows within a few lines or only stack frames lie between.
 */
import { loadRecognizer } from '../../kb/recognize/load.js';
import type { Recognizer, RecognizerHit } from '../../kb/recognize/matcher.js';
import type { RecognizerEntry } from '../../kb/recognize/model.js';
import type { MessageEvent } from '../../model/evidence.js';

/** Lines between two recognised lines of one failure (beyond stack frames). */
const MAX_GAP = 3;
/** A recognised line that starts a cause of the failure above it (`Caused by: …`). */
const CAUSE_LINE = /^\s{0,40}(?:Caused by:|Suppressed:|Inner exception|--->)/;
/** Recognised lines one event keeps (more are counted into the same event). */
const MAX_GROUP_LINES = 12;
/** Text kept of the recognised line. */
const MAX_TEXT = 400;

/** A stack-trace frame or continuation: it keeps a Java/.NET/Node failure open without being one. */
const FRAME = /^\s{0,40}(?:at\s|Caused by:|\.\.\. \d{1,6} more|Suppressed:|---\s?End of)/;

/** Words in a line that say which of an entry's stacks printed it. */
const STACK_HINTS: ReadonlyArray<[string, RegExp]> = [
  ['iaik', /\biaik\.|ChainVerifier|while handshaking/i],
  ['cloud-connector', /cloud connector|\bscc\b|ljs_trace|com\.sap\.scc/i],
  ['integration-suite', /\bcpi\b|integration suite|com\.sap\.it\.|iflow|org\.apache\.camel\./i],
  ['hana-client', /hdbsql|hdbcli|sqldbc|@sap\/hana-client|go-hdb|\bRTE:\[|ngdbc|DBTech|jdbc:sap|\bhdb\b/i],
  [
    'dotnet',
    /System\.(?:Net|IO|Security|ComponentModel)|\.NET\b|HttpRequestException|AuthenticationException/,
  ],
  ['java', /\bjava[x]?\.|\bsun\.security\.|Exception\b/],
  ['python', /_ssl\.c|\bssl\.SSL|\[SSL: |urllib3|requests\.exceptions|CERTIFICATE_VERIFY_FAILED|\bpython/i],
  ['curl', /^\s*curl:|curl: \(\d{1,3}\)|SSL certificate OpenSSL verify result|SSL certificate problem/i],
  ['browser', /NET::ERR_|SEC_ERROR_|SSL_ERROR_[A-Z_]{4,}|Error code: /],
  ['go', /\bx509: |\btls: |net\/http/],
  [
    'kerberos',
    /kerberos|krb5|\bKrb[A-Z]|GSSException|spnego|pre-?authentication|\bKDC\b|keytab|ticket|principal|skew|authority could be contacted|encryption type|credentials cache|\bTGT\b/i,
  ],
  ['slc', /Secure Login|\bSLC\b|A22000(?:19|1A)/i],
  ['snc', /GSS-API\(|SncP|SNCERR|sncgss/],
  ['abap', /#|HTTP error \d{3} occ|^\s*SSL handshake with |^\s*SSSLERR_|\(ICM_HTTP_|^\s*Direct connect to /],
  ['commoncryptolib', /^\[Thr |SAPCRYPTO|Secu(?:de)?-SSL|CommonCryptoLib/],
  [
    'node',
    /^\s*(?:Error|FetchError|TypeError|AxiosError|RequestError): |\bcode: '[A-Z0-9_]{4,}'|\[cause\]|fetch failed|\bnode(?:js)?\b|\bnpm\b|\bEPROTO\b|ERR_TLS_|\bcap\b/,
  ],
  ['schannel', /schannel|SEC_E_|SEC_I_/i],
];

/**
 * Stacks a line names beyond doubt: the HANA client quotes OpenSSL verify texts in its own errors. It wins
 * even when the entry does not list it, so the fix names the store the HANA client uses (sslTrustStore).
 * (Cloud Connector and Cloud Integration lines are told by the product the input names: platform.ts.)
 */
const DECISIVE: ReadonlySet<string> = new Set(['hana-client']);

interface Group {
  first: number;
  last: number;
  lines: number[];
  hits: Array<{ no: number; text: string; hit: RecognizerHit }>;
  also: Set<string>;
}

/** Receives each finished event with the line numbers it quotes. */
export type MessageSink = (event: MessageEvent, lines: number[]) => void;

/** Collects recognised lines of one input into `message` events. */
export class MessageLines {
  private recognizer: Recognizer | undefined;
  private open: Group | undefined;

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
    if (this.open && !claimed && FRAME.test(text)) {
      this.open.last = no;
      return true;
    }
    this.recognizer ??= loadRecognizer();
    const hits = this.recognizer.match(text);
    if (hits.length === 0) return false;
    // One failure: the next line, a `Caused by:` line, or the same entry again within a few lines.
    const o = this.open;
    if (
      o &&
      !(no - o.last <= 1 || CAUSE_LINE.test(text) || o.hits.some((h) => h.hit.entry === hits[0]!.entry))
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
      group.hits.push({ no, text, hit: detailOf(hits) });
    }
    for (const h of hits) group.also.add(h.entry.id);
    return !claimed;
  }

  /** Close the open group (end of input, or too many lines since its last line). */
  close(): void {
    const g = this.open;
    this.open = undefined;
    if (!g || g.hits.length === 0) return;
    // The most specific match of the group names the entry; on a tie the later line (the root cause
    // of a stack trace comes last) wins.
    let best = g.hits[0]!;
    for (const h of g.hits) if (h.hit.score >= best.hit.score) best = h;
    const entry = best.hit.entry;
    const event: MessageEvent = {
      kind: 'message',
      source: { input: this.input, line: g.first, keyLines: [best.no] },
      entry: entry.id,
      stack: stackOf(
        entry,
        g.hits.map((h) => h.text),
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
    this.sink(event, g.lines);
  }
}

/** Characters a quoted detail must match to count (short words like "SSL error" occur everywhere). */
const MIN_DETAIL = 16;

/**
 * The hit that names the failure in one line: the most specific match, unless another entry's text is
 * quoted after it as its detail ("Connection failed (RTE:[300015] SSL certificate validation failed:
 * certificate has expired)") — then the quoted detail says more about the cause than the wrapper.
 */
export function detailOf(hits: readonly RecognizerHit[]): RecognizerHit {
  const first = hits[0]!;
  let detail: RecognizerHit | undefined;
  for (const h of hits) {
    if (h === first || h.start < first.end || h.score < MIN_DETAIL || h.entry.hypotheses.length === 0)
      continue;
    if (!detail || h.start > detail.start) detail = h;
  }
  return detail ?? first;
}

/**
 * The stack that printed the lines: an SAP client or product the lines name beyond doubt, else a stack
 * the lines name (`javax.`, `code: 'ERR_…'`, `_ssl.c`, …) — preferably one the entry lists —, else the
 * entry's first stack.
 */
export function stackOf(entry: RecognizerEntry, lines: readonly string[]): string {
  let named: string | undefined;
  for (const [stack, re] of STACK_HINTS) {
    if (!lines.some((l) => re.test(l))) continue;
    if (DECISIVE.has(stack) || (entry.stacks as readonly string[]).includes(stack)) return stack;
    named ??= stack;
  }
  return named ?? entry.stacks[0] ?? 'unknown';
}

/** The code an entry names, for code and alert entries (`ERR_CERT_DATE_INVALID`, `SSSLERR_…`). */
function codeOf(entry: RecognizerEntry): string | undefined {
  if (entry.kind !== 'code' && entry.kind !== 'alert' && entry.kind !== 'message') return undefined;
  return entry.id;
}
