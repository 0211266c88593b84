#!/usr/bin/env node
/** @module Build step: compiles kb/<kind>/*.md into dist/kb/index.json (entries) and dist/kb/search.json (search index). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { COMPILED_PATHS, compileKnowledgeBase } from '../../dist/kb/load-kb.js';

const { entries, search } = compileKnowledgeBase();
mkdirSync(dirname(COMPILED_PATHS.entries), { recursive: true });
writeFileSync(COMPILED_PATHS.entries, JSON.stringify(entries));
writeFileSync(COMPILED_PATHS.search, JSON.stringify(search));
console.log(`kb: ${entries.entries.length} entries compiled to dist/kb/index.json and dist/kb/search.json`);
