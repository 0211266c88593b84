/** @module One output filter for every renderer: control characters from evidence never reach a terminal, script or title. */

import { CONTROL_CHARS_SOURCE } from '../model/escape-controls.js';

export { escapeControlChars, stripControlChars } from '../model/escape-controls.js';

/** Every control character (see `CONTROL_CHARS_SOURCE`: C0, DEL, C1, line separators, bidi overrides). */
const CONTROL = new RegExp(CONTROL_CHARS_SOURCE, 'g');
/** The same without TAB and LF (CR is removed separately: a CRLF becomes a plain LF). */
const CONTROL_BUT_LINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Multi-line text (a rendered report, a message block): keeps LF and TAB, turns CRLF into LF, and
 * replaces every other control character (ESC, lone CR, BEL, C1, bidi overrides) with `?`.
 */
export function stripControlCharsKeepLines(text: string): string {
  return (typeof text === 'string' ? text : text == null ? '' : String(text))
    .replace(/\r\n/g, '\n')
    .replace(CONTROL_BUT_LINES, '?');
}

/** True when `text` holds a character {@link stripControlChars} would replace. */
export function hasControlChars(text: string): boolean {
  CONTROL.lastIndex = 0;
  const found = CONTROL.test(text);
  CONTROL.lastIndex = 0;
  return found;
}
