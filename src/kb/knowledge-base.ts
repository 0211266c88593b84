/**
 * @module The knowledge base in memory: exact lookups by id and every alias form, code numbers,
 * codes named inside pasted text, and ranked free-text search.
 */
import { completeAllEntries, completeEntries } from './lazy-entries.js';
import { Recognizer } from './recognize/matcher.js';
import { compileRecognizer } from './recognize/model.js';
import { buildSearchIndex, type SearchIndexData, TextSearcher } from './search-index.js';
import { editDistance, normalizeKey } from './text-keys.js';
import type { KbEntry, KbKind, KbLookupOptions, KbLookupResult, KbMatch } from './types.js';

/** Families whose `number` is looked up by a bare number, and the namespace it lives in. */
const NUMBER_SPACE: Record<string, string> = {
  SSSLERR: 'sssl',
  ICM_HTTP: 'icm',
  TLS_ALERT: 'alert',
};

/** Order in which codes named inside a pasted text are preferred: the most specific evidence first. */
const MENTION_RANK: Partial<Record<KbKind, number>> = { code: 0, alert: 1, message: 2 };
const MENTION_KINDS: ReadonlySet<KbKind> = new Set<KbKind>(['code', 'alert', 'message']);
/** Inside the `code` kind, the ICM/SCLNT wrapper is less specific than the SSSLERR code it wraps. */
const FAMILY_MENTION_PENALTY: Record<string, number> = { ICM_HTTP: 0.5 };

/** Every lookup key of an entry: id, aliases, message forms, SSSLRC_/SSSLERR_ twins. */
export function lookupKeysOf(e: KbEntry): string[] {
  const names = [e.id, ...e.aliases];
  if (e.messageClass && e.messageNumber) {
    names.push(`${e.messageClass}${e.messageNumber}`, `${e.messageClass}${Number(e.messageNumber)}`);
  }
  if (e.family === 'SSSLERR') {
    for (const n of [e.id, ...e.aliases]) {
      if (n.startsWith('SSSLERR_')) names.push(`SSSLRC_${n.slice(8)}`);
      if (n.startsWith('SSSLRC_')) names.push(`SSSLERR_${n.slice(7)}`);
    }
  }
  return [...new Set(names.map(normalizeKey).filter((k) => k !== ''))];
}

/** `(-102)`, `- 102`: an SSSLERR number. */
const SSSL_NUMBER = /^\(?\s*-\s*(\d{1,4})\s*\)?$/;
/** `HTTP error 407`, `ICM_HTTP 407`, `ICM code: 407 occurred`: an ICM code. */
const ICM_NUMBER = /^(?:(?:ICM(?:_HTTP)?|HTTP)\s*(?:error|code|rc)?\s*:?\s*)(\d{3})(?:\s+occur+ed)?$/i;
/** `TLS alert 42`, `alert number 48`: a TLS alert. */
const ALERT_NUMBER = /^(?:TLS\s+|SSL\s+)?alert\s*(?:number|no\.?|#)?\s*(\d{1,3})$/i;
const BARE_NUMBER = /^\d{1,4}$/;

/** A query as exact lookups read it (whitespace collapsed), or undefined when empty or over 200 characters. */
export function exactQueryText(query: string): string | undefined {
  const q = query.trim().replace(/\s+/g, ' ');
  return q === '' || q.length > 200 ? undefined : q;
}

/** Whether `resolveExact` reads the query `q` (see exactQueryText) as a number rather than as a name. */
export function isNumberQuery(q: string): boolean {
  return SSSL_NUMBER.test(q) || ICM_NUMBER.test(q) || ALERT_NUMBER.test(q) || BARE_NUMBER.test(q);
}

/** Regex for an id with `<xx>` placeholders (`icm/server_port_<xx>` matches `icm/server_port_1`). */
function placeholderPattern(id: string): RegExp | undefined {
  if (!/<[^>]{1,8}>/.test(id)) return undefined;
  const parts = id.split(/<[^>]{1,8}>/).map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${parts.join('[A-Za-z0-9]{1,12}')}$`, 'i');
}

/** The entry, completed when it is a lazy one. */
function complete(e: KbEntry | undefined): KbEntry | undefined {
  if (e) completeEntries([e]);
  return e;
}

/**
 * The loaded knowledge base. Build with `new KnowledgeBase(entries, searchIndex?)`. The entries may be
 * lazy ones (lazy-entries.ts, read from dist/kb/index.json on first use): every entry this class hands
 * out is complete.
 */
export class KnowledgeBase {
  /** Entries as given (lazy ones possibly not complete yet); `entries` completes them all. */
  private readonly all: readonly KbEntry[];
  private readonly byId = new Map<string, KbEntry>();
  private readonly byKey = new Map<string, KbEntry>();
  private readonly byNumber = new Map<string, KbEntry>();
  private readonly docOf = new Map<KbEntry, number>();
  private readonly patterns: Array<{ re: RegExp; entry: KbEntry }> = [];
  private readonly keysOf = new Map<KbEntry, string[]>();
  private searcher: TextSearcher | undefined;
  private readonly loadSearch: () => SearchIndexData;
  private recognizer: Recognizer | undefined;
  private readonly loadRecognizer: () => Recognizer;

  /**
   * @param entries all entries (order defines document numbers of the search index)
   * @param loadSearch returns the search index for these entries; called on the first text search only
   * @param loadRecognizer returns the recognition model `analyze` uses (default: compiled from `entries`)
   * @param lookupKeys `lookupKeysOf` of each entry when the build computed them already
   */
  constructor(
    entries: readonly KbEntry[],
    loadSearch?: () => SearchIndexData,
    loadRecognizer?: () => Recognizer,
    lookupKeys?: readonly string[][],
  ) {
    this.all = entries;
    this.loadSearch = loadSearch ?? (() => buildSearchIndex(this.entries));
    this.loadRecognizer = loadRecognizer ?? (() => new Recognizer(compileRecognizer(this.entries)));
    entries.forEach((e, doc) => {
      this.byId.set(e.id, e);
      this.docOf.set(e, doc);
      const keys = lookupKeys?.[doc] ?? lookupKeysOf(e);
      this.keysOf.set(e, keys);
      for (const key of keys) if (!this.byKey.has(key)) this.byKey.set(key, e);
      const space = e.family ? NUMBER_SPACE[e.family] : undefined;
      if (space && e.number !== undefined) {
        const k = `${space}:${e.number}`;
        if (!this.byNumber.has(k)) this.byNumber.set(k, e);
      }
      const re = placeholderPattern(e.id);
      if (re) this.patterns.push({ re, entry: e });
    });
  }

  /** Every entry, complete (for lazy entries: dist/kb/index.json is read whole once). */
  get entries(): readonly KbEntry[] {
    completeAllEntries(this.all);
    return this.all;
  }

  /** The entry with this id, or whose alias this is (`SSSLRC_CONN_CLOSED` → `SSSLERR_CONN_CLOSED`). */
  getEntry(idOrAlias: string): KbEntry | undefined {
    return complete(this.byId.get(idOrAlias) ?? this.byKey.get(normalizeKey(idOrAlias)));
  }

  /** Entries, optionally of one kind, in id order. */
  listEntries(opts: { kind?: KbKind } = {}): KbEntry[] {
    const list = this.all
      .filter((e) => !opts.kind || e.kind === opts.kind)
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
    completeAllEntries(list);
    return list;
  }

  /** The entry for a code number in a namespace (`sssl` -102, `icm` 407, `alert` 40). */
  getByNumber(space: 'sssl' | 'icm' | 'alert', n: number): KbEntry | undefined {
    return complete(this.byNumber.get(`${space}:${n}`));
  }

  /** Resolve a query that names one thing (id, alias, code form) to its entry, or undefined. */
  resolveExact(query: string, opts: { icm?: boolean } = {}): { entry?: KbEntry; hint?: string } {
    const q = exactQueryText(query);
    if (q === undefined) return {};
    const neg = SSSL_NUMBER.exec(q);
    if (neg) return { entry: this.getByNumber('sssl', -Number(neg[1])) };
    const icm = ICM_NUMBER.exec(q);
    if (icm) return { entry: this.getByNumber('icm', Number(icm[1])) };
    const alert = ALERT_NUMBER.exec(q);
    if (alert) return { entry: this.getByNumber('alert', Number(alert[1])) };
    if (BARE_NUMBER.test(q)) {
      const n = Number(q);
      if (opts.icm) return { entry: this.getByNumber('icm', n) };
      const asIcm = this.getByNumber('icm', n);
      return asIcm
        ? { hint: `A bare number is ambiguous: add --icm to read ${q} as an ICM code (${asIcm.id}).` }
        : {};
    }
    const direct = this.getEntry(q);
    if (direct) return { entry: direct };
    const stripped = q.replace(
      /^(?:(?:message|msg|meldung)(?:\s*no\.?)?|transaction|tcode|t-code|profile\s+parameter|parameter|param|error|code|sap\s+note|note)\s*:?\s+/i,
      '',
    );
    if (stripped !== q) {
      const again = this.resolveExact(stripped, opts);
      if (again.entry) return again;
    }
    for (const { re, entry } of this.patterns) if (re.test(q)) return { entry: complete(entry) };
    return {};
  }

  /** Entries whose codes a longer pasted text names (`… failed: SSSLERR_SSL_READ (-58)`), most specific first. */
  findMentions(text: string): KbEntry[] {
    const found: KbEntry[] = [];
    const add = (e: KbEntry | undefined): void => {
      if (e && !found.includes(e)) found.push(e);
    };
    const capped = text.length > 20000 ? text.slice(0, 20000) : text;
    for (const m of capped.matchAll(/[A-Za-z0-9][A-Za-z0-9_/.<>]{2,80}/g)) {
      const token = m[0].replace(/[.]+$/, '');
      const looksLikeCode = /[_/.\d]/.test(token) || (token.length >= 5 && token === token.toUpperCase());
      if (!looksLikeCode || token.length < 4) continue;
      const e = this.byKey.get(normalizeKey(token));
      // Only codes and messages are firm evidence; a transaction or file name in a sentence is context.
      if (e && MENTION_KINDS.has(e.kind)) add(e);
    }
    for (const m of capped.matchAll(/\((-\d{1,4})\)/g)) add(this.getByNumber('sssl', Number(m[1])));
    for (const m of capped.matchAll(/HTTP error (\d{3})\b/gi)) add(this.getByNumber('icm', Number(m[1])));
    const rank = (e: KbEntry): number =>
      (MENTION_RANK[e.kind] ?? 9) + (FAMILY_MENTION_PENALTY[e.family ?? ''] ?? 0);
    completeEntries(found);
    return found
      .map((e, i) => ({ e, i }))
      .sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i)
      .map((x) => x.e);
  }

  /** Look a query up: exact forms first, then codes named in it, then ranked text search. */
  lookup(query: string, opts: KbLookupOptions = {}): KbLookupResult {
    const limit = Math.max(1, Math.min(opts.limit ?? 10, 100));
    const okKind = (e: KbEntry): boolean => !opts.kind || e.kind === opts.kind;
    const { entry, hint } = this.resolveExact(query, opts);
    const matches: KbMatch[] = [];
    const push = (m: KbMatch): void => {
      if (okKind(m.entry) && !matches.some((x) => x.entry === m.entry)) matches.push(m);
    };
    const exact = entry && okKind(entry) ? entry : undefined;
    if (exact) push({ entry: exact, score: 1000, reason: 'exact' });
    const mentions = exact ? [] : this.findMentions(query);
    mentions.forEach((e, i) => {
      push({ entry: e, score: 500 - i, reason: 'mentioned' });
    });
    // Printed texts and patterns, recognised by the same model analyze uses on unclaimed lines.
    const recognised = exact ? [] : this.recognise(query);
    recognised.forEach((e, i) => {
      push({ entry: e, score: 400 - i, reason: 'mentioned' });
    });
    if (!exact && mentions.length === 0 && recognised.length === 0) {
      for (const e of this.similarIds(query)) push({ entry: e, score: 0, reason: 'similar' });
    }
    // An exact answer needs no text search (it would only add loosely related entries).
    const text = exact
      ? { hits: [], confident: false }
      : this.searchText(query, limit + matches.length, okKind);
    for (const h of text.hits)
      push({ entry: h.entry, score: Math.round(h.score * 100) / 100, reason: 'text' });
    const confident =
      exact !== undefined || mentions.some(okKind) || recognised.some(okKind) || text.confident;
    const result: KbLookupResult = { query, matches: matches.slice(0, limit), confident };
    completeEntries(result.matches.map((m) => m.entry));
    if (exact) result.exact = exact;
    if (hint) result.hint = hint;
    return result;
  }

  private searchText(
    query: string,
    limit: number,
    okKind: (e: KbEntry) => boolean,
  ): { hits: Array<{ entry: KbEntry; score: number }>; confident: boolean } {
    if (!this.searcher) this.searcher = new TextSearcher(this.loadSearch());
    const hits = this.searcher.search(query, limit, (doc) => okKind(this.all[doc]!));
    const top = hits[0];
    const second = hits[1];
    // A text match is an answer (not just a suggestion) when most query words hit the top entry and
    // it either contains a run of the query verbatim or clearly beats the runner-up.
    // A single code-like word that is not an id (WSS041, SSSLERR_FOO, no-such-code) is never answered by
    // fuzzy text: its parts are not words of a sentence.
    const codeLike = /^\S+$/.test(query.trim()) && /[\d_/-]/.test(query);
    const clearLead = !second || top === undefined || top.score >= second.score * 1.3;
    // Typos are fine when the words still line up as a phrase of the entry and it leads clearly.
    const trusted =
      top !== undefined &&
      (top.exactCoverage >= 0.5 ||
        top.phraseRun >= 3 ||
        (top.coverage >= 0.8 && top.phraseRun >= 2 && top.score >= (second?.score ?? 0) * 1.5));
    // Long pastes carry host and user names the KB cannot know: a verbatim run of 3+ words suffices there.
    const confident =
      top !== undefined &&
      trusted &&
      !codeLike &&
      ((top.coverage >= 0.6 && (top.phraseRun >= 2 || clearLead)) || (top.phraseRun >= 3 && clearLead));
    return { hits: hits.map((h) => ({ entry: this.all[h.doc]!, score: h.score })), confident };
  }

  /** Entries whose id is spelled like a one-word query (`WSS041`, `SSSLERR_PEER_UNTRUSTED`), closest first. */
  similarIds(query: string): KbEntry[] {
    const q = query.trim();
    if (q === '' || /\s/.test(q) || q.length > 80) return [];
    const key = normalizeKey(q);
    if (key.length < 3) return [];
    const max = key.length >= 10 ? 3 : key.length >= 5 ? 2 : 1;
    const scored: Array<{ e: KbEntry; d: number }> = [];
    for (const e of this.all) {
      let best = max + 1;
      for (const k of this.keysOf.get(e) ?? []) {
        const d = editDistance(key, k, max);
        if (d < best) best = d;
        // Same family prefix with a different number (WSS041 → WSS040) is a close relative too.
        if (k.length >= 4 && key.length === k.length && key.slice(0, -2) === k.slice(0, -2))
          best = Math.min(best, max);
      }
      if (best <= max) scored.push({ e, d: best });
    }
    const closest = scored
      .sort((a, b) => a.d - b.d || a.e.id.localeCompare(b.e.id))
      .slice(0, 5)
      .map((s) => s.e);
    completeEntries(closest);
    return closest;
  }

  /** Entries whose printed texts or patterns occur in the query (each line of it), most specific first. */
  recognise(query: string): KbEntry[] {
    this.recognizer ??= this.loadRecognizer();
    const found: KbEntry[] = [];
    for (const line of query.split(/\r?\n/).slice(0, 200)) {
      for (const hit of this.recognizer.match(line)) {
        const e = this.byId.get(hit.entry.id);
        if (e && !found.includes(e)) found.push(e);
      }
    }
    completeEntries(found);
    return found;
  }

  /** Document number of an entry in the search index. */
  docOfEntry(e: KbEntry): number | undefined {
    return this.docOf.get(e);
  }
}
