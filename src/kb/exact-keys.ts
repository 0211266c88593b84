/**
 * @module Exact lookups without loading the knowledge base. Beside heads.json the build writes
 * dist/kb/keys.txt: a line per entry id, then a line per lookup key (`lookupKeysOf`, the first entry
 * holding a key wins, as in KnowledgeBase), each with the byte range of its entry in index.json. A
 * one-off `explain WSS040` finds its line with one `indexOf` and parses that one entry; loading the
 * knowledge base (every entry's head parsed, its maps built) costs a cold call several milliseconds.
 * Only a name is looked up here: number forms (`-102`, `HTTP error 407`, `407`), prefixed names
 * (`message WSS040`), placeholders and free text take the knowledge base.
 */
import { existsSync, readFileSync } from 'node:fs';
import { type ByteRange, RangedJsonFile } from '../compiled/ranged-json.js';
import { exactQueryText, isNumberQuery, lookupKeysOf } from './knowledge-base.js';
import { normalizeKey } from './text-keys.js';
import type { KbEntry, KbLookupOptions, KbLookupResult } from './types.js';

const HEADER = 'pse-doctor kb keys 1\n';

/** The text of keys.txt for entries with these lookup keys and byte ranges in index.json. */
export function exactKeysText(
  entries: readonly Pick<KbEntry, 'id'>[],
  keys: readonly (readonly string[])[],
  ranges: readonly ByteRange[],
): string {
  const lines = [HEADER.slice(0, -1)];
  const field = (text: string): string => {
    if (/[\t\n\r]/.test(text)) throw new Error(`kb key "${text}" holds a tab or a line break`);
    return text;
  };
  entries.forEach((e, doc) => {
    lines.push(`I\t${field(e.id)}\t${ranges[doc]![0]}\t${ranges[doc]![1]}`);
  });
  const seen = new Set<string>();
  keys.forEach((list, doc) => {
    for (const key of list) {
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(`K\t${field(key)}\t${ranges[doc]![0]}\t${ranges[doc]![1]}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

/** The byte range on the line of keys.txt that starts with `kind\tname\t`, or undefined. */
function rangeOf(text: string, kind: 'I' | 'K', name: string): ByteRange | undefined {
  if (name === '') return undefined;
  const at = text.indexOf(`\n${kind}\t${name}\t`);
  if (at < 0) return undefined;
  const from = at + name.length + 4;
  const end = text.indexOf('\n', from);
  const [offset, length] = text
    .slice(from, end < 0 ? text.length : end)
    .split('\t')
    .map(Number);
  const valid = Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset! >= 0 && length! > 0;
  return valid ? [offset!, length!] : undefined;
}

/**
 * What `KnowledgeBase.lookup(query, opts)` answers when `query` names an entry exactly (by id, or by a
 * lookup key in any written form), read from keys.txt and index.json; undefined in every other case
 * (no keys.txt, a stale one, a number form, no entry of that name or not of `opts.kind`), where the
 * caller asks the knowledge base. The entry is an object of its own, equal to the knowledge base's.
 */
export function exactLookupFromKeys(
  query: string,
  opts: KbLookupOptions,
  keysPath: string,
  indexPath: string,
): KbLookupResult | undefined {
  const q = exactQueryText(query);
  if (q === undefined || isNumberQuery(q) || !existsSync(keysPath)) return undefined;
  let entry: KbEntry | undefined;
  try {
    const text = readFileSync(keysPath, 'utf8');
    if (!text.startsWith(HEADER)) return undefined;
    const range = rangeOf(text, 'I', q) ?? rangeOf(text, 'K', normalizeKey(q));
    if (!range) return undefined;
    entry = new RangedJsonFile(indexPath).read<KbEntry>(range);
  } catch {
    return undefined; // A damaged or stale file: the knowledge base answers.
  }
  // A stale keys.txt points at other bytes: only an entry that is named so counts.
  if (typeof entry?.id !== 'string') return undefined;
  if (entry.id !== q && !lookupKeysOf(entry).includes(normalizeKey(q))) return undefined;
  if (opts.kind && entry.kind !== opts.kind) return undefined;
  return { query, matches: [{ entry, score: 1000, reason: 'exact' }], confident: true, exact: entry };
}
