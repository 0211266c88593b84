/** @module hana-client-trust: missing trust store file (RTE 300010) and untrusted server certificates. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: trust store cannot be found → pse-missing with the file to create', () => {
  const ev = event('client-error', {
    client: 'hana-client',
    code: 'RTE_300010',
    message: 'SSL trust store cannot be found: /home/u/.ssl/trust.pem',
    path: '/home/u/.ssl/trust.pem',
    problem: 'trust-store-missing',
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'pse-missing');
  assert.equal(f?.pse?.file, '/home/u/.ssl/trust.pem');
  assert.equal(f?.import?.into[0]?.store, 'hana-truststore');
  assert.ok(f?.steps.some((s) => /sslValidateCertificate=false only hides/.test(s)));
});

test('fail: browser errors are not HANA client errors', () => {
  assert.equal(
    runRule(rule, [event('client-error', { client: 'browser', message: 'x', problem: 'handshake-failure' })])
      .findings.length,
    0,
  );
});

test('not applicable: no client errors', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['hana-client-trust']);
});
