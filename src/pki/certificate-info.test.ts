/** @module CertificateInfo from real certificates: the bundled DigiCert root and the real PSE fixture certificates. */
import assert from 'node:assert/strict';
import { createHash, webcrypto, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import tls from 'node:tls';
import { fixturePath, fixturesOrSkip } from '../../test/helpers/fixtures.js';
import { generateChain, generateSelfSigned } from '../../test/pki/index.js';
import { derToPem, describeCertificate, formatColonHex, parseCertificate } from './certificate-info.js';
import { x509 as loadX509 } from './x509.js';

const x509 = loadX509();

const g2 = tls.rootCertificates.find((p) =>
  p.includes('MIIDjjCCAnagAwIBAgIQAzrx5qcRqaC7KGSxHQn65TANBgkqhkiG9w0BAQsFADBh'),
);

test('a bundled root: SAP-order DN, colon serial, fingerprints, key, CA, self-signed', () => {
  assert.ok(g2, "DigiCert Global Root G2 is in Node's store");
  const info = describeCertificate(parseCertificate(g2), { pem: g2 });
  assert.equal(info.subject, 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US');
  assert.equal(info.issuer, info.subject);
  assert.equal(info.serial, '03:3A:F1:E6:A7:11:A9:A0:BB:28:64:B1:1D:09:FA:E5');
  const der = Buffer.from(g2.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  assert.equal(info.sha256, createHash('sha256').update(der).digest('hex'));
  assert.equal(info.sha256, 'cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f');
  assert.deepEqual(info.key, { algorithm: 'RSA', size: 2048 });
  assert.equal(info.signatureAlgorithm, 'sha256WithRSAEncryption');
  assert.equal(info.isCA, true);
  assert.equal(info.selfSigned, true);
  assert.equal(info.notAfter, '2038-01-15T12:00:00.000Z');
  assert.equal(info.pem, g2);
  assert.match(info.subjectKeyId ?? '', /^([0-9A-F]{2}:)+[0-9A-F]{2}$/);
});

test('PEM and DER give the same description; derToPem round-trips', () => {
  assert.ok(g2);
  const der = new Uint8Array(parseCertificate(g2).rawData);
  const fromDer = describeCertificate(parseCertificate(der));
  assert.equal(fromDer.sha256, describeCertificate(parseCertificate(g2)).sha256);
  assert.equal(describeCertificate(parseCertificate(derToPem(der))).sha256, fromDer.sha256);
});

test('the certificate of a real sapgenpse PSE is described', fixturesOrSkip(), () => {
  const der = readFileSync(fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1_cert.der'));
  const info = describeCertificate(parseCertificate(der));
  assert.ok(info.subject.length > 0);
  assert.match(info.serial ?? '', /^[0-9A-F]{2}(:[0-9A-F]{2})*$/);
  assert.equal(info.sha256, createHash('sha256').update(der).digest('hex'));
  assert.ok(info.key?.algorithm);
});

test('formatColonHex pads and groups', () => {
  assert.equal(formatColonHex('51c0a'), '05:1C:0A');
  assert.equal(formatColonHex('0A:06:30'), '0A:06:30');
});

test('a self-signed server certificate without keyCertSign is self-signed (OpenSSL checkIssued would say no)', async () => {
  const self = await generateSelfSigned({ keyType: 'ec', hosts: ['sap-host.example.test'] });
  const node = new X509Certificate(self.der);
  assert.equal(node.checkIssued(node), false, 'the trap: key usage lacks keyCertSign');
  const info = describeCertificate(parseCertificate(self.der));
  assert.equal(info.isCA, false);
  assert.equal(info.selfSigned, true);
});

test('same subject and issuer but signed by another key is not self-signed; a CA-issued leaf is not either', async () => {
  const own = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const other = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const lookalike = await x509.X509CertificateGenerator.create({
    serialNumber: '0badc0de',
    subject: 'CN=lookalike.example.test, O=PSE Doctor Test, C=DE',
    issuer: 'CN=lookalike.example.test, O=PSE Doctor Test, C=DE',
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2090-01-01T00:00:00Z'),
    publicKey: own.publicKey,
    signingKey: other.privateKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as Algorithm,
  });
  const info = describeCertificate(parseCertificate(new Uint8Array(lookalike.rawData)));
  assert.equal(info.subject, info.issuer);
  assert.equal(info.selfSigned, false);
  const { leaf, root } = await generateChain({ keyType: 'ec' });
  assert.equal(describeCertificate(parseCertificate(leaf.der)).selfSigned, false);
  assert.equal(describeCertificate(parseCertificate(root.der)).selfSigned, true);
});
