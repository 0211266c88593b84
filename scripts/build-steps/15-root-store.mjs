#!/usr/bin/env node
/**
 * @module Build step: compiles the index of Node's Mozilla root store into dist/pki/root-store.json (the
 * lookup keys, and where each root's record lies; ASCII, so read whole it makes a one-byte string) and
 * dist/pki/root-store-roots.json (every root described in full with its PEM, one record read per root a
 * lookup returns), so a root lookup at run time parses only the keys and loads neither node:tls nor
 * node:crypto (see src/pki/root-store.ts).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { asciiJson } from '../../dist/compiled/ranged-json.js';
import { COMPILED_ROOT_RECORDS, COMPILED_ROOT_STORE, compileRootStore } from '../../dist/pki/root-store.js';

const { store, records } = compileRootStore(rootCertificates);
writeFileSync(COMPILED_ROOT_RECORDS, records);
writeFileSync(COMPILED_ROOT_STORE, asciiJson(store));
// The PEM list earlier builds saved beside the index (now in the records).
rmSync(fileURLToPath(new URL('../../dist/pki/root-store-pems.json', import.meta.url)), { force: true });
console.log(
  `root store: ${store.roots.length / 3} roots indexed into dist/pki/root-store.json and root-store-roots.json (${store.node})`,
);
