#!/usr/bin/env node
/**
 * @module Build step: compiles the index of Node's Mozilla root store, every root described in full, into
 * dist/pki/root-store.json, so a root lookup at run time parses nothing (see src/pki/root-store.ts).
 */
import { writeFileSync } from 'node:fs';
import { COMPILED_ROOT_STORE, compileRootStore } from '../../dist/pki/root-store.js';

const compiled = compileRootStore();
writeFileSync(COMPILED_ROOT_STORE, JSON.stringify(compiled));
console.log(
  `root store: ${compiled.roots.length} roots indexed into dist/pki/root-store.json (${compiled.node})`,
);
