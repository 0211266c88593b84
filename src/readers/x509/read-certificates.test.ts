/**
 * @module readCertificates on every container format (real SAP-made certificate, generated test PKI) and on
 * hostile input: each problem is a ToolError with a clear reason, never a crash or a hang.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip } from '../../../test/helpers/fixtures.js';
import { type PkiFixtureFiles, TEST_P12_PASSWORD, writePkiFixtures } from '../../../test/pki/index.js';
import { isToolError, type ToolErrorCode } from '../../model/errors.js';
import { orderLeafFirst } from './chain-order.js';
import { childrenOf, walkDer } from './der.js';
import { readCertificates } from './read-certificates.js';
import { trustListFor } from './reader.js';

const PSE_OWNER_SHA256 = '6b93c726397178c65951dda26ae9aba1c1e90403c052e74ad99e5be60a678756';

async function rejects(promise: Promise<unknown>, code: ToolErrorCode, reason?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isToolError(err), `expected a ToolError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (reason) assert.match(err.message, reason);
    return true;
  });
}

describe('the real certificate of the SAP-made PSE fixtures', fixturesOrSkip(), () => {
  test('DER (v2 and v4 exports): CN=PSEOwner with the documented SHA-256', async () => {
    for (const file of [
      'pse_v2_lps_off_pbes1_3des_sha1_cert.der',
      'pse_v4_lps_off_pbes1_3des_sha1_cert.der',
    ]) {
      const bytes = readFileSync(fixturePath('pse', file));
      const r = await readCertificates(bytes, file);
      assert.equal(r.container, 'der');
      assert.equal(r.certificates.length, 1);
      const c = r.certificates[0]!;
      assert.equal(c.subject, 'CN=PSEOwner');
      assert.equal(c.issuer, 'CN=PSEOwner');
      assert.equal(c.sha256, PSE_OWNER_SHA256);
      assert.equal(c.serial, '8C:3A:0D:BE:67:59:23:54');
      assert.equal(c.notBefore, '2018-02-18T18:48:35.000Z');
      assert.equal(c.notAfter, '2019-02-18T18:48:35.000Z');
      assert.deepEqual(c.key, { algorithm: 'RSA', size: 2048 });
      assert.equal(c.selfSigned, true);
    }
  });

  test('the same certificate as PEM with CRLF and prose, and as a STRUST Base64 export without armour', async () => {
    const der = readFileSync(fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1_cert.der'));
    const b64 = der.toString('base64');
    const pem = `Exported from STRUST on Monday\r\n  -----BEGIN CERTIFICATE-----\r\n${(b64.match(/.{1,64}/g) ?? []).map((l) => `  ${l}`).join('\r\n')}\r\n  -----END CERTIFICATE-----\r\nregards\r\n`;
    const fromPem = await readCertificates(Buffer.from(pem), 'owner.pem');
    assert.equal(fromPem.container, 'pem');
    assert.equal(fromPem.certificates[0]!.sha256, PSE_OWNER_SHA256);
    assert.deepEqual(fromPem.lines, [2]);
    const regards = pem.split('\r\n').indexOf('regards') + 1;
    assert.deepEqual(fromPem.outsideLines, [1, regards]);

    const bare = (b64.match(/.{1,76}/g) ?? []).join('\r\n');
    const fromB64 = await readCertificates(Buffer.from(bare), 'owner.txt');
    assert.equal(fromB64.container, 'strust-export');
    assert.equal(fromB64.certificates[0]!.sha256, PSE_OWNER_SHA256);
  });

  test('a truncated copy is refused as truncated', async () => {
    const der = readFileSync(fixturePath('pse', 'pse_v4_lps_off_pbes1_3des_sha1_cert.der'));
    await rejects(
      readCertificates(der.subarray(0, Math.floor(der.length / 2)), 'cut.der'),
      'bad-certificate',
      /truncated/,
    );
  });
});

describe('containers of the generated test PKI', () => {
  let dir: string;
  let pki: PkiFixtureFiles;
  const file = (name: string) => readFileSync(pki.files[name]!);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-x509-'));
    pki = await writePkiFixtures(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('PEM bundle with text around the blocks, leaf first', async () => {
    const r = await readCertificates(file('chain.pem'), 'chain.pem');
    assert.equal(r.container, 'pem');
    assert.deepEqual(
      r.certificates.map((c) => c.sha256),
      [pki.chain.leaf.sha256, pki.chain.intermediate.sha256],
    );
    assert.ok((r.outsideLines ?? []).length >= 2, 'the subject= lines are counted outside the blocks');
  });

  test('PKCS#7 as PEM (.p7b) and DER (.p7c) hold the whole chain', async () => {
    for (const [name, container] of [
      ['chain.p7b', 'pkcs7'],
      ['chain.p7c', 'pkcs7'],
    ] as const) {
      const r = await readCertificates(file(name), name);
      assert.equal(r.container, container, name);
      const shas = new Set(r.certificates.map((c) => c.sha256));
      for (const c of [pki.chain.leaf, pki.chain.intermediate, pki.chain.root])
        assert.ok(shas.has(c.sha256), name);
      assert.equal(orderLeafFirst(r.certificates)[0]!.sha256, pki.chain.leaf.sha256);
    }
  });

  test('PKCS#12 with PBE-SHA1-3DES and with PBES2/AES: certificates only, the key is skipped', async () => {
    for (const [name, enc] of [
      ['store-3des.p12', /3-KeyTripleDES/],
      ['store-aes.p12', /PBES2 \(PBKDF2-HMAC-SHA256, AES-256-CBC\)/],
    ] as const) {
      const r = await readCertificates(file(name), name, { password: TEST_P12_PASSWORD });
      assert.equal(r.container, 'pkcs12');
      assert.equal(r.certificates.length, 3, name);
      assert.equal(orderLeafFirst(r.certificates)[0]!.sha256, pki.chain.leaf.sha256);
      assert.match(r.protection!.encryption.join(), enc);
      assert.ok(
        r.warnings.some((w) => /1 private key skipped/.test(w)),
        name,
      );
      const json = JSON.stringify(r);
      assert.doesNotMatch(json, /PRIVATE KEY/);
      assert.ok(!json.includes(TEST_P12_PASSWORD), 'the password never appears in the result');
      assert.ok(r.friendlyNames?.includes('leaf'), 'the friendly name of the leaf bag is read');
    }
  });

  test('PKCS#12: wrong password and missing password are named, before any decryption', async () => {
    await rejects(
      readCertificates(file('store-aes.p12'), 'store-aes.p12', { password: 'nope' }),
      'wrong-password',
    );
    await rejects(
      readCertificates(file('store-3des.p12'), 'store-3des.p12', { password: '' }),
      'wrong-password',
    );
    await rejects(readCertificates(file('store-aes.p12'), 'store-aes.p12'), 'password-required');
  });

  test('PKCS#12 from OpenSSL -legacy (RC2-40 certificate bag)', async (t) => {
    const out = join(dir, 'legacy.p12');
    try {
      execFileSync(
        'openssl',
        [
          'pkcs12',
          '-export',
          '-legacy',
          '-in',
          pki.files['leaf.pem']!,
          '-inkey',
          pki.files['leaf.key.pem']!,
          '-out',
          out,
          '-passout',
          'pass:legacy-pw',
        ],
        { stdio: 'ignore' },
      );
    } catch {
      t.skip('openssl cannot write -legacy PKCS#12 here');
      return;
    }
    const r = await readCertificates(readFileSync(out), 'legacy.p12', { password: 'legacy-pw' });
    assert.equal(r.certificates[0]!.sha256, pki.chain.leaf.sha256);
    assert.match(r.protection!.encryption.join(), /40BitRC2/);
  });

  test('a PKCS#12 whose MAC asks for 2^31-1 iterations is refused at once, saying why', async () => {
    const p12 = file('store-3des.p12');
    const top = walkDer(p12);
    const [version, authSafe, mac] = childrenOf(p12, top);
    const [digest, salt] = childrenOf(p12, mac!);
    const slice = (t: { start: number; end: number }) => p12.subarray(t.start, t.end);
    const macData = seq(Buffer.concat([slice(digest!), slice(salt!), Buffer.from('02047fffffff', 'hex')]));
    const hostile = seq(Buffer.concat([slice(version!), slice(authSafe!), macData]));
    await rejects(
      readCertificates(hostile, 'slow.p12', { password: TEST_P12_PASSWORD }),
      'bad-certificate',
      /2147483647 iterations.*stops at 1000000/,
    );
  });

  test('a BER-encoded PKCS#12 (indefinite lengths, chunked OCTET STRING, as older Java writes) reads the same', async () => {
    const p12 = file('store-aes.p12');
    const [version, authSafe, mac] = childrenOf(p12, walkDer(p12));
    const [type, explicit] = childrenOf(p12, authSafe!);
    const octets = childrenOf(p12, explicit!)[0]!;
    const content = p12.subarray(octets.contentStart, octets.contentEnd);
    const half = Math.floor(content.length / 2);
    const slice = (t: { start: number; end: number }) => p12.subarray(t.start, t.end);
    const indefinite = (tag: number, body: Buffer) =>
      Buffer.concat([Buffer.from([tag, 0x80]), body, Buffer.from([0, 0])]);
    const chunked = indefinite(
      0x24,
      Buffer.concat([octetString(content.subarray(0, half)), octetString(content.subarray(half))]),
    );
    const ber = indefinite(
      0x30,
      Buffer.concat([
        slice(version!),
        indefinite(0x30, Buffer.concat([slice(type!), indefinite(0xa0, chunked)])),
        slice(mac!),
      ]),
    );
    const r = await readCertificates(ber, 'java.p12', { password: TEST_P12_PASSWORD });
    assert.equal(r.container, 'pkcs12');
    assert.equal(r.certificates.length, 3);
    await rejects(readCertificates(ber, 'java.p12', { password: 'wrong' }), 'wrong-password');
  });

  test('a chain given in any order comes out leaf first', () => {
    const shuffled = [pki.chain.root, pki.chain.leaf, pki.chain.intermediate].map((c) => ({
      subject: c.subject,
      issuer: c.issuer,
      sha256: c.sha256,
      selfSigned: c === pki.chain.root,
    }));
    assert.deepEqual(
      orderLeafFirst(shuffled).map((c) => c.sha256),
      [pki.chain.leaf.sha256, pki.chain.intermediate.sha256, pki.chain.root.sha256],
    );
  });

  test('duplicates are dropped with a warning; a private key beside a certificate is skipped, never read', async () => {
    const text = `${pki.chain.leaf.pem}${pki.chain.leaf.pem}${pki.chain.leaf.keyPem}`;
    const r = await readCertificates(Buffer.from(text), 'dup.pem');
    assert.equal(r.certificates.length, 1);
    assert.ok(r.warnings.some((w) => /1 duplicate certificate/.test(w)));
    assert.ok(r.warnings.some((w) => /private key at line \d+ was skipped/.test(w)));
    await rejects(
      readCertificates(Buffer.from(pki.chain.leaf.keyPem), 'key.pem'),
      'bad-certificate',
      /private key/,
    );
  });

  test('a certificate request is named as such', async () => {
    const csr = execFileSync('openssl', [
      'req',
      '-new',
      '-key',
      pki.files['leaf.key.pem']!,
      '-subj',
      '/CN=req.example.test',
      '-outform',
      'DER',
    ]);
    await rejects(readCertificates(csr, 'req.der'), 'bad-certificate', /certificate request/);
  });

  test('trust lists are recognised by name (PSE or store) or by content (several self-signed CAs)', () => {
    const root = { subject: pki.chain.root.subject, isCA: true, selfSigned: true };
    const other = { subject: 'CN=Other Root', isCA: true, selfSigned: true };
    const list = trustListFor('exports/SAPSSLA.pem', [root]);
    assert.equal(list?.storeKind, 'sap-pse');
    assert.equal(list?.node, 'SSL client Anonymous');
    assert.equal(list?.basename, 'SAPSSLA.pse');
    assert.equal(trustListFor('sapsslc_list.crt', [root])?.node, 'SSL client Standard');
    assert.equal(trustListFor('cacerts.pem', [root])?.storeKind, 'java');
    assert.equal(trustListFor('bundle.pem', [root, other])?.storeKind, 'file-list');
    assert.equal(trustListFor('chain.pem', [{ subject: 'CN=leaf', isCA: false }, root]), undefined);
    assert.equal(trustListFor('strust-export.txt', [root]), undefined, '"strust" is not "trust"');
    assert.equal(trustListFor('my-truststore.pem', [root])?.storeKind, 'file-list');
  });
});

describe('hostile input gives a clear ToolError quickly', () => {
  test('huge length fields and deep nesting in a DER file', async () => {
    await rejects(
      readCertificates(Buffer.from('308a7fffffffffffffffffff3082', 'hex'), 'huge.der'),
      'unknown-format',
    );
    const claimsHuge = Buffer.from('30847fffffff30820100a003020102', 'hex');
    await rejects(readCertificates(claimsHuge, 'huge.der'), 'bad-certificate', /claims 2147483647 bytes/);
    // Thousands of nested SEQUENCEs: plain, inside something shaped like a certificate, inside a PKCS#7.
    let nested: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 4000; i++) nested = seq(nested);
    await rejects(readCertificates(nested, 'deep.der'), 'unknown-format');
    const certLike = seq(seq(Buffer.concat([Buffer.from('a003020102', 'hex'), nested])));
    await rejects(readCertificates(certLike, 'deep.der'), 'bad-certificate', /nesting deeper than 32 levels/);
    const signedDataOid = Buffer.from('06092a864886f70d010702', 'hex');
    const p7Like = seq(
      Buffer.concat([signedDataOid, Buffer.from([0xa0, 0x80]), nested, Buffer.from([0, 0])]),
    );
    await rejects(readCertificates(p7Like, 'deep.p7c'), 'bad-certificate', /nesting deeper than 48 levels/);
  });

  test('a PEM block with invalid base64', async () => {
    const text = '-----BEGIN CERTIFICATE-----\nMIIB*not base64*\n-----END CERTIFICATE-----\n';
    await rejects(
      readCertificates(Buffer.from(text), 'bad.pem'),
      'bad-certificate',
      /line 1: invalid base64/,
    );
  });

  test('10 MB of random bytes', async () => {
    const noise = randomBytes(10 * 1024 * 1024);
    noise[0] = 0x17; // not a SEQUENCE; any other first byte is a text container test
    await rejects(readCertificates(noise, 'noise.bin'), 'unknown-format');
    noise[0] = 0x30;
    await rejects(readCertificates(noise, 'noise.bin'), 'unknown-format');
  });

  test('empty and oversized inputs', async () => {
    await rejects(readCertificates(Buffer.alloc(0), 'empty.pem'), 'empty-input');
    await rejects(readCertificates(Buffer.alloc(17 * 1024 * 1024, 0x41), 'big.pem'), 'too-large');
  });
});

/** DER OCTET STRING around `content`. */
function octetString(content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x04, 0x82, content.length >> 8, content.length & 0xff]), content]);
}

/** DER SEQUENCE around `content`. */
function seq(content: Buffer): Buffer {
  const len = content.length;
  const head =
    len < 0x80
      ? Buffer.from([0x30, len])
      : len < 0x10000
        ? Buffer.from([0x30, 0x82, len >> 8, len & 0xff])
        : Buffer.from([0x30, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff]);
  return Buffer.concat([head, content]);
}
