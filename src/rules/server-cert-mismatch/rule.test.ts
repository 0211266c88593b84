/** @module server-cert-mismatch: ranks wrong name, missing SNI and wrong host by what the evidence shows. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

const mismatch = { name: 'SSSLERR_SERVER_CERT_MISMATCH', number: -30 };

test('pass: same domain, other name → the certificate lacks the name (likely)', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: mismatch,
    targetHostname: 'api.example.com',
    serverCertSubject: 'CN=www.example.com, O=Example',
    sni: 'api.example.com',
  });
  const r = runRule(rule, [ev]);
  assert.equal(r.findings[0]?.cause, 'hostname-mismatch');
  assert.equal(r.findings[0]?.confidence, 'likely');
  assert.ok(!r.findings.some((f) => f.cause === 'sni-missing'), 'SNI was sent');
});

test('pass: SNI sent and an unrelated certificate → wrong host first', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: mismatch,
    targetHostname: 'files.example.net',
    serverCertSubject: 'CN=other.example.org',
    sni: 'files.example.net',
    peer: { ip: '198.51.100.1' },
  });
  const r = runRule(rule, [ev]);
  assert.equal(r.findings[0]?.cause, 'wrong-host');
  assert.equal(r.findings[0]?.confidence, 'likely');
});

test('pass: SNI switched off by parameter → sni-missing with the parameters to set', () => {
  const info = event('trace-info', {
    traceLevel: 2,
    parameters: { 'icm/HTTPS/client_sni_enabled': 'FALSE' },
  });
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: mismatch,
    targetHostname: 'x.example.com',
    serverCertSubject: 'CN=cdn.example.org',
  });
  const r = runRule(rule, [info, ev]);
  assert.equal(r.findings[0]?.cause, 'sni-missing');
  assert.deepEqual(
    r.findings[0]?.parameters?.map((p) => `${p.name}=${p.value}`),
    ['icm/HTTPS/client_sni_enabled=TRUE', 'ssl/client_sni_enabled=TRUE'],
  );
});

test('pass: placeholders only → three possible hypotheses, none certain', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: mismatch,
    targetHostname: '<fqdn>',
    serverCertSubject: '<CN=<x>, (...)>',
    peer: { ip: '<ip>' },
  });
  const r = runRule(rule, [ev]);
  assert.deepEqual(r.findings.map((f) => f.cause).sort(), ['hostname-mismatch', 'sni-missing', 'wrong-host']);
  assert.ok(r.findings.every((f) => f.confidence === 'possible'));
});

test('fail: another error code is not a name mismatch', () => {
  const ev = event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_SSL_READ', number: -58 } });
  assert.equal(runRule(rule, [ev]).findings.length, 0);
});

test('not applicable: no SSL failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['server-cert-mismatch']);
});
