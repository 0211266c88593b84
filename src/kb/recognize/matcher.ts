/**
 * @module Recognises kb phrases and patterns in one line, in one pass whatever the number of entries.
 *
 * Every phrase and pattern is keyed by one short gram (4–6 lower-case characters) of its longest literal,
 * chosen at build time as the gram fewest other keys share (see model.ts). A line is lower-cased once
 * and walked once: the four characters at each position are hashed into a bit set and, on a hit, into
 * a chain of the keys starting with them, which yields the few candidates whose key occurs in the line.
 * Only those are verified (phrase parts in order by `indexOf`; a pattern's regex, which is linear-time by
 * construction). Loading fills a few typed arrays from the keys alone (no object per key): a stored
 * model reads a phrase or pattern only when a line brings it up as a candidate (all of a line's
 * candidates with one open of the file).
 */
import { RangedJsonFile } from '../../compiled/ranged-json.js';
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

/** Bits of the hash of a key's first four characters in the first pass (`mayMatch`); a bit set of 2^18 bits. */
const FIRST_PASS_BITS = 18;
/** Bits of the same hash that pick a key's chain (`heads`): 2^12 chains for some 600 keys. */
const CHAIN_BITS = 12;

/**
 * The matcher's tables are typed arrays filled from the keys alone: small enough that building them
 * touches few memory pages (a megabyte table cost about 2 ms of page faults each time the model loaded),
 * and no map, set or array per key (a few hundred of those made young-generation garbage every load).
 */
function newBitSet(bits: number): Uint32Array {
  return new Uint32Array(1 << (bits - 5));
}

/**
 * Four characters packed into an int are hashed as `Math.imul(v, FOUR_HASH) >>> 0`: its top
 * FIRST_PASS_BITS pick a bit of the first pass, its top CHAIN_BITS a chain. The per-character loops
 * (`match`, `mayMatch`) write the hash and the bit test out: a process's first lines run them in V8's
 * interpreter, where a call costs more than the rest of a character's work (and each small helper was
 * compiled by TurboFan on its own in every trace: 3.5 to 10 ms of the second core, --trace-opt).
 */
const FOUR_HASH = 0x9e3779b1;

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
   * Where a stored model's entries, phrases and patterns are (undefined: all are in memory): `offsets`
   * of the entries, then the phrases, then the patterns in the entries file (see StoredRecognizer).
   */
  private readonly stored: { file: RangedJsonFile; offsets: readonly number[] } | undefined;
  private allItems: { phrases: RecognizerPhrase[]; patterns: RecognizerPattern[] } | undefined;
  private byIdIndex: Map<string, number> | undefined;
  /**
   * The first four characters of every key, packed and hashed into 2^18 bits: a line none of whose
   * four-character windows hits a bit holds no key, and most lines of a log leave after this one pass.
   */
  private readonly firstPass = newBitSet(FIRST_PASS_BITS);
  /** The first four characters of each key, packed (a byte each), by key index. */
  private readonly fours: Int32Array;
  /**
   * Chains of the keys by the top bits of their hash: `heads[h]` is 1 + the first key of chain h (0: none),
   * `next[k]` 1 + the key after key k. A chain lists longer keys first, then by index (the order the
   * candidates of one position are taken in). Keys shorter than MIN_GRAM are in none.
   */
  private readonly heads = new Int32Array(1 << CHAIN_BITS);
  private readonly next: Int32Array;
  /** Compiled when a line first carries the pattern's key. */
  private readonly regexes: Array<RegExp | undefined> = [];

  /**
   * @param data the model in memory, or as the build stored it (then `entriesPath` is the file of its
   *   entries, phrases and patterns, each read when a line first needs it)
   */
  constructor(data: RecognizerData | StoredRecognizer, entriesPath?: string) {
    if (data.version === 4) {
      if (!entriesPath) throw new Error('a stored recognition model needs the path of its entries');
      this.ids = data.ids;
      this.loadedEntries = new Array(data.ids.length);
      this.items = new Array(data.keys.length);
      this.phraseCount = data.phraseCount;
      this.stored = { file: new RangedJsonFile(entriesPath), offsets: data.offsets };
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
    const keys = this.keys;
    const n = keys.length;
    this.fours = new Int32Array(n);
    this.next = new Int32Array(n);
    const firstPass = this.firstPass;
    let longest = 0;
    for (let k = 0; k < n; k++) {
      const key = keys[k]!;
      if (key.length < MIN_GRAM) continue;
      // The first four characters, a byte each (the low byte of each character), hashed in place (see
      // FOUR_HASH).
      const v =
        ((key.charCodeAt(0) & 0xff) << 24) |
        ((key.charCodeAt(1) & 0xff) << 16) |
        ((key.charCodeAt(2) & 0xff) << 8) |
        (key.charCodeAt(3) & 0xff);
      this.fours[k] = v;
      const bit = Math.imul(v, FOUR_HASH) >>> (32 - FIRST_PASS_BITS);
      firstPass[bit >>> 5]! |= 1 << (bit & 31);
      if (key.length > longest) longest = key.length;
    }
    // Each key goes to the head of its chain: shorter keys first and, among keys of one length, the
    // last first, so that a chain reads longest first and then by index.
    for (let length = MIN_GRAM; length <= longest; length++) {
      for (let k = n - 1; k >= 0; k--) {
        if (keys[k]!.length !== length) continue;
        const h = Math.imul(this.fours[k]!, FOUR_HASH) >>> (32 - CHAIN_BITS);
        this.next[k] = this.heads[h]!;
        this.heads[h] = k + 1;
      }
    }
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
    const read = this.stored.file.readMany<Item>(missing.map((i) => this.rangeOf(this.ids.length + i)));
    missing.forEach((i, k) => {
      const item = read[k];
      if (item?.key !== this.keys[i])
        throw new Error(
          'dist/kb/recognizer-entries.json changed since it was loaded (no phrase where one was): restart pse-doctor',
        );
      this.items[i] = item;
    });
  }

  /** Byte range of item `i` of a stored model's entries file (entries, then phrases, then patterns). */
  private rangeOf(i: number): [number, number] {
    const offsets = this.stored!.offsets;
    return [offsets[i]!, offsets[i + 1]! - offsets[i]! - 1];
  }

  /** The entry at this index of the model. */
  entry(index: number): RecognizerEntry {
    const known = this.loadedEntries[index];
    if (known) return known;
    if (!this.stored || index < 0 || index >= this.ids.length)
      throw new RangeError(`no recognition entry ${index}`);
    const read = this.stored.file.read<RecognizerEntry>(this.rangeOf(index));
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
    const { firstPass, heads, next, fours, keys, phraseCount } = this;
    let v = 0;
    for (let i = 0; i < n; i++) {
      v = (v << 8) | (lower.charCodeAt(i) & 0xff);
      if (i < MIN_GRAM - 1) continue;
      const hash = Math.imul(v, FOUR_HASH) >>> 0;
      const bit = hash >>> (32 - FIRST_PASS_BITS);
      if ((firstPass[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
      const pos = i - (MIN_GRAM - 1);
      for (let k = heads[hash >>> (32 - CHAIN_BITS)]! - 1; k >= 0; k = next[k]! - 1) {
        if (fours[k] !== v || !lower.startsWith(keys[k]!, pos)) continue;
        candidates ??= new Set();
        candidates.add(k < phraseCount ? k : -1 - (k - phraseCount));
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
      if (i < 3) continue;
      const hash = Math.imul(v, FOUR_HASH) >>> 0;
      const bit = hash >>> (32 - FIRST_PASS_BITS);
      if ((table[bit >>> 5]! & (1 << (bit & 31))) !== 0 && this.keyAt(text, i - 3, v, hash)) return true;
    }
    return false;
  }

  /** Whether a key starting with the four characters `four` (packed, of this hash) starts at `at` (ASCII text). */
  private keyAt(text: string, at: number, four: number, hash: number): boolean {
    const { next, fours, keys } = this;
    for (let k = this.heads[hash >>> (32 - CHAIN_BITS)]! - 1; k >= 0; k = next[k]! - 1) {
      if (fours[k] !== four) continue;
      const key = keys[k]!;
      if (at + key.length > text.length) continue;
      let j = 4;
      while (j < key.length) {
        let c = text.charCodeAt(at + j);
        if (c >= 0x41 && c <= 0x5a) c |= 0x20;
        if (c !== key.charCodeAt(j)) break;
        j++;
      }
      if (j === key.length) return true;
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
