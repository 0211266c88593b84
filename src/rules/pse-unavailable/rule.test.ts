/** @module pse-unavailable: SSL credential not found, PSE errors, sapgenpse cannot open a PSE. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: ICM 414 / CRED_NOT_FOUND → the chosen SSL client PSE is missing', () => {
  const f = runRule(rule, [event('ssl-failure', { origin: 'abap-message', icm: { number: 414 } })])
    .findings[0];
  assert.equal(f?.cause, 'pse-missing');
  assert.equal(f?.confidence, 'certain');
});

test('pass: sapgenpse "Couldn\'t open PSE (Decoding error)" → a PIN/credential problem', () => {
  const ev = event('sapgenpse', {
    command: 'get_my_name',
    pseFile: '/x/local.pse',
    error: { message: 'Couldn\'t open PSE "/x/local.pse" (Decoding error)', reason: 'Decoding error' },
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'pse-credential');
  assert.equal(f?.pse?.file, '/x/local.pse');
});

test('fail: a sapgenpse listing without error', () => {
  assert.equal(
    runRule(rule, [event('sapgenpse', { command: 'get_my_name', pseFile: '/x/local.pse' })]).findings.length,
    0,
  );
});

test('not applicable: no SSL failure, PSE problem or sapgenpse output', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['pse-unavailable']);
});
