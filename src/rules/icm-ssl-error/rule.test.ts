/** @module icm-ssl-error: ICM 407 without the SapSSL code → ranked hypotheses and the ICM trace to collect. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

/** The ABAP side's bare "SSL error" of a call to a partner's web service. */
const http407 = () =>
  event('ssl-failure', {
    origin: 'abap-message',
    icm: { number: 407, name: 'ICM_HTTP_SSL_ERROR' },
    target: { host: 'ws.partner.example', port: 443 },
  });

/** The three hypotheses, the missing root at `trust`. */
const ranked = (trust: 'likely' | 'possible') => [
  { cause: 'untrusted-root' as const, confidence: trust },
  { cause: 'tls-version' as const, confidence: 'possible' as const },
  { cause: 'not-ssl-port' as const, confidence: 'possible' as const },
];

testRule(rule, {
  reports: [
    {
      name: '"HTTP error 407" alone → untrusted root likely, others possible, collect dev_icm',
      events: [
        event('ssl-failure', {
          origin: 'abap-message',
          icm: { number: 407, name: 'ICM_HTTP_SSL_ERROR' },
          target: { host: 'github.com', port: 443 },
        }),
      ],
      findings: [
        { cause: 'untrusted-root', confidence: 'likely' },
        { cause: 'tls-version', confidence: 'possible' },
        { cause: 'not-ssl-port', confidence: 'possible' },
      ],
      check: ([first]) => {
        assert.ok(first?.collect?.some((c) => c.includes('trace level to 2')));
        assert.match(first?.summary ?? '', /not a proxy error/);
      },
    },
    {
      name: 'beside a message that names the failure (a verify error of the same paste) the missing root is only possible',
      events: [
        http407(),
        event('message', {
          entry: 'X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE',
          stack: 'openssl',
          text: 'verify error:num=21:unable to verify the first certificate',
          matched: 'unable to verify the first certificate',
        }),
      ],
      findings: ranked('possible'),
    },
    {
      name: 'a wrapper message of the same paste (fits many causes) leaves the missing root likely',
      events: [
        http407(),
        event('message', {
          entry: 'CURLE_SSL_CONNECT_ERROR',
          stack: 'curl',
          text: 'curl: (35) OpenSSL SSL_connect: Connection reset by peer',
          matched: 'curl: (35)',
        }),
      ],
      findings: ranked('likely'),
    },
  ],
  staysSilent: [
    {
      name: 'with the SapSSL code the specific rules decide',
      events: [
        event('ssl-failure', {
          origin: 'abap-message',
          icm: { number: 407 },
          error: { name: 'SSSLERR_SSL_READ', number: -58 },
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no SSL failure', events: [] }],
});
