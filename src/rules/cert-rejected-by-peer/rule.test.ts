/** @module cert-rejected-by-peer: certificate alerts from the peer → our server or client certificate is rejected. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

const unknownAlert = { text: 'received a fatal TLS certificate unknown alert message from the peer' };

test('pass: server role, certificate_unknown received → own certificate rejected (certain)', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'server',
    pseFile: '/usr/sap/NPL/D00/sec/SAPSSLS.pse',
    alert: unknownAlert,
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'own-cert-rejected');
  assert.equal(f?.confidence, 'certain');
  assert.equal(f?.pse?.node, 'SSL server Standard');
});

test('pass: client role with an identity PSE → client certificate rejected', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'client',
    pseFile: 'SAPSSLC.pse',
    alert: { text: 'received a fatal TLS unknown ca alert message from the peer' },
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.cause, 'client-cert-rejected');
});

test('pass: certificate_expired received → expired own certificate', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'server',
    alert: { text: 'received a fatal TLS certificate expired alert message from the peer' },
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.cause, 'expired-own-cert');
});

test('fail: a handshake_failure alert is not about our certificate', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    alert: { text: 'received a fatal TLS handshake failure alert message from the peer' },
  });
  assert.equal(runRule(rule, [ev]).findings.length, 0);
});

test('not applicable: no SSL failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['cert-rejected-by-peer']);
});
