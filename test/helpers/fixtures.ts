/** @module Locates ../shared/fixtures (never copied into the repo) and skips visibly when it is absent. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The shared fixtures folder, or undefined when this clone has no ../shared beside it. */
export const SHARED_FIXTURES: string | undefined = (() => {
  const dir = process.env.PSE_DOCTOR_SHARED_FIXTURES ?? join(REPO_ROOT, '..', 'shared', 'fixtures');
  return existsSync(dir) ? dir : undefined;
})();

/**
 * Options for `test()`/`describe()` that skip with a visible reason when the shared fixtures are absent.
 * Under CI (CI=true) a missing fixtures folder is a failure, not a skip.
 */
export function fixturesOrSkip(): { skip: string | false } {
  if (SHARED_FIXTURES) return { skip: false };
  if (process.env.CI === 'true') throw new Error('../shared/fixtures is required under CI but missing');
  return { skip: '../shared/fixtures not found beside this clone (fixture tests skipped)' };
}

/** Path inside the shared fixtures. Call only when `fixturesOrSkip()` did not skip. */
export function fixturePath(...parts: string[]): string {
  if (!SHARED_FIXTURES) throw new Error('shared fixtures missing');
  return join(SHARED_FIXTURES, ...parts);
}

/** List fixture files of a sub folder matching a suffix, sorted. Empty when fixtures are absent. */
export function listFixtures(sub: string, suffix: string): string[] {
  if (!SHARED_FIXTURES) return [];
  const dir = join(SHARED_FIXTURES, sub);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * The files of trace and message text a line-level property is checked on: the shared real traces and
 * cases (when present), the self-written ones, the recognition cases and examples/dev_icm.
 */
export function textFixtureFiles(): string[] {
  const local = (dir: string) =>
    readdirSync(join(REPO_ROOT, dir))
      .filter((n) => n.endsWith('.txt') || n === 'dev_icm')
      .sort()
      .map((n) => join(REPO_ROOT, dir, n));
  return [
    ...listFixtures('real/traces', '.txt'),
    ...listFixtures('real/cases', '.txt'),
    ...local('test/self-written'),
    ...local('test/recognition/cases'),
    ...local('examples'),
  ];
}

/**
 * Every line of `textFixtureFiles()`: decoded as UTF-8 and split at LF or CRLF by default; `latin1`
 * keeps every byte as a character, `keepCr` leaves the CR of a CRLF at the end of its line.
 */
export function textFixtureLines(opts: { encoding?: 'utf8' | 'latin1'; keepCr?: boolean } = {}): string[] {
  const split = opts.keepCr ? '\n' : /\r?\n/;
  return textFixtureFiles().flatMap((f) => readFileSync(f, opts.encoding ?? 'utf8').split(split));
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
