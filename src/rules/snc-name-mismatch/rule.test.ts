/** @module snc-name-mismatch: doubled realm, names to compare with SU01, partner name / ACL errors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: a doubled realm is likely the mapping problem', () => {
  const f = runRule(rule, [event('snc-name', { name: 'CN=DAVID@XS.CONTOSO.COM@CONTOSO.COM' })]).findings[0];
  assert.equal(f?.cause, 'snc-name');
  assert.equal(f?.confidence, 'likely');
  assert.equal(f?.role, 'server');
  assert.equal(f?.pse?.node, 'SNC SAPCryptolib');
});

test('pass: a clean name is only a lead to compare with SU01 (possible, warning)', () => {
  const f = runRule(rule, [event('snc-name', { name: 'CN=DAVID@CONTOSO.COM' })]).findings[0];
  assert.equal(f?.confidence, 'possible');
  assert.equal(f?.severity, 'warning');
  assert.match(f?.steps[0] ?? '', /SU01/);
});

test('pass: A2200202 partner name differs', () => {
  const ev = event('snc-failure', {
    gssMinor: { code: 'A2200202', text: 'Actual server name differs from the expected one' },
    sncTarget: 'p:CN=A4H',
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.cause, 'snc-name');
});

test('fail: missing credentials are not a name problem', () => {
  assert.equal(
    runRule(rule, [event('snc-failure', { gssMajor: 'No credentials were supplied' })]).findings.length,
    0,
  );
});

test('not applicable: no SNC evidence', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['snc-name-mismatch']);
});
