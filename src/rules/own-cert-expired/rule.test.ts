/** @module own-cert-expired: the own certificate of a PSE listing or PSE file is past NotAfter. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

const pse = (file: string, subject: string) =>
  event('trust-list', {
    list: {
      storeKind: 'sap-pse',
      file,
      certificates: [],
      own: { subject, notAfter: '2020-01-01T00:00:00Z' },
    },
  });

testRule(rule, {
  reports: [
    {
      name: 'get_my_name shows NotAfter in the past (sapgenpse date form) → SSL server Standard',
      events: [
        event('sapgenpse', {
          command: 'get_my_name',
          pseFile: '/usr/sap/ABC/D00/sec/SAPSSLS.pse',
          own: { subject: 'CN=abc', notAfter: 'Thu Mar 30 11:21:33 2017 (170330102133Z)' },
        }),
      ],
      findings: [{ cause: 'expired-own-cert', role: 'server' }],
      check: ([f]) => assert.equal(f?.pse?.node, 'SSL server Standard'),
    },
    {
      name: 'a PSE file whose own certificate expired → its node',
      events: () => [pse('SAPSSLC.pse', 'CN=me')],
      findings: [{ cause: 'expired-own-cert' }],
      check: ([f]) => assert.equal(f?.pse?.node, 'SSL client Standard'),
    },
    {
      name: 'SSL client Anonymous (SAPSSLA.pse, CN=anonymous): expired but never sent → info, with the reason',
      events: () => [
        pse('/usr/sap/ABC/D00/sec/SAPSSLA.pse', 'CN=anonymous'),
        event('sapgenpse', {
          command: 'get_my_name',
          own: { subject: 'CN=anonymous', notAfter: '2019-01-01T00:00:00Z' },
        }),
      ],
      findings: [
        { cause: 'expired-own-cert', severity: 'info' },
        { cause: 'expired-own-cert', severity: 'info' },
      ],
      check: (findings) => {
        for (const f of findings) {
          assert.match(f.summary, /never sends its certificate to a peer/);
          assert.match(f.title, /harmless/);
        }
        assert.equal(findings.find((f) => f.pse)?.pse?.node, 'SSL client Anonymous');
      },
    },
    {
      name: 'SSL client Standard with the same dates stays an error',
      events: () => [pse('/usr/sap/ABC/D00/sec/SAPSSLC.pse', 'CN=ABC SSL client Standard, O=Corp')],
      findings: [{ severity: 'error' }],
    },
  ],
  staysSilent: [
    {
      name: 'a valid own certificate, and a certificate request, are not expired',
      events: [
        event('sapgenpse', { own: { subject: 'CN=x', notAfter: '2099-01-01T00:00:00Z' } }),
        event('sapgenpse', { request: { subject: 'CN=x' } }),
      ],
    },
  ],
  notApplicable: [{ name: 'no listing or PSE', events: [] }],
});
