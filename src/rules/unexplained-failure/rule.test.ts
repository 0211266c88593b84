/** @module unexplained-failure: the fallback names failures nobody explained, and only those. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, evidenceOf, runRule } from '../../../test/helpers/rule-harness.js';
import { runRules } from '../../engine/run-rules.js';
import untrusted from '../untrusted-peer-chain/rule.js';
import rule from './rule.js';

test('pass: an SSL failure no rule explains gets an unknown finding with what to collect', () => {
  const f = runRule(rule, [
    event('ssl-failure', {
      origin: 'trace',
      error: { name: 'SSSLERR_THREAD_MALFUNCT', number: -29 },
      target: { host: 'h', port: 1 },
    }),
  ]).findings[0];
  assert.equal(f?.cause, 'unknown');
  assert.equal(f?.confidence, 'possible');
  assert.ok(f?.collect?.length);
});

test('fail: an explained failure gets no unknown finding', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
  });
  const r = runRules(evidenceOf([ev]), [untrusted, rule]);
  assert.ok(r.findings.every((f) => f.cause !== 'unknown'));
});

test('not applicable: no failure events', () => {
  assert.deepEqual(runRule(rule, [event('snc-name', { name: 'x' })]).notApplicable, ['unexplained-failure']);
});

test('fail: informational inbound lines are not failures', () => {
  assert.equal(
    runRule(rule, [event('inbound-cert', { problem: 'other', message: 'Trusted certificate: CN=x' })])
      .findings.length,
    0,
  );
});
