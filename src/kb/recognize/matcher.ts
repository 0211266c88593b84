/**
 * @module Recognises kb phrases and patterns in one line, in one pass whatever the number of entries.
 *
 * Every phrase and pattern is keyed by one short gram (4–6 lower-case characters) of its longest literal,
 * chosen as the gram fewest other keys share. A line is lower-cased once and walked once: at each
 * position the grams starting there are looked up in hash maps, which yields the few candidates whose
 * key occurs in the line. Only those are verified (phrase parts in order by `indexOf`; a pattern's regex,
 * which is linear-time by construction). Building the index is a few thousand map insertions, so it is
 * made when first needed instead of being stored.
 */
import type { RecognizerData, RecognizerEntry } from './model.js';

/** Characters of a line that are examined (longer lines are cut before matching). */
export const MAX_MATCH_LINE = 4096;
const GRAM = 6;
const MIN_GRAM = 4;

/** One recognised entry in a line. */
export interface RecognizerHit {
  entry: RecognizerEntry;
  /** The phrase (as written in the entry) or the pattern source that matched. */
  matched: string;
  via: 'printed' | 'pattern';
  /** Characters of literal text matched: longer = more specific. */
  score: number;
}

/** A candidate: phrase index (>= 0) or pattern index encoded as -1 - i. */
type Candidate = number;

export class Recognizer {
  readonly data: RecognizerData;
  /** Gram length → gram → candidates. */
  private readonly index = new Map<number, Map<string, Candidate[]>>();
  private readonly gramLengths: number[];
  private readonly regexes: RegExp[];

  constructor(data: RecognizerData) {
    this.data = data;
    this.regexes = data.patterns.map((p) => new RegExp(p.source, 'i'));
    const anchors: Array<[Candidate, string]> = [];
    data.phrases.forEach((p, i) => {
      const longest = p.parts.reduce((a, b) => (b.trim().length > a.trim().length ? b : a), '');
      anchors.push([i, longest]);
    });
    data.patterns.forEach((p, i) => {
      anchors.push([-1 - i, p.literal]);
    });
    // Gram frequency over all anchors, to key each anchor by its rarest gram.
    const freq = new Map<string, number>();
    for (const [, text] of anchors) {
      const q = Math.min(GRAM, text.length);
      const seen = new Set<string>();
      for (let i = 0; i + q <= text.length; i++) seen.add(text.slice(i, i + q));
      for (const g of seen) freq.set(g, (freq.get(g) ?? 0) + 1);
    }
    for (const [cand, text] of anchors) {
      const q = Math.min(GRAM, text.length);
      if (q < MIN_GRAM) continue;
      let best = text.slice(0, q);
      let bestFreq = Infinity;
      for (let i = 0; i + q <= text.length; i++) {
        const g = text.slice(i, i + q);
        if (g.trim().length < q - 1) continue;
        const f = freq.get(g) ?? 0;
        if (f < bestFreq) {
          best = g;
          bestFreq = f;
        }
      }
      let byGram = this.index.get(q);
      if (!byGram) {
        byGram = new Map();
        this.index.set(q, byGram);
      }
      const list = byGram.get(best);
      if (list) list.push(cand);
      else byGram.set(best, [cand]);
    }
    this.gramLengths = [...this.index.keys()].sort((a, b) => b - a);
  }

  /** Every entry the line shows, best (longest literal match) first, one hit per entry. */
  match(line: string): RecognizerHit[] {
    const text = line.length > MAX_MATCH_LINE ? line.slice(0, MAX_MATCH_LINE) : line;
    const lower = text.toLowerCase();
    let candidates: Set<Candidate> | undefined;
    const n = lower.length;
    for (let pos = 0; pos + MIN_GRAM <= n; pos++) {
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
    const best = new Map<string, RecognizerHit>();
    for (const c of candidates) {
      const hit = c >= 0 ? this.verifyPhrase(c, lower) : this.verifyPattern(-1 - c, text);
      if (!hit) continue;
      const prev = best.get(hit.entry.id);
      if (!prev || hit.score > prev.score) best.set(hit.entry.id, hit);
    }
    return [...best.values()].sort((a, b) => b.score - a.score || a.entry.id.localeCompare(b.entry.id));
  }

  private verifyPhrase(i: number, lower: string): RecognizerHit | undefined {
    const phrase = this.data.phrases[i]!;
    let from = 0;
    let score = 0;
    for (const part of phrase.parts) {
      const at = lower.indexOf(part, from);
      if (at < 0) return undefined;
      from = at + part.length;
      score += part.trim().length;
    }
    return { entry: this.data.entries[phrase.entry]!, matched: phrase.text, via: 'printed', score };
  }

  private verifyPattern(i: number, text: string): RecognizerHit | undefined {
    const m = this.regexes[i]!.exec(text);
    if (!m) return undefined;
    const pattern = this.data.patterns[i]!;
    return {
      entry: this.data.entries[pattern.entry]!,
      matched: pattern.source,
      via: 'pattern',
      score: m[0].length,
    };
  }
}
