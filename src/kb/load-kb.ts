/**
 * @module Loads the knowledge base: the compiled dist/kb/index.json when present (fast cold start),
 * otherwise the kb/<kind>/*.md files themselves (tests, development). Also validates cross-references.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asciiJson, jsonArrayWithRanges } from '../compiled/ranged-json.js';
import { exactKeysText, exactLookupFromKeys } from './exact-keys.js';
import { KnowledgeBase, lookupKeysOf } from './knowledge-base.js';
import { type CompiledHeads, HEAD_KEYS, type KbHead, lazyEntries } from './lazy-entries.js';
import { entryPathFor } from './parse-entry.js';
import { KB_SOURCE_DIR, readKbDirectory } from './read-kb-directory.js';
import { loadRecognizer } from './recognize/load.js';
import { buildSearchIndex, type SearchIndexData } from './search-index.js';
import type { KbEntry, KbLookupOptions, KbLookupResult } from './types.js';

/** The compiled entries file (dist/kb/index.json). */
export interface CompiledKb {
  version: 1;
  entries: KbEntry[];
}

const COMPILED_ENTRIES = fileURLToPath(new URL('./index.json', import.meta.url));
const COMPILED_SEARCH = fileURLToPath(new URL('./search.json', import.meta.url));
const COMPILED_HEADS = fileURLToPath(new URL('./heads.json', import.meta.url));
const COMPILED_KEYS = fileURLToPath(new URL('./keys.txt', import.meta.url));

/**
 * Check the whole knowledge base: unique ids, file paths matching ids, no alias claimed twice,
 * every related/transaction/parameter reference resolving to an entry of the right kind.
 * Returns the problems found (empty when all is well).
 */
export function validateKnowledgeBase(entries: readonly KbEntry[]): string[] {
  const problems: string[] = [];
  const ids = new Map<string, KbEntry>();
  for (const e of entries) {
    if (ids.has(e.id)) problems.push(`${e.file}: id "${e.id}" also used by ${ids.get(e.id)!.file}`);
    ids.set(e.id, e);
    const expected = entryPathFor(e.id, e.kind);
    if (e.file !== expected)
      problems.push(`${e.file}: id "${e.id}" of kind ${e.kind} belongs in ${expected}`);
  }
  const keyOwner = new Map<string, KbEntry>();
  for (const e of entries) {
    for (const alias of e.aliases) {
      if (/^[\d\s()+-]*$/.test(alias)) {
        problems.push(`${e.file}: alias "${alias}" is only a number; use "number:" instead`);
      }
    }
    for (const key of lookupKeysOf(e)) {
      const other = keyOwner.get(key);
      if (other && other !== e) problems.push(`${e.file}: alias key "${key}" also claimed by ${other.id}`);
      else keyOwner.set(key, e);
    }
  }
  const numbers = new Map<string, KbEntry>();
  for (const e of entries) {
    if (e.number === undefined || !e.family) continue;
    const k = `${e.family}:${e.number}`;
    const other = numbers.get(k);
    if (other) problems.push(`${e.file}: ${e.family} number ${e.number} also used by ${other.id}`);
    else numbers.set(k, e);
  }
  for (const e of entries) {
    for (const r of e.related) {
      if (!ids.has(r)) problems.push(`${e.file}: related id "${r}" has no entry`);
      if (r === e.id) problems.push(`${e.file}: related lists the entry itself`);
    }
    for (const t of e.transactions) {
      if (ids.get(t)?.kind !== 'transaction')
        problems.push(`${e.file}: transaction "${t}" has no transaction entry`);
    }
    for (const p of e.parameters) {
      if (ids.get(p)?.kind !== 'parameter')
        problems.push(`${e.file}: parameter "${p}" has no parameter entry`);
    }
  }
  return problems;
}

/** Parse kb/ and build both compiled artefacts. Throws when an entry is invalid or references dangle. */
export function compileKnowledgeBase(dir: string = KB_SOURCE_DIR): {
  entries: CompiledKb;
  search: SearchIndexData;
} {
  const entries = readKbDirectory(dir);
  const problems = validateKnowledgeBase(entries);
  if (problems.length > 0)
    throw new Error(`knowledge base has ${problems.length} problem(s):\n${problems.join('\n')}`);
  return { entries: { version: 1, entries }, search: buildSearchIndex(entries) };
}

/**
 * The texts of dist/kb/index.json, dist/kb/heads.json and dist/kb/keys.txt for compiled entries:
 * index.json holds every entry; heads.json what lookups need of each and where each entry's bytes are in
 * index.json (written as `asciiJson`); keys.txt each id and lookup key with those bytes (exact-keys.ts).
 */
export function compiledKbFiles(compiled: CompiledKb): { index: string; heads: string; keys: string } {
  const { text, ranges } = jsonArrayWithRanges(
    compiled.entries,
    `{"version":${compiled.version},"entries":`,
    '}',
  );
  const heads: CompiledHeads = {
    version: 1,
    heads: compiled.entries.map((e) => {
      const head: Record<string, unknown> = {};
      for (const key of HEAD_KEYS) if (e[key] !== undefined) head[key] = e[key];
      return head as KbHead;
    }),
    keys: compiled.entries.map(lookupKeysOf),
    ranges,
  };
  // heads.json is read whole: ASCII, so it becomes a one-byte string (index.json is read by byte ranges).
  return { index: text, heads: asciiJson(heads), keys: exactKeysText(compiled.entries, heads.keys, ranges) };
}

let loaded: KnowledgeBase | undefined;

/**
 * The knowledge base, loaded once per process: from the build's heads.json (each entry read from
 * index.json when first used) when the build produced them, else from kb/*.md. The search index is read
 * only when a text search needs it.
 */
export function loadKnowledgeBase(): KnowledgeBase {
  if (loaded) return loaded;
  if (existsSync(COMPILED_HEADS) && existsSync(COMPILED_ENTRIES)) {
    const compiled = JSON.parse(readFileSync(COMPILED_HEADS, 'utf8')) as CompiledHeads;
    const entries = lazyEntries(compiled, COMPILED_ENTRIES);
    const kb: KnowledgeBase = new KnowledgeBase(
      entries,
      () =>
        existsSync(COMPILED_SEARCH)
          ? (JSON.parse(readFileSync(COMPILED_SEARCH, 'utf8')) as SearchIndexData)
          : buildSearchIndex(kb.entries),
      loadRecognizer,
      compiled.keys,
    );
    loaded = kb;
  } else {
    loaded = new KnowledgeBase(readKbDirectory(), undefined, loadRecognizer);
  }
  return loaded;
}

/**
 * `lookup` for a one-off call (`explain WSS040`): while the knowledge base is not loaded, a query that
 * names an entry exactly is answered from keys.txt and that entry's bytes in index.json (exact-keys.ts),
 * without loading it. Anything else, or once loaded, is `loadKnowledgeBase().lookup`. The answer is the
 * same; the entry of an exact answer without loading is an object of its own (not the one `getEntry`
 * hands out later).
 */
export function lookupCold(query: string, opts: KbLookupOptions = {}): KbLookupResult {
  return (
    (loaded === undefined && exactLookupFromKeys(query, opts, COMPILED_KEYS, COMPILED_ENTRIES)) ||
    loadKnowledgeBase().lookup(query, opts)
  );
}

/** Paths of the compiled artefacts (for the build step and tests). */
export const COMPILED_PATHS = {
  entries: COMPILED_ENTRIES,
  search: COMPILED_SEARCH,
  heads: COMPILED_HEADS,
  keys: COMPILED_KEYS,
} as const;
