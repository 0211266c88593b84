/** @module Path building: order, extras, key identifiers, signatures, look-alikes, loops, depth, garbage. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generateTestPki, type TestCert, type TestPki } from '../../test/pki/index.js';
import type { CertificateInfo } from '../model/certificate.js';
import { describeCertificate } from './certificate-info.js';
import { buildChain, isSelfSigned, MAX_CHAIN_DEPTH, matchIssuer, sameCertificate } from './chain.js';

const info = (c: TestCert): CertificateInfo => describeCertificate(c.x509);

describe('buildChain with full certificates', () => {
  let pki: TestPki;
  let leaf: CertificateInfo;
  let int: CertificateInfo;
  let root: CertificateInfo;
  before(async () => {
    pki = await generateTestPki();
    leaf = info(pki.rsa.leaf);
    int = info(pki.rsa.intermediate);
    root = info(pki.rsa.root);
  });

  test('leaf → intermediate → anchor, tied by signature', () => {
    const c = buildChain([leaf, int], { anchors: [root] });
    assert.equal(c.end, 'anchor');
    assert.deepEqual(
      c.path.map((l) => [l.cert.sha256, l.source, l.matchedBy]),
      [
        [leaf.sha256, 'presented', undefined],
        [int.sha256, 'presented', 'signature'],
        [root.sha256, 'anchor', 'signature'],
      ],
    );
    assert.deepEqual(c.issues, []);
  });

  test('out-of-order input with the root and an unrelated extra certificate', () => {
    const extra = info(pki.ec.intermediate);
    const c = buildChain([int, root, extra, leaf], { anchors: [root] });
    assert.equal(c.end, 'anchor');
    assert.equal(c.path[0]?.cert, leaf);
    assert.equal(c.path.length, 3);
    const kinds = c.issues.map((i) => i.kind);
    assert.ok(kinds.includes('leaf-not-first'));
    assert.ok(kinds.includes('out-of-order'));
    assert.deepEqual(c.unused, [extra]);
  });

  test('a presented root that is in the list ends the path on the list member', () => {
    const c = buildChain([leaf, int, root], { anchors: [root] });
    assert.equal(c.end, 'anchor');
    assert.equal(c.path.at(-1)?.trusted, true);
  });

  test('missing issuer is named with its key id and AIA URL', () => {
    const c = buildChain([leaf], { anchors: [root] });
    assert.equal(c.end, 'issuer-missing');
    assert.equal(c.missing?.subject, int.subject);
    assert.equal(c.missing?.keyId, leaf.authorityKeyId);
  });

  test('duplicate subject with another key never closes the path', () => {
    const lookalike = info(pki.rekeyed.root);
    const c = buildChain([leaf, int], { anchors: [lookalike] });
    assert.equal(c.end, 'issuer-missing');
    assert.deepEqual(c.sameNameOtherKey, [lookalike]);
    // The real root beside the look-alike is found.
    assert.equal(buildChain([leaf, int], { anchors: [lookalike, root] }).end, 'anchor');
  });

  test('a signature that does not verify is refused even when names and key ids agree', () => {
    const forged: CertificateInfo = { ...info(pki.rekeyed.intermediate), subjectKeyId: int.subjectKeyId };
    assert.equal(matchIssuer(leaf, forged), 'mismatch');
    assert.equal(matchIssuer(leaf, int), 'signature');
  });

  test('a self-signed end-entity certificate is recognised as self-signed', () => {
    assert.equal(isSelfSigned(info(pki.selfSigned)), true);
    assert.equal(isSelfSigned(leaf), false);
    const c = buildChain([info(pki.selfSigned)], { anchors: [root] });
    assert.equal(c.end, 'untrusted-root');
  });

  test('held (fetched) certificates fill the gap but are not trusted', () => {
    const c = buildChain([leaf], { anchors: [root], held: [int] });
    assert.equal(c.end, 'anchor');
    assert.equal(c.path[1]?.source, 'held');
  });
});

describe('buildChain with names only (trace dumps, listings)', () => {
  const cert = (subject: string, issuer: string, extra: Partial<CertificateInfo> = {}): CertificateInfo => ({
    subject,
    issuer,
    ...extra,
  });

  test('SAP-order and OpenSSL-order spellings of the same DN chain together', () => {
    const leaf = cert('CN=api.example.com, O=Example, C=US', 'CN=Example CA, O=Example, C=US');
    const anchor = cert('C = US, O = Example, CN = Example CA', 'C = US, O = Example, CN = Example CA');
    const c = buildChain([leaf], { anchors: [anchor] });
    assert.equal(c.end, 'anchor');
    assert.equal(c.path[1]?.matchedBy, 'name');
  });

  test('key ids decide between two CAs of the same name', () => {
    const leaf = cert('CN=leaf', 'CN=CA', { authorityKeyId: 'AA:BB' });
    const oldCa = cert('CN=CA', 'CN=CA', { subjectKeyId: '11:22' });
    const newCa = cert('CN=CA', 'CN=CA', { subjectKeyId: 'aabb' });
    const c = buildChain([leaf], { anchors: [oldCa, newCa] });
    assert.equal(c.path[1]?.cert, newCa);
    assert.equal(c.path[1]?.matchedBy, 'key-id');
  });

  test('a loop ends as a loop, fast', () => {
    const a = cert('CN=A', 'CN=B');
    const b = cert('CN=B', 'CN=C');
    const c2 = cert('CN=C', 'CN=A');
    const c = buildChain([a, b, c2], { anchors: [] });
    assert.equal(c.end, 'loop');
    assert.equal(c.path.length, 3);
  });

  test('a 50-deep chain stops at the depth cap', () => {
    const chain = Array.from({ length: 50 }, (_, i) => cert(`CN=c${i}`, `CN=c${i + 1}`));
    const anchor = cert('CN=c50', 'CN=c50');
    const c = buildChain(chain, { anchors: [anchor] });
    assert.equal(c.end, 'depth-limit');
    assert.equal(c.path.length, MAX_CHAIN_DEPTH);
    // Reversed order (root side first) still finds the leaf and stops.
    const r = buildChain([...chain].reverse(), { anchors: [anchor] });
    assert.equal(r.end, 'depth-limit');
    assert.equal(r.path[0]?.cert.subject, 'CN=c0');
  });

  test('more than the presented cap is truncated and reported', () => {
    const chain = Array.from({ length: 200 }, (_, i) => cert(`CN=x${i}`, `CN=x${i + 1}`));
    const c = buildChain(chain, { anchors: [] });
    assert.ok(c.issues.some((i) => i.kind === 'truncated-input'));
  });

  test('garbage input gives a clear end, never a throw', () => {
    const junk: CertificateInfo[] = [
      { subject: '' },
      { subject: '=,=,,"', issuer: '"""' },
      {
        subject: 'CN=x',
        issuer: 'CN=y',
        pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      },
      { subject: 'CN=x'.repeat(5000), issuer: ',' },
    ];
    for (const j of junk) {
      const c = buildChain([j], { anchors: junk });
      assert.ok(['issuer-missing', 'anchor', 'untrusted-root'].includes(c.end), c.end);
    }
    assert.equal(buildChain([], { anchors: [] }).end, 'empty');
  });

  test('sameCertificate uses SHA-256, else subject + issuer + serial', () => {
    assert.ok(sameCertificate({ subject: 'CN=a', sha256: 'AB' }, { subject: 'CN=b', sha256: 'ab' }));
    assert.ok(
      sameCertificate(cert('CN=a', 'CN=b', { serial: '0A:01' }), cert('CN=a', 'CN=b', { serial: 'a01' })),
    );
    assert.ok(
      !sameCertificate(cert('CN=a', 'CN=b', { serial: '01' }), cert('CN=a', 'CN=b', { serial: '02' })),
    );
  });
});
