/** @module handshake-rejected: -58/-122/protocol_version → version first, cipher second; browser and Java clients. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'a one-line -58 message → version likely, cipher possible, never certain',
      events: [
        event('ssl-failure', {
          origin: 'abap-message',
          role: 'client',
          error: { name: 'SSSLERR_SSL_READ', number: -58 },
          target: { host: 'github.com', port: 443 },
        }),
      ],
      findings: [
        { cause: 'tls-version', confidence: 'likely' },
        { cause: 'cipher-mismatch', confidence: 'possible' },
        { cause: 'client-cert-missing', confidence: 'possible' },
      ],
      check: (findings) => {
        assert.equal(findings[0]?.parameters?.[0]?.name, 'ssl/client_ciphersuites');
        assert.ok(findings.every((f) => f.confidence !== 'certain'));
        assert.ok(findings.some((f) => f.cause === 'cipher-mismatch'));
      },
    },
    {
      name: 'a protocol_version alert names the version problem outright (certain)',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: { name: 'SSSLERR_SSL_READ', number: -58 },
          alert: { text: 'received a fatal TLS protocol version alert message from the peer' },
        }),
      ],
      findings: [
        { cause: 'tls-version', confidence: 'certain' },
        { cause: 'cipher-mismatch', confidence: 'possible' },
        { cause: 'client-cert-missing', confidence: 'possible' },
      ],
    },
    {
      name: 'server role recommends ssl/ciphersuites first',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          role: 'server',
          error: { name: 'SSSLERR_ALERT_HANDSHAKE_FAILURE', number: -122 },
        }),
      ],
      findings: [{}, {}],
      check: ([f]) => assert.equal(f?.parameters?.[0]?.name, 'ssl/ciphersuites'),
    },
    {
      name: 'a browser handshake alert on the Cloud Connector UI → SAP side is the server',
      events: [
        event('client-error', {
          client: 'browser',
          code: 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT',
          message: 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT accessing cloud connector webui on port 8443',
          problem: 'handshake-failure',
          target: { port: 8443 },
        }),
      ],
      findings: [{ cause: 'tls-version', role: 'server' }, {}],
      check: ([f]) => {
        assert.equal(f?.pse?.node, 'Cloud Connector UI keystore');
        // The code the browser showed is the first entry to explain, before the SapSSL codes the rule covers.
        assert.equal(f?.kb[0], 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT');
        assert.equal(f?.errorCode?.name, 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT');
      },
    },
  ],
  staysSilent: [
    {
      name: 'a certificate alert belongs to another rule',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: { name: 'SSSLERR_SSL_READ', number: -58 },
          alert: { text: 'received a fatal TLS certificate unknown alert message from the peer' },
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'none of its evidence kinds present', events: [event('snc-name', { name: 'x' })] }],
});
