/** @module crypto-lib-not-loaded: DLENOACCESS, 32/64-bit SNC libraries, SSSLERR_LIB_NOT_FOUND. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: DLENOACCESS with "Access is denied" → permissions on the library', () => {
  const ev = event('lib-load-failure', {
    library: 'C:\\sec\\sapcrypto.dll',
    error: { name: 'DLENOACCESS' },
    osError: { code: '5', text: 'Access is denied.' },
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'lib-not-found');
  assert.equal(f?.confidence, 'certain');
  assert.match(f?.steps[0] ?? '', /read and execute rights on C:\\sec\\sapcrypto\.dll/);
});

test('pass: SNCERR_INIT with error 193 → wrong architecture', () => {
  const ev = event('snc-failure', {
    role: 'client',
    error: { name: 'SNCERR_INIT' },
    errorDetail: 'Unable to load GSS-API DLL',
    detail: 'Error 193',
    library: 'C:\\Windows\\sysWOW64\\sncgss32.dll',
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.match(f?.title ?? '', /wrong architecture/);
  assert.equal(f?.role, 'client');
});

test('pass: SSSLERR_LIB_NOT_FOUND (-1)', () => {
  const f = runRule(rule, [
    event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_LIB_NOT_FOUND', number: -1 } }),
  ]).findings[0];
  assert.equal(f?.cause, 'lib-not-found');
});

test('fail: SNC failures of another kind', () => {
  assert.equal(
    runRule(rule, [event('snc-failure', { gssMajor: 'No credentials were supplied' })]).findings.length,
    0,
  );
});

test('not applicable: none of its kinds', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['crypto-lib-not-loaded']);
});
