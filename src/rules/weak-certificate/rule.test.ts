/** @module weak-certificate: MD5/SHA-1 signatures and small keys, self-signed roots exempt; pass and not-applicable cases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import type { CertificateInfo } from '../../model/certificate.js';
import rule, { weaknessOf } from './rule.js';

const cert = (fields: Partial<CertificateInfo>): CertificateInfo => ({
  subject: 'CN=api.example.test, O=Example, C=DE',
  issuer: 'CN=Example CA, O=Example, C=DE',
  isCA: false,
  key: { algorithm: 'RSA', size: 2048 },
  signatureAlgorithm: 'sha256WithRSAEncryption',
  ...fields,
});
const file = (certs: CertificateInfo[]) => event('certificates', { certificates: certs, container: 'pem' });

test('weaknessOf: SHA-1 and MD5 signatures, small RSA/EC keys; SHA-1 on a self-signed root is fine', () => {
  assert.deepEqual(weaknessOf(cert({})), []);
  assert.deepEqual(
    weaknessOf(cert({ signatureAlgorithm: 'sha1WithRSAEncryption' })).map((w) => [w.kind, w.severity]),
    [['sha1', 'warning']],
  );
  assert.deepEqual(
    weaknessOf(cert({ signatureAlgorithm: 'md5WithRSAEncryption' })).map((w) => [w.kind, w.severity]),
    [['md5', 'error']],
  );
  assert.deepEqual(weaknessOf(cert({ signatureAlgorithm: 'sha1WithRSAEncryption', selfSigned: true })), []);
  assert.deepEqual(
    weaknessOf(cert({ key: { algorithm: 'RSA', size: 1024 } })).map((w) => [w.kind, w.severity]),
    [['rsa-small', 'warning']],
  );
  assert.deepEqual(
    weaknessOf(cert({ key: { algorithm: 'RSA', size: 512 } })).map((w) => w.severity),
    ['error'],
  );
  assert.deepEqual(
    weaknessOf(cert({ key: { algorithm: 'EC', size: 224 } })).map((w) => w.kind),
    ['ec-small'],
  );
  assert.deepEqual(
    weaknessOf(cert({ signatureAlgorithm: 'ecdsa-with-SHA384', key: { algorithm: 'EC', size: 384 } })),
    [],
  );
});

test('fail: a SHA-1 leaf is a weak-signature warning; an MD5 one is an error', () => {
  const sha1 = runRule(rule, [file([cert({ signatureAlgorithm: 'sha1WithRSAEncryption' })])]).findings;
  assert.equal(sha1.length, 1);
  assert.equal(sha1[0]?.cause, 'weak-signature');
  assert.equal(sha1[0]?.severity, 'warning');
  assert.equal(sha1[0]?.title, 'Certificate "api.example.test" is signed with sha1WithRSAEncryption');
  assert.match(sha1[0]!.summary, /carries a SHA-1 signature/);
  const md5 = runRule(rule, [file([cert({ signatureAlgorithm: 'md5WithRSAEncryption' })])]).findings;
  assert.equal(md5[0]?.severity, 'error');
});

test('fail: the own certificate of a get_my_name listing with a 1024-bit key', () => {
  const listing = event('sapgenpse', {
    command: 'get_my_name',
    pseFile: '/usr/sap/ABC/D00/sec/SAPSSLS.pse',
    own: { subject: 'CN=abc.example.com', key: { algorithm: 'RSA', size: 1024 } },
  });
  const [f] = runRule(rule, [listing]).findings;
  assert.equal(f?.title, 'Certificate "abc.example.com" has a small key (RSA 1024)');
  assert.equal(f?.pse?.node, 'SSL server Standard');
  assert.equal(f?.certificates?.[0]?.position, 'own');
});

test('pass and not applicable', () => {
  assert.deepEqual(runRule(rule, [file([cert({})])]).findings, []);
  assert.deepEqual(runRule(rule, [event('trace-info', {})]).notApplicable, ['weak-certificate']);
});
