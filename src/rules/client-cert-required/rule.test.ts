/** @module client-cert-required: -20 inbound, WSS040, certificate_required from the server, anonymous inbound clients. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'SSSLERR_NO_CLIENT_CERT → the client sent none; the SSL server PSE CA list matters',
      events: [
        event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_NO_CLIENT_CERT', number: -20 } }),
      ],
      findings: [{ cause: 'client-cert-missing', role: 'server' }],
      check: ([f]) => {
        assert.equal(f?.pse?.node, 'SSL server Standard');
        assert.equal(f?.pse?.inferred, true);
      },
    },
    {
      name: 'WSS040 in a SOAMANAGER message',
      events: [
        event('ssl-failure', {
          origin: 'abap-message',
          errorText: 'WSS040 Missing credential. Specify SSL client PSE used for authentication.',
        }),
      ],
      findings: [{ cause: 'client-cert-missing' }],
      check: ([f]) => assert.ok(f?.kb.includes('WSS040')),
    },
    {
      name: 'an anonymous inbound client is only a lead (possible, info): anonymous clients are often fine',
      events: [
        event('inbound-cert', {
          problem: 'no-client-cert',
          message: 'TLSv1.2 connection with anonymous client',
        }),
      ],
      findings: [{ confidence: 'possible', severity: 'info' }],
    },
  ],
  staysSilent: [
    {
      name: 'other SSL failures',
      events: [event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_SSL_READ', number: -58 } })],
    },
  ],
  notApplicable: [{ name: 'neither SSL failures nor inbound certificate events', events: [] }],
});
