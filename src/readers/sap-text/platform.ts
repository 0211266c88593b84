/**
 * @module Which SAP product a paste comes from (Cloud Connector, Cloud Integration, a BTP destination
 * check, SAP Analytics Cloud, the SAP Web Dispatcher, the Secure Login Client), read from any line of the input: their errors are
 * often plain Java, browser or ICM texts, and the store the fix must name is the product's, not the JVM's,
 * the browser's or the application server's.
 */
import type { EvidenceEvent } from '../../model/evidence.js';

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
export function namesAnyPlatform(text: string): boolean {
  return ANY_PLATFORM.test(text);
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
    if (!namesAnyPlatform(text)) return;
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
