/**
 * @module Which SNC mechanism a paste shows: SNC is only the layer, the GSS-API texts under it come from
 * the mechanism — Kerberos (SAP CCL Kerberos, gsskrb5, Windows SSPI) or the Secure Login Client on the
 * front end. A Kerberos SNC name (`p:CN=SAP/KerberosPRD@CORP.EXAMPLE.COM`, `p:SAPServiceBW5@CORP`) or a
 * Kerberos text (SPN, keytab, encryption type, target unknown, clock skew) names Kerberos; the Secure
 * Login Client's name, its profile or its A22000xx status codes name the SLC. SNC events of the input then
 * say that mechanism printed them, so the finding speaks of SPN and keytab, or of the SLC profile.
 */
import type { EvidenceEvent } from '../../model/evidence.js';
import { holdsAny, textsFirst } from '../text/texts-first.js';
import { mayNameHeadWord } from './platform.js';

export type SncMechanism = 'kerberos' | 'slc';

/** A Kerberos SNC name: a principal with a realm and no X.500 parts (no comma before the `@`). */
export const KERBEROS_NAME = /\bp:(?:CN=)?[^,=\s"'@]{1,200}@[A-Za-z0-9-]{1,63}\./;
/** Kerberos and SSPI texts a GSS-API minor status carries (linear: alternations of literals). */
export const KERBEROS_TEXT =
  /kerberos|krb5|gsskrb5|keytab|\bSPN\b|service principal|target principal name|target is unknown or unreachable|encryption type|clocks on the client and server|clock skew|authority could be contacted|server not found in kerberos|service ticket|\bTGT\b/i;
/** The Secure Login Client: its name, its profiles, its own status codes. */
export const SLC_TEXT = /secure login|\bSLC\b|certificate profile|\bA22000(?:19|1A)\b/i;

/**
 * Any of the three (case ignored: a superset of what they match): one test a line without them (nearly
 * every line) passes with. Their words grouped by their first letters, a shared start tried once per
 * position (`gsskrb5` and `server not found in kerberos` hold `krb5` and `kerberos`).
 */
export const ANY_MECHANISM =
  /k(?:erberos|rb5|eytab)|s(?:ervice (?:principal|ticket)|ecure login)|target (?:principal name|is unknown or unreachable)|encryption type|clock(?:s on the client and server| skew)|authority could be contacted|certificate profile|\b(?:p:(?:CN=)?[^,=\s"'@]{1,200}@[A-Za-z0-9-]{1,63}\.|(?:SPN|TGT|SLC)\b|A22000(?:19|1A)\b)/i;

/**
 * Texts one of which every match of ANY_MECHANISM holds, on the lower-cased line (lower case only adds
 * matches of a text, never takes one away): a trace's head-word lines (ports, TLS versions) rarely name a
 * mechanism, and this rules them out without compiling ANY_MECHANISM (~3M instructions).
 */
export const MECHANISM_TEXTS: readonly string[] = [
  'kerberos',
  'krb5',
  'keytab',
  'service ',
  'secure login',
  'target ',
  'encryption type',
  'clock',
  'authority could be contacted',
  'certificate profile',
  '@',
  'spn',
  'tgt',
  'slc',
  'a22000',
];

/** Whether the lower-cased `low` holds one of MECHANISM_TEXTS. */
export function mechanismWordsMayBeIn(low: string): boolean {
  return holdsAny(low, MECHANISM_TEXTS);
}

/** ANY_MECHANISM on a line; a process's first lines try MECHANISM_TEXTS first (texts-first.ts). */
export const namesAnyMechanism = textsFirst(MECHANISM_TEXTS, (text) => ANY_MECHANISM.test(text));

/** Lines looked at whatever they are; later only lines the knowledge model is offered. */
const HEAD_LINES = 2000;

/** Watches the lines of one input for the SNC mechanism they name. */
export class SncMechanismSniffer {
  private kerberos = false;
  private slc = false;
  private checked = 0;

  see(text: string, offered = true): void {
    if (this.kerberos) return;
    if (this.checked < HEAD_LINES) this.checked++;
    else if (!offered) return;
    if (text.length > 4096 || !mayNameHeadWord(text) || !namesAnyMechanism(text)) return;
    if (KERBEROS_NAME.test(text) || KERBEROS_TEXT.test(text)) this.kerberos = true;
    else if (!this.slc && SLC_TEXT.test(text)) this.slc = true;
  }

  /** Kerberos wins: the Secure Login Client can itself use Kerberos, and its texts then are Kerberos's. */
  get mechanism(): SncMechanism | undefined {
    return this.kerberos ? 'kerberos' : this.slc ? 'slc' : undefined;
  }
}

/** The SNC events of the input (structured failures and SNC message events) take the mechanism. */
export function applySncMechanism(events: EvidenceEvent[], mechanism: SncMechanism | undefined): void {
  if (!mechanism) return;
  for (const e of events) {
    if (e.kind === 'snc-failure') e.mechanism = mechanism;
    else if (e.kind === 'message' && (e.stack === 'snc' || e.stack === 'sap-gui')) e.stack = mechanism;
  }
}
