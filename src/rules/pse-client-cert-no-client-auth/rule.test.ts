/** @module pse-client-cert-no-client-auth: SSL client own certificates whose EKU lacks clientAuth. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cert, pseList, runOn } from '../../../test/helpers/trust-list-evidence.js';
import rule, { allowsClientAuth } from './rule.js';

const SEC = '/usr/sap/ABC/D00/sec';
const own = (eku?: string[]) =>
  cert('CN=abc.example.com, O=Example', {
    isCA: false,
    selfSigned: false,
    issuer: 'CN=Public TLS CA',
    ...(eku ? { extendedKeyUsage: eku } : {}),
  });

test('fail: SSL client Standard with serverAuth only is a warning naming the purposes', () => {
  const [f, ...rest] = runOn(rule, [pseList(`${SEC}/SAPSSLC.pse`, [], { own: own(['serverAuth']) })]);
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'warning');
  assert.equal(f?.cause, 'client-cert-rejected');
  assert.match(f?.title ?? '', /SAPSSLC\.pse \(SSL client Standard\) is not valid for client authentication/);
  assert.match(f?.summary ?? '', /purposes serverAuth but not clientAuth/);
});

test('pass: clientAuth, anyExtendedKeyUsage or no EKU extension at all', () => {
  assert.ok(allowsClientAuth(['serverAuth', 'clientAuth']));
  assert.ok(allowsClientAuth(['anyExtendedKeyUsage']));
  assert.ok(allowsClientAuth(undefined));
  assert.deepEqual(runOn(rule, [pseList(`${SEC}/SAPSSLC.pse`, [], { own: own(['clientAuth']) })]), []);
  assert.deepEqual(runOn(rule, [pseList(`${SEC}/SAPSSLC.pse`, [], { own: own() })]), []);
});

test('not applicable: SSL server PSEs and SSL client Anonymous never authenticate as a client', () => {
  assert.deepEqual(runOn(rule, [pseList(`${SEC}/SAPSSLS.pse`, [], { own: own(['serverAuth']) })]), []);
  assert.deepEqual(runOn(rule, [pseList(`${SEC}/SAPSSLA.pse`, [], { own: own(['serverAuth']) })]), []);
});
