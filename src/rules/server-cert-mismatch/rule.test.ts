/** @module server-cert-mismatch: ranks wrong name, missing SNI and wrong host by what the evidence shows. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

const mismatch = { name: 'SSSLERR_SERVER_CERT_MISMATCH', number: -30 };

testRule(rule, {
  reports: [
    {
      name: 'same domain, other name → the certificate lacks the name (likely); SNI was sent, so no sni-missing',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: mismatch,
          targetHostname: 'api.example.com',
          serverCertSubject: 'CN=www.example.com, O=Example',
          sni: 'api.example.com',
        }),
      ],
      findings: [{ cause: 'hostname-mismatch', confidence: 'likely' }, {}],
      check: (findings) => assert.ok(!findings.some((f) => f.cause === 'sni-missing'), 'SNI was sent'),
    },
    {
      name: 'SNI sent and an unrelated certificate → wrong host first (likely)',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: mismatch,
          targetHostname: 'files.example.net',
          serverCertSubject: 'CN=other.example.org',
          sni: 'files.example.net',
          peer: { ip: '198.51.100.1' },
        }),
      ],
      findings: [{ cause: 'wrong-host', confidence: 'likely' }, {}],
    },
    {
      name: 'SNI switched off by parameter → sni-missing first, with the parameters to set',
      events: [
        event('trace-info', { traceLevel: 2, parameters: { 'icm/HTTPS/client_sni_enabled': 'FALSE' } }),
        event('ssl-failure', {
          origin: 'trace',
          error: mismatch,
          targetHostname: 'x.example.com',
          serverCertSubject: 'CN=cdn.example.org',
        }),
      ],
      findings: [{ cause: 'sni-missing' }, {}, {}],
      check: ([f]) =>
        assert.deepEqual(
          f?.parameters?.map((p) => `${p.name}=${p.value}`),
          ['icm/HTTPS/client_sni_enabled=TRUE', 'ssl/client_sni_enabled=TRUE'],
        ),
    },
    {
      name: 'placeholders only → three possible hypotheses, none certain',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: mismatch,
          targetHostname: '<fqdn>',
          serverCertSubject: '<CN=<x>, (...)>',
          peer: { ip: '<ip>' },
        }),
      ],
      findings: [{ confidence: 'possible' }, { confidence: 'possible' }, { confidence: 'possible' }],
      check: (findings) =>
        assert.deepEqual(findings.map((f) => f.cause).sort(), [
          'hostname-mismatch',
          'sni-missing',
          'wrong-host',
        ]),
    },
  ],
  staysSilent: [
    {
      name: 'another error code is not a name mismatch',
      events: [event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_SSL_READ', number: -58 } })],
    },
  ],
  notApplicable: [{ name: 'no SSL failure', events: [] }],
});
