/** @module pse-duplicate-certs: the same certificate twice, and different certificates with one subject. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cert, pseList, runOn } from '../../../test/helpers/trust-list-evidence.js';
import rule from './rule.js';

test('fail: an entry listed twice (reader-reported duplicates) is a certain info finding', () => {
  const root = cert('CN=Root X, O=Example');
  const event = pseList('/sec/SAPSSLC.pse', [root], {
    duplicates: [{ sha256: root.sha256 ?? '', subject: root.subject, count: 2 }],
  });
  const [f, ...rest] = runOn(rule, [event]);
  assert.equal(rest.length, 0);
  assert.equal(f?.title, '"Root X" is in the certificate list of SAPSSLC.pse (SSL client Standard) 2 times');
  assert.equal(f?.confidence, 'certain');
  assert.equal(f?.severity, 'info');
});

test('fail: two certificates with the same subject (one expired) are a possible cause, warning', () => {
  const old = cert('CN=Issuing CA, O=Example', { notAfter: '2024-01-01T00:00:00.000Z' });
  const renewed = cert('O=Example, CN=Issuing CA'.split(', ').reverse().join(', '));
  const [f] = runOn(rule, [pseList('/sec/SAPSSLA.pse', [old, renewed, cert('CN=Other')])]);
  assert.equal(f?.title, '2 different certificates named "Issuing CA" in SAPSSLA.pse (SSL client Anonymous)');
  assert.equal(f?.cause, 'untrusted-root');
  assert.equal(f?.confidence, 'possible');
  assert.equal(f?.severity, 'warning');
  assert.match(f?.summary ?? '', /\(1 of them expired\)/);
  assert.equal(f?.certificates?.length, 2);
});

test('pass: distinct subjects, no duplicates', () => {
  assert.deepEqual(runOn(rule, [pseList('/sec/SAPSSLC.pse', [cert('CN=A'), cert('CN=B')])]), []);
});
