/** @module own-cert-expired: the own certificate of a PSE listing or PSE file is past NotAfter. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: get_my_name shows NotAfter in the past (sapgenpse date form)', () => {
  const ev = event('sapgenpse', {
    command: 'get_my_name',
    pseFile: '/usr/sap/ABC/D00/sec/SAPSSLS.pse',
    own: { subject: 'CN=abc', notAfter: 'Thu Mar 30 11:21:33 2017 (170330102133Z)' },
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'expired-own-cert');
  assert.equal(f?.pse?.node, 'SSL server Standard');
  assert.equal(f?.role, 'server');
});

test('pass: a PSE file whose own certificate expired', () => {
  const ev = event('trust-list', {
    list: {
      storeKind: 'sap-pse',
      file: 'SAPSSLC.pse',
      certificates: [],
      own: { subject: 'CN=me', notAfter: '2020-01-01T00:00:00Z' },
    },
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.pse?.node, 'SSL client Standard');
});

test('fail: a valid own certificate, and a certificate request, are not expired', () => {
  const valid = event('sapgenpse', { own: { subject: 'CN=x', notAfter: '2099-01-01T00:00:00Z' } });
  const request = event('sapgenpse', { request: { subject: 'CN=x' } });
  assert.equal(runRule(rule, [valid, request]).findings.length, 0);
});

test('not applicable: no listing or PSE', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['own-cert-expired']);
});

test('SSL client Anonymous (SAPSSLA.pse, CN=anonymous): expired but never sent → info, with the reason', () => {
  const pseFile = event('trust-list', {
    list: {
      storeKind: 'sap-pse',
      file: '/usr/sap/ABC/D00/sec/SAPSSLA.pse',
      certificates: [],
      own: { subject: 'CN=anonymous', notAfter: '2020-01-01T00:00:00Z' },
    },
  });
  const listing = event('sapgenpse', {
    command: 'get_my_name',
    own: { subject: 'CN=anonymous', notAfter: '2019-01-01T00:00:00Z' },
  });
  const { findings } = runRule(rule, [pseFile, listing]);
  assert.equal(findings.length, 2);
  for (const f of findings) {
    assert.equal(f.cause, 'expired-own-cert');
    assert.equal(f.severity, 'info');
    assert.match(f.summary, /never sends its certificate to a peer/);
    assert.match(f.title, /harmless/);
  }
  assert.equal(findings.find((f) => f.pse)?.pse?.node, 'SSL client Anonymous');
  // SSL client Standard with the same dates stays an error.
  const standard = event('trust-list', {
    list: {
      storeKind: 'sap-pse',
      file: '/usr/sap/ABC/D00/sec/SAPSSLC.pse',
      certificates: [],
      own: { subject: 'CN=ABC SSL client Standard, O=Corp', notAfter: '2020-01-01T00:00:00Z' },
    },
  });
  assert.equal(runRule(rule, [standard]).findings[0]?.severity, 'error');
});
