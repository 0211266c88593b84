/**
 * @module Loads the recognition model once per process: dist/kb/recognizer.json when the build made it
 * (small: phrases, patterns and the entries' recognition keys only), else compiled from kb/*.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readKbDirectory } from '../load-kb.js';
import { Recognizer } from './matcher.js';
import { compileRecognizer, type RecognizerData } from './model.js';

/** Where the build writes the compiled model (beside dist/kb/index.json). */
export const COMPILED_RECOGNIZER = fileURLToPath(new URL('../recognizer.json', import.meta.url));

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
  const data: RecognizerData = existsSync(COMPILED_RECOGNIZER)
    ? (JSON.parse(readFileSync(COMPILED_RECOGNIZER, 'utf8')) as RecognizerData)
    : compileRecognizer(readKbDirectory());
  loaded = new Recognizer(data);
  return loaded;
}
