/** @module openPse on the real sapgenpse files and on every way a PSE can fail to open. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip } from '../../../test/helpers/fixtures.js';
import { generateChain } from '../../../test/pki/index.js';
import { int, octets, oid, seq, tlv, writePse } from '../../../test/pse-writer/index.js';
import { isToolError } from '../../model/errors.js';
import { openPse, pseProblemOf } from './open-pse.js';

const PIN = '1234567980';
const REAL = [
  {
    file: 'pse_v2_lps_off_pbes1_3des_sha1.pse',
    cert: 'pse_v2_lps_off_pbes1_3des_sha1_cert.der',
    version: 2,
    pin: true,
  },
  {
    file: 'pse_v2_lps_off_pbes1_3des_sha1_plain.pse',
    cert: 'pse_v2_lps_off_pbes1_3des_sha1_cert.der',
    version: 2,
    pin: false,
  },
  {
    file: 'pse_v4_lps_off_pbes1_3des_sha1.pse',
    cert: 'pse_v4_lps_off_pbes1_3des_sha1_cert.der',
    version: 4,
    pin: true,
  },
  {
    file: 'pse_v4_lps_off_pbes1_3des_sha1_plain.pse',
    cert: 'pse_v4_lps_off_pbes1_3des_sha1_cert.der',
    version: 4,
    pin: false,
  },
];

const read = (name: string) => readFileSync(fixturePath('pse', name));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Run `fn`, expect a PSE ToolError, return its problem and message. */
function problemOf(fn: () => unknown): { problem: string; message: string; stack?: string } {
  try {
    fn();
  } catch (err) {
    const p = pseProblemOf(err);
    assert.ok(p, `expected a PSE ToolError, got ${String(err)}`);
    return p;
  }
  assert.fail('expected the PSE not to open');
}

describe('the four real PSE files', fixturesOrSkip(), () => {
  for (const real of REAL) {
    test(`${real.file} opens and yields exactly the certificate in ${real.cert}`, () => {
      const expected = read(real.cert);
      const pse = openPse(read(real.file), { name: real.file, ...(real.pin ? { pin: PIN } : {}) });
      assert.equal(pse.version, real.version);
      assert.equal(pse.protection, real.pin ? 'pin' : 'none');
      assert.ok(pse.own, 'own certificate');
      assert.deepEqual(pse.own.der, expected);
      assert.equal(pse.own.info.sha256, sha256(expected));
      assert.equal(pse.own.info.subject, 'CN=PSEOwner');
      // PKRoot (split form, re-assembled) and CertList both hold the same self-signed certificate.
      assert.deepEqual(pse.root?.der, expected);
      assert.deepEqual(
        pse.trusted.map((c) => c.der),
        [expected],
      );
      assert.deepEqual(pse.ownChain, []);
      assert.equal(pse.hasPrivateKey, true);
      assert.deepEqual(
        pse.objects.map((o) => [o.name, o.oid, o.kind, o.certificates]),
        [
          ['SKnew', '1.3.36.2.3.4', 'private-key', 0],
          ['PKRoot', '1.3.36.2.5.1', 'root', 1],
          ['Cert', '1.3.36.2.1.3', 'own-certificate', 1],
          ['CertList', '1.3.36.2.0', 'trusted-list', 1],
        ],
      );
      assert.deepEqual(pse.warnings, []);
      assert.equal(pse.encryption?.oid, '1.2.840.113549.1.12.1.3');
      assert.equal(pse.encryption?.iterations, 10000);
    });
  }

  for (const real of REAL.filter((r) => r.pin)) {
    test(`${real.file}: a wrong PIN is the wrong-pin error, without stack or PIN in the message`, () => {
      const p = problemOf(() => openPse(read(real.file), { name: real.file, pin: '0000000000' }));
      assert.equal(p.problem, 'wrong-pin');
      assert.match(p.message, /PIN for pse_v\d_.*\.pse is wrong/);
      assert.doesNotMatch(p.message, /\n\s+at |0000000000/);
    });

    test(`${real.file}: no PIN is pin-required`, () => {
      assert.equal(problemOf(() => openPse(read(real.file), { name: real.file })).problem, 'pin-required');
    });
  }

  test('v2: the PIN check value decides before the content is decrypted', () => {
    const bytes = Buffer.from(read(REAL[0]!.file));
    // Damage the last ciphertext block: a wrong PIN is still "wrong PIN", the right one finds the damage.
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] as number) ^ 0xff;
    assert.equal(problemOf(() => openPse(bytes, { name: 'x.pse', pin: 'nope' })).problem, 'wrong-pin');
    const right = problemOf(() => openPse(bytes, { name: 'x.pse', pin: PIN }));
    assert.equal(right.problem, 'corrupt');
  });

  test('v4: the first decrypted block tells a wrong PIN from a damaged file', () => {
    const bytes = Buffer.from(read(REAL[2]!.file));
    // The ciphertext ends 22 bytes before the end (then the 20-byte digest with its header).
    bytes[bytes.length - 30] = (bytes[bytes.length - 30] as number) ^ 0x01;
    assert.equal(problemOf(() => openPse(bytes, { name: 'x.pse', pin: 'nope' })).problem, 'wrong-pin');
    const right = problemOf(() => openPse(bytes, { name: 'x.pse', pin: PIN }));
    assert.equal(right.problem, 'corrupt');
  });

  test('v4 plain: content that does not match its SHA-1 is read with a warning', () => {
    const bytes = Buffer.from(read(REAL[3]!.file));
    // Change one character of the time stamp inside the content ("2018" → "2019").
    const at = bytes.indexOf(Buffer.from('20180218185442Z', 'latin1'));
    assert.ok(at > 0);
    bytes[at + 3] = 0x39;
    const pse = openPse(bytes, { name: 'x.pse' });
    assert.equal(pse.own?.info.subject, 'CN=PSEOwner');
    assert.ok(pse.warnings.some((w) => /SHA-1 check value/.test(w)));
  });

  test('a file cut short is corrupt, not "not a PSE"', () => {
    for (const real of REAL) {
      const bytes = read(real.file);
      for (const keep of [20, 100, bytes.length - 1]) {
        const p = problemOf(() => openPse(bytes.subarray(0, keep), { name: 'cut.pse', pin: PIN }));
        assert.equal(p.problem, 'corrupt', `${real.file} cut to ${keep}`);
      }
    }
  });

  test('a certificate file is recognised as such, not as a PSE', () => {
    const p = problemOf(() => openPse(read(REAL[0]!.cert), { name: 'cert.der' }));
    assert.equal(p.problem, 'not-a-pse');
    assert.match(p.message, /X\.509 certificate/);
  });
});

describe('files that cannot be opened here', () => {
  test('LPS-protected (version 256): says to run sapgenpse on the host that made it', () => {
    const bytes = seq(int(256), tlv(0xa0, octets(Buffer.alloc(32, 7))));
    const p = problemOf(() => openPse(bytes, { name: 'SAPSSLC.pse', pin: PIN }));
    assert.equal(p.problem, 'lps');
    assert.match(p.message, /LPS-protected/);
    assert.match(p.message, /sapgenpse maintain_pk -l -p SAPSSLC\.pse/);
  });

  test('cred_v2 is recognised by name and is not a PSE', () => {
    const p = problemOf(() => openPse(Buffer.from([1, 2, 3]), { name: '/usr/sap/ABC/D00/sec/cred_v2' }));
    assert.equal(p.problem, 'cred-v2');
    assert.match(p.message, /SSO credential file/);
  });

  test('text, PEM, PKCS#12 and empty files are "not a PSE", each with a reason', () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'), /PEM text/],
      [Buffer.from('hello, this is a trace file\n'.repeat(5)), /text file/],
      [seq(int(3), seq(oid('1.2.840.113549.1.7.1'))), /PKCS#12/],
      [Buffer.alloc(0), /empty/],
      [Buffer.from([0xff, 0x00, 0x13, 0x37, 0x00, 0x01]), /not DER/],
    ];
    for (const [bytes, reason] of cases) {
      const p = problemOf(() => openPse(bytes, { name: 'file' }));
      assert.equal(p.problem, 'not-a-pse');
      assert.match(p.message, reason);
    }
  });

  test('an unknown encryption scheme is "unsupported" and names it', () => {
    const pbes2 = seq(oid('1.2.840.113549.1.5.13'), seq());
    const bytes = seq(int(4), tlv(0xa3, int(1), pbes2, octets(Buffer.alloc(16)), octets(Buffer.alloc(20))));
    const p = problemOf(() => openPse(bytes, { name: 'new.pse', pin: PIN }));
    assert.equal(p.problem, 'unsupported');
    assert.match(p.message, /PBES2 \(1\.2\.840\.113549\.1\.5\.13\)/);
  });

  test('an unknown v4 protection flag is "unsupported"', () => {
    const alg = seq(oid('1.2.840.113549.1.12.1.3'), seq(octets(Buffer.alloc(8)), int(1)));
    const bytes = seq(int(4), tlv(0xa3, int(2), alg, octets(Buffer.alloc(16)), octets(Buffer.alloc(20))));
    assert.equal(problemOf(() => openPse(bytes, { name: 'x.pse', pin: PIN })).problem, 'unsupported');
  });

  test('an absurd iteration count is refused before any key derivation', () => {
    const alg = seq(oid('1.2.840.113549.1.12.1.3'), seq(octets(Buffer.alloc(8)), int(2_000_000_000)));
    const bytes = seq(int(2), tlv(0xa0, octets(Buffer.alloc(16)), alg, octets(Buffer.alloc(16))));
    const p = problemOf(() => openPse(bytes, { name: 'x.pse', pin: PIN }));
    assert.equal(p.problem, 'corrupt');
    assert.match(p.message, /iteration count/);
  });

  test('errors are ToolErrors carrying only the name and reason', () => {
    try {
      openPse(Buffer.from('nope'), { name: 'x.pse', pin: 'secret-pin' });
      assert.fail('should not open');
    } catch (err) {
      assert.ok(isToolError(err));
      assert.doesNotMatch(JSON.stringify(err.data), /secret-pin/);
    }
  });
});

describe('tolerance: objects pse-doctor does not know', () => {
  test('an unknown object is a warning; its certificates are kept apart from the trusted ones', () => {
    const cert = fixturesOrSkip().skip ? undefined : read(REAL[0]!.cert);
    const extraCert = cert ?? seq();
    const bytes = writePse({
      version: 4,
      iterations: 1,
      extra: [{ name: 'Mystery', oid: '1.3.36.2.42.1', value: seq(extraCert) }],
      trusted: [],
    });
    const pse = openPse(bytes, { name: 'odd.pse' });
    assert.ok(pse.warnings.some((w) => /Mystery \(1\.3\.36\.2\.42\.1\) is not known/.test(w)));
    assert.deepEqual(pse.trusted, []);
    assert.equal(pse.objects.find((o) => o.name === 'Mystery')?.recognised, false);
    if (cert) assert.equal(pse.otherCertificates[0]?.info.subject, 'CN=PSEOwner');
  });

  test('a known object name with an unexpected type OID is read, with a warning', () => {
    const cert = fixturesOrSkip().skip ? undefined : read(REAL[0]!.cert);
    if (!cert) return;
    const bytes = writePse({ version: 2, extra: [{ name: 'Cert', oid: '1.3.36.2.1.99', value: cert }] });
    const pse = openPse(bytes, { name: 'odd.pse' });
    assert.equal(pse.own?.info.subject, 'CN=PSEOwner');
    assert.deepEqual(pse.warnings, [
      'object Cert has type 1.3.36.2.1.99, not the 1.3.36.2.1.3 seen in sapgenpse files',
    ]);
  });

  test('objects in the secret-key OID arc or with key-like names are never looked into', () => {
    // A certificate hidden in a "key" object must not surface: the reader never decodes key values.
    const cert = fixturesOrSkip().skip ? seq() : read(REAL[0]!.cert);
    const bytes = writePse({
      version: 2,
      extra: [
        { name: 'Whatever', oid: '1.3.36.2.3.9', value: seq(cert) },
        { name: 'DecSKfuture', oid: '1.3.36.2.77', value: seq(cert) },
      ],
    });
    const pse = openPse(bytes, { name: 'keys.pse' });
    assert.equal(pse.hasPrivateKey, true);
    assert.deepEqual(pse.otherCertificates, []);
    assert.deepEqual(
      pse.objects.map((o) => [o.name, o.kind, o.certificates]),
      [
        ['Whatever', 'private-key', 0],
        ['DecSKfuture', 'private-key', 0],
      ],
    );
    assert.equal(pse.warnings.filter((w) => /looks like key material/.test(w)).length, 2);
  });
});

describe('certificates shared across PSEs', () => {
  test('identical DER is described once: the same bytes for every PSE, a copy of the description each', async () => {
    const chain = await generateChain({ keyType: 'ec', keySet: 'open-pse-shared' });
    const other = await generateChain({ keyType: 'ec', keySet: 'open-pse-shared-other' });
    const make = (trusted: Uint8Array[]) =>
      writePse({ version: 4, iterations: 1, own: chain.leaf.der, root: chain.root.der, trusted });
    const aBytes = make([chain.intermediate.der, other.root.der]);
    const a = openPse(aBytes, { name: 'A.pse' });
    aBytes.fill(0); // The reader wipes a PSE's bytes once read: nothing kept may point into them.
    const b = openPse(make([chain.intermediate.der, chain.root.der]), { name: 'B.pse' });

    const [aIntermediate, aOther] = a.trusted;
    const [bIntermediate] = b.trusted;
    assert.ok(aIntermediate && aOther && bIntermediate);
    // The same certificate in two PSEs: one buffer of its bytes, equal but separate descriptions.
    assert.equal(aIntermediate.der, bIntermediate.der);
    assert.deepEqual(aIntermediate.der, Buffer.from(chain.intermediate.der));
    assert.notEqual(aIntermediate.info, bIntermediate.info);
    assert.deepEqual(aIntermediate.info, bIntermediate.info);
    assert.equal(aIntermediate.info.sha256, sha256(chain.intermediate.der));
    // A finding changing one PSE's description does not change the other's.
    aIntermediate.info.subject = 'changed';
    assert.notEqual(bIntermediate.info.subject, 'changed');
    // Different certificates: different bytes, different descriptions.
    assert.notEqual(aOther.der, aIntermediate.der);
    assert.deepEqual(aOther.der, Buffer.from(other.root.der));
    assert.equal(aOther.info.sha256, sha256(other.root.der));
    assert.notEqual(aOther.info.sha256, aIntermediate.info.sha256);
    // The root stored in split form and the same root stored plainly are one certificate too.
    const bRoot = b.trusted.find((c) => c.info.sha256 === sha256(chain.root.der));
    assert.ok(bRoot && a.root);
    assert.equal(a.root.der, bRoot.der);
    assert.equal(a.own?.der, b.own?.der);
  });
});
