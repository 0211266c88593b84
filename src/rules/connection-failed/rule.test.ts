/** @module connection-failed: TCP-level failures (refused, timeout, unknown host) and ICM connect codes. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'NIECONN_REFUSED → network, certain',
      events: [
        event('connection-failure', {
          problem: 'refused',
          message: 'Direct connect to api.example.com:443 failed NIECONN_REFUSED(-10)',
          target: { host: 'api.example.com', port: 443 },
          error: { name: 'NIECONN_REFUSED', number: -10 },
        }),
      ],
      findings: [{ cause: 'network' }],
      check: ([f]) => assert.match(f?.title ?? '', /refused the connection/),
    },
    {
      name: 'a connection failure without a network code beside a proxy refusing CONNECT → only possible',
      events: [
        event('connection-failure', {
          problem: 'other',
          message: 'HttpClientConnect: connection failed, returning ICM_HTTP_CONNECTION_FAILED',
          target: { host: 'api.example.com', port: 443 },
          error: { name: 'ICM_HTTP_CONNECTION_FAILED' },
        }),
        event('message', {
          entry: 'PROXY_TUNNEL_FAILED',
          stack: 'icm',
          text: 'HttpProxyConnect: received "HTTP/1.1 407 Proxy Authentication Required"',
          matched: 'Proxy Authentication Required',
        }),
      ],
      findings: [{ cause: 'network', confidence: 'possible' }],
    },
    {
      name: 'the same failure alone → certain',
      events: [
        event('connection-failure', {
          problem: 'other',
          message: 'HttpClientConnect: connection failed, returning ICM_HTTP_CONNECTION_FAILED',
          target: { host: 'api.example.com', port: 443 },
          error: { name: 'ICM_HTTP_CONNECTION_FAILED' },
        }),
      ],
      findings: [{ cause: 'network', confidence: 'certain' }],
    },
    {
      name: 'ICM 417 (host unknown) without SapSSL code',
      events: [event('ssl-failure', { origin: 'abap-message', icm: { number: 417 } })],
      findings: [{ cause: 'network' }],
      check: ([f]) => assert.match(f?.title ?? '', /could not be resolved/),
    },
  ],
  staysSilent: [
    {
      name: 'proxy refusals and TLS failures are not TCP failures',
      events: [
        event('connection-failure', { problem: 'proxy-refused', message: 'proxy returned 403' }),
        event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_SSL_READ', number: -58 } }),
      ],
    },
  ],
  notApplicable: [{ name: 'no failures', events: [] }],
});
