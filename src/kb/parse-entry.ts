/**
 * @module Parses one kb/*.md file: a strict front-matter subset (no YAML dependency) plus fixed H2 sections.
 *
 * Front matter grammar, between two `---` lines:
 *   key: value        a scalar; everything after `: ` to the end of the line, trimmed, taken literally
 *   key:              a list; the following lines are items written as `  - item`
 *   key: [a, b]       a short list on one line (for `stacks`)
 *   hypotheses:       a list of maps: `  - cause: x` starts an item, `    why: …` lines continue it
 * No comments, no nesting beyond that: a value is exactly what is written, so SAP texts containing
 * `:`, `#` or quotes need no escaping. Only `patterns` items may be wrapped in single quotes (`''`
 * inside is one quote). Unknown keys, repeated keys and bad values are errors.
 */
import { CAUSES, type Cause } from '../model/cause.js';
import { checkPattern } from './pattern-check.js';
import {
  KB_CONTEXT_FACTS,
  KB_KINDS,
  KB_SIDES,
  KB_STACKS,
  type KbBlock,
  type KbContextFact,
  type KbEntry,
  type KbHypothesis,
  type KbKind,
  type KbSection,
  type KbSectionKey,
  type KbSide,
  type KbStack,
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

type FieldType = 'string' | 'int' | 'list' | 'maps';

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
  stacks: 'list',
  side: 'string',
  patterns: 'list',
  sources: 'list',
  hypotheses: 'maps',
  singleCause: 'string',
};

/** Keys of one `hypotheses` item, all required. */
const HYPOTHESIS_KEYS = ['cause', 'why', 'tellsApart', 'collectNext'] as const;
/**
 * Optional hypothesis keys: `fix`, a step in this message's own terms ahead of the stack's generic one;
 * `when`, the input facts (comma-separated, KB_CONTEXT_FACTS) that put this hypothesis first.
 */
const HYPOTHESIS_OPTIONAL = ['fix', 'when'] as const;

/** Accepted forms of a `sources` item. */
const SOURCE_FORMS = [
  /^https?:\/\/[^\s]+$/,
  /^SAP (?:Note|KBA) \d{4,7}$/,
  /^shared\/domain\/[a-z0-9._/-]+\.md$/,
  // No verified public source: the kind of report the phrasing was seen in, said as such.
  /^report: \S.{8,300}$/,
];

const MAX_FILE_BYTES = 64 * 1024;
const MAX_VALUE_LENGTH = 400;
const CAUSE_SET: ReadonlySet<string> = new Set(CAUSES);
const KIND_SET: ReadonlySet<string> = new Set(KB_KINDS);
const UNCERTAIN_SET: ReadonlySet<string> = new Set(UNCERTAIN_FLAGS);
const STACK_SET: ReadonlySet<string> = new Set(KB_STACKS);
const SIDE_SET: ReadonlySet<string> = new Set(KB_SIDES);

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

type RawMap = Map<string, string>;

function parseFrontMatter(lines: string[], file: string): FrontMatter {
  const raw = new Map<string, string | string[]>();
  const maps = new Map<string, RawMap[]>();
  let listKey: string | undefined;
  lines.forEach((line, i) => {
    const lineNo = i + 2;
    if (line.trim() === '') {
      listKey = undefined;
      return;
    }
    const mapList = listKey ? maps.get(listKey) : undefined;
    if (mapList && /^\s/.test(line)) {
      const start = /^ {2}- ([A-Za-z]+):(?: (.*))?$/.exec(line);
      const more = /^ {4}([A-Za-z]+):(?: (.*))?$/.exec(line);
      const kv = start ?? more;
      if (!kv)
        throw new KbParseError(
          file,
          `"${listKey}" items are "  - key: value" then "    key: value" lines`,
          lineNo,
        );
      if (start) mapList.push(new Map());
      const current = mapList[mapList.length - 1];
      if (!current) throw new KbParseError(file, `"${listKey}" item must start with "  - "`, lineNo);
      const key = kv[1]!;
      const value = kv[2]?.trim() ?? '';
      if (current.has(key))
        throw new KbParseError(file, `"${key}" given twice in one ${listKey} item`, lineNo);
      if (value === '') throw new KbParseError(file, `"${key}" needs a value`, lineNo);
      current.set(key, checkValue(value, file, lineNo));
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
    if (type === 'maps') {
      if (value !== '') throw new KbParseError(file, `"${key}" is a list of items on "  - " lines`, lineNo);
      if (maps.has(key)) throw new KbParseError(file, `key "${key}" given twice`, lineNo);
      maps.set(key, []);
      listKey = key;
    } else if (type === 'list') {
      const flow = /^\[(.*)\]$/.exec(value);
      if (flow) {
        const items = flow[1]!.split(',').map((x) => x.trim());
        if (items.some((x) => x === '')) throw new KbParseError(file, `"${key}" has an empty item`, lineNo);
        raw.set(
          key,
          items.map((x) => checkValue(x, file, lineNo)),
        );
        listKey = undefined;
        return;
      }
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
  // The subset keeps quotes as text: a quoted title or phrase would show (or be searched for) with them.
  for (const text of [title, ...list('printed')]) {
    if (text.length > 1 && text.startsWith('"') && text.endsWith('"'))
      throw new KbParseError(
        file,
        `write "${text.slice(1, 40)}…" without the quotes around it: they are kept as text`,
      );
  }

  const causes = list('causes').map((c) => {
    if (!CAUSE_SET.has(c)) throw new KbParseError(file, `unknown cause tag "${c}"`);
    return c as Cause;
  });
  const fm: FrontMatter = {
    id,
    kind: kind as KbKind,
    title,
    aliases: list('aliases'),
    printed: list('printed'),
    patterns: list('patterns').map((p) => {
      const source = unquotePattern(p, file);
      const check = checkPattern(source);
      if (!check.ok) throw new KbParseError(file, `pattern "${source.slice(0, 60)}" ${check.reason}`);
      return source;
    }),
    stacks: list('stacks').map((st) => {
      if (!STACK_SET.has(st))
        throw new KbParseError(file, `unknown stack "${st}" (use ${KB_STACKS.join(', ')})`);
      return st as KbStack;
    }),
    sources: list('sources').map((src) => {
      if (!SOURCE_FORMS.some((re) => re.test(src))) {
        throw new KbParseError(
          file,
          `source "${src.slice(0, 60)}" must be a URL, "SAP Note <number>", "SAP KBA <number>", shared/domain/….md or "report: <kind of report>"`,
        );
      }
      return src;
    }),
    causes,
    hypotheses: (maps.get('hypotheses') ?? []).map((m) => toHypothesis(m, causes, file)),
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
  const side = str('side');
  if (side !== undefined) {
    if (!SIDE_SET.has(side)) throw new KbParseError(file, `"side" must be one of ${KB_SIDES.join(', ')}`);
    fm.side = side as KbSide;
  }
  if (new Set(fm.stacks).size !== fm.stacks.length)
    throw new KbParseError(file, '"stacks" names a stack twice');
  const seenCauses = new Set<string>();
  for (const h of fm.hypotheses) {
    if (seenCauses.has(h.cause)) throw new KbParseError(file, `hypothesis cause "${h.cause}" given twice`);
    seenCauses.add(h.cause);
  }
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
    'singleCause',
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

function toHypothesis(m: RawMap, causes: readonly Cause[], file: string): KbHypothesis {
  for (const key of m.keys()) {
    if (![...HYPOTHESIS_KEYS, ...HYPOTHESIS_OPTIONAL].includes(key as never)) {
      throw new KbParseError(
        file,
        `unknown hypothesis key "${key}" (use ${[...HYPOTHESIS_KEYS, ...HYPOTHESIS_OPTIONAL].join(', ')})`,
      );
    }
  }
  for (const key of HYPOTHESIS_KEYS) {
    if (!m.get(key)) throw new KbParseError(file, `a hypothesis needs "${key}"`);
  }
  const cause = m.get('cause')!;
  if (!CAUSE_SET.has(cause)) throw new KbParseError(file, `unknown cause tag "${cause}" in hypotheses`);
  if (!causes.includes(cause as Cause)) {
    throw new KbParseError(file, `hypothesis cause "${cause}" is not listed in "causes"`);
  }
  const h: KbHypothesis = {
    cause: cause as Cause,
    why: m.get('why')!,
    tellsApart: m.get('tellsApart')!,
    collectNext: m.get('collectNext')!,
  };
  const fix = m.get('fix');
  if (fix) h.fix = fix;
  const when = m.get('when');
  if (when) {
    const facts = when
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    for (const f of facts)
      if (!(KB_CONTEXT_FACTS as readonly string[]).includes(f))
        throw new KbParseError(file, `unknown fact "${f}" in when (use ${KB_CONTEXT_FACTS.join(', ')})`);
    if (facts.length > 0) h.when = facts as KbContextFact[];
  }
  return h;
}

/** A `patterns` item: literal, or wrapped in single quotes with `''` standing for one quote. */
function unquotePattern(item: string, file: string): string {
  if (!item.startsWith("'")) return item;
  if (item.length < 2 || !item.endsWith("'"))
    throw new KbParseError(file, `pattern ${item.slice(0, 60)} has an unclosed quote`);
  return item.slice(1, -1).replace(/''/g, "'");
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
