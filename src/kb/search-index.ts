/**
 * @module Free-text search over the knowledge base: BM25 over weighted fields, typo-tolerant terms,
 * and a phrase bonus for texts users paste verbatim from traces and SAP messages.
 *
 * The index is plain JSON data (built at compile time into dist/kb/search.json, or on demand).
 */
import { editDistance, stem, surfaceTokens } from './text-keys.js';
import type { KbBlock, KbEntry } from './types.js';

/** Serialisable search index. Document numbers are positions in the entry list. */
export interface SearchIndexData {
  version: 1;
  /** Weighted length of each document. */
  docLen: number[];
  avgLen: number;
  /** stem → flat [doc, weightedTf×10, doc, weightedTf×10, …]. */
  postings: Record<string, number[]>;
  /** Surface word → stem, for typo-tolerant matching against words as written. */
  surfaces: Record<string, string>;
  /** Per document: stem sequences of its title, short text, printed texts and aliases (phrase matching). */
  phrases: string[][][];
}

/** Field weights: ids and SAP's own texts count most, the explanation body least. */
const WEIGHT = { id: 3, title: 2.5, printed: 3, refs: 1, body: 1 } as const;
const K1 = 1.2;
const B = 0.75;
/** Weight of a term matched by an edit or as a prefix, relative to an exact term. */
const FUZZY_WEIGHT = { 1: 0.8, 2: 0.55, prefix: 0.6 } as const;
const PHRASE_WEIGHT = 6;

function blockText(block: KbBlock): string {
  return block.type === 'list' ? block.items.join(' ') : block.text;
}

/** Build the search index for entries, in list order. Deterministic. */
export function buildSearchIndex(entries: readonly KbEntry[]): SearchIndexData {
  const postings = new Map<string, Map<number, number>>();
  const surfaces = new Map<string, string>();
  const docLen: number[] = [];
  const phrases: string[][][] = [];
  entries.forEach((e, doc) => {
    let len = 0;
    const add = (text: string, weight: number): void => {
      for (const surface of surfaceTokens(text)) {
        const s = stem(surface);
        if (!surfaces.has(surface)) surfaces.set(surface, s);
        let docs = postings.get(s);
        if (!docs) {
          docs = new Map();
          postings.set(s, docs);
        }
        docs.set(doc, (docs.get(doc) ?? 0) + weight);
        len += weight;
      }
    };
    add(
      [
        e.id,
        ...e.aliases,
        e.messageClass && e.messageNumber ? `${e.messageClass}${e.messageNumber}` : '',
      ].join(' '),
      WEIGHT.id,
    );
    add(e.title, WEIGHT.title);
    add([e.shortText ?? '', ...e.printed].join(' \n '), WEIGHT.printed);
    add(
      [...e.notes, ...e.transactions, ...e.parameters, e.strustNode ?? '', e.family ?? ''].join(' '),
      WEIGHT.refs,
    );
    add(e.sections.flatMap((s) => s.blocks.map(blockText)).join(' '), WEIGHT.body);
    docLen.push(len);
    phrases.push(
      [e.title, e.shortText ?? '', ...e.printed, ...e.aliases]
        .map((t) => surfaceTokens(t).map(stem))
        .filter((p) => p.length > 0),
    );
  });
  const sortedPostings: Record<string, number[]> = {};
  for (const term of [...postings.keys()].sort()) {
    const flat: number[] = [];
    for (const [doc, tf] of postings.get(term)!) flat.push(doc, Math.round(tf * 10));
    sortedPostings[term] = flat;
  }
  const sortedSurfaces: Record<string, string> = {};
  for (const s of [...surfaces.keys()].sort()) sortedSurfaces[s] = surfaces.get(s)!;
  const total = docLen.reduce((a, b) => a + b, 0);
  return {
    version: 1,
    docLen,
    avgLen: docLen.length ? Math.round((total / docLen.length) * 100) / 100 : 0,
    postings: sortedPostings,
    surfaces: sortedSurfaces,
    phrases,
  };
}

/** One scored document of a text search. */
export interface TextHit {
  doc: number;
  score: number;
  /** Share of the query's words (after typo correction) found in this document, 0..1. */
  coverage: number;
  /** Longest run of consecutive query words found as-is in one of the document's SAP texts or title. */
  phraseRun: number;
  /** Share of the query's words found in this document without typo correction, 0..1. */
  exactCoverage: number;
}

/** A query word resolved to index stems: itself, or its typo-corrected / prefix-completed forms. */
interface ResolvedTerm {
  stems: Array<{ stem: string; weight: number }>;
  /** True when the word itself (not a correction) is in the index. */
  exact: boolean;
}

/** Only this many best documents by word score get the (costlier) phrase comparison. */
const PHRASE_CANDIDATES = 60;

/** Searches a built index. Construct once per index; `search` is cheap. */
export class TextSearcher {
  private readonly data: SearchIndexData;
  private readonly byLength = new Map<number, string[]>();
  private readonly surfaceList: string[];
  private readonly n: number;

  constructor(data: SearchIndexData) {
    this.data = data;
    this.n = data.docLen.length;
    this.surfaceList = Object.keys(data.surfaces);
    for (const surface of this.surfaceList) {
      const list = this.byLength.get(surface.length);
      if (list) list.push(surface);
      else this.byLength.set(surface.length, [surface]);
    }
  }

  private resolve(surface: string): ResolvedTerm {
    const s = stem(surface);
    if (this.data.postings[s]) return { stems: [{ stem: s, weight: 1 }], exact: true };
    const found = new Map<string, number>();
    const note = (st: string, w: number): void => {
      if ((found.get(st) ?? 0) < w) found.set(st, w);
    };
    if (surface.length >= 4) {
      const max = surface.length >= 8 ? 2 : 1;
      for (let len = surface.length - max; len <= surface.length + max; len++) {
        for (const cand of this.byLength.get(len) ?? []) {
          const d = editDistance(surface, cand, max);
          if (d <= max) note(this.data.surfaces[cand]!, d === 1 ? FUZZY_WEIGHT[1] : FUZZY_WEIGHT[2]);
        }
      }
      if (found.size === 0) {
        for (const cand of this.surfaceList) {
          if (cand.length > surface.length && cand.startsWith(surface))
            note(this.data.surfaces[cand]!, FUZZY_WEIGHT.prefix);
        }
      }
    }
    return { stems: [...found].map(([st, weight]) => ({ stem: st, weight })), exact: false };
  }

  /** Score every document against the query text; best first, at most `limit`. */
  search(query: string, limit: number, allow?: (doc: number) => boolean): TextHit[] {
    const surfaces = [...new Set(surfaceTokens(query))].slice(0, 64);
    if (surfaces.length === 0 || this.n === 0) return [];
    const terms = surfaces.map((s) => this.resolve(s));
    const scores = new Float64Array(this.n);
    const hits = new Uint16Array(this.n);
    const exactHits = new Uint16Array(this.n);
    terms.forEach((term) => {
      const seen = new Set<number>();
      for (const { stem: st, weight } of term.stems) {
        const flat = this.data.postings[st]!;
        const df = flat.length / 2;
        const idf = Math.log(1 + (this.n - df + 0.5) / (df + 0.5));
        for (let i = 0; i < flat.length; i += 2) {
          const doc = flat[i]!;
          const tf = flat[i + 1]! / 10;
          const norm = tf + K1 * (1 - B + (B * this.data.docLen[doc]!) / (this.data.avgLen || 1));
          scores[doc]! += weight * idf * ((tf * (K1 + 1)) / norm);
          if (!seen.has(doc)) {
            seen.add(doc);
            hits[doc]! += 1;
            if (term.exact) exactHits[doc]! += 1;
          }
        }
      }
    });
    // Phrase matching uses the best stem per query word (exact or corrected).
    const queryStems = terms.map((t) => [...t.stems].sort((a, b) => b.weight - a.weight)[0]?.stem ?? '');
    const candidates: number[] = [];
    for (let doc = 0; doc < this.n; doc++) {
      if (scores[doc]! > 0 && (!allow || allow(doc))) candidates.push(doc);
    }
    candidates.sort((a, b) => scores[b]! - scores[a]! || a - b);
    const out: TextHit[] = [];
    for (const doc of candidates.slice(0, Math.max(PHRASE_CANDIDATES, limit))) {
      let phraseRun = 0;
      let bonus = 0;
      for (const phrase of this.data.phrases[doc] ?? []) {
        const run = longestCommonRun(queryStems, phrase);
        if (run >= 2) {
          const b = PHRASE_WEIGHT * run * Math.sqrt(run / phrase.length);
          if (b > bonus) bonus = b;
        }
        if (run > phraseRun) phraseRun = run;
      }
      out.push({
        doc,
        score: scores[doc]! + bonus,
        coverage: hits[doc]! / terms.length,
        exactCoverage: exactHits[doc]! / terms.length,
        phraseRun,
      });
    }
    out.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return out.slice(0, limit);
  }
}

const RUN_PREV = new Int32Array(256);
const RUN_CUR = new Int32Array(256);

/** Length of the longest run of consecutive equal items in `a` and `b` (b at most 255 items). */
function longestCommonRun(a: readonly string[], b: readonly string[]): number {
  const m = Math.min(b.length, 255);
  let best = 0;
  let prev = RUN_PREV;
  let cur = RUN_CUR;
  prev.fill(0, 0, m + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = 0;
    const ai = a[i - 1];
    for (let j = 1; j <= m; j++) {
      if (ai !== '' && ai === b[j - 1]) {
        const v = prev[j - 1]! + 1;
        cur[j] = v;
        if (v > best) best = v;
      } else cur[j] = 0;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return best;
}
