/** @module Renders a knowledge-base entry for the terminal (plain or ANSI colour), wrapped to a width. */
import { splitInlineCode } from './parse-entry.js';
import { type KbBlock, type KbEntry, UNCERTAIN_TEXT } from './types.js';

/** Options of `renderEntryText`. */
export interface RenderTextOptions {
  /** Use ANSI colours and bold. */
  color?: boolean;
  /** Wrap width in columns (default 80, min 40, max 160). */
  width?: number;
}

const ESC = '\u001b[';
type Style = 'bold' | 'dim' | 'cyan' | 'yellow' | 'green';
const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  cyan: [36, 39],
  yellow: [33, 39],
  green: [32, 39],
};

function styler(color: boolean): (style: Style, text: string) => string {
  return (style, text) => (color ? `${ESC}${CODES[style][0]}m${text}${ESC}${CODES[style][1]}m` : text);
}

/** Visible length: the private-use code-span and bold markers take no column. */
function visible(text: string): number {
  return text.replace(/[\uE000-\uE003]/g, '').length;
}

/** `**bold**` outside code: bold markers (`\uE002…\uE003`) with colour, the bare words without. */
function bold(text: string, color: boolean): string {
  return text.replace(/\*\*([^*\n]+)\*\*/g, color ? '\uE002$1\uE003' : '$1');
}

/** Word-wrap text; `first`/`rest` are the prefixes of the first and following lines. */
function wrap(text: string, width: number, first: string, rest: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = first;
  let len = visible(first);
  let empty = true;
  for (const w of words) {
    const wl = visible(w);
    if (!empty && len + 1 + wl > width) {
      lines.push(line);
      line = rest + w;
      len = visible(rest) + wl;
    } else {
      line += empty ? w : ` ${w}`;
      len += empty ? wl : wl + 1;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * Inline code is shown without backticks; with colour it is cyan. Wrapping is measured on the plain
 * text and colour is applied afterwards, so widths stay correct.
 */
function inline(text: string, paint: (s: Style, t: string) => string, color: boolean): string {
  if (!color)
    return splitInlineCode(text)
      .map((s) => (s.code ? s.text : bold(s.text, false)))
      .join('');
  return splitInlineCode(text)
    .map((s) => (s.code ? paint('cyan', s.text) : bold(s.text, false)))
    .join('');
}

function renderBlock(
  block: KbBlock,
  width: number,
  paint: (s: Style, t: string) => string,
  color: boolean,
): string[] {
  const indent = '  ';
  if (block.type === 'code') return block.text.split('\n').map((l) => indent + paint('cyan', `  ${l}`));
  if (block.type === 'paragraph') return wrapInline(block.text, width, indent, indent, paint, color);
  return block.items.flatMap((item, i) => {
    const marker = block.ordered ? `${i + 1}. ` : '- ';
    return wrapInline(item, width, indent + marker, indent + ' '.repeat(marker.length), paint, color);
  });
}

/** Wrap text that contains `code` spans: wrap the plain form, then colour the code spans line by line. */
function wrapInline(
  text: string,
  width: number,
  first: string,
  rest: string,
  paint: (s: Style, t: string) => string,
  color: boolean,
): string[] {
  if (!color) return wrap(inline(text, paint, false), width, first, rest);
  // Mark code spans with private-use characters that survive wrapping, then colour them.
  const marked = splitInlineCode(text)
    .map((s) => (s.code ? `\uE000${s.text}\uE001` : bold(s.text, true)))
    .join('');
  let open = false;
  let strong = false;
  return wrap(marked, width, first, rest).map((line) => {
    let out = (open ? `${ESC}36m` : '') + (strong ? `${ESC}1m` : '');
    for (const ch of line) {
      if (ch === '\uE000') {
        out += `${ESC}36m`;
        open = true;
      } else if (ch === '\uE001') {
        out += `${ESC}39m`;
        open = false;
      } else if (ch === '\uE002') {
        out += `${ESC}1m`;
        strong = true;
      } else if (ch === '\uE003') {
        out += `${ESC}22m`;
        strong = false;
      } else out += ch;
    }
    return out + (open ? `${ESC}39m` : '') + (strong ? `${ESC}22m` : '');
  });
}

/** Short description line: kind plus message class/number/type or code number. */
export function describeEntryKind(entry: KbEntry): string {
  const parts: string[] = [entry.kind];
  if (entry.messageClass && entry.messageNumber) {
    parts.push(
      `${entry.messageClass} ${entry.messageNumber}${entry.messageType ? ` (type ${entry.messageType})` : ''}`,
    );
  }
  if (entry.number !== undefined) {
    const label =
      entry.family === 'TLS_ALERT' ? 'alert number' : entry.family === 'ICM_HTTP' ? 'ICM code' : 'value';
    parts.push(`${label} ${entry.number}${entry.uncertain.includes('number') ? ' (unverified)' : ''}`);
  } else if (entry.uncertain.includes('number')) {
    parts.push('value unknown');
  }
  return parts.join(' · ');
}

/** Render one entry as terminal text (ends with a newline). */
export function renderEntryText(entry: KbEntry, opts: RenderTextOptions = {}): string {
  const color = opts.color ?? false;
  const width = Math.max(40, Math.min(opts.width ?? 80, 160));
  const paint = styler(color);
  const out: string[] = [];
  const kindLine = describeEntryKind(entry);
  if (entry.id.length + 2 + kindLine.length <= width)
    out.push(`${paint('bold', entry.id)}  ${paint('dim', kindLine)}`);
  else {
    out.push(paint('bold', entry.id));
    out.push(...wrap(kindLine, width, '', '').map((l) => paint('dim', l)));
  }
  out.push(...wrap(entry.title, width, '', ''));
  if (entry.shortText) out.push(...wrap(`SAP text: "${entry.shortText}"`, width, '', '  '));
  if (entry.aliases.length) out.push(...wrap(`Also written: ${entry.aliases.join(', ')}`, width, '', '  '));
  if (entry.recommended) out.push(...wrap(`Recommended: ${entry.recommended}`, width, '', '  '));
  if (entry.defaultValue) out.push(...wrap(`Default: ${entry.defaultValue}`, width, '', '  '));
  if (entry.strustNode) {
    const ctx = entry.pseContext ? ` (${entry.pseContext}/${entry.pseApplication ?? '?'})` : '';
    out.push(`STRUST node: ${entry.strustNode}${ctx}`);
  }
  for (const section of entry.sections) {
    out.push('');
    out.push(paint('bold', section.heading));
    section.blocks.forEach((b, i) => {
      if (i > 0) out.push('');
      out.push(...renderBlock(b, width, paint, color));
    });
  }
  if (entry.next.length) {
    out.push('');
    out.push(paint('bold', 'Next'));
    for (const cmd of entry.next) out.push(`  ${paint('green', `$ ${cmd}`)}`);
  }
  const refs: Array<[string, string[]]> = [
    ['Related', entry.related],
    ['Transactions', entry.transactions],
    ['Parameters', entry.parameters],
    ['SAP Notes', entry.notes],
  ];
  const refLines = refs.filter(([, v]) => v.length > 0);
  if (refLines.length) out.push('');
  for (const [label, values] of refLines)
    out.push(...wrap(`${label}: ${values.join(', ')}`, width, '', '  '));
  if (entry.uncertain.length) {
    out.push('');
    const text = `Uncertain: ${entry.uncertain.map((u) => UNCERTAIN_TEXT[u]).join('; ')}.`;
    out.push(...wrap(text, width, '', '  ').map((l) => paint('yellow', l)));
  }
  return `${out.join('\n')}\n`;
}
