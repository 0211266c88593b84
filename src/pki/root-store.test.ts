/** @module Looking up bundled roots by DN (any spelling), key id and fingerprint; PEM is the store's own string. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import tls from 'node:tls';
import { findRoot, findRoots, findRootsByCn, findRootsForChain, listRoots } from './root-store.js';
import { verifyWithProfile } from './verify.js';

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

test('roots by CN only (traces that name a CA by CN), case and spaces ignored', () => {
  const byCn = findRootsByCn('  digicert global root g2 ');
  assert.equal(byCn.length, 1);
  assert.equal(byCn[0]?.sha256, 'cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f');
  assert.deepEqual(findRootsByCn('SAP CA'), []);
});

test('findRootsForChain gives the roots a path can use; the browser verdict equals the whole-store verdict', () => {
  const g2 = 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US';
  const leaf = {
    subject: 'CN=api.example.com, O=Example, C=US',
    issuer: g2,
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
  };
  const privateLeaf = { ...leaf, issuer: 'CN=SAP CA, O=SAP CA, C=DE' };
  assert.deepEqual(
    findRootsForChain([leaf]).map((r) => r.subject),
    [g2],
  );
  assert.deepEqual(findRootsForChain([privateLeaf]), []);
  const now = new Date('2026-01-15T12:00:00Z');
  const all = listRoots();
  for (const chain of [
    [leaf],
    [privateLeaf],
    [findRoot({ dn: g2 }) as NonNullable<ReturnType<typeof findRoot>>],
  ]) {
    const lazy = verifyWithProfile('browser', { chain, now });
    const whole = verifyWithProfile('browser', { chain, now, browserRoots: all });
    assert.equal(lazy.ok, whole.ok);
    assert.equal(lazy.kind, whole.kind);
  }
  assert.equal(verifyWithProfile('browser', { chain: [leaf], now }).ok, true);
  assert.equal(verifyWithProfile('browser', { chain: [privateLeaf], now }).ok, false);
});

test('a returned root is described once and then reused (same object)', () => {
  const a = findRoot({ sha256: 'cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f' });
  const b = findRootsByCn('DigiCert Global Root G2')[0];
  assert.ok(a);
  assert.equal(a, b);
  assert.equal(a.selfSigned, true);
  assert.equal(a.isCA, true);
});
