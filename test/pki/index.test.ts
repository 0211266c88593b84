/** @module Checks that the test PKI generator makes what it promises, cross-checked with the openssl CLI. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type * as X509 from '../../src/pki/x509.js';
import { x509 as loadX509 } from '../../src/pki/x509.js';
import { generateChain, generateTestPki, type TestPki, VALIDITY, writePkiFixtures } from './index.js';

const x509 = loadX509();

const attime = String(Math.floor(new Date('2026-01-15T12:00:00Z').getTime() / 1000));

function opensslVerify(dir: string, leaf: string, opts: string[] = []): { ok: boolean; out: string } {
  try {
    const out = execFileSync(
      'openssl',
      ['verify', '-attime', attime, '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', ...opts, leaf],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 },
    ).toString();
    return { ok: true, out };
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    return { ok: false, out: `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}` };
  }
}

describe('test PKI generator', () => {
  let pki: TestPki;
  let dir: string;
  before(async () => {
    pki = await generateTestPki();
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-pki-'));
    await writePkiFixtures(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the RSA chain verifies with openssl against its root only', () => {
    const r = opensslVerify(dir, 'leaf.pem');
    assert.ok(r.ok, r.out);
    assert.match(r.out, /leaf\.pem: OK/);
  });

  test('the chain is root → intermediate → leaf with matching SKI/AKI and SAP-order DNs', () => {
    const { root, intermediate, leaf } = pki.rsa;
    assert.equal(root.subject, 'CN=PSE Doctor Test RSA Root CA, O=PSE Doctor Test, C=DE');
    assert.equal(intermediate.issuer, root.subject);
    assert.equal(leaf.issuer, intermediate.subject);
    const ski = (c: X509.X509Certificate) =>
      c.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? 'none';
    const aki = (c: X509.X509Certificate) =>
      c.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId ?? 'none';
    assert.equal(aki(leaf.x509), ski(intermediate.x509));
    assert.equal(aki(intermediate.x509), ski(root.x509));
    const node = new X509Certificate(leaf.der);
    assert.ok(node.verify(new X509Certificate(intermediate.der).publicKey));
    assert.match(node.subjectAltName ?? '', /DNS:api\.example\.test/);
    assert.match(node.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  });

  test('the private key matches the certificate', () => {
    const node = new X509Certificate(pki.rsa.leaf.der);
    assert.ok(node.checkPrivateKey(createPrivateKey(pki.rsa.leaf.keyPem)));
    assert.match(pki.ec.leaf.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  });

  test('defect variants carry their defect (openssl agrees)', () => {
    assert.equal(pki.expiredLeaf.leaf.x509.notAfter.toISOString(), VALIDITY.expired.notAfter.toISOString());
    assert.equal(pki.notYetValidLeaf.leaf.x509.notBefore.getUTCFullYear(), 2095);
    assert.equal(pki.expiredIntermediate.intermediate.x509.notAfter.getUTCFullYear(), 2002);
    assert.equal(pki.sha1Leaf.leaf.x509.signatureAlgorithm.hash.name, 'SHA-1');
    assert.equal(
      new X509Certificate(pki.rsa1024Leaf.leaf.der).publicKey.asymmetricKeyDetails?.modulusLength,
      1024,
    );
    assert.match(
      new X509Certificate(pki.wildcardLeaf.leaf.der).subjectAltName ?? '',
      /DNS:\*\.example\.test/,
    );
    assert.equal(
      new X509Certificate(pki.selfSigned.der).issuer,
      new X509Certificate(pki.selfSigned.der).subject,
    );
    const expired = opensslVerify(dir, 'variant-expired-leaf.pem');
    assert.equal(expired.ok, false);
    assert.match(expired.out, /certificate has expired/);
    const future = opensslVerify(dir, 'variant-not-yet-valid-leaf.pem');
    assert.match(future.out, /certificate is not yet valid/);
    assert.match(
      opensslVerify(dir, 'variant-wrong-name-leaf.pem', ['-verify_hostname', 'api.example.test']).out,
      /hostname mismatch/i,
    );
    // All variants chain to the one RSA root: one trust list covers the matrix.
    assert.equal(pki.expiredLeaf.root, pki.rsa.root);
    assert.equal(pki.sha1Leaf.intermediate, pki.rsa.intermediate);
  });

  test('the rekeyed chain has the same names and different keys', () => {
    assert.equal(pki.rekeyed.root.subject, pki.rsa.root.subject);
    assert.notEqual(pki.rekeyed.root.sha256, pki.rsa.root.sha256);
    const node = new X509Certificate(pki.rekeyed.intermediate.der);
    assert.equal(node.verify(new X509Certificate(pki.rsa.root.der).publicKey), false);
  });

  test('EC chain uses P-256 and verifies', () => {
    const node = new X509Certificate(pki.ec.leaf.der);
    assert.equal(node.publicKey.asymmetricKeyType, 'ec');
    assert.ok(node.verify(new X509Certificate(pki.ec.intermediate.der).publicKey));
  });

  test('AIA caIssuers URL is written when asked', async () => {
    const c = await generateChain({ aiaUrl: 'http://127.0.0.1:9/int.cer' });
    const node = new X509Certificate(c.leaf.der);
    assert.match(node.infoAccess ?? '', /CA Issuers - URI:http:\/\/127\.0\.0\.1:9\/int\.cer/);
    assert.equal(c.intermediate, pki.rsa.intermediate);
  });

  test('containers: PKCS#7 holds three certificates; both PKCS#12 files open with the password file', () => {
    const p7 = execFileSync('openssl', ['pkcs7', '-in', 'chain.p7b', '-print_certs', '-noout'], {
      cwd: dir,
    }).toString();
    assert.equal((p7.match(/subject=/g) ?? []).length, 3);
    const p7der = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', 'chain.p7c', '-print_certs'], {
      cwd: dir,
    }).toString();
    assert.equal((p7der.match(/BEGIN CERTIFICATE/g) ?? []).length, 3);
    for (const [file, alg] of [
      ['store-3des.p12', /pbeWithSHA1And3-KeyTripleDES-CBC/],
      ['store-aes.p12', /PBES2.*AES-256-CBC/],
      ['truststore.p12', /PBES2/],
    ] as const) {
      // `pkcs12 -info` prints the algorithms on stderr and fails on a wrong password.
      const r = spawnSync(
        'openssl',
        ['pkcs12', '-in', file, '-info', '-noout', '-passin', 'file:p12-password.txt'],
        {
          cwd: dir,
          encoding: 'utf8',
          timeout: 10_000,
        },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, alg);
    }
    assert.match(readFileSync(join(dir, 'chain.pem'), 'utf8'), /^subject=CN=api\.example\.test/);
  });
});
