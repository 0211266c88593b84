/** @module snc-peer-untrusted: A2200210 → the partner's certificate belongs into the SNC PSE. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'A2200210 → untrusted-root in SNC SAPCryptolib',
      events: [
        event('snc-failure', {
          gssMinor: { code: 'A2200210', text: 'Peer certificate verification failed' },
        }),
      ],
      findings: [{ cause: 'untrusted-root' }],
      check: ([f]) => {
        assert.equal(f?.pse?.basename, 'SAPSNCS.pse');
        assert.ok(f?.kb.includes('A2200210'));
      },
    },
  ],
  staysSilent: [
    {
      name: 'no credentials is another rule',
      events: [event('snc-failure', { gssMajor: 'No credentials were supplied' })],
    },
  ],
  notApplicable: [{ name: 'no SNC failure', events: [] }],
});
