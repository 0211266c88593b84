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
    /kerberos|krb5|\bKrb[A-Z]|GSSException|spnego|pre-?authentication|\bKDC\b|message stream modified|KRB_AP_ERR|keytab|ticket|principal|skew|authority could be contacted|encryption type|credentials cache|\bTGT\b/i,
  ],
  ['slc', /Secure Login|\bSLC\b|A22000(?:19|1A)/i],
  ['snc', /GSS-API\(|SncP|SNCERR|sncgss/],
  ['abap', /#|HTTP error \d{3} occ|^\s*SSL handshake with |^\s*SSSLERR_|\(ICM_HTTP_|^\s*Direct connect to /],
  ['commoncryptolib', /^\[Thr |SAPCRYPTO|Secu(?:de)?-SSL|CommonCryptoLib/],
  [
    'node',
    /^\s*(?:Error|FetchError|TypeError|AxiosError|RequestError): |\bcode: '[A-Z0-9_]{4,}'|\[cause\]|fetch failed|\bnode(?:js)?\b|\bnpm\b|\bEPROTO\b|ERR_TLS_|\bcap\b/,
  ],
  // The Windows text of SEC_E_WRONG_PRINCIPAL for a TLS name check is SChannel's.
  ['schannel', /schannel|SEC_E_|SEC_I_|CN name does not match the passed value/i],
];

/**
 * Stacks a line names beyond doubt: an SAP client or product that quotes another stack's text (the HANA
 * client quotes OpenSSL verify texts, Cloud Integration quotes JSSE). They win even when the entry does not
 * list them, so the fix names the store that product uses.
 */
const DECISIVE: ReadonlySet<string> = new Set(['hana-client', 'cloud-connector', 'integration-suite']);

/**
 * Stacks that run inside another: the HANA client in a Node, Go, Java, Python or .NET program, the SAP
 * Java products and IAIK in a JVM. When an entry's
 * own stack is the inner one and the line only names its host (`Error: …` of a Node program printing a
 * HANA client text), the inner stack printed it: its texts and its settings are the ones to fix.
 */
const HOSTS: Readonly<Record<string, readonly string[]>> = {
  'hana-client': ['node', 'go', 'java', 'python', 'dotnet'],
  iaik: ['java'],
  'cloud-connector': ['java'],
  'integration-suite': ['java'],
  btp: ['java', 'node'],
};

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
      group.hits.push({ no, text, hit: hits[0]! });
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

/**
 * The stack that printed the lines: an SAP client or product the lines name beyond doubt, else a stack
 * the lines name (`javax.`, `code: 'ERR_…'`, `_ssl.c`, …) — preferably one the entry lists —, else the
 * entry's first stack.
 */
export function stackOf(entry: RecognizerEntry, lines: readonly string[]): string {
  const listed = entry.stacks as readonly string[];
  const own = listed[0];
  let named: string | undefined;
  const found: string[] = [];
  for (const [stack, re] of STACK_HINTS) {
    if (!lines.some((l) => re.test(l))) continue;
    if (DECISIVE.has(stack)) return stack;
    if (listed.includes(stack)) found.push(stack);
    named ??= stack;
  }
  // An inner stack the lines name beside its host (SChannel's code in a .NET exception) printed it.
  const inner = found.find((s) => found.some((h) => HOSTS[s]?.includes(h)));
  if (inner) return inner;
  const first = found[0];
  if (first && own && HOSTS[own]?.includes(first) && found.every((s) => HOSTS[own]?.includes(s))) return own;
  return first ?? named ?? own ?? 'unknown';
}

/** The code an entry names, for code and alert entries (`ERR_CERT_DATE_INVALID`, `SSSLERR_…`). */
function codeOf(entry: RecognizerEntry): string | undefined {
  if (entry.kind !== 'code' && entry.kind !== 'alert' && entry.kind !== 'message') return undefined;
  return entry.id;
}
