/** @module The DER walk agrees with the full parser on every bundled root, the test PKI and a real PSE certificate. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import tls from 'node:tls';
import { fixturePath, fixturesOrSkip } from '../../test/helpers/fixtures.js';
import { generateChain, generateSelfSigned } from '../../test/pki/index.js';
import { parseCertificate } from './certificate-info.js';
import { scanCertificate } from './certificate-scan.js';
import { formatDnSap } from './dn.js';
import type * as X509 from './x509.js';
import { x509 as loadX509 } from './x509.js';

const x509 = loadX509();

/** What the full parser says about the fields the walk reads. */
function expected(cert: X509.X509Certificate) {
  const out: Record<string, unknown> = {};
  for (const ext of cert.extensions) {
    if (ext instanceof x509.BasicConstraintsExtension) out.isCA = ext.ca;
    else if (ext instanceof x509.SubjectKeyIdentifierExtension) out.subjectKeyId = ext.keyId.toLowerCase();
    else if (ext instanceof x509.AuthorityKeyIdentifierExtension && ext.keyId)
      out.authorityKeyId = ext.keyId.toLowerCase();
    else if (ext instanceof x509.SubjectAlternativeNameExtension) {
      const names = ext.names.items.filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => n.value);
      if (names.length) out.subjectAltNames = names;
    } else if (ext instanceof x509.AuthorityInfoAccessExtension) {
      const urls = ext.caIssuers.filter((n) => n.type === 'url').map((n) => n.value);
      if (urls.length) out.aiaIssuers = urls;
    } else if (ext instanceof x509.ExtendedKeyUsageExtension)
      out.extendedKeyUsage = [...ext.usages].map(String);
  }
  return out;
}

function assertSame(der: Uint8Array, label: string): void {
  const cert = parseCertificate(der);
  const scan = scanCertificate(der);
  assert.ok(scan, `${label}: walked`);
  assert.deepEqual({ ...scan.extensions }, expected(cert), `${label}: extensions`);
  const asSap = (attrs: { oid: string; value: string }[]) =>
    formatDnSap([...attrs].reverse().map((a) => ({ key: a.oid, value: a.value })));
  assert.equal(asSap(scan.subject), formatDnSap(cert.subjectName), `${label}: subject`);
  assert.equal(asSap(scan.issuer), formatDnSap(cert.issuerName), `${label}: issuer`);
  assert.equal(scan.notBefore, cert.notBefore.toISOString(), `${label}: notBefore`);
  assert.equal(scan.notAfter, cert.notAfter.toISOString(), `${label}: notAfter`);
  assert.deepEqual(Buffer.from(scan.spki), Buffer.from(cert.publicKey.rawData), `${label}: spki`);
}

test('every bundled Mozilla root: names, validity, key ids, CA flag, SAN and AIA as the full parser reads them', () => {
  assert.ok(tls.rootCertificates.length > 100);
  for (const pem of tls.rootCertificates) {
    const der = new Uint8Array(parseCertificate(pem).rawData);
    assertSame(der, pem.slice(28, 90));
  }
});

test('test PKI leaves (SAN with DNS and IP, AIA, AKI) and a self-signed end-entity certificate', async () => {
  const { root, intermediate, leaf } = await generateChain({
    keyType: 'ec',
    aiaUrl: 'http://127.0.0.1:9/int.cer',
  });
  for (const c of [root, intermediate, leaf]) assertSame(new Uint8Array(c.der), c.subject);
  const leafScan = scanCertificate(new Uint8Array(leaf.der));
  assert.deepEqual(leafScan?.extensions.aiaIssuers, ['http://127.0.0.1:9/int.cer']);
  assert.ok(leafScan?.extensions.subjectAltNames?.includes('127.0.0.1'));
  const self = await generateSelfSigned({
    keyType: 'ec',
    hosts: ['self.example.test', '::1', 'fe80::1:0:0:2'],
  });
  assertSame(new Uint8Array(self.der), 'self-signed');
  assert.deepEqual(scanCertificate(new Uint8Array(self.der))?.extensions.subjectAltNames, [
    'self.example.test',
    '::1',
    'fe80::1:0:0:2',
  ]);
});

test('the certificate of a real sapgenpse PSE', fixturesOrSkip(), () => {
  const der = readFileSync(fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1_cert.der'));
  assertSame(new Uint8Array(der), 'PSE fixture');
});

test('damaged or hostile bytes give undefined, never a throw', () => {
  const der = new Uint8Array(parseCertificate(tls.rootCertificates[0] as string).rawData);
  assert.equal(scanCertificate(new Uint8Array(0)), undefined);
  assert.equal(scanCertificate(der.subarray(0, der.length - 10)), undefined);
  assert.equal(scanCertificate(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])), undefined);
  assert.equal(scanCertificate(new Uint8Array([0x1f, 0x81, 0x00])), undefined);
  const flipped = Uint8Array.from(der);
  flipped[4] = 0x05; // the TBS is no longer a SEQUENCE
  assert.equal(scanCertificate(flipped), undefined);
});
