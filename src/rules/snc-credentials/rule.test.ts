/** @module snc-credentials: "No credentials were supplied", with the Kerberos SPN when the sectrace shows it. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

const noCreds = () =>
  event('snc-failure', {
    role: 'client',
    error: { name: 'SNCERR_GSSAPI' },
    gssMajor: 'No credentials were supplied',
    sncTarget: 'p:CN=BW5',
  });

testRule(rule, {
  reports: [
    {
      name: 'with a failed Kerberos ticket request → register the SPN (certain)',
      events: () => [
        noCreds(),
        event('kerberos-failure', { spn: 'SAP/BW5', user: 'u@EXAMPLE.COM', status: 'C000018B' }),
      ],
      findings: [{ cause: 'snc-credentials', confidence: 'certain' }],
      check: ([f]) => assert.match(f?.steps[0] ?? '', /setspn -S SAP\/BW5/),
    },
    {
      name: 'without a sectrace → cred_v2 / Secure Login Client (likely)',
      events: () => [noCreds()],
      findings: [
        { cause: 'snc-credentials', confidence: 'likely' },
        { cause: 'pse-missing', confidence: 'possible' },
        { cause: 'pse-credential', confidence: 'possible' },
        { cause: 'snc-name', confidence: 'possible' },
      ],
      check: ([f]) => assert.equal(f?.pse?.node, 'SNC SAPCryptolib'),
    },
    {
      name: 'a minor text that names the PIN → the credential (cred_v2) first',
      events: () => [
        event('snc-failure', {
          role: 'server',
          error: { name: 'SNCERR_GSSAPI' },
          gssMajor: 'No credentials were supplied',
          gssMinor: { text: 'Could not open PSE "/usr/sap/X/D00/sec/SAPSNCS.pse" - PSE is PIN protected' },
        }),
      ],
      findings: [
        { cause: 'pse-credential', confidence: 'likely' },
        { cause: 'snc-credentials', confidence: 'possible' },
        { cause: 'pse-missing', confidence: 'possible' },
        { cause: 'snc-name', confidence: 'possible' },
      ],
    },
    {
      name: 'a minor text that says the PSE is not found → the PSE location first',
      events: () => [
        event('snc-failure', {
          role: 'server',
          error: { name: 'SNCERR_GSSAPI' },
          gssMajor: 'No credentials were supplied',
          gssMinor: { text: 'PSE "/usr/sap/X/D00/sec/SAPSNCS.pse" not found' },
        }),
      ],
      findings: [
        { cause: 'pse-missing', confidence: 'likely' },
        { cause: 'snc-credentials', confidence: 'possible' },
        { cause: 'pse-credential', confidence: 'possible' },
        { cause: 'snc-name', confidence: 'possible' },
      ],
    },
  ],
  staysSilent: [
    {
      name: 'other SNC errors',
      events: [
        event('snc-failure', {
          gssMinor: { code: 'A2200210', text: 'Peer certificate verification failed' },
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no SNC or Kerberos evidence', events: [] }],
});
