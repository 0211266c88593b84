/** @module Looking up bundled roots by DN (any spelling), key id and fingerprint; PEM is the store's own string. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import tls from 'node:tls';
import { findRoot, findRoots, listRoots } from './root-store.js';

test("DigiCert Global Root G2 is found by its SAP-spelled DN, with the store's exact PEM", () => {
  const root = findRoot({ dn: 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US' });
  assert.ok(root);
  assert.ok(tls.rootCertificates.includes(root.pem as string));
  assert.equal(root.sha256, 'cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f');
});

test('OpenSSL spelling and key id find the same root; both must agree when both are given', () => {
  const byDn = findRoot({
    dn: 'C = US, O = DigiCert Inc, OU = www.digicert.com, CN = DigiCert Global Root CA',
  });
  assert.ok(byDn?.subjectKeyId);
  const byKey = findRoot({ keyId: byDn.subjectKeyId.replace(/:/g, '').toLowerCase() });
  assert.equal(byKey?.sha256, byDn.sha256);
  assert.equal(findRoot({ dn: byDn.subject, keyId: '00:11:22' }), undefined);
  assert.equal(findRoot({ sha256: byDn.sha256 })?.subject, byDn.subject);
});

test('a private CA is not found; near-miss names are not found', () => {
  assert.equal(findRoot({ dn: 'CN=SAP Passport CA, O=SAP Trust Community, C=DE' }), undefined);
  assert.equal(findRoot({ dn: 'CN=DigiCert Global Root G2, O=DigiCert Inc, C=US' }), undefined);
  assert.deepEqual(findRoots({}), []);
  assert.ok(listRoots().length > 100);
});
