/** @module Line patterns that more than one block handler of the SAP text assembler needs (all linear-time). */
import { compileNow } from '../text/compile-now.js';

/** A kernel timestamp line (`Tue May 24 13:51:07:344 2022`), alone on its line. */
export const TIMESTAMP =
  /^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} \d{1,2}:\d{2}:\d{2}(?:[:.]\d{1,6})? \d{4}\s*$/;
const DAY_NAMES = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

/**
 * False when `t` cannot start, after blanks, with a day name, which TIMESTAMP (and any regex led by
 * `^\s*(?:Mon|Tue|…)`) needs: a test of a few characters before the regex, which V8 would otherwise
 * compile for a pasted line that holds no timestamp at all. A character outside ASCII where the blanks
 * end may be a Unicode blank (`\s`): then the regex decides. patterns.test.ts proves it on every
 * fixture line.
 */
export function mayLeadWithDay(t: string): boolean {
  const i = afterAsciiBlanks(t);
  return i < 0 || DAY_NAMES.has(t.slice(i, i + 3));
}

/**
 * Whether `t` is a kernel timestamp line (TIMESTAMP): mayLeadWithDay first, and TIMESTAMP compiled
 * straight to machine code the first time it runs (compileNow; its day and month alternation costs
 * V8 about 0.7 ms in its two usual steps).
 */
export function isTimestampLine(t: string): boolean {
  return mayLeadWithDay(t) && compileNow(TIMESTAMP).test(t);
}

/**
 * Where the ASCII blanks (space, tab, line breaks, vertical tab, form feed: the ASCII part of `\s`) that
 * lead `t` end, looking at most `max` characters; -1 when a character outside ASCII comes first, which
 * may be a Unicode blank: the cheap guards in front of `^\s*…` regexes then leave the answer to the regex.
 */
export function afterAsciiBlanks(t: string, max = t.length): number {
  let i = 0;
  for (; i < max && i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x80) return -1;
    if (c !== 32 && (c < 9 || c > 13)) break;
  }
  return i;
}

/** `[ssslsecu.c 4955]` at the end of a kernel line. */
export const SOURCE_LOCATION = /\[([\w.]{1,60})\s+(\d{1,6})\]\s*$/;
/** A SapSSL return code, with its number in brackets when printed. */
export const SSL_CODE = /\b(SSSL(?:ERR|RC)_[A-Z0-9_]{2,60})(?:\s*\(\s*(-)?\s*(\d{1,5})\s*\))?/;
/** `… failed (-102): SSSLERR_…`: the number printed before the code. */
export const NUMBER_BEFORE_CODE = /failed \((-\d{1,5})\):\s*(SSSL(?:ERR|RC)_[A-Z0-9_]{2,60})/;
/** A line holding only a SapSSL code: the error text follows on the next line. */
export const BARE_CODE = /^\s*SSSL(?:ERR|RC)_[A-Z0-9_]{2,60}\s*(?:\(\s*-?\s*\d{1,5}\s*\))?\s*$/;
/** A TLS alert as CommonCryptoLib words it. */
export const ALERT =
  /((?:received|sent) a fatal TLS [A-Za-z_ ]{1,40}? alert message from the peer|Server aborted TLS handshake[^"]{0,120})/;
/** Whether `t` holds a text every match of ALERT holds. */
export function mayHoldAlert(t: string): boolean {
  return t.includes(' a fatal TLS ') || t.includes('Server aborted TLS handshake');
}
/** Error texts printed on a line of their own. */
export const KNOWN_ERROR_TEXT =
  /^\s*(?:SapSSL\w{1,40}(?:\(\))?: )?(Remote Peer has closed the network connection|Server certificate does not match supplied TargetHostname|The peer's X\.509 Certificate \(chain\) is untrusted|Peer's X\.509 certificate \(chain\) validation failed|\(no error\) non-blocking)/;
/** The kernel's error prefixes (`*** ERROR =>`, `<<- ERROR:`). */
export const TRACE_ERROR_PREFIX = /^\s*(?:\*\*\* ?ERROR =>|<<- ERROR:?|\*\*\* ?ERROR)\s*/;

/** Whether `t` starts with a kernel error prefix (TRACE_ERROR_PREFIX), which only a text holding `ERROR` can. */
export function hasErrorPrefix(t: string): boolean {
  return t.includes('ERROR') && TRACE_ERROR_PREFIX.test(t);
}

/** `t` without a kernel error prefix (TRACE_ERROR_PREFIX), which only a text holding `ERROR` can have. */
export function stripErrorPrefix(t: string): string {
  return t.includes('ERROR') ? t.replace(TRACE_ERROR_PREFIX, '') : t;
}

/** The line without its trailing source location. */
export function stripLocation(t: string): string {
  return t.replace(SOURCE_LOCATION, '').trim();
}

/**
 * A kernel line saying the SSL layer could not open a PSE, with the file in quotes (group 1): `PSE "<file>"
 * could not be opened` (or cannot be opened / loaded, not available, not found) ...
 */
export const PSE_NOT_OPENED =
  /\bPSE\b[^"\n]{0,40}"([^"\n]{1,300})"[^\n"]{0,60}?\b(?:could not be opened|cannot be opened|could not be loaded|cannot be loaded|not available|not found)\b/;
/** ... or `no SSO credentials available for PSE "<file>"` (a PIN-protected PSE without its cred_v2 entry) ... */
export const NO_CREDENTIALS_FOR_PSE =
  /\b[Nn]o (?:SSO[ -])?[Cc]redentials? (?:were )?(?:available|found) for (?:the )?(?:PSE )?"([^"\n]{1,300})"/;
/** ... or `cannot open [the] [SSL] [server|client] PSE "<file>"` (group 1). */
export const CANNOT_OPEN_PSE =
  /\b(?:[Cc]annot|[Cc]an't|[Uu]nable to|[Ff]ailed to) (?:open|load|read) (?:the )?(?:SSL )?(?:server |client )?PSE\b[^"\n]{0,20}"([^"\n]{1,300})"/;
