/** @module pse-client-cert-no-client-auth: SSL client own certificates whose EKU lacks clientAuth. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import rule, { allowsClientAuth } from './rule.js';

const SEC = '/usr/sap/ABC/D00/sec';
const own = (eku?: string[]) =>
  cert('CN=abc.example.com, O=Example', {
    isCA: false,
    selfSigned: false,
    issuer: 'CN=Public TLS CA',
    ...(eku ? { extendedKeyUsage: eku } : {}),
  });

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'SSL client Standard with serverAuth only is a warning naming the purposes',
      events: [pseList(`${SEC}/SAPSSLC.pse`, [], { own: own(['serverAuth']) })],
      findings: [{ severity: 'warning', cause: 'client-cert-rejected' }],
      check: ([f]) => {
        assert.match(
          f?.title ?? '',
          /SAPSSLC\.pse \(SSL client Standard\) is not valid for client authentication/,
        );
        assert.match(f?.summary ?? '', /purposes serverAuth but not clientAuth/);
      },
    },
  ],
  staysSilent: [
    {
      name: 'the own certificate allows clientAuth',
      events: [pseList(`${SEC}/SAPSSLC.pse`, [], { own: own(['clientAuth']) })],
    },
    {
      name: 'the own certificate has no EKU extension at all',
      events: [pseList(`${SEC}/SAPSSLC.pse`, [], { own: own() })],
    },
    {
      name: 'SSL server PSEs never authenticate as a client',
      events: [pseList(`${SEC}/SAPSSLS.pse`, [], { own: own(['serverAuth']) })],
    },
    {
      name: 'SSL client Anonymous never authenticates as a client',
      events: [pseList(`${SEC}/SAPSSLA.pse`, [], { own: own(['serverAuth']) })],
    },
  ],
  notApplicable: [{ name: 'no trust list', events: [] }],
});

test('allowsClientAuth: clientAuth, anyExtendedKeyUsage or no EKU extension at all', () => {
  assert.ok(allowsClientAuth(['serverAuth', 'clientAuth']));
  assert.ok(allowsClientAuth(['anyExtendedKeyUsage']));
  assert.ok(allowsClientAuth(undefined));
});
