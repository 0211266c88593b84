/**
 * @module The recognition model compiled from kb entries: every `printed:` phrase (split at its
 * placeholders) and every `patterns:` regex with its prefilter literal, plus what the rules need of each
 * entry (stacks, side, ranked hypotheses). Pure data: built once at build time into dist/kb/recognizer.json.
 */

import { jsonArrayWithRanges } from '../../compiled/ranged-json.js';
import type { Cause } from '../../model/cause.js';
import { entryStacks } from '../entry-stacks.js';
import { checkPattern } from '../pattern-check.js';
import type { KbEntry, KbHypothesis, KbKind, KbSide, KbStack } from '../types.js';

/** What the recogniser and the rules keep of one entry. */
export interface RecognizerEntry {
  id: string;
  kind: KbKind;
  title: string;
  family?: string;
  number?: number;
  stacks: KbStack[];
  side?: KbSide;
  causes: Cause[];
  hypotheses: KbHypothesis[];
  /** Related entries (kb `related:`): a status one of them explains yields to it in one input. */
  related?: string[];
}

/** A printed phrase: its lower-cased literal parts, which must appear in this order. */
export interface RecognizerPhrase {
  /** Index into `entries`. */
  entry: number;
  /** The phrase as written in the entry (for display). */
  text: string;
  parts: string[];
  /** The gram (4–6 lower-case characters of the longest part) the matcher indexes it by. */
  key: string;
}

/** A pattern with its required literal (lower-cased prefilter). */
export interface RecognizerPattern {
  entry: number;
  source: string;
  literal: string;
  /** The gram of `literal` the matcher indexes it by. */
  key: string;
}

/** The compiled model, all in memory (`compileRecognizer`). */
export interface RecognizerData {
  version: 1;
  entries: RecognizerEntry[];
  phrases: RecognizerPhrase[];
  patterns: RecognizerPattern[];
}

/**
 * The compiled model as the build writes it (`dist/kb/recognizer.json`): the key of every phrase and
 * pattern (all that loading needs to index them), the entry ids, and where each entry, phrase and pattern
 * is in `dist/kb/recognizer-entries.json`. A process reads the entries and phrases its lines bring up
 * and no others: loading indexes 600 short keys instead of parsing every phrase.
 */
export interface StoredRecognizer {
  version: 4;
  ids: string[];
  /** Key of every phrase, then of every pattern. */
  keys: string[];
  /** How many of `keys` are phrases; the rest are patterns. */
  phraseCount: number;
  /**
   * Where the items of the entries file start (the entries in `ids` order, then the phrases, then the
   * patterns), and last where one more would: item i is the bytes from `offsets[i]` to the comma before
   * `offsets[i + 1]`. One array of numbers, where a pair per item made a thousand small arrays to load.
   */
  offsets: number[];
}

/**
 * The texts of dist/kb/recognizer.json and dist/kb/recognizer-entries.json for a compiled model. The
 * entries file is one JSON array: the entries, then the phrases, then the patterns.
 */
export function storedRecognizerFiles(data: RecognizerData): { model: string; entries: string } {
  const items = [...data.phrases, ...data.patterns];
  const { text, ranges } = jsonArrayWithRanges([...data.entries, ...items]);
  const last = ranges[ranges.length - 1];
  const stored: StoredRecognizer = {
    version: 4,
    ids: data.entries.map((e) => e.id),
    keys: items.map((item) => item.key),
    phraseCount: data.phrases.length,
    // Items are separated by one comma (jsonArrayWithRanges).
    offsets: [...ranges.map(([offset]) => offset), last ? last[0] + last[1] + 1 : 1],
  };
  return { model: JSON.stringify(stored), entries: text };
}

/**
 * Placeholders inside printed phrases: `<host>`, `<port>`, `<path>` … (lower-case word, no space, so the
 * literal `<no cert>` stays literal), `&1` … `&9`, and an ellipsis.
 */
const PLACEHOLDER = /<[a-z][a-z0-9_-]{0,24}>|&\d|\u2026|\.\.\./;

/** Split a printed phrase into its lower-cased literal parts (empty parts dropped, whitespace kept). */
export function phraseParts(printed: string): string[] {
  return printed
    .toLowerCase()
    .split(new RegExp(PLACEHOLDER.source, 'g'))
    .filter((p) => p.trim().length > 0);
}

/** Shortest literal part a phrase needs to be recognisable on its own (shorter phrases are not matched). */
export const MIN_PHRASE_PART = 4;

/**
 * Whether a printed phrase is specific enough to recognise a line by: at least one literal part of 4+
 * characters, and not a single plain word (`NotAfter`, `SignerStatus` are field names in every
 * certificate dump, not failures). Words with `_`, digits, `.`, `:`, `=` or `(` are codes and count, and
 * so do texts of a script written without spaces (Japanese, Chinese: a localized Windows message is one
 * run of such characters) once they are a sentence's length.
 * Phrases that fail this stay searchable by `explain`.
 */
export function isRecognisable(printed: string): boolean {
  const parts = phraseParts(printed);
  if (!parts.some((p) => p.trim().length >= MIN_PHRASE_PART)) return false;
  const literal = parts.join(' ').trim();
  return /\s/.test(literal) || /[_\d.:=(]/.test(literal) || UNSPACED_SENTENCE.test(literal);
}

/** Eight or more characters of kana, CJK ideographs, their punctuation or full-width forms in a row. */
const UNSPACED_SENTENCE = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]{8}/;

/** Compile entries into the recognition model (phrases that are not `isRecognisable` are left out). */
export function compileRecognizer(entries: readonly KbEntry[]): RecognizerData {
  const out: RecognizerData = { version: 1, entries: [], phrases: [], patterns: [] };
  for (const e of entries) {
    if (e.printed.length === 0 && e.patterns.length === 0) continue;
    const index = out.entries.length;
    const kept: RecognizerEntry = {
      id: e.id,
      kind: e.kind,
      title: e.title,
      stacks: entryStacks(e),
      causes: e.causes,
      hypotheses: e.hypotheses,
    };
    if (e.family) kept.family = e.family;
    if (e.number !== undefined) kept.number = e.number;
    if (e.side) kept.side = e.side;
    if (e.related.length > 0) kept.related = e.related;
    out.entries.push(kept);
    for (const text of e.printed) {
      if (isRecognisable(text)) out.phrases.push({ entry: index, text, parts: phraseParts(text), key: '' });
    }
    for (const source of e.patterns) {
      const check = checkPattern(source);
      if (check.ok) out.patterns.push({ entry: index, source, literal: check.literal, key: '' });
    }
  }
  assignKeys(out);
  return out;
}

/** Longest gram a key has; shorter anchors are keyed by themselves (at least `MIN_GRAM`). */
export const GRAM = 6;
export const MIN_GRAM = 4;

/** The literal a phrase or pattern is anchored on: its longest literal part. */
function anchorOf(item: RecognizerPhrase | RecognizerPattern): string {
  if ('literal' in item) return item.literal;
  return item.parts.reduce((a, b) => (b.trim().length > a.trim().length ? b : a), '');
}

/**
 * Key every phrase and pattern by the gram of its anchor that the fewest other anchors share, so a
 * line's grams hit few candidates. Done at build time: loading the model then only fills hash maps.
 */
function assignKeys(data: RecognizerData): void {
  const items: Array<RecognizerPhrase | RecognizerPattern> = [...data.phrases, ...data.patterns];
  const grams = (text: string): string[] => {
    const q = Math.min(GRAM, text.length);
    const out: string[] = [];
    for (let i = 0; i + q <= text.length; i++) out.push(text.slice(i, i + q));
    return out;
  };
  const freq = new Map<string, number>();
  for (const item of items)
    for (const g of new Set(grams(anchorOf(item)))) freq.set(g, (freq.get(g) ?? 0) + 1);
  for (const item of items) {
    const anchor = anchorOf(item);
    let best = anchor.slice(0, Math.min(GRAM, anchor.length));
    let bestFreq = Infinity;
    for (const g of grams(anchor)) {
      if (g.trim().length < g.length - 1) continue;
      const f = freq.get(g) ?? 0;
      if (f < bestFreq) {
        best = g;
        bestFreq = f;
      }
    }
    item.key = best;
  }
}
