/** @module weak-certificate: MD5/SHA-1 signatures and small keys, self-signed roots exempt. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
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

testRule(rule, {
  reports: [
    {
      name: 'a SHA-1 leaf → one weak-signature warning',
      events: () => [file([cert({ signatureAlgorithm: 'sha1WithRSAEncryption' })])],
      findings: [
        {
          cause: 'weak-signature',
          severity: 'warning',
          title: 'Certificate "api.example.test" is signed with sha1WithRSAEncryption',
        },
      ],
      check: ([f]) => assert.match(f?.summary ?? '', /carries a SHA-1 signature/),
    },
    {
      name: 'an MD5 leaf → an error',
      events: () => [file([cert({ signatureAlgorithm: 'md5WithRSAEncryption' })])],
      findings: [{ severity: 'error' }],
    },
    {
      name: 'the own certificate of a get_my_name listing with a 1024-bit key',
      events: [
        event('sapgenpse', {
          command: 'get_my_name',
          pseFile: '/usr/sap/ABC/D00/sec/SAPSSLS.pse',
          own: { subject: 'CN=abc.example.com', key: { algorithm: 'RSA', size: 1024 } },
        }),
      ],
      findings: [{ title: 'Certificate "abc.example.com" has a small key (RSA 1024)' }],
      check: ([f]) => {
        assert.equal(f?.pse?.node, 'SSL server Standard');
        assert.equal(f?.certificates?.[0]?.position, 'own');
      },
    },
  ],
  staysSilent: [{ name: 'a SHA-256 leaf with an RSA 2048 key', events: () => [file([cert({})])] }],
  notApplicable: [{ name: 'no certificates or listings', events: [event('trace-info', {})] }],
});
