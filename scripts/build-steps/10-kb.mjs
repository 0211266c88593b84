#!/usr/bin/env node
/** @module Build step: compiles kb/<kind>/*.md into dist/kb/index.json (entries), dist/kb/search.json (search index) and dist/kb/recognizer.json (recognition model). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { COMPILED_PATHS, compileKnowledgeBase } from '../../dist/kb/load-kb.js';
import { COMPILED_RECOGNIZER } from '../../dist/kb/recognize/load.js';
import { compileRecognizer } from '../../dist/kb/recognize/model.js';

const { entries, search } = compileKnowledgeBase();
mkdirSync(dirname(COMPILED_PATHS.entries), { recursive: true });
writeFileSync(COMPILED_PATHS.entries, JSON.stringify(entries));
writeFileSync(COMPILED_PATHS.search, JSON.stringify(search));
const recognizer = compileRecognizer(entries.entries);
writeFileSync(COMPILED_RECOGNIZER, JSON.stringify(recognizer));
console.log(
  `kb: ${entries.entries.length} entries compiled to dist/kb/index.json and dist/kb/search.json; ` +
    `${recognizer.phrases.length} phrases and ${recognizer.patterns.length} patterns to dist/kb/recognizer.json`,
);
