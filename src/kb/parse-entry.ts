/**
 * @module Parses one kb/*.md file: a strict front-matter subset (no YAML dependency) plus fixed H2 sections.
 *
 * Front matter grammar, between two `---` lines:
 *   key: value        a scalar; everything after `: ` to the end of the line, trimmed, taken literally
 *   key:              a list; the following lines are items written as `  - item`
 * No quoting, no comments, no nesting: a value is exactly what is written, so SAP texts containing
 * `:`, `#` or quotes need no escaping. Unknown keys, repeated keys and bad values are errors.
 */
import { CAUSES, type Cause } from '../model/cause.js';
import {
  KB_KINDS,
  type KbBlock,
  type KbEntry,
  type KbKind,
  type KbSection,
  type KbSectionKey,
  PROBLEM_KINDS,
  SECTION_HEADINGS,
  SECTION_KEYS,
  UNCERTAIN_FLAGS,
  type UncertainFlag,
} from './types.js';

/** A problem in a kb file, with the file and (when known) the 1-based line. */
export class KbParseError extends Error {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, message: string, line?: number) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
    this.name = 'KbParseError';
    this.file = file;
    this.line = line;
  }
}

type FieldType = 'string' | 'int' | 'list';

const FIELDS: Record<string, FieldType> = {
  id: 'string',
  kind: 'string',
  title: 'string',
  family: 'string',
  number: 'int',
  messageClass: 'string',
  messageNumber: 'string',
  messageType: 'string',
  shortText: 'string',
  recommended: 'string',
  defaultValue: 'string',
  strustNode: 'string',
  pseContext: 'string',
  pseApplication: 'string',
  aliases: 'list',
  printed: 'list',
  causes: 'list',
  related: 'list',
  notes: 'list',
  transactions: 'list',
  parameters: 'list',
  next: 'list',
  uncertain: 'list',
};

const MAX_FILE_BYTES = 64 * 1024;
const MAX_VALUE_LENGTH = 400;
const CAUSE_SET: ReadonlySet<string> = new Set(CAUSES);
const KIND_SET: ReadonlySet<string> = new Set(KB_KINDS);
const UNCERTAIN_SET: ReadonlySet<string> = new Set(UNCERTAIN_FLAGS);

/** Parse the text of one entry file. `file` is the repo-relative path used in errors and `entry.file`. */
export function parseEntry(text: string, file: string): KbEntry {
  if (text.length > MAX_FILE_BYTES) throw new KbParseError(file, `larger than ${MAX_FILE_BYTES} bytes`);
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0] !== '---') throw new KbParseError(file, 'must start with a "---" front-matter line', 1);
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new KbParseError(file, 'front matter is not closed by a "---" line');
  const fm = parseFrontMatter(lines.slice(1, end), file);
  const sections = parseBody(lines.slice(end + 1), end + 2, file, fm.kind);
  return { ...fm, sections, file };
}

type FrontMatter = Omit<KbEntry, 'sections' | 'file'>;

function parseFrontMatter(lines: string[], file: string): FrontMatter {
  const raw = new Map<string, string | string[]>();
  let listKey: string | undefined;
  lines.forEach((line, i) => {
    const lineNo = i + 2;
    if (line.trim() === '') {
      listKey = undefined;
      return;
    }
    const item = /^ {2}- (.+)$/.exec(line);
    if (item) {
      const list = listKey ? raw.get(listKey) : undefined;
      if (!Array.isArray(list)) throw new KbParseError(file, 'list item outside a list', lineNo);
      list.push(checkValue(item[1]!.trim(), file, lineNo));
      return;
    }
    const kv = /^([A-Za-z]+):(?: (.*))?$/.exec(line);
    if (!kv) throw new KbParseError(file, `cannot read front-matter line "${line.slice(0, 60)}"`, lineNo);
    const key = kv[1]!;
    const type = FIELDS[key];
    if (!type) throw new KbParseError(file, `unknown front-matter key "${key}"`, lineNo);
    if (raw.has(key)) throw new KbParseError(file, `key "${key}" given twice`, lineNo);
    const value = kv[2]?.trim() ?? '';
    if (type === 'list') {
      if (value !== '') throw new KbParseError(file, `"${key}" is a list: put items on "  - " lines`, lineNo);
      raw.set(key, []);
      listKey = key;
    } else {
      if (value === '') throw new KbParseError(file, `"${key}" needs a value`, lineNo);
      raw.set(key, checkValue(value, file, lineNo));
      listKey = undefined;
    }
  });

  const str = (key: string): string | undefined => {
    const v = raw.get(key);
    return typeof v === 'string' ? v : undefined;
  };
  const list = (key: string): string[] => {
    const v = raw.get(key);
    return Array.isArray(v) ? v : [];
  };

  const id = str('id');
  const kind = str('kind');
  const title = str('title');
  if (!id) throw new KbParseError(file, 'front matter needs "id"');
  if (!kind || !KIND_SET.has(kind)) {
    throw new KbParseError(file, `"kind" must be one of ${KB_KINDS.join(', ')}`);
  }
  if (!title) throw new KbParseError(file, 'front matter needs "title"');

  const fm: FrontMatter = {
    id,
    kind: kind as KbKind,
    title,
    aliases: list('aliases'),
    printed: list('printed'),
    causes: list('causes').map((c) => {
      if (!CAUSE_SET.has(c)) throw new KbParseError(file, `unknown cause tag "${c}"`);
      return c as Cause;
    }),
    related: list('related'),
    notes: list('notes').map((n) => {
      if (!/^\d{4,7}$/.test(n)) throw new KbParseError(file, `SAP note "${n}" must be 4–7 digits`);
      return n;
    }),
    transactions: list('transactions'),
    parameters: list('parameters'),
    next: list('next'),
    uncertain: list('uncertain').map((u) => {
      if (!UNCERTAIN_SET.has(u)) {
        throw new KbParseError(file, `unknown uncertain flag "${u}" (use ${UNCERTAIN_FLAGS.join(', ')})`);
      }
      return u as UncertainFlag;
    }),
  };
  const numberText = str('number');
  if (numberText !== undefined) {
    if (!/^-?\d{1,6}$/.test(numberText)) throw new KbParseError(file, `"number" must be an integer`);
    fm.number = Number(numberText);
  }
  for (const key of [
    'family',
    'messageClass',
    'messageNumber',
    'messageType',
    'shortText',
    'recommended',
    'defaultValue',
    'strustNode',
    'pseContext',
    'pseApplication',
  ] as const) {
    const v = str(key);
    if (v !== undefined) fm[key] = v;
  }
  if (fm.messageNumber !== undefined && !/^\d{3}$/.test(fm.messageNumber)) {
    throw new KbParseError(file, '"messageNumber" must be three digits');
  }
  if (fm.messageType !== undefined && !/^[EWSIAX]$/.test(fm.messageType)) {
    throw new KbParseError(file, '"messageType" must be one of E, W, S, I, A, X');
  }
  if (fm.kind === 'message' && (!fm.messageClass || !fm.messageNumber)) {
    throw new KbParseError(file, 'a message needs "messageClass" and "messageNumber"');
  }
  return fm;
}

function checkValue(value: string, file: string, line: number): string {
  if (value.length > MAX_VALUE_LENGTH) {
    throw new KbParseError(file, `value longer than ${MAX_VALUE_LENGTH} characters`, line);
  }
  return value;
}

function parseBody(lines: string[], firstLineNo: number, file: string, kind: KbKind): KbSection[] {
  const headings = SECTION_HEADINGS[PROBLEM_KINDS.has(kind) ? 'problem' : 'reference'];
  const byHeading = new Map<string, KbSectionKey>(SECTION_KEYS.map((k) => [headings[k], k]));
  const sections: KbSection[] = [];
  let current: { key: KbSectionKey; heading: string; lines: string[]; lineNo: number } | undefined;
  const flush = (): void => {
    if (!current) return;
    const blocks = parseBlocks(current.lines, file, current.lineNo);
    if (blocks.length === 0) {
      throw new KbParseError(file, `section "${current.heading}" is empty`, current.lineNo);
    }
    sections.push({ key: current.key, heading: current.heading, blocks });
  };
  lines.forEach((line, i) => {
    const lineNo = firstLineNo + i;
    const h = /^## (.+)$/.exec(line);
    if (h) {
      flush();
      const heading = h[1]!.trim();
      const key = byHeading.get(heading);
      if (!key) {
        const allowed = SECTION_KEYS.map((k) => `"${headings[k]}"`).join(', ');
        throw new KbParseError(
          file,
          `unknown section "${heading}" for kind ${kind} (use ${allowed})`,
          lineNo,
        );
      }
      current = { key, heading, lines: [], lineNo };
      return;
    }
    if (/^#/.test(line)) throw new KbParseError(file, 'only "## " headings are allowed in the body', lineNo);
    if (!current) {
      if (line.trim() !== '') throw new KbParseError(file, 'text before the first "## " section', lineNo);
      return;
    }
    current.lines.push(line);
  });
  flush();

  const order = sections.map((s) => SECTION_KEYS.indexOf(s.key));
  for (let i = 1; i < order.length; i++) {
    if (order[i]! <= order[i - 1]!) {
      throw new KbParseError(file, `sections out of order or repeated (order: ${SECTION_KEYS.join(', ')})`);
    }
  }
  for (const key of SECTION_KEYS) {
    if (key !== 'decides' && !sections.some((s) => s.key === key)) {
      throw new KbParseError(file, `missing section "${headings[key]}"`);
    }
  }
  return sections;
}

/** Body blocks: paragraphs, `- `/`1. ` lists (continuation lines indented), and ``` fences. */
function parseBlocks(lines: string[], file: string, headingLine: number): KbBlock[] {
  const blocks: KbBlock[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  let code: string[] | undefined;
  const endPara = (): void => {
    if (para.length) blocks.push({ type: 'paragraph', text: para.join(' ') });
    para = [];
  };
  const endList = (): void => {
    if (list) blocks.push({ type: 'list', ordered: list.ordered, items: list.items });
    list = undefined;
  };
  for (const line of lines) {
    if (code) {
      if (line.trim() === '```') {
        blocks.push({ type: 'code', text: code.join('\n') });
        code = undefined;
      } else code.push(line);
      continue;
    }
    if (/^```[a-z]*$/.test(line.trim())) {
      endPara();
      endList();
      code = [];
      continue;
    }
    if (line.trim() === '') {
      endPara();
      endList();
      continue;
    }
    const bullet = /^(?:- |(\d{1,2})\. )(.*)$/.exec(line);
    if (bullet) {
      endPara();
      const ordered = bullet[1] !== undefined;
      if (list && list.ordered !== ordered) endList();
      list ??= { ordered, items: [] };
      list.items.push(bullet[2]!.trim());
      continue;
    }
    if (list && /^ {2,}\S/.test(line)) {
      const last = list.items.length - 1;
      list.items[last] = `${list.items[last]} ${line.trim()}`;
      continue;
    }
    endList();
    para.push(line.trim());
  }
  if (code) throw new KbParseError(file, 'code fence not closed', headingLine);
  endPara();
  endList();
  return blocks;
}

/** Split inline text into plain and `code` segments (backtick spans). */
export function splitInlineCode(text: string): Array<{ code: boolean; text: string }> {
  const out: Array<{ code: boolean; text: string }> = [];
  const parts = text.split('`');
  // An odd number of backticks leaves the last span unterminated: it stays plain text.
  const balanced = parts.length % 2 === 1;
  parts.forEach((part, i) => {
    const unterminated = !balanced && i === parts.length - 1 && i % 2 === 1;
    const code = i % 2 === 1 && !unterminated;
    const piece = unterminated ? `\`${part}` : part;
    if (piece) out.push({ code, text: piece });
  });
  return out;
}

/** File path (relative to the repo root) an entry with this id and kind must live at. */
export function entryPathFor(id: string, kind: KbKind): string {
  const stem = id
    .replace(/[<>]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `kb/${kind}/${stem}.md`;
}
