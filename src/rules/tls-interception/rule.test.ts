/** @module tls-interception: a public host's leaf signed by an inspection CA; not for internal hosts or public chains. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

const untrusted = { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 };
const root = 'CN=Contoso Zscaler Root CA, O=Contoso, C=US';

testRule(rule, {
  reports: [
    {
      name: 'the chain for github.com ends in a corporate inspection CA → likely, import that root',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: untrusted,
          target: { host: 'github.com', port: 443 },
          certificates: [
            { depth: 0, subject: 'CN=github.com', issuer: 'CN=Contoso Zscaler Intermediate, O=Contoso' },
            { depth: 1, subject: 'CN=Contoso Zscaler Intermediate, O=Contoso', issuer: root },
            { depth: 2, subject: root, issuer: root },
          ],
        }),
      ],
      findings: [{ cause: 'interception', confidence: 'likely' }],
      check: ([f]) => {
        assert.equal(f?.import?.subject, root);
        assert.match(f?.title ?? '', /intercepted/);
      },
    },
    {
      name: 'a public host signed by an unknown private CA without a product name → possible',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: untrusted,
          target: { host: 'api.partner-shop.com', port: 443 },
          certificates: [
            { depth: 0, subject: 'CN=api.partner-shop.com', issuer: 'CN=Corp Root, O=Corp' },
            { depth: 1, subject: 'CN=Corp Root, O=Corp', issuer: 'CN=Corp Root, O=Corp' },
          ],
        }),
      ],
      findings: [{ confidence: 'possible' }],
    },
    {
      name: 'a well-known public service (its chain is public everywhere) under a private CA → likely',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: untrusted,
          target: { host: 'api.github.com', port: 443 },
          certificates: [
            { depth: 0, subject: 'CN=api.github.com', issuer: 'CN=Corp Root, O=Corp' },
            { depth: 1, subject: 'CN=Corp Root, O=Corp', issuer: 'CN=Corp Root, O=Corp' },
          ],
        }),
      ],
      findings: [{ cause: 'interception', confidence: 'likely' }],
    },
  ],
  staysSilent: [
    {
      name: 'an internal host with a private CA is ordinary private PKI',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: untrusted,
          target: { host: 'erp.corp.local', port: 443 },
          certificates: [{ depth: 0, subject: 'CN=erp.corp.local', issuer: 'CN=Corp Root, O=Corp' }],
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no SSL failure', events: [] }],
});
