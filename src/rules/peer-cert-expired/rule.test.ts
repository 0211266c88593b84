/** @module peer-cert-expired: expired per dates or code; wrong host offered when only the peer address is known. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: the dump shows the leaf for the target host expired → certain', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_EXPIRED' },
    target: { host: 'old.example.com', port: 443 },
    certificates: [
      { depth: 0, subject: 'CN=old.example.com', issuer: 'CN=CA', notAfter: '2021-01-01T00:00:00Z' },
    ],
  });
  const r = runRule(rule, [ev]);
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0]?.cause, 'expired-peer-cert');
  assert.equal(r.findings[0]?.confidence, 'certain');
});

test('pass: only the code and a peer address → expired (likely) and wrong host (possible)', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'client',
    error: { name: 'SSSLERR_PEER_CERT_EXPIRED' },
    targetHostname: 'a.example.com',
    peer: { ip: '192.0.2.9' },
  });
  const r = runRule(rule, [ev]);
  assert.deepEqual(
    r.findings.map((f) => `${f.cause}/${f.confidence}`),
    ['expired-peer-cert/likely', 'wrong-host/possible'],
  );
});

test('fail: a valid chain with another error is not expired', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    certificates: [
      { depth: 0, subject: 'CN=a', notBefore: '2024-01-01T00:00:00Z', notAfter: '2030-01-01T00:00:00Z' },
    ],
  });
  assert.equal(runRule(rule, [ev]).findings.length, 0);
});

test('not applicable: no SSL failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['peer-cert-expired']);
});
