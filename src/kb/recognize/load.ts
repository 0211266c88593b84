/**
 * @module Loads the recognition model once per process: dist/kb/recognizer.json when the build made it
 * (phrases, patterns and entry ids; each entry is read from dist/kb/recognizer-entries.json when a line first
 * shows it), else compiled from kb/*.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readKbDirectory } from '../read-kb-directory.js';
import { Recognizer } from './matcher.js';
import { compileRecognizer, type StoredRecognizer } from './model.js';

/** Where the build writes the compiled model (beside dist/kb/index.json)… */
export const COMPILED_RECOGNIZER = fileURLToPath(new URL('../recognizer.json', import.meta.url));
/** …and its entries, each read when a line first shows it. */
export const COMPILED_RECOGNIZER_ENTRIES = fileURLToPath(
  new URL('../recognizer-entries.json', import.meta.url),
);

let loaded: Recognizer | undefined;

/**
 * Bench-only switch (docs/benchmarks.md): `PSE_DOCTOR_NO_KB_MATCH=1` makes `analyze` match no line
 * against the knowledge model, so the bench can measure what compiling and consulting it costs. Never
 * for users: lines only the model knows then go unrecognised.
 */
export function kbMatchDisabled(): boolean {
  return process.env.PSE_DOCTOR_NO_KB_MATCH === '1';
}

/** The recogniser over the whole knowledge base (the same model `explain` and `analyze` use). */
export function loadRecognizer(): Recognizer {
  if (loaded) return loaded;
  loaded =
    existsSync(COMPILED_RECOGNIZER) && existsSync(COMPILED_RECOGNIZER_ENTRIES)
      ? new Recognizer(
          JSON.parse(readFileSync(COMPILED_RECOGNIZER, 'utf8')) as StoredRecognizer,
          COMPILED_RECOGNIZER_ENTRIES,
        )
      : new Recognizer(compileRecognizer(readKbDirectory()));
  return loaded;
}
