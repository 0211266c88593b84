/** @module plain-http-on-ssl-port: -26/-25/-27 inbound; "wrong version number" outbound. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'SSSLERR_HTTP_REQUEST → a client spoke HTTP to the HTTPS port',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: { name: 'SSSLERR_HTTP_REQUEST', number: -26 },
          peer: { ip: '10.1.2.3' },
        }),
      ],
      findings: [{ cause: 'not-ssl-port', role: 'server' }],
      check: ([f]) => assert.match(f?.title ?? '', /plain HTTP request/),
    },
    {
      name: 'outbound "wrong version number" → the target port is not TLS',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'client',
          errorText: 'SSL routines: wrong version number',
          target: { host: 'h.example.com', port: 80 },
        }),
      ],
      findings: [{ cause: 'not-ssl-port', confidence: 'likely' }],
    },
  ],
  staysSilent: [
    {
      name: 'a trust failure is not a port problem',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no SSL failure', events: [] }],
});
