/** @module inbound-client-cert: client CA missing in the SSL server PSE; forwarding proxy not trusted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: an untrusted client certificate → import its CA into SSL server Standard', () => {
  const ev = event('inbound-cert', {
    problem: 'client-cert-untrusted',
    message: 'client certificate not trusted',
    subject: 'CN=CC, O=X',
    issuer: 'CN=X Issuing CA, O=X',
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'untrusted-root');
  assert.equal(f?.role, 'server');
  assert.deepEqual(f?.import?.into, [{ node: 'SSL server Standard', file: 'SAPSSLS.pse' }]);
  assert.match(f?.import?.reason ?? '', /intermediate CA is the missing link|issuing|root/);
});

test('pass: "intermediary is NOT trusted" → the reverse proxy must be trusted', () => {
  const ev = event('inbound-cert', {
    problem: 'intermediary-not-trusted',
    message: 'HttpIsReverseProxyTrustworthy: intermediary is NOT trusted',
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'client-cert-rejected');
  assert.ok(f?.steps.some((s) => s.includes('icm/trusted_reverse_proxy_<x>')));
});

test("fail: an anonymous client is another rule's business", () => {
  assert.equal(
    runRule(rule, [event('inbound-cert', { problem: 'no-client-cert', message: 'anonymous' })]).findings
      .length,
    0,
  );
});

test('not applicable: no inbound certificate events', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['inbound-client-cert']);
});
