#!/usr/bin/env node
/**
 * @module Build step: compiles the index of Node's Mozilla root store, every root described in full, into
 * dist/pki/root-store.json, and saves the store's PEMs beside it (dist/pki/root-store-pems.json), so a
 * root lookup at run time parses nothing and loads neither node:tls nor node:crypto (see
 * src/pki/root-store.ts).
 */
import { writeFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { COMPILED_ROOT_PEMS, COMPILED_ROOT_STORE, compileRootStore } from '../../dist/pki/root-store.js';

const compiled = compileRootStore(rootCertificates);
writeFileSync(COMPILED_ROOT_PEMS, JSON.stringify(rootCertificates));
writeFileSync(COMPILED_ROOT_STORE, JSON.stringify(compiled));
console.log(
  `root store: ${compiled.roots.length} roots indexed into dist/pki/root-store.json (${compiled.node})`,
);
