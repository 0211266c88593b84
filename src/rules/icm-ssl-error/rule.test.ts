/** @module icm-ssl-error: ICM 407 without the SapSSL code → ranked hypotheses and the ICM trace to collect. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: "HTTP error 407" alone → untrusted root likely, others possible, collect dev_icm', () => {
  const ev = event('ssl-failure', {
    origin: 'abap-message',
    icm: { number: 407, name: 'ICM_HTTP_SSL_ERROR' },
    target: { host: 'github.com', port: 443 },
  });
  const r = runRule(rule, [ev]);
  assert.deepEqual(
    r.findings.map((f) => `${f.cause}/${f.confidence}`),
    ['untrusted-root/likely', 'tls-version/possible', 'not-ssl-port/possible'],
  );
  assert.ok(r.findings[0]?.collect?.some((c) => c.includes('trace level to 2')));
  assert.match(r.findings[0]?.summary ?? '', /not a proxy error/);
});

test('fail: with the SapSSL code the specific rules decide', () => {
  const ev = event('ssl-failure', {
    origin: 'abap-message',
    icm: { number: 407 },
    error: { name: 'SSSLERR_SSL_READ', number: -58 },
  });
  assert.equal(runRule(rule, [ev]).findings.length, 0);
});

test('not applicable: no SSL failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['icm-ssl-error']);
});
