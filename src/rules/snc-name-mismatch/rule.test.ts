/** @module snc-name-mismatch: doubled realm, names to compare with SU01, partner name / ACL errors. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'a doubled realm is likely the mapping problem (server role, SNC PSE)',
      events: [event('snc-name', { name: 'CN=DAVID@XS.CONTOSO.COM@CONTOSO.COM' })],
      findings: [{ cause: 'snc-name', confidence: 'likely', role: 'server' }],
      check: ([f]) => assert.equal(f?.pse?.node, 'SNC SAPCryptolib'),
    },
    {
      name: 'a clean name is only a lead to compare with SU01 (possible, warning)',
      events: [event('snc-name', { name: 'CN=DAVID@CONTOSO.COM' })],
      findings: [{ confidence: 'possible', severity: 'warning' }],
      check: ([f]) => assert.match(f?.steps[0] ?? '', /SU01/),
    },
    {
      name: 'A2200202: the partner name differs',
      events: [
        event('snc-failure', {
          gssMinor: { code: 'A2200202', text: 'Actual server name differs from the expected one' },
          sncTarget: 'p:CN=A4H',
        }),
      ],
      findings: [{ cause: 'snc-name' }],
    },
  ],
  staysSilent: [
    {
      name: 'missing credentials are not a name problem',
      events: [event('snc-failure', { gssMajor: 'No credentials were supplied' })],
    },
  ],
  notApplicable: [{ name: 'no SNC evidence', events: [] }],
});
