/** @module hana-client-trust: missing trust store file (RTE 300010) and untrusted server certificates. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'the trust store cannot be found → pse-missing with the file to create',
      events: [
        event('client-error', {
          client: 'hana-client',
          code: 'RTE_300010',
          message: 'SSL trust store cannot be found: /home/u/.ssl/trust.pem',
          path: '/home/u/.ssl/trust.pem',
          problem: 'trust-store-missing',
        }),
      ],
      findings: [{ cause: 'pse-missing' }],
      check: ([f]) => {
        assert.equal(f?.pse?.file, '/home/u/.ssl/trust.pem');
        assert.equal(f?.import?.into[0]?.store, 'hana-truststore');
        assert.ok(f?.steps.some((s) => /sslValidateCertificate=false only hides/.test(s)));
      },
    },
  ],
  staysSilent: [
    {
      name: 'browser errors are not HANA client errors',
      events: [event('client-error', { client: 'browser', message: 'x', problem: 'handshake-failure' })],
    },
  ],
  notApplicable: [{ name: 'no client errors', events: [] }],
});
