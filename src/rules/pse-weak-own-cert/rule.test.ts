/** @module pse-weak-own-cert: MD5/SHA-1 signatures and small keys on own certificates and their chain. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cert, pseList, runOn } from '../../../test/helpers/trust-list-evidence.js';
import rule from './rule.js';

test('fail: a SHA-1 signed own certificate with an RSA 1024 key gives two findings', () => {
  const own = cert('CN=abc.example.com', {
    signatureAlgorithm: 'sha1WithRSAEncryption',
    key: { algorithm: 'RSA', size: 1024 },
    selfSigned: false,
    isCA: false,
  });
  const findings = runOn(rule, [pseList('/sec/SAPSSLS.pse', [], { own })]);
  assert.deepEqual(findings.map((f) => [f.title, f.severity, f.cause]).sort(), [
    [
      'The own certificate of SAPSSLS.pse (SSL server Standard) has a small key (RSA 1024)',
      'warning',
      'weak-signature',
    ],
    [
      'The own certificate of SAPSSLS.pse (SSL server Standard) is signed with sha1WithRSAEncryption',
      'warning',
      'weak-signature',
    ],
  ]);
});

test('fail: an MD5-signed intermediate in the own chain is an error; a SHA-1 self-signed root is fine', () => {
  const own = cert('CN=abc', { selfSigned: false, isCA: false });
  const inter = cert('CN=Old Issuing CA', { signatureAlgorithm: 'md5WithRSAEncryption', selfSigned: false });
  const root = cert('CN=Old Root', { signatureAlgorithm: 'sha1WithRSAEncryption' });
  const [f, ...rest] = runOn(rule, [pseList('/sec/SAPSSLC.pse', [], { own, ownChain: [inter, root] })]);
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'error');
  assert.equal(f?.certificates?.[0]?.subject, 'CN=Old Issuing CA');
});

test('pass: SHA-256 / RSA 2048, and SSL client Anonymous (never sent) is not judged', () => {
  const weak = cert('CN=anonymous', { signatureAlgorithm: 'md5WithRSAEncryption', selfSigned: false });
  assert.deepEqual(
    runOn(rule, [
      pseList('/sec/SAPSSLC.pse', [], { own: cert('CN=ok', { selfSigned: false }) }),
      pseList('/sec/SAPSSLA.pse', [], { own: weak }),
    ]),
    [],
  );
});
