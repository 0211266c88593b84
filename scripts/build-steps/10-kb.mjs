#!/usr/bin/env node
/**
 * @module Build step: compiles kb/<kind>/*.md into dist/kb/index.json (entries), dist/kb/heads.json
 * (what lookups need of each entry, and where each entry is in index.json, so a command reads only the
 * entries it uses), dist/kb/keys.txt (each id and lookup key with its entry's bytes, for exact lookups
 * without loading the knowledge base), dist/kb/search.json (search index) and dist/kb/recognizer.json with dist/kb/recognizer-entries.json (recognition model;
 * its entries, too, are read one at a time).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { COMPILED_PATHS, compiledKbFiles, compileKnowledgeBase } from '../../dist/kb/load-kb.js';
import { COMPILED_RECOGNIZER, COMPILED_RECOGNIZER_ENTRIES } from '../../dist/kb/recognize/load.js';
import { compileRecognizer, storedRecognizerFiles } from '../../dist/kb/recognize/model.js';

const { entries, search } = compileKnowledgeBase();
mkdirSync(dirname(COMPILED_PATHS.entries), { recursive: true });
const files = compiledKbFiles(entries);
writeFileSync(COMPILED_PATHS.entries, files.index);
writeFileSync(COMPILED_PATHS.heads, files.heads);
writeFileSync(COMPILED_PATHS.keys, files.keys);
writeFileSync(COMPILED_PATHS.search, JSON.stringify(search));
const recognizer = compileRecognizer(entries.entries);
const stored = storedRecognizerFiles(recognizer);
writeFileSync(COMPILED_RECOGNIZER, stored.model);
writeFileSync(COMPILED_RECOGNIZER_ENTRIES, stored.entries);
console.log(
  `kb: ${entries.entries.length} entries compiled to dist/kb/index.json and dist/kb/search.json; ` +
    `${recognizer.phrases.length} phrases and ${recognizer.patterns.length} patterns to dist/kb/recognizer.json`,
);
