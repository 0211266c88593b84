/** @module --fail-on parsing and the exit code it gives. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isToolError } from '../model/errors.js';
import { exitCodeForFindings, parseFailOn } from './fail-on.js';

test('parseFailOn accepts the severities, never and its synonym none', () => {
  assert.equal(parseFailOn(undefined), 'error');
  assert.equal(parseFailOn('Warning'), 'warning');
  assert.equal(parseFailOn('never'), 'never');
  assert.equal(parseFailOn('none'), 'never');
  assert.throws(
    () => parseFailOn('fatal'),
    (e: unknown) => isToolError(e) && /never/.test(e.message),
  );
});

test('exit code is 1 only for findings at or above the threshold', () => {
  const warn = [{ severity: 'warning' as const }];
  assert.equal(exitCodeForFindings(warn, 'error'), 0);
  assert.equal(exitCodeForFindings(warn, 'warning'), 1);
  assert.equal(exitCodeForFindings(warn, 'info'), 1);
  assert.equal(exitCodeForFindings([{ severity: 'error' as const }], 'never'), 0);
  assert.equal(exitCodeForFindings([], 'info'), 0);
});
