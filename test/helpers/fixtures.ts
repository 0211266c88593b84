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

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
