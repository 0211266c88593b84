/**
 * @module Golden sample report: the JSON report of examples/dev_icm, diffed against test/golden/dev_icm.report.json.
 * A change in wording or structure shows up here as a reviewable diff (UPDATE_GOLDEN=1 rewrites the file).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../src/analyze.js';
import { renderJson } from '../src/report/json.js';
import { REPO_ROOT } from './helpers/fixtures.js';
import { assertValidReport } from './helpers/report-schema.js';

const GOLDEN = join(REPO_ROOT, 'test', 'golden', 'dev_icm.report.json');

test('examples/dev_icm gives the golden report', async () => {
  const report = await analyze(['examples/dev_icm'], {
    now: new Date('2025-06-01T00:00:00Z'),
    cwd: REPO_ROOT,
  });
  assertValidReport(report);
  report.toolVersion = '(any)';
  const text = renderJson(report);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
  assert.deepEqual(
    JSON.parse(text),
    JSON.parse(readFileSync(GOLDEN, 'utf8')),
    'report changed: review, then UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden-report && npx biome check --write test/golden',
  );
});
