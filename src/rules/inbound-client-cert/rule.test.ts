/** @module inbound-client-cert: client CA missing in the SSL server PSE; forwarding proxy not trusted. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'an untrusted client certificate → import its CA into SSL server Standard',
      events: [
        event('inbound-cert', {
          problem: 'client-cert-untrusted',
          message: 'client certificate not trusted',
          subject: 'CN=CC, O=X',
          issuer: 'CN=X Issuing CA, O=X',
        }),
      ],
      findings: [{ cause: 'untrusted-root', role: 'server' }],
      check: ([f]) => {
        assert.deepEqual(f?.import?.into, [{ node: 'SSL server Standard', file: 'SAPSSLS.pse' }]);
        assert.match(f?.import?.reason ?? '', /intermediate CA is the missing link|issuing|root/);
      },
    },
    {
      name: '"intermediary is NOT trusted" → the reverse proxy must be trusted',
      events: [
        event('inbound-cert', {
          problem: 'intermediary-not-trusted',
          message: 'HttpIsReverseProxyTrustworthy: intermediary is NOT trusted',
        }),
      ],
      findings: [{ cause: 'client-cert-rejected' }],
      check: ([f]) => assert.ok(f?.steps.some((s) => s.includes('icm/trusted_reverse_proxy_<x>'))),
    },
  ],
  staysSilent: [
    {
      name: "an anonymous client is another rule's business",
      events: [event('inbound-cert', { problem: 'no-client-cert', message: 'anonymous' })],
    },
  ],
  notApplicable: [{ name: 'no inbound certificate events', events: [] }],
});
