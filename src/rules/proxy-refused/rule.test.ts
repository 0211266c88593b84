/** @module proxy-refused: CONNECT refused or proxy authentication; an ICM 407 with an SSSL code is not a proxy error. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: proxy answered 407 to CONNECT → credentials', () => {
  const ev = event('connection-failure', {
    problem: 'proxy-auth',
    message: 'proxy returned 407',
    target: { host: 'api.example.com', port: 443 },
    proxy: { host: 'proxy.corp', port: 8080, status: 407 },
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'proxy');
  assert.equal(f?.confidence, 'certain');
  assert.match(f?.steps[0] ?? '', /credentials/);
  assert.match(f?.title ?? '', /proxy\.corp:8080/);
});

test('pass: ICM 426 without a SapSSL code', () => {
  const ev = event('ssl-failure', {
    origin: 'abap-message',
    icm: { number: 426, name: 'ICM_HTTP_PROXY_HTTP_ERROR' },
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.cause, 'proxy');
});

test('fail: "HTTP error 407" with SSSLERR_SSL_READ is the ICM SSL error, not the proxy', () => {
  const ev = event('ssl-failure', {
    origin: 'abap-message',
    icm: { number: 407, name: 'ICM_HTTP_SSL_ERROR' },
    error: { name: 'SSSLERR_SSL_READ', number: -58 },
    appMessage: 'HTTP error 407 occured',
  });
  assert.equal(runRule(rule, [ev]).findings.length, 0);
});

test('not applicable: no connection or SSL failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['proxy-refused']);
});
