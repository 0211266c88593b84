/**
 * @module Which SAP product a paste comes from (Cloud Connector, Cloud Integration, a BTP destination
 * check, SAP Analytics Cloud, the SAP Web Dispatcher, the Secure Login Client), read from any line of the input: their errors are
 * often plain Java, browser or ICM texts, and the store the fix must name is the product's, not the JVM's,
 * the browser's or the application server's.
 */
import type { EvidenceEvent } from '../../model/evidence.js';
import { compileNow } from '../text/compile-now.js';
import { holdsAny, textsFirst } from '../text/texts-first.js';
import { INSPECTING_PRODUCT_WORDS } from './markers.js';

/** SAP products whose messages quote another stack's text. */
export type Platform = 'cloud-connector' | 'integration-suite' | 'btp' | 'sac' | 'webdispatcher' | 'slc';

/** Words that name the product, most specific first (linear: alternations of literals). */
export const PLATFORMS: ReadonlyArray<[Platform, RegExp]> = [
  [
    'cloud-connector',
    /cloud connector|ljs_trace|scc_core|com\.sap\.scc|com\.sap\.core\.connectivity|backend trust store|check availability of internal (?:host|system)|cloud to on-premise|internal host:|check result:/i,
  ],
  [
    'integration-suite',
    /com\.sap\.it\.|\bMPL ID\b|message processing log|integration flow|\biflow\b|cloud integration|integration suite|\bCPI\b|org\.apache\.camel\.|com\.sap\.gateway\.core\.ip\.|connectivity tests? ?>|monitor > connectivity/i,
  ],
  // The Web Dispatcher's own trace and profile (a back end's dev_icm that merely mentions a Web Dispatcher
  // in front of it stays the ICM's).
  ['webdispatcher', /dev_webdisp|dev_wdisp|\bwdisp\/|sapwebdisp/i],
  ['sac', /analytics cloud|\bSAC\b|sapanalytics\.cloud|live connection|\/sap\/bc\/ina\//i],
  [
    'btp',
    /failure reason:|check connection|\bBTP\b|cockpit|TrustStoreLocation|\bTrustAll\b|connectivity service|destination service/i,
  ],
  // The Secure Login Client reaches its Secure Login Server over HTTPS with Windows' trust: the Windows
  // error texts it shows (SEC_E_UNTRUSTED_ROOT's "…issued by an authority that is not trusted") are its.
  ['slc', /secure login (?:client|server)|SecureLoginServer|\bSLC\b/i],
];

/**
 * Stacks whose texts each product merely passes on: its JVM (Cloud Connector, Cloud Integration, BTP
 * destinations), the browser a live connection runs in (SAC). A browser error on the Cloud Connector's
 * administration UI stays a browser error: the browser is the client there.
 */
const PASSED_ON: Record<Platform, ReadonlySet<string>> = {
  'cloud-connector': new Set(['java', 'unknown']),
  'integration-suite': new Set(['java', 'unknown']),
  btp: new Set(['java', 'unknown']),
  sac: new Set(['browser', 'unknown']),
  webdispatcher: new Set(['icm', 'abap', 'unknown']),
  // A Windows text under an `Error: ` prefix reads like Node's; the SLC prints no Node text.
  slc: new Set(['schannel', 'dotnet', 'node', 'unknown']),
};

/** Words users know each product by (the Java rules name the store with it). */
export const PLATFORM_PRODUCT: Record<Platform, string> = {
  'cloud-connector': 'the Cloud Connector',
  'integration-suite': 'Cloud Integration',
  btp: 'the BTP destination',
  sac: 'SAP Analytics Cloud',
  webdispatcher: 'the SAP Web Dispatcher',
  slc: 'the SAP Secure Login Client',
};

/**
 * Any product's words: one test a line without them (nearly every line) passes with, instead of one per
 * product. The words of PLATFORMS grouped by their first letters, so a shared start is tried once per
 * position, not once per word (platform.test.ts holds it to PLATFORMS).
 */
export const ANY_PLATFORM =
  /c(?:loud (?:connector|to on-premise|integration)|om\.sap\.(?:scc|core\.connectivity|it\.|gateway\.core\.ip\.)|heck (?:availability of internal (?:host|system)|result:|connection)|onnectivity (?:tests? ?>|service)|ockpit)|l(?:js_trace|ive connection)|s(?:cc_core|ap(?:webdisp|analytics\.cloud)|ecure login (?:client|server)|ecureloginserver)|backend trust store|i(?:nternal host:|ntegration (?:flow|suite))|m(?:essage processing log|onitor > connectivity)|org\.apache\.camel\.|d(?:ev_(?:webdisp|wdisp)|estination service)|analytics cloud|\/sap\/bc\/ina\/|failure reason:|truststorelocation|\b(?:(?:MPL ID|iflow|CPI|SAC|BTP|TrustAll|SLC)\b|wdisp\/)/i;

/**
 * Texts one of which every match of ANY_PLATFORM holds, on the lower-cased line (lower case only adds
 * matches of a text, never takes one away). A trace's head-word lines (ports, TLS versions) rarely name a
 * product, and this rules them out without compiling ANY_PLATFORM (~5M instructions, ~1 ms).
 */
export const PLATFORM_TEXTS: readonly string[] = [
  'cloud',
  'ljs_trace',
  'scc_core',
  'com.sap.',
  'backend trust store',
  'check ',
  'internal host:',
  'mpl id',
  'message processing log',
  'integration ',
  'iflow',
  'cpi',
  'org.apache.camel.',
  'connectivity',
  'disp',
  'sac',
  'live connection',
  '/sap/bc/ina/',
  'failure reason:',
  'btp',
  'cockpit',
  'truststorelocation',
  'trustall',
  'destination service',
  'secure',
  'slc',
];

/** Whether the lower-cased `low` holds one of PLATFORM_TEXTS. */
export function platformWordsMayBeIn(low: string): boolean {
  return holdsAny(low, PLATFORM_TEXTS);
}

/** ANY_PLATFORM on a line; a process's first lines try PLATFORM_TEXTS first (texts-first.ts). */
export const namesAnyPlatform = textsFirst(PLATFORM_TEXTS, (text) => ANY_PLATFORM.test(text));

/** ANY_HEAD_WORD but its last group (HEAD_BOUNDED): plain words, grouped by first letters. */
const HEAD_PLAIN =
  /c(?:l(?:ient(?:.?certificate|_sni_enabled)|oud (?:connector|to on-premise|integration)|ock(?:s on the client and server| skew))|ert(?:ificate (?:logon|profile|expired|is expired)|ificaterequest|_len = |=\()|om\.sap\.(?:scc|core\.connectivity|it\.|gateway\.core\.ip\.)|heck (?:availability of internal (?:host|system)|result:|connection)|o(?:nnectivity (?:tests? ?>|service)|ckpit)|isco umbrella|url|harles proxy|hrome)|p(?:rivate key alias|roxy|op3|ort:? \d|alo alto networks|ostman)|-(?:-cert\b|noservername)|a(?:uth(?:_type=|ority could be contacted)|n(?:onymous client|onym |alytics cloud)|H02008|vast)|s(?:sl(?:_client_cert|_accept|v3| client anonymous)|e(?:rverHandshaker|cure ?login|rvice (?:principal|ticket))|hared object|M59|mtp|cc_core|ap(?:webdisp|analytics\.cloud)|ophos|kyhigh|_client|oapui)|l(?:ogon with|ibrar|dap|js_trace|ive connection)|x\.509|k(?:e(?:y(?: store location|store|tab)|rberos)|rb5|aspersky)|e(?:ncrypt|xtra download|nablesniextension|set ssl)|h(?:dbsql|anacloud\.ondemand|as expired)|while SSL handshaking, client|d(?:LENO|ev_(?:webdisp|wdisp)|estination service|ecryption|es-cbc3-sha)|t(?:ls ?v?1\.|arget (?:principal name|is unknown or unreachable)|ruststorelocation|ls handshake error from|rend micro)|r(?:equest(?:ing|ed) version 3\.|equest cert|c4-(?:sha|md5))| calls\b|i(?:map|n(?:ternal host:|tegration (?:flow|suite)|complete|termediate|spection|terception)|boss)|z(?:scaler)|n(?:etskope)|b(?:lue ?coat|reak and inspect|ackend trust store|itdefender|arracuda|urp suite|rowser)|f(?:tp\b|ailure reason:|orcepoint|orti(?:net|gate)|iddler|irefox|orward(?: |-)trust)|javax\.mail|m(?:essage processing log|onitor > connectivity|cafee web gateway|enlo security|an-in-the-middle|an in the middle|utual (?:tls|authentication)|tls|itmproxy)|o(?:rg\.apache\.camel\.|penssl\.cafile)|\/sap\/bc\/ina\/|vclient=2|_with_(?:rc4|3des|des)_/i;

/**
 * The last group of ANY_HEAD_WORD: words that need a `\b` before them, kept apart (anyHeadWord). The
 * first lines of a process test them where a text of them occurs (BOUNDED_BY_TEXT, BOUNDED_TEXTS).
 */
const HEAD_BOUNDED =
  /\b(?:p:(?:CN=)?[^,=\s"'@]{1,200}@[A-Za-z0-9-]{1,63}\.|(?:MPL ID|iflow|CPI|SAC|BTP|TrustAll|SLC|SPN|TGT)\b|wdisp\/|A22000(?:19|1A)\b)/i;

/**
 * The words of the three tests every head line runs — the products (ANY_PLATFORM), the SNC mechanisms
 * (snc-mechanism.ts) and the context facts (context-facts.ts) — in one alternation grouped by first
 * letters: a line without any of them (nearly every line) costs one test, not three. It may match more
 * than the three together (`secure ?login`, `encrypt` for `encryption type`), never less
 * (grouped-words.test.ts): each sniffer still runs its own test after it.
 */
export const ANY_HEAD_WORD = new RegExp(`${HEAD_PLAIN.source}|${HEAD_BOUNDED.source}`, 'i');

/** The `\b` words of HEAD_BOUNDED without a text of their own, on a lower-cased line. */
const BOUNDED_WORDS = /\b(?:mpl id|iflow|cpi|sac|btp|trustall|slc|spn|tgt)\b/;

/** The other words of HEAD_BOUNDED on a lower-cased line, each by a text every match of it holds. */
const BOUNDED_BY_TEXT: ReadonlyArray<readonly [string, RegExp]> = [
  ['@', /\bp:(?:cn=)?[^,=\s"'@]{1,200}@[a-z0-9-]{1,63}\./],
  ['wdisp/', /\bwdisp\//],
  ['a22000', /\ba22000(?:19|1a)\b/],
];

/** Texts that are head words themselves (headWordInText). */
const HEAD_TEXTS: readonly string[] = [
  'cert_len = ',
  'cert=(',
  'vclient=2',
  'mutual tls',
  'mutual authentication',
  'mtls',
  'requesting version 3.',
  'requested version 3.',
  '_with_rc4_',
  '_with_3des_',
  '_with_des_',
  'rc4-sha',
  'rc4-md5',
  'des-cbc3-sha',
  'enablesniextension',
  'client_sni_enabled',
  '-noservername',
  ...INSPECTING_PRODUCT_WORDS,
  'ssl_client_cert',
  'cockpit',
  'proxy',
  'pop3',
  'anonymous client',
  'anonym ',
  'ssl client anonymous',
  'request cert',
  'certificaterequest',
  'ah02008',
  'ssl_accept',
  'sslv3',
  'while ssl handshaking, client',
  'tls handshake error from',
  'curl',
  'openssl.cafile',
  'browser',
  'postman',
  'chrome',
  'firefox',
  's_client',
  'soapui',
  'serverhandshaker',
  'shared object',
  'sm59',
  'smtp',
  'scc_core',
  'logon with',
  'librar',
  'ldap',
  'ljs_trace',
  'live connection',
  'x.509',
  'kerberos',
  'krb5',
  'encrypt',
  'extra download',
  'hdbsql',
  'hanacloud.ondemand',
  'has expired',
  'certificate expired',
  'certificate is expired',
  'dleno',
  'truststorelocation',
  'backend trust store',
  'imap',
  'inspection',
  'interception',
  'decryption',
  'break and inspect',
  'man-in-the-middle',
  'man in the middle',
  'incomplete',
  'intermediate',
  'internal host:',
  'failure reason:',
  'javax.mail',
  'message processing log',
  'org.apache.camel.',
  '/sap/bc/ina/',
];

/** Head words by a text each of their matches holds, tested only where it occurs (headWordInText). */
const HEAD_WORDS_BY_TEXT: ReadonlyArray<readonly [string, RegExp]> = [
  ['certificate', /client.?certificate|certificate (?:logon|profile)/],
  ['--cert', /--cert\b/],
  ['cloud', /cloud (?:connector|to on-premise|integration)|analytics cloud|sapanalytics\.cloud/],
  ['clock', /clocks on the client and server|clock skew/],
  ['com.sap.', /com\.sap\.(?:scc|core\.connectivity|it\.|gateway\.core\.ip\.)/],
  ['check ', /check (?:availability of internal (?:host|system)|result:|connection)/],
  ['connectivity', /connectivity (?:tests? ?>|service)|monitor > connectivity/],
  ['key', /private key alias|key(?: store location|store|tab)/],
  ['port', /port:? \d/],
  ['auth', /auth(?:_type=|ority could be contacted)/],
  ['secure', /secure ?login/],
  ['service', /service (?:principal|ticket)|destination service/],
  ['disp', /(?:sap|dev_)webdisp|dev_wdisp/],
  ['tls', /tls ?v?1\./],
  ['target ', /target (?:principal name|is unknown or unreachable)/],
  [' calls', / calls\b/],
  ['integration ', /integration (?:flow|suite)/],
  ['ftp', /ftp\b/],
];

/** Texts every match of BOUNDED_WORDS holds. */
const BOUNDED_TEXTS: readonly string[] = [
  'mpl id',
  'iflow',
  'trustall',
  'cpi',
  'sac',
  'btp',
  'slc',
  'spn',
  'tgt',
];

/**
 * The line lower-cased, where matching lower-case ASCII words in it answers as `/i` (without `u`) on the
 * line itself; undefined where it would not: the lower case changes the length (U+0130) or turns a
 * character `/i` never folds into an ASCII letter (U+212A KELVIN SIGN).
 */
function lowerLikeI(text: string): string | undefined {
  const low = text.toLowerCase();
  return low.length !== text.length || text.includes('\u212a') ? undefined : low;
}

/**
 * ANY_HEAD_WORD without compiling it: V8 compiles a regex at its first run, and one this long costs more
 * (~5M instructions, ~1 ms) than a short input's whole use of it. Each term is a text every match of its
 * words holds (`includes`, no compiling), then the words themselves as a small regex on the lower-cased
 * line where the text is not already one of them (lowerLikeI: other lines take ANY_HEAD_WORD itself).
 * grouped-words.test.ts holds the two to the same answer.
 */
export function headWordInText(text: string): boolean {
  const low = lowerLikeI(text);
  if (low === undefined) return ANY_HEAD_WORD.test(text);
  return holdsAny(low, HEAD_TEXTS) || wordsByText(low, HEAD_WORDS_BY_TEXT) || boundedWordIn(low);
}

/** Whether `low` holds a text of the table and matches that text's words (an index loop: see holdsAny). */
function wordsByText(low: string, table: ReadonlyArray<readonly [string, RegExp]>): boolean {
  for (let i = 0; i < table.length; i++) {
    const row = table[i]!;
    if (low.includes(row[0]) && row[1].test(low)) return true;
  }
  return false;
}

/** HEAD_BOUNDED on a lower-cased line (lowerLikeI), each of its words tried only where its text occurs. */
function boundedWordIn(low: string): boolean {
  return wordsByText(low, BOUNDED_BY_TEXT) || (holdsAny(low, BOUNDED_TEXTS) && BOUNDED_WORDS.test(low));
}

/**
 * Lines of a process answered by headWordInText before ANY_HEAD_WORD takes over: a paste of a few lines
 * never compiles it; a trace (or a server) pays its compile once and then its faster per-line test.
 * Measured in a fresh process on trace lines: headWordInText ~40k instructions a line, ANY_HEAD_WORD
 * ~9.5M to compile (both tiers) and ~10k a line, even after ~300 lines; anyHeadWord's regex now compiles
 * in about half that. A trace reaches the test about that often (the quiet gate skips most of its
 * lines) and compiles the regex anyway, so each line taken here costs it ~30k: a few dozen lines cover
 * a paste and cost a trace ~1M.
 */
const TEXT_LINES = 32;

let textLines = TEXT_LINES;
let lastLine: string | undefined;
let lastAnswer = false;

/** HEAD_PLAIN and HEAD_BOUNDED without `/i`, for lower-cased lines (see anyHeadWord); built on first use. */
let lowered: readonly [RegExp, RegExp] | null | undefined;

/** A pattern's source with its letters lower-cased (escapes kept), or undefined when an escape is a capital. */
function lowerSource(re: RegExp): string | undefined {
  // Should a pattern ever hold an escape that is an upper-case letter (`\S`), lower-casing would change it.
  if (/\\[A-Z]/.test(re.source)) return undefined;
  return re.source.replace(/\\.|[A-Z]/g, (t) => (t.length === 2 ? t : t.toLowerCase()));
}

/**
 * ANY_HEAD_WORD on a line, matched on the line lower-cased (lowerLikeI: other lines take ANY_HEAD_WORD
 * itself), the same answer at a smaller compile. Its two parts, their letters lower-cased and without
 * `/i`, compile without ICU's case closure of every letter of the long alternation (in a fresh process
 * 1.7 ms instead of 2.8 ms for the whole pattern and three tests), and apart (HEAD_PLAIN about 1.1 ms,
 * HEAD_BOUNDED 0.35 ms) in less than together (1.7 to 2.4 ms): the `\b` words make the one alternation
 * costlier to compile than each part.
 */
export function anyHeadWord(text: string): boolean {
  const low = lowerLikeI(text);
  if (low === undefined) return ANY_HEAD_WORD.test(text);
  if (lowered === undefined) {
    const plain = lowerSource(HEAD_PLAIN);
    const bounded = lowerSource(HEAD_BOUNDED);
    lowered =
      plain !== undefined && bounded !== undefined
        ? [compileNow(new RegExp(plain)), compileNow(new RegExp(bounded))]
        : null;
  }
  return lowered ? lowered[0].test(low) || lowered[1].test(low) : ANY_HEAD_WORD.test(text);
}

/** ANY_HEAD_WORD on a line; the three sniffers see the same line one after the other, so it runs once. */
export function mayNameHeadWord(text: string): boolean {
  if (text !== lastLine) {
    if (textLines > 0) {
      textLines--;
      lastAnswer = headWordInText(text);
    } else lastAnswer = anyHeadWord(text);
    lastLine = text;
  }
  return lastAnswer;
}

/** Lines looked at whatever they are; later only lines the knowledge model is offered (see `see`). */
const HEAD_LINES = 2000;

/** Watches the lines of one input for the first product it names. */
export class PlatformSniffer {
  platform: Platform | undefined;
  private checked = 0;

  /** A line the quiet gate ruled out (quiet-lines.ts): counted as seen, as `see` would. */
  skip(): void {
    if (!this.platform && this.checked < HEAD_LINES) this.checked++;
  }

  /**
   * See a line. The first 2000 lines are all looked at; after them only lines outside a kernel trace
   * (`offered`: the lines the knowledge model reads anyway), so a product named late in a long paste or
   * after a preamble is still found while a large kernel trace pays nothing per line.
   */
  see(text: string, offered = true): void {
    if (this.platform) return;
    if (this.checked < HEAD_LINES) this.checked++;
    else if (!offered) return;
    if (!mayNameHeadWord(text) || !namesAnyPlatform(text)) return;
    for (const [p, re] of PLATFORMS) {
      if (re.test(text)) {
        this.platform = p;
        return;
      }
    }
  }
}

/**
 * Tell the events of the input which product printed them: a message event whose line named only the
 * stack the product passes on takes the product's stack; a Java TLS failure takes its product name.
 */
export function applyPlatform(events: EvidenceEvent[], platform: Platform | undefined): void {
  if (!platform) return;
  for (const e of events) {
    if (e.kind === 'message' && PASSED_ON[platform].has(e.stack)) e.stack = platform;
    else if (e.kind === 'java-tls-failure' && !e.product) e.product = PLATFORM_PRODUCT[platform];
  }
}
