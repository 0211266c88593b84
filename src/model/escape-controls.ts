/** @module The control characters no one-line text may carry, and their `\XX` escape: one definition for DNs, messages and the output filter. */

/**
 * C0 controls (with TAB, LF and CR), DEL, C1 controls (ESC's 8-bit twin CSI U+009B among them), the
 * Unicode line and paragraph separators, and the bidirectional overrides/isolates that can make text
 * read in another order than it is stored. The source of every control-character check.
 */
export const CONTROL_CHARS_SOURCE =
  '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]';

const CONTROL = new RegExp(CONTROL_CHARS_SOURCE, 'g');

/**
 * A value taken from a certificate or other evidence, made safe to put inside a one-line text: every
 * control character is written as its UTF-8 bytes in `\XX` form (as a DN writes them, RFC 4514), so
 * the text stays one line, shows no escape sequence, and still says exactly what the value holds.
 */
export function escapeControlChars(value: string): string {
  const text = typeof value === 'string' ? value : value == null ? '' : String(value);
  if (text.search(CONTROL) < 0) return text;
  return text.replace(CONTROL, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `\\${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/**
 * One line of text safe to print or embed: every control character (newlines too) becomes `?`, a TAB a
 * space. Use it for values taken from evidence (DNs, titles, file names, messages).
 */
export function stripControlChars(text: string): string {
  // A value missing from a damaged report renders as nothing rather than crashing the renderer.
  return (typeof text === 'string' ? text : text == null ? '' : String(text)).replace(CONTROL, (c) =>
    c === '\t' ? ' ' : '?',
  );
}
