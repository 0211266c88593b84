/**
 * @module The terminal style every text view shares: the one control-character filter for values from
 * evidence, word wrapping at the terminal width, and ANSI colours (only when asked: a TTY).
 */
import { stripControlChars } from './control-chars.js';

/** ANSI colours, or identity functions when colour is off. */
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
}

/** The colours of one rendering: real ANSI codes on a terminal, none otherwise. */
export function painter(color: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) =>
    color ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    green: wrap(32, 39),
  };
}

/**
 * Text that came from the user's files, on one line with no terminal escapes: the one output filter every
 * text view passes each value through before it adds its own colours.
 */
export const clean = stripControlChars;

/** Wrap `text` at `width`: `indent` before the first line, `rest` (default: the same) before the others. */
export function wrap(text: string, width: number, indent: string, rest = indent): string {
  const words = clean(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const prefix = lines.length === 0 ? indent : rest;
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push((lines.length === 0 ? indent : rest) + line);
  return lines.join('\n');
}
