/**
 * @module Recognises kb phrases and patterns in one line, in one pass whatever the number of entries.
 *
 * Every phrase and pattern is keyed by one short gram (4–6 lower-case characters) of its longest literal,
 * chosen at build time as the gram fewest other keys share (see model.ts). A line is lower-cased once
 * and walked once: at each position the grams starting there are looked up in hash maps, which yields
 * the few candidates whose key occurs in the line. Only those are verified (phrase parts in order by
 * `indexOf`; a pattern's regex, which is linear-time by construction). Loading fills one map entry per
 * phrase and pattern from its key alone: a stored model reads a phrase or pattern only when a line
 * brings it up as a candidate (all of a line's candidates with one open of the file).
 */
import { RangedJsonFile } from '../ranged-json.js';
import {
  MIN_GRAM,
  type RecognizerData,
  type RecognizerEntry,
  type RecognizerPattern,
  type RecognizerPhrase,
  type StoredRecognizer,
} from './model.js';

/** Characters of a line that are examined (longer lines are cut before matching). */
export const MAX_MATCH_LINE = 4096;

/** Size of the table of hashed first four characters of the keys (a power of two). */
const QUADS = 1 << 16;
/** Bits of the hash of a key's first four characters in the first pass (`mayMatch`); a bit set of 2^18 bits. */
const FIRST_PASS_BITS = 18;

/**
 * The matcher's tables are bit sets: small enough that building them touches few memory pages (a
 * megabyte table cost about 2 ms of page faults each time the model loaded).
 */
function newBitSet(bits: number): Uint32Array {
  return new Uint32Array(1 << (bits - 5));
}

function setBit(set: Uint32Array, i: number): void {
  set[i >>> 5]! |= 1 << (i & 31);
}

function hasBit(set: Uint32Array, i: number): boolean {
  return (set[i >>> 5]! & (1 << (i & 31))) !== 0;
}

/** Hash of four ASCII characters packed into an int (first pass). */
function firstPassHash(v: number): number {
  return Math.imul(v, 0x9e3779b1) >>> (32 - FIRST_PASS_BITS);
}

/** Hash of the four characters at `pos` (every key has at least MIN_GRAM = 4). */
function quadAt(s: string, pos: number): number {
  const h = ((s.charCodeAt(pos) * 31 + s.charCodeAt(pos + 1)) * 31 + s.charCodeAt(pos + 2)) * 31;
  return (h + s.charCodeAt(pos + 3)) & (QUADS - 1);
}

/** One recognised entry in a line. */
export interface RecognizerHit {
  entry: RecognizerEntry;
  /** The phrase (as written in the entry) or the pattern source that matched. */
  matched: string;
  via: 'printed' | 'pattern';
  /** Characters of literal text matched: longer = more specific. */
  score: number;
  /** Where the match starts and ends in the line (characters). */
  start: number;
  end: number;
}

/** A candidate: phrase index (>= 0) or pattern index encoded as -1 - i. */
type Candidate = number;

/** A phrase or a pattern of the model. */
type Item = RecognizerPhrase | RecognizerPattern;

export class Recognizer {
  /** Entry ids, by entry index. */
  private readonly ids: readonly string[];
  /** Entries read so far (one object per entry, so hits of one entry share it). */
  private readonly loadedEntries: Array<RecognizerEntry | undefined>;
  /** Phrases, then patterns, read so far (all of them for a model in memory). */
  private readonly items: Array<Item | undefined>;
  /** How many of `items` are phrases. */
  private readonly phraseCount: number;
  /** The key of every phrase, then of every pattern. */
  private readonly keys: readonly string[];
  /**
   * Where a stored model's entries, phrases and patterns are (undefined: all are in memory). `items` are
   * the byte ranges of the phrases, then the patterns.
   */
  private readonly stored:
    | {
        file: RangedJsonFile;
        ranges: ReadonlyArray<[number, number]>;
        items: ReadonlyArray<[number, number]>;
      }
    | undefined;
  private allItems: { phrases: RecognizerPhrase[]; patterns: RecognizerPattern[] } | undefined;
  private byIdIndex: Map<string, number> | undefined;
  /** Gram length → gram → candidates. */
  private readonly index = new Map<number, Map<string, Candidate[]>>();
  private readonly gramLengths: number[];
  /** First two characters of every key (low bytes), so most positions of a line cost two array reads. */
  private readonly pairs = newBitSet(16);
  /**
   * First four characters of every key, hashed: a position passing `pairs` is looked up in the maps
   * only when some key may start there (common letter pairs pass `pairs`, few quadruples pass this).
   */
  private readonly quads = newBitSet(16);
  /**
   * The first four characters of every key, packed and hashed into 2^17 entries: a line none of whose
   * four-character windows hits an entry holds no key, and most lines of a log leave after this one pass.
   */
  private readonly firstPass = newBitSet(FIRST_PASS_BITS);
  /** The keys by their first four characters packed into an int (exact check after `firstPass`). */
  private readonly byFirstFour = new Map<number, string[]>();
  /** Compiled when a line first carries the pattern's key. */
  private readonly regexes: Array<RegExp | undefined> = [];

  /**
   * @param data the model in memory, or as the build stored it (then `entriesPath` is the file of its
   *   entries, phrases and patterns, each read when a line first needs it)
   */
  constructor(data: RecognizerData | StoredRecognizer, entriesPath?: string) {
    if (data.version === 3) {
      if (!entriesPath) throw new Error('a stored recognition model needs the path of its entries');
      this.ids = data.ids;
      this.loadedEntries = new Array(data.ids.length);
      this.items = new Array(data.keys.length);
      this.phraseCount = data.phraseCount;
      this.stored = { file: new RangedJsonFile(entriesPath), ranges: data.ranges, items: data.itemRanges };
      this.keys = data.keys;
    } else {
      this.ids = data.entries.map((e) => e.id);
      this.loadedEntries = [...data.entries];
      this.items = [...data.phrases, ...data.patterns];
      this.phraseCount = data.phrases.length;
      this.stored = undefined;
      this.allItems = { phrases: data.phrases, patterns: data.patterns };
      this.keys = this.items.map((item) => (item as Item).key);
    }
    const add = (key: string, cand: Candidate): void => {
      if (key.length < MIN_GRAM) return;
      let byGram = this.index.get(key.length);
      if (!byGram) {
        byGram = new Map();
        this.index.set(key.length, byGram);
      }
      const list = byGram.get(key);
      if (list) list.push(cand);
      else byGram.set(key, [cand]);
      setBit(this.pairs, ((key.charCodeAt(0) & 0xff) << 8) | (key.charCodeAt(1) & 0xff));
      setBit(this.quads, quadAt(key, 0));
      let v = 0;
      for (let i = 0; i < 4; i++) v = (v << 8) | (key.charCodeAt(i) & 0xff);
      setBit(this.firstPass, firstPassHash(v));
      const same = this.byFirstFour.get(v);
      if (!same) this.byFirstFour.set(v, [key]);
      else if (!same.includes(key)) same.push(key);
    };
    this.keys.forEach((key, i) => {
      add(key, i < this.phraseCount ? i : -1 - (i - this.phraseCount));
    });
    this.gramLengths = [...this.index.keys()].sort((a, b) => b - a);
  }

  /** Every phrase and pattern of the model (a stored model's are read whole once). */
  get data(): {
    readonly phrases: readonly RecognizerPhrase[];
    readonly patterns: readonly RecognizerPattern[];
  } {
    if (!this.allItems) {
      const stored = this.stored!;
      const all = stored.file.readAll<unknown[]>().slice(this.ids.length) as Item[];
      if (all.length !== this.items.length)
        throw new Error(
          'dist/kb/recognizer-entries.json changed since it was loaded (another number of phrases): restart pse-doctor',
        );
      all.forEach((item, i) => {
        this.items[i] ??= item;
      });
      const items = this.items as Item[];
      this.allItems = {
        phrases: items.slice(0, this.phraseCount) as RecognizerPhrase[],
        patterns: items.slice(this.phraseCount) as RecognizerPattern[],
      };
    }
    return this.allItems;
  }

  /** Reads the phrases and patterns among `candidates` not read yet, with one open of the file. */
  private readItems(candidates: Iterable<Candidate>): void {
    if (!this.stored) return;
    const missing: number[] = [];
    for (const c of candidates) {
      const i = c >= 0 ? c : this.phraseCount - 1 - c;
      if (this.items[i] === undefined) missing.push(i);
    }
    if (missing.length === 0) return;
    const read = this.stored.file.readMany<Item>(missing.map((i) => this.stored!.items[i]!));
    missing.forEach((i, k) => {
      const item = read[k];
      if (item?.key !== this.keys[i])
        throw new Error(
          'dist/kb/recognizer-entries.json changed since it was loaded (no phrase where one was): restart pse-doctor',
        );
      this.items[i] = item;
    });
  }

  /** The entry at this index of the model. */
  entry(index: number): RecognizerEntry {
    const known = this.loadedEntries[index];
    if (known) return known;
    if (!this.stored || index < 0 || index >= this.ids.length)
      throw new RangeError(`no recognition entry ${index}`);
    const read = this.stored.file.read<RecognizerEntry>(this.stored.ranges[index]!);
    if (read?.id !== this.ids[index])
      throw new Error(
        `dist/kb/recognizer-entries.json changed since it was loaded (expected entry ${this.ids[index]} there): restart pse-doctor`,
      );
    this.loadedEntries[index] = read;
    return read;
  }

  /** The entry with this id, or undefined when the model has none (it holds only entries with texts). */
  entryById(id: string): RecognizerEntry | undefined {
    this.byIdIndex ??= new Map(this.ids.map((x, i) => [x, i]));
    const i = this.byIdIndex.get(id);
    return i === undefined ? undefined : this.entry(i);
  }

  /** Every entry of the model (a stored model's entries file is read whole once). */
  entries(): RecognizerEntry[] {
    if (this.stored && this.loadedEntries.some((e) => e === undefined)) {
      // The file holds the entries, then the phrases and patterns.
      const all = this.stored.file.readAll<RecognizerEntry[]>().slice(0, this.ids.length);
      all.forEach((e, i) => {
        this.loadedEntries[i] ??= e;
      });
    }
    return this.ids.map((_, i) => this.entry(i));
  }

  /** Every entry the line shows, best (longest literal match) first, one hit per entry. */
  match(line: string): RecognizerHit[] {
    const text = line.length > MAX_MATCH_LINE ? line.slice(0, MAX_MATCH_LINE) : line;
    if (!this.mayMatch(text)) return [];
    const lower = text.toLowerCase();
    let candidates: Set<Candidate> | undefined;
    const n = lower.length;
    const pairs = this.pairs;
    const quads = this.quads;
    for (let pos = 0; pos + MIN_GRAM <= n; pos++) {
      if (!hasBit(pairs, ((lower.charCodeAt(pos) & 0xff) << 8) | (lower.charCodeAt(pos + 1) & 0xff)))
        continue;
      if (!hasBit(quads, quadAt(lower, pos))) continue;
      for (const q of this.gramLengths) {
        if (pos + q > n) continue;
        const list = this.index.get(q)!.get(lower.slice(pos, pos + q));
        if (list) {
          candidates ??= new Set();
          for (const c of list) candidates.add(c);
        }
      }
    }
    if (!candidates) return [];
    this.readItems(candidates);
    const best = new Map<string, RecognizerHit>();
    for (const c of candidates) {
      const hit = c >= 0 ? this.verifyPhrase(c, lower) : this.verifyPattern(-1 - c, text);
      if (!hit) continue;
      const prev = best.get(hit.entry.id);
      if (!prev || hit.score > prev.score) best.set(hit.entry.id, hit);
    }
    return [...best.values()].sort((a, b) => b.score - a.score || a.entry.id.localeCompare(b.entry.id));
  }

  /**
   * False when no key occurs in the line (lower-cased): each four-character window is looked up in
   * `firstPass`, and a hit is checked against the keys starting with those four characters. Exact for
   * ASCII; a line with another character goes the full way (`toLowerCase` may map it to ASCII).
   */
  private mayMatch(text: string): boolean {
    const table = this.firstPass;
    const n = text.length;
    let v = 0;
    for (let i = 0; i < n; i++) {
      let c = text.charCodeAt(i);
      if (c >= 0x80) return true;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      // Four 7-bit characters: the int stays positive.
      v = (v << 8) | c;
      if (i >= 3 && hasBit(table, firstPassHash(v)) && this.keyAt(text, i - 3, v)) return true;
    }
    return false;
  }

  /** Whether a key starting with the four characters `four` (packed) starts at `at` (ASCII text). */
  private keyAt(text: string, at: number, four: number): boolean {
    const keys = this.byFirstFour.get(four);
    if (!keys) return false;
    for (const key of keys) {
      if (at + key.length > text.length) continue;
      let k = 4;
      while (k < key.length) {
        let c = text.charCodeAt(at + k);
        if (c >= 0x41 && c <= 0x5a) c |= 0x20;
        if (c !== key.charCodeAt(k)) break;
        k++;
      }
      if (k === key.length) return true;
    }
    return false;
  }

  private verifyPhrase(i: number, lower: string): RecognizerHit | undefined {
    const phrase = this.items[i] as RecognizerPhrase;
    let from = 0;
    let score = 0;
    let start = -1;
    for (const part of phrase.parts) {
      const at = lower.indexOf(part, from);
      if (at < 0) return undefined;
      if (start < 0) start = at;
      from = at + part.length;
      score += part.trim().length;
    }
    return {
      entry: this.entry(phrase.entry),
      matched: phrase.text,
      via: 'printed',
      score,
      start,
      end: from,
    };
  }

  private verifyPattern(i: number, text: string): RecognizerHit | undefined {
    const pattern = this.items[this.phraseCount + i] as RecognizerPattern;
    this.regexes[i] ??= new RegExp(pattern.source, 'i');
    const m = this.regexes[i]!.exec(text);
    if (!m) return undefined;
    return {
      entry: this.entry(pattern.entry),
      matched: pattern.source,
      via: 'pattern',
      score: m[0].length,
      start: m.index,
      end: m.index + m[0].length,
    };
  }
}
