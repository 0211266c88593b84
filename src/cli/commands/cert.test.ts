/**
 * @module `pse-doctor cert` end to end (in-process): every container format, the real SAP-made certificate,
 * text and --json output, passwords only from a file or the environment, hostile input, --export-pem.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../test/helpers/fake-io.js';
import { fixturePath, fixturesOrSkip, REPO_ROOT } from '../../../test/helpers/fixtures.js';
import {
  generateTestPki,
  type PkiFixtureFiles,
  TEST_NOW,
  TEST_P12_PASSWORD,
  writePkiFixtures,
} from '../../../test/pki/index.js';
import type { CertificateFileEvent, TrustListEvent } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';

const NOW = TEST_NOW;
const PSE_OWNER_SHA256 = '6b93c726397178c65951dda26ae9aba1c1e90403c052e74ad99e5be60a678756';
const SAMPLES = fileURLToPath(new URL('../../readers/sapgenpse/samples/', import.meta.url));

let dir: string;
let pki: PkiFixtureFiles;
const f = (name: string) => pki.files[name]!;
const colon = (hex: string) => (hex.toUpperCase().match(/../g) ?? []).join(':');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-cert-'));
  pki = await writePkiFixtures(join(dir, 'pki'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function parseReport(stdout: string): Report {
  const report = JSON.parse(stdout) as Report;
  assert.equal(report.tool, 'pse-doctor');
  assert.equal(report.schemaVersion, 1);
  return report;
}

/** Validate against docs/report.schema.json when the project has it (the Report contract). */
async function validateReport(report: Report): Promise<void> {
  const schemaPath = join(REPO_ROOT, 'docs', 'report.schema.json');
  if (!existsSync(schemaPath)) return;
  const { default: Ajv } = await import('ajv');
  const AjvCtor = Ajv as unknown as new (
    o: object,
  ) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
  const validate = new AjvCtor({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(schemaPath, 'utf8')) as object,
  );
  assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
}

function certEvents(report: Report): CertificateFileEvent[] {
  return report.events.filter((e): e is CertificateFileEvent => e.kind === 'certificates');
}

describe('every container format', () => {
  test('PEM chain with text around the blocks: leaf first, SAP-order DNs, fingerprints, validity', async () => {
    const r = await runCli(['cert', f('chain.pem')], { now: NOW });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /PEM, 2 certificates, leaf first/);
    const leafAt = r.stdout.indexOf('[1] leaf: CN=api.example.test, O=PSE Doctor Test, C=DE');
    const intAt = r.stdout.indexOf('[2] intermediate CA: CN=PSE Doctor Test RSA Issuing CA');
    assert.ok(leafAt > 0 && intAt > leafAt, r.stdout);
    assert.ok(r.stdout.includes(colon(pki.chain.leaf.sha256)));
    assert.match(r.stdout, /SAN\s+api\.example\.test, localhost, 127\.0\.0\.1/);
    assert.match(r.stdout, /2001-01-01 00:00:00 UTC → 2098-12-31 23:59:59 UTC {2}\[\d+ days left\]/);
    assert.match(r.stdout, /Mozilla store no/);
    assert.match(r.stdout, /No problems found/);
  });

  test('DER, PKCS#7 (PEM and DER), STRUST Base64 export: same leaf, right format name', async () => {
    const bare = join(dir, 'strust-export.txt');
    writeFileSync(bare, (pki.chain.leaf.der.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n'));
    for (const [file, format] of [
      [f('leaf.der'), 'DER, 1 certificate'],
      [f('chain.p7b'), 'PKCS#7, 3 certificates, leaf first'],
      [f('chain.p7c'), 'PKCS#7, 3 certificates, leaf first'],
      [bare, 'STRUST export (Base64), 1 certificate'],
    ] as const) {
      const r = await runCli(['cert', file], { now: NOW });
      assert.equal(r.code, 0, `${file}: ${r.stderr}`);
      assert.ok(r.stdout.includes(format), `${file}: ${r.stdout.slice(0, 200)}`);
      assert.match(r.stdout, /\[1\] leaf: CN=api\.example\.test/);
    }
  });

  test('PKCS#12 (3DES and AES) with --password-file or PSE_DOCTOR_PASSWORD; the key is skipped', async () => {
    const viaFile = await runCli(['cert', f('store-3des.p12'), '--password-file', f('p12-password.txt')], {
      now: NOW,
    });
    assert.equal(viaFile.code, 0, viaFile.stderr);
    assert.match(viaFile.stdout, /PKCS#12, 3 certificates, leaf first/);
    assert.match(viaFile.stdout, /Protected with pbeWithSHAAnd3-KeyTripleDES-CBC; MAC HMAC-SHA1/);
    assert.match(viaFile.stdout, /1 private key skipped/);
    assert.doesNotMatch(viaFile.stdout, /PRIVATE KEY|BEGIN/);

    const viaEnv = await runCli(['cert', f('store-aes.p12'), '--json'], {
      now: NOW,
      env: { PSE_DOCTOR_PASSWORD: TEST_P12_PASSWORD },
    });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    const report = parseReport(viaEnv.stdout);
    await validateReport(report);
    assert.equal(report.inputs[0]?.format, 'pkcs12');
    const [ev] = certEvents(report);
    assert.equal(ev?.container, 'pkcs12');
    assert.deepEqual(
      ev?.certificates.map((c) => c.sha256),
      [pki.chain.leaf.sha256, pki.chain.intermediate.sha256, pki.chain.root.sha256],
    );
    assert.ok(!viaEnv.stdout.includes(TEST_P12_PASSWORD), 'the password never reaches the report');
  });

  test('a folder: every certificate file read, the rest listed', async () => {
    const r = await runCli(['cert', join(dir, 'pki'), '--password-file', f('p12-password.txt'), '--json'], {
      now: NOW,
    });
    const report = parseReport(r.stdout);
    await validateReport(report);
    const formats = new Set(report.inputs.map((i) => i.format));
    for (const format of ['pem', 'der', 'pkcs7', 'pkcs12']) assert.ok(formats.has(format), format);
    assert.ok(report.inputs.length >= 20);
    // The key file and the password file are not certificates: named on stderr, never printed.
    assert.match(r.stderr, /leaf\.key\.pem: .*private key/);
    assert.match(r.stderr, /skipped \(not a certificate/);
    // The defect variants in the folder give findings, so the exit code is 1.
    assert.equal(r.code, 1);
    assert.ok(report.findings.some((x) => x.cause === 'expired-peer-cert'));
  });

  test('a sapgenpse maintain_pk -l listing shows the trust list and its STRUST node', async () => {
    const r = await runCli(['cert', join(SAMPLES, 'maintain-pk-padded.txt')], { now: NOW });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /trust list for SAPSSLA\.pse \(STRUST: SSL client Anonymous\), 3 certificates/);
    assert.match(r.stdout, /\[2\] trusted: CN=DigiCert Global Root G2/);
    const json = parseReport(
      (await runCli(['cert', join(SAMPLES, 'maintain-pk-padded.txt'), '--json'], { now: NOW })).stdout,
    );
    await validateReport(json);
    const list = json.events.find((e): e is TrustListEvent => e.kind === 'trust-list');
    assert.equal(list?.list.node, 'SSL client Anonymous');
  });
});

describe('the real certificate of the SAP-made PSE fixtures', fixturesOrSkip(), () => {
  const v2 = () => fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1_cert.der');
  const v4 = () => fixturePath('pse', 'pse_v4_lps_off_pbes1_3des_sha1_cert.der');

  test('text: CN=PSEOwner, the documented fingerprint, marked expired; exit 1', async () => {
    for (const file of [v2(), v4()]) {
      const r = await runCli(['cert', file], { now: NOW });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /\[1\] root CA: CN=PSEOwner/);
      assert.ok(
        r.stdout.includes(
          '6B:93:C7:26:39:71:78:C6:59:51:DD:A2:6A:E9:AB:A1:C1:E9:04:03:C0:52:E7:4A:D9:9E:5B:E6:0A:67:87:56',
        ),
      );
      assert.match(r.stdout, /2018-02-18 18:48:35 UTC → 2019-02-18 18:48:35 UTC {2}\[EXPIRED \d+ days ago\]/);
      assert.match(r.stdout, /✖ 1\. Certificate "PSEOwner" expired on 2019-02-18 \[certain · [^\]]+\]/);
    }
  });

  test('--json: the Report carries the certificate in its events and in the finding', async () => {
    const r = await runCli(['cert', v4(), '--json'], { now: NOW });
    assert.equal(r.code, 1);
    const report = parseReport(r.stdout);
    await validateReport(report);
    const [ev] = certEvents(report);
    assert.equal(ev?.certificates[0]?.sha256, PSE_OWNER_SHA256);
    assert.equal(ev?.certificates[0]?.subject, 'CN=PSEOwner');
    const finding = report.findings.find((x) => x.rule === 'certificate-validity');
    assert.equal(finding?.cause, 'expired-peer-cert');
    assert.equal(finding?.confidence, 'certain');
    assert.deepEqual(finding?.certificates, [
      {
        subject: 'CN=PSEOwner',
        issuer: 'CN=PSEOwner',
        serial: '8C:3A:0D:BE:67:59:23:54',
        notBefore: '2018-02-18T18:48:35.000Z',
        notAfter: '2019-02-18T18:48:35.000Z',
        sha256: PSE_OWNER_SHA256,
        position: 'root',
      },
    ]);
  });
});

describe('findings from generated defects', () => {
  test('an expired leaf is an error (exit 1); a SHA-1 leaf is a warning (exit 0, or 1 with --fail-on warning)', async () => {
    const variants = await generateTestPki();
    const expired = join(dir, 'expired.pem');
    writeFileSync(expired, variants.expiredLeaf.leaf.pem + variants.expiredLeaf.intermediate.pem);
    const e = await runCli(['cert', expired], { now: NOW });
    assert.equal(e.code, 1);
    assert.match(e.stdout, /EXPIRED \d+ days ago/);
    assert.match(e.stdout, /Certificate "api\.example\.test" expired on 2002-01-01/);

    const sha1 = join(dir, 'sha1.pem');
    writeFileSync(sha1, variants.sha1Leaf.leaf.pem);
    const s = await runCli(['cert', sha1], { now: NOW });
    assert.equal(s.code, 0, s.stdout);
    assert.match(s.stdout, /sha1WithRSAEncryption {2}\[WEAK: SHA-1\]/);
    assert.match(
      s.stdout,
      /! \d+\. Certificate "api\.example\.test" is signed with sha1WithRSAEncryption.* \[\w+ · [^\]]+\]/,
    );
    assert.equal((await runCli(['cert', sha1, '--fail-on', 'warning'], { now: NOW })).code, 1);

    const small = join(dir, 'rsa1024.pem');
    writeFileSync(small, variants.rsa1024Leaf.leaf.pem);
    const k = parseReport((await runCli(['cert', small, '--json'], { now: NOW })).stdout);
    assert.ok(
      k.findings.some(
        (x) => x.rule === 'weak-certificate' && x.cause === 'weak-signature' && /RSA 1024/.test(x.title),
      ),
    );
  });
});

describe('passwords and errors', () => {
  test('wrong PKCS#12 password: wrong-password message, exit 2, no stack trace', async () => {
    const pw = join(dir, 'wrong.txt');
    writeFileSync(pw, 'not-the-password\n');
    for (const run of [
      () => runCli(['cert', f('store-aes.p12'), '--password-file', pw], { now: NOW }),
      () => runCli(['cert', f('store-3des.p12')], { now: NOW, env: { PSE_DOCTOR_PASSWORD: 'nope' } }),
    ]) {
      const r = await run();
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^pse-doctor: The password for .*store-(aes|3des)\.p12 is wrong\.\n$/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.doesNotMatch(r.stderr, /not-the-password|nope/);
    }
  });

  test('no password and no terminal: password-required; a password on argv is refused', async () => {
    const r = await runCli(['cert', f('store-aes.p12')], { now: NOW });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /password-protected.*--password-file/);
    const argv = await runCli(['cert', f('store-aes.p12'), '--password', TEST_P12_PASSWORD], { now: NOW });
    assert.equal(argv.code, 2);
  });

  test('hostile files give one clear line each', async () => {
    const cases: [string, Buffer, RegExp][] = [
      [
        'truncated.der',
        pki.chain.leaf.der.subarray(0, 300),
        /Cannot read a certificate from .*truncated\.der: .*truncated or corrupt/,
      ],
      [
        'bad.pem',
        Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB$$$$\n-----END CERTIFICATE-----\n'),
        /invalid base64/,
      ],
      [
        'random.bin',
        Buffer.from(Array.from({ length: 4096 }, (_v, i) => (i * 7919 + 13) & 0xff)),
        /Cannot tell what .*random\.bin is/,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const r = await runCli(['cert', path], { now: NOW });
      assert.equal(r.code, 2, name);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.equal((await runCli(['cert', join(dir, 'missing.pem')], { now: NOW })).code, 2);
  });
});

test('--export-pem writes each certificate once as a PEM file', async () => {
  const out = join(dir, 'exported');
  mkdirSync(out, { recursive: true });
  const r = await runCli(['cert', f('fullchain.pem'), f('chain.p7c'), '--export-pem', out], { now: NOW });
  assert.equal(r.code, 0, r.stderr);
  const files = readdirSync(out).sort();
  assert.equal(files.length, 3, files.join());
  const contents = files.map((name) => readFileSync(join(out, name), 'utf8'));
  for (const cert of [pki.chain.leaf, pki.chain.intermediate, pki.chain.root]) {
    assert.ok(
      contents.some((c) => c.replace(/\r/g, '').trim() === cert.pem.replace(/\r/g, '').trim()),
      cert.subject,
    );
  }
  assert.match(r.stdout, /Wrote 3 PEM files/);
  // Running again finds identical files and does not add copies.
  await runCli(['cert', f('fullchain.pem'), '--export-pem', out], { now: NOW });
  assert.equal(readdirSync(out).length, 3);
});

test('"-" reads a certificate from standard input', async () => {
  const r = await runCli(['cert', '-'], { now: NOW, stdin: pki.chain.leaf.pem });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^stdin — PEM, 1 certificate/);
});

test('--help names the password sources and the exit codes', async () => {
  const r = await runCli(['cert', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /PSE_DOCTOR_PASSWORD/);
  assert.match(r.stdout, /--password-file/);
  assert.match(r.stdout, /never accepted on the command line/);
});
