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
    {
      name: "a handshake that ended before any certificate, to the ICM's HTTP port 80<NN> → a plain port",
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'client',
          error: { name: 'SSSLERR_SSL_CONNECT', number: -57 },
          target: { host: 'h.example.com', port: 8001 },
        }),
      ],
      findings: [{ cause: 'not-ssl-port', confidence: 'likely' }],
      check: ([f]) => assert.match(f?.title ?? '', /h\.example\.com:8001 is a plain HTTP port/),
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
    {
      name: 'a trust failure on port 8000 is not a port problem either',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'client',
          error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
          target: { host: 'h.example.com', port: 8000 },
        }),
      ],
    },
    {
      name: 'a closed handshake on an HTTPS port says nothing of the port',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'client',
          error: { name: 'SSSLERR_SSL_CONNECT', number: -57 },
          target: { host: 'h.example.com', port: 44300 },
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no SSL failure', events: [] }],
});
