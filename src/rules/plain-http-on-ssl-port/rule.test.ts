/** @module plain-http-on-ssl-port: -26/-25/-27 inbound; "wrong version number" outbound. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: SSSLERR_HTTP_REQUEST → a client spoke HTTP to the HTTPS port', () => {
  const f = runRule(rule, [
    event('ssl-failure', {
      origin: 'trace',
      error: { name: 'SSSLERR_HTTP_REQUEST', number: -26 },
      peer: { ip: '10.1.2.3' },
    }),
  ]).findings[0];
  assert.equal(f?.cause, 'not-ssl-port');
  assert.equal(f?.role, 'server');
  assert.match(f?.title ?? '', /plain HTTP request/);
});

test('pass: outbound "wrong version number" → the target port is not TLS', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'client',
    errorText: 'SSL routines: wrong version number',
    target: { host: 'h.example.com', port: 80 },
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.confidence, 'likely');
});

test('fail: a trust failure is not a port problem', () => {
  assert.equal(
    runRule(rule, [
      event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 } }),
    ]).findings.length,
    0,
  );
});

test('not applicable: no SSL failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['plain-http-on-ssl-port']);
});
