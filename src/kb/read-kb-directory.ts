/**
 * @module Reads the knowledge base's source files (kb/<kind>/*.md) into entries. Apart from load-kb.ts,
 * which builds the whole knowledge base (lookup, search, the compiled files): the recognition model
 * compiled from the sources (recognize/load.ts, when the build made none) needs only this, so reading
 * evidence does not load the knowledge base `explain` answers from.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEntry } from './parse-entry.js';
import { KB_KINDS, type KbEntry } from './types.js';

/** Where the package keeps kb/ (two levels up from src/kb or dist/kb). */
export const KB_SOURCE_DIR = fileURLToPath(new URL('../../kb/', import.meta.url));

/** Read and parse every kb/<kind>/*.md under `dir`, sorted by path. Throws KbParseError on a bad file. */
export function readKbDirectory(dir: string = KB_SOURCE_DIR): KbEntry[] {
  const entries: KbEntry[] = [];
  for (const kind of KB_KINDS) {
    const sub = join(dir, kind);
    if (!existsSync(sub)) continue;
    for (const name of readdirSync(sub).sort()) {
      if (!name.endsWith('.md')) continue;
      entries.push(parseEntry(readFileSync(join(sub, name), 'utf8'), `kb/${kind}/${name}`));
    }
  }
  return entries;
}
