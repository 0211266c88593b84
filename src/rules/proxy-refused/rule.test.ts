/** @module proxy-refused: CONNECT refused or proxy authentication; an ICM 407 with an SSSL code is not a proxy error. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'the proxy answered 407 to CONNECT → credentials, certain',
      events: [
        event('connection-failure', {
          problem: 'proxy-auth',
          message: 'proxy returned 407',
          target: { host: 'api.example.com', port: 443 },
          proxy: { host: 'proxy.corp', port: 8080, status: 407 },
        }),
      ],
      findings: [{ cause: 'proxy', confidence: 'certain' }],
      check: ([f]) => {
        assert.match(f?.steps[0] ?? '', /credentials/);
        assert.match(f?.title ?? '', /proxy\.corp:8080/);
      },
    },
    {
      name: 'ICM 426 without a SapSSL code → proxy',
      events: [
        event('ssl-failure', {
          origin: 'abap-message',
          icm: { number: 426, name: 'ICM_HTTP_PROXY_HTTP_ERROR' },
        }),
      ],
      findings: [{ cause: 'proxy' }],
    },
  ],
  staysSilent: [
    {
      name: '"HTTP error 407" with SSSLERR_SSL_READ is the ICM SSL error, not the proxy',
      events: [
        event('ssl-failure', {
          origin: 'abap-message',
          icm: { number: 407, name: 'ICM_HTTP_SSL_ERROR' },
          error: { name: 'SSSLERR_SSL_READ', number: -58 },
          appMessage: 'HTTP error 407 occured',
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no connection or SSL failure', events: [] }],
});
