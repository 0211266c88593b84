/** @module snc-peer-untrusted: A2200210 → the partner's certificate belongs into the SNC PSE. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: A2200210 → untrusted-root in SNC SAPCryptolib', () => {
  const f = runRule(rule, [
    event('snc-failure', { gssMinor: { code: 'A2200210', text: 'Peer certificate verification failed' } }),
  ]).findings[0];
  assert.equal(f?.cause, 'untrusted-root');
  assert.equal(f?.pse?.basename, 'SAPSNCS.pse');
  assert.ok(f?.kb.includes('A2200210'));
});

test('fail: no credentials is another rule', () => {
  assert.equal(
    runRule(rule, [event('snc-failure', { gssMajor: 'No credentials were supplied' })]).findings.length,
    0,
  );
});

test('not applicable: no SNC failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['snc-peer-untrusted']);
});
