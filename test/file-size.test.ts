/** @module House rule carried by a test: no source file in src/ over 600 lines (generated data aside), each opens with its @module line. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './helpers/fixtures.js';

const SRC = join(REPO_ROOT, 'src');
const MAX_LINES = 600;
/** Generated data files, exempt from the limit (none today; list them here with the script that writes them). */
const GENERATED: readonly string[] = [];

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (/\.(?:ts|mjs|js)$/.test(name)) out.push(path);
  }
  return out;
}

test(`no file in src/ is longer than ${MAX_LINES} lines`, () => {
  const long = files(SRC)
    .map((f) => ({ file: relative(SRC, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
    .filter((f) => f.lines > MAX_LINES && !GENERATED.includes(f.file))
    .map((f) => `${f.file}: ${f.lines} lines`);
  assert.deepEqual(long, []);
});

test('every source file opens with a one-line @module comment', () => {
  const missing = files(SRC)
    .filter((f) => f.endsWith('.ts'))
    .filter((f) => !/^\/\*\*[\s*]*@module\s/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SRC, f));
  assert.deepEqual(missing, []);
});
