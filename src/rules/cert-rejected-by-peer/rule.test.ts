/** @module cert-rejected-by-peer: certificate alerts from the peer → our server or client certificate is rejected. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

const unknownAlert = { text: 'received a fatal TLS certificate unknown alert message from the peer' };

testRule(rule, {
  reports: [
    {
      name: 'server role, certificate_unknown received → own certificate rejected (certain)',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'server',
          pseFile: '/usr/sap/NPL/D00/sec/SAPSSLS.pse',
          alert: unknownAlert,
        }),
      ],
      findings: [{ cause: 'own-cert-rejected', confidence: 'certain' }],
      check: ([f]) => assert.equal(f?.pse?.node, 'SSL server Standard'),
    },
    {
      name: 'client role with an identity PSE → client certificate rejected',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'client',
          pseFile: 'SAPSSLC.pse',
          alert: { text: 'received a fatal TLS unknown ca alert message from the peer' },
        }),
      ],
      findings: [{ cause: 'client-cert-rejected' }],
    },
    {
      name: 'certificate_expired received → expired own certificate',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'server',
          alert: { text: 'received a fatal TLS certificate expired alert message from the peer' },
        }),
      ],
      findings: [{ cause: 'expired-own-cert' }],
    },
  ],
  staysSilent: [
    {
      name: 'a handshake_failure alert is not about our certificate',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          alert: { text: 'received a fatal TLS handshake failure alert message from the peer' },
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no SSL failure', events: [] }],
});
