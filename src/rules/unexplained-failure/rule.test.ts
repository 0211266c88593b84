/** @module unexplained-failure: the fallback names failures nobody explained, and only those. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, evidenceOf, testRule } from '../../../test/helpers/rule-tester.js';
import { runRules } from '../../engine/run-rules.js';
import untrusted from '../untrusted-peer-chain/rule.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'an SSL failure no rule explains → unknown, with what to collect',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: { name: 'SSSLERR_THREAD_MALFUNCT', number: -29 },
          target: { host: 'h', port: 1 },
        }),
      ],
      findings: [{ cause: 'unknown', confidence: 'possible' }],
      check: ([f]) => assert.ok(f?.collect?.length),
    },
  ],
  staysSilent: [
    {
      name: 'informational inbound lines are not failures',
      events: [event('inbound-cert', { problem: 'other', message: 'Trusted certificate: CN=x' })],
    },
  ],
  notApplicable: [{ name: 'no failure events', events: [event('snc-name', { name: 'x' })] }],
});

// Beside another rule (the tables run one rule alone): a failure that rule explains gets no unknown finding.
test('unexplained-failure stays silent on a failure untrusted-peer-chain explains', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
  });
  const r = runRules(evidenceOf([ev]), [untrusted, rule]);
  assert.ok(r.findings.some((f) => f.rule === 'untrusted-peer-chain'));
  assert.ok(r.findings.every((f) => f.cause !== 'unknown'));
});
