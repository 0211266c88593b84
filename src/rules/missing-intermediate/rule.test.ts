/** @module missing-intermediate: a lone leaf with a non-public issuer; a hypothesis when no chain is shown. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

const untrusted = { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 };

testRule(rule, {
  reports: [
    {
      name: 'only the leaf was sent and its issuer is not a public root → import the intermediate (likely)',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: untrusted,
          target: { host: 'shop.example.com', port: 443 },
          pseFile: 'SAPSSLC.pse',
          certificates: [
            {
              depth: 0,
              subject: 'CN=shop.example.com',
              issuer: 'CN=Example Issuing CA 7, O=Example Trust, C=US',
            },
          ],
        }),
      ],
      findings: [{ cause: 'missing-intermediate', confidence: 'likely', importKind: 'intermediate' }],
      check: ([f]) => {
        assert.equal(f?.import?.subject, 'CN=Example Issuing CA 7, O=Example Trust, C=US');
        assert.match(f?.steps[0] ?? '', /full chain/);
      },
    },
    {
      name: 'without a chain it is a possible hypothesis with what would tell it apart',
      events: [event('ssl-failure', { origin: 'abap-message', error: untrusted })],
      findings: [{ confidence: 'possible' }],
      check: ([f]) => assert.ok(f?.distinguish),
    },
    {
      name: 'a lone leaf issued by a private CA (no intermediate name): only a possible alternative to the untrusted root',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'client',
          error: untrusted,
          pseFile: '/usr/sap/SID/HOST/sec/SAPSSLC.pse',
          certificates: [
            {
              depth: 0,
              subject: 'CN=erp.example.test, OU=SAP AS, O=SAP CA, C=DE',
              issuer: 'CN=SAP CA, O=SAP CA, C=DE',
            },
          ],
        }),
      ],
      findings: [{ cause: 'missing-intermediate', confidence: 'possible' }],
      check: ([f]) => {
        assert.match(f?.title ?? '', /leaves out an intermediate CA below "SAP CA"/);
        assert.ok(f?.distinguish);
      },
    },
  ],
  staysSilent: [
    {
      name: 'a chain that reaches a bundled root is not a missing intermediate',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: untrusted,
          certificates: [
            {
              depth: 0,
              subject: 'CN=x.example.com',
              issuer: 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US',
            },
          ],
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no SSL failure', events: [] }],
});
