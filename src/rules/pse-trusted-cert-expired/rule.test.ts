/** @module pse-trusted-cert-expired: expired and not-yet-valid certificates in a PSE's list, one finding per PSE. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cert, pseList, runOn } from '../../../test/helpers/trust-list-evidence.js';
import rule from './rule.js';

test('fail: two expired roots in SAPSSLA.pse give one info finding listing both', () => {
  const old1 = cert('CN=Old Root 1', { notAfter: '2021-05-30T10:48:38.000Z' });
  const old2 = cert('CN=Old Root 2', { notAfter: '2024-01-01T00:00:00.000Z' });
  const findings = runOn(rule, [pseList('/sec/SAPSSLA.pse', [cert('CN=Good Root'), old1, old2])]);
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(
    f?.title,
    '2 expired certificate(s) in the certificate list of SAPSSLA.pse (SSL client Anonymous)',
  );
  assert.equal(f?.severity, 'info');
  assert.equal(f?.cause, 'expired-own-cert');
  assert.deepEqual(
    f?.certificates?.map((c) => [c.subject, c.position]),
    [
      ['CN=Old Root 1', 'trusted'],
      ['CN=Old Root 2', 'trusted'],
    ],
  );
  assert.match(f?.summary ?? '', /"Old Root 1", expired 2021-05-30/);
  assert.ok(f?.steps.some((s) => s.includes('sapgenpse maintain_pk -p SAPSSLA.pse -d')));
});

test('fail: a not-yet-valid certificate is reported apart', () => {
  const [f] = runOn(rule, [
    pseList('/sec/SAPSSLC.pse', [cert('CN=Future', { notBefore: '2027-01-01T00:00:00.000Z' })]),
  ]);
  assert.match(f?.title ?? '', /not valid yet/);
});

test('pass: only valid certificates', () => {
  assert.deepEqual(runOn(rule, [pseList('/sec/SAPSSLC.pse', [cert('CN=A'), cert('CN=B')])]), []);
});

test('not applicable: trust lists that are not SAP PSEs are ignored', () => {
  const event = pseList('/etc/ssl/ca.pem', [cert('CN=Old', { notAfter: '2020-06-01T00:00:00.000Z' })]);
  event.list.storeKind = 'file-list';
  assert.deepEqual(runOn(rule, [event]), []);
});
