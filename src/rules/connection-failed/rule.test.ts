/** @module connection-failed: TCP-level failures (refused, timeout, unknown host) and ICM connect codes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: NIECONN_REFUSED → network, certain', () => {
  const ev = event('connection-failure', {
    problem: 'refused',
    message: 'Direct connect to api.example.com:443 failed NIECONN_REFUSED(-10)',
    target: { host: 'api.example.com', port: 443 },
    error: { name: 'NIECONN_REFUSED', number: -10 },
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'network');
  assert.match(f?.title ?? '', /refused the connection/);
});

test('pass: ICM 417 (host unknown) without SapSSL code', () => {
  const f = runRule(rule, [event('ssl-failure', { origin: 'abap-message', icm: { number: 417 } })])
    .findings[0];
  assert.match(f?.title ?? '', /could not be resolved/);
});

test('fail: proxy refusals and TLS failures are not TCP failures', () => {
  const proxy = event('connection-failure', { problem: 'proxy-refused', message: 'proxy returned 403' });
  const tls = event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_SSL_READ', number: -58 } });
  assert.equal(runRule(rule, [proxy, tls]).findings.length, 0);
});

test('not applicable: no failures', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['connection-failed']);
});
