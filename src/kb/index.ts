/**
 * @module Public API of the knowledge base: entries by id, lookups by any alias or code form, ranked
 * free-text search, listing and terminal rendering. Renderers and rules use these, never copies.
 */
import { loadKnowledgeBase } from './load-kb.js';
import type { KbEntry, KbKind, KbLookupOptions, KbLookupResult } from './types.js';

export { KnowledgeBase, lookupKeysOf } from './knowledge-base.js';
export {
  type CompiledKb,
  compileKnowledgeBase,
  loadKnowledgeBase,
  lookupCold,
  validateKnowledgeBase,
} from './load-kb.js';
export { entryPathFor, KbParseError, parseEntry, splitInlineCode } from './parse-entry.js';
export { readKbDirectory } from './read-kb-directory.js';
export { describeEntryKind, type RenderTextOptions, renderEntryText } from './render-text.js';
export type { SearchIndexData } from './search-index.js';
export * from './types.js';

/** The entry with this id (or alias, e.g. `SSSLRC_CONN_CLOSED`), or undefined. */
export function getEntry(id: string): KbEntry | undefined {
  return loadKnowledgeBase().getEntry(id);
}

/**
 * Look up a query: an id or alias in any written form (`WSS 040`, `wss040`, `-102`, `(- 102)`,
 * `HTTP error 407`, `407` with `{ icm: true }`), a text naming codes, or free text (ranked, typo-tolerant).
 */
export function lookup(query: string, opts: KbLookupOptions = {}): KbLookupResult {
  return loadKnowledgeBase().lookup(query, opts);
}

/** All entries, optionally of one kind, sorted by kind then id. */
export function listEntries(opts: { kind?: KbKind } = {}): KbEntry[] {
  return loadKnowledgeBase().listEntries(opts);
}
