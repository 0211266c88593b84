/** @module `pse-doctor pse`: one PSE, a sec folder, PIN sources, wrong PIN (exit 2), --json, --export-trusted. */
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
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fakeIo, runCli } from '../../../test/helpers/fake-io.js';
import { fixturePath, fixturesOrSkip } from '../../../test/helpers/fixtures.js';
import { generateChain, generateSelfSigned, type TestCert, type TestChain } from '../../../test/pki/index.js';
import { writePse } from '../../../test/pse-writer/index.js';
import type { Report } from '../../model/report.js';
import { colonFingerprint } from '../../report/sections/certificate-entry.js';
import { run } from '../main.js';
import { pseFileReader, slowReads, writeInPieces } from './pse.js';

const REAL_PIN = '1234567980';
const SHA = '6b93c726397178c65951dda26ae9aba1c1e90403c052e74ad99e5be60a678756';
const NOW = '2026-01-15T12:00:00Z';

describe('pse on the real sapgenpse files', fixturesOrSkip(), () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pse-cli-'));
    writeFileSync(join(dir, 'pin.txt'), `${REAL_PIN}\n`);
    writeFileSync(join(dir, 'wrong.txt'), '0000000000\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const name of ['pse_v2_lps_off_pbes1_3des_sha1.pse', 'pse_v4_lps_off_pbes1_3des_sha1.pse']) {
    test(`${name}: --pin-file opens it; the own and trusted certificate are shown with SHA-256`, async () => {
      const r = await runCli([
        'pse',
        fixturePath('pse', name),
        '--pin-file',
        join(dir, 'pin.txt'),
        '--now',
        '2018-06-01T00:00:00Z',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /Format: +PSE v\d, PIN-protected \(pbeWithSHAAnd3-KeyTripleDES-CBC, 10000 iterations\)/,
      );
      assert.match(r.stdout, /Objects: +SKnew \(private key, not read\), PKRoot, Cert, CertList/);
      assert.match(r.stdout, /Own certificate\n {2}\[1\] own certificate: CN=PSEOwner/);
      assert.match(r.stdout, /Trusted certificates \(1\)\n {2}\[1\] trusted: CN=PSEOwner/);
      assert.equal(r.stdout.split(colonFingerprint(SHA)).length - 1, 2);
      assert.match(r.stdout, /262 days left/);
      assert.match(r.stdout, /No findings\./);
    });

    test(`${name}: a wrong PIN is exit 2 with the wrong-PIN message, no stack, no PIN`, async () => {
      for (const args of [['--pin-file', join(dir, 'wrong.txt')], []]) {
        const r = await runCli(['pse', fixturePath('pse', name), ...args], {
          env: { PSE_DOCTOR_PIN: '0000000000' },
        });
        assert.equal(r.code, 2);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /^pse-doctor: The PIN for .*pse_v\d_lps_off_pbes1_3des_sha1\.pse is wrong/);
        assert.doesNotMatch(r.stderr, /\n\s+at |internal error|0000000000/);
      }
    });
  }

  test('no PIN and no terminal: exit 2, PIN required', async () => {
    const r = await runCli(['pse', fixturePath('pse', 'pse_v4_lps_off_pbes1_3des_sha1.pse')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is PIN-protected\. Give the PIN with --pin-file/);
  });

  test('the expired fixture certificate is an error finding at today', async () => {
    const r = await runCli([
      'pse',
      fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1_plain.pse'),
      '--now',
      NOW,
    ]);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /✖ \d+\. The own certificate of pse_v2_lps_off_pbes1_3des_sha1_plain\.pse is expired.* \[certain · [^\]]+\]/,
    );
  });

  test('on a terminal the PIN is prompted without echo', async () => {
    const readable = new Readable({ read() {} });
    const rawModes: boolean[] = [];
    const stdin = Object.assign(readable, {
      setRawMode(mode: boolean) {
        rawModes.push(mode);
        if (mode) setImmediate(() => readable.push(`${REAL_PIN}\r`));
        return readable;
      },
    });
    const io = { ...fakeIo({ now: new Date('2018-06-01T00:00:00Z') }), stdin, stdinIsTTY: true };
    const code = await run(['pse', fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1.pse')], io);
    const out = io.out.join('');
    const err = io.err.join('');
    assert.equal(code, 0, err);
    assert.match(err, /PIN for .*pse_v2_lps_off_pbes1_3des_sha1\.pse \(not shown\): \n/);
    assert.doesNotMatch(err + out, new RegExp(REAL_PIN));
    assert.deepEqual(rawModes, [true, false]);
    assert.match(out, /\[1\] own certificate: CN=PSEOwner/);
  });
});

describe('pse on a sec folder (written PSEs)', async () => {
  let root: string;
  let sec: string;
  let chain: TestChain;
  let other: TestChain;
  let anon: TestCert;
  let soon: TestCert;
  before(async () => {
    chain = await generateChain({ keyType: 'ec' });
    other = await generateChain({ keyType: 'ec', names: { root: 'Other Test Root CA' }, keySet: 'other' });
    anon = await generateSelfSigned({ keyType: 'ec', name: 'CN=anonymous' });
    soon = await generateSelfSigned({
      keyType: 'ec',
      name: 'CN=abc.example.test',
      validity: { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-02-01T00:00:00Z') },
    });
    root = mkdtempSync(join(tmpdir(), 'pse-sec-'));
    sec = join(root, 'sec');
    mkdirSync(sec);
    writeFileSync(
      join(sec, 'SAPSSLA.pse'),
      writePse({ version: 2, own: anon.der, keyPem: anon.keyPem, trusted: [chain.root.der] }),
    );
    writeFileSync(
      join(sec, 'SAPSSLC.pse'),
      writePse({
        version: 4,
        own: chain.leaf.der,
        keyPem: chain.leaf.keyPem,
        chain: [chain.intermediate.der],
        root: chain.root.der,
        trusted: [chain.root.der, other.root.der],
      }),
    );
    writeFileSync(
      join(sec, 'SAPSSLS.pse'),
      writePse({ version: 4, own: soon.der, keyPem: soon.keyPem, trusted: [other.root.der] }),
    );
    writeFileSync(
      join(sec, 'SAPSNCS.pse'),
      writePse({ version: 2, pin: '4711', iterations: 50, own: chain.leaf.der, trusted: [chain.root.der] }),
    );
    writeFileSync(join(sec, 'cred_v2'), Buffer.from([1, 2, 3]));
    writeFileSync(join(sec, 'dev_icm'), 'not a PSE');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('one line per PSE, problems named, hygiene findings listed', async () => {
    const r = await runCli(['pse', 'sec', '--now', NOW], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    const line = (name: string) => r.stdout.split('\n').find((l) => l.startsWith(name)) ?? '';
    assert.match(line('SAPSSLA.pse'), /SSL client Anonymous +CN=anonymous +2098-12-31 \(\d+ days left\) +1$/);
    assert.match(
      line('SAPSSLC.pse'),
      /SSL client Standard +CN=api\.example\.test, O=PSE Doctor Test, C=DE +2098-12-31 .* +2$/,
    );
    assert.match(
      line('SAPSSLS.pse'),
      /SSL server Standard +CN=abc\.example\.test +2026-02-01 \(expires in 16 days\) +1$/,
    );
    assert.match(line('SAPSNCS.pse'), /PIN required/);
    assert.match(line('cred_v2'), /cred_v2: SSO credentials, not a PSE/);
    assert.match(r.stdout, /\(1 other file\(s\) in sec are not PSEs and were skipped\)/);
    assert.match(
      r.stdout,
      /! \d+\. The own certificate of SAPSSLS\.pse \(SSL server Standard\) expires in 16 days/,
    );
    assert.match(
      r.stdout,
      /i \d+\. 1 CA certificate\(s\) trusted in SAPSSLC\.pse \(SSL client Standard\) are missing in SAPSSLA\.pse/,
    );
  });

  test('--fail-on warning turns the expiring certificate into exit 1; --warn-days 10,20 makes it info', async () => {
    assert.equal((await runCli(['pse', 'sec', '--now', NOW, '--fail-on', 'warning'], { cwd: root })).code, 1);
    const narrow = await runCli(
      ['pse', 'sec', '--now', NOW, '--fail-on', 'warning', '--warn-days', '10,20'],
      { cwd: root },
    );
    assert.equal(narrow.code, 0);
    assert.match(narrow.stdout, /i \d+\. The own certificate of SAPSSLS\.pse .* expires in 16 days/);
  });

  test('PSE_DOCTOR_PIN opens the PIN-protected PSE of the folder', async () => {
    const r = await runCli(['pse', 'sec', '--now', NOW], { cwd: root, env: { PSE_DOCTOR_PIN: '4711' } });
    const line = r.stdout.split('\n').find((l) => l.startsWith('SAPSNCS.pse')) ?? '';
    assert.match(line, /SNC SAPCryptolib +CN=api\.example\.test/);
  });

  test('--json prints a Report: one input per PSE, trust-list and pse-problem events, findings', async () => {
    const r = await runCli(['pse', 'sec', '--json', '--now', NOW], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.tool, 'pse-doctor');
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(
      report.inputs.map((i) => [i.name, i.format]),
      ['cred_v2', 'SAPSNCS.pse', 'SAPSSLA.pse', 'SAPSSLC.pse', 'SAPSSLS.pse'].map((n) => [
        join('sec', n),
        'pse',
      ]),
    );
    const lists = report.events.filter((e) => e.kind === 'trust-list');
    assert.equal(lists.length, 3);
    const sslc = lists.find((e) => e.kind === 'trust-list' && e.list.basename === 'SAPSSLC.pse');
    assert.ok(sslc?.kind === 'trust-list');
    assert.deepEqual(
      sslc.list.certificates.map((c) => c.sha256),
      [chain.root.sha256, other.root.sha256],
    );
    assert.deepEqual(
      sslc.list.ownChain?.map((c) => c.sha256),
      [chain.intermediate.sha256, chain.root.sha256],
    );
    assert.deepEqual(
      report.events.filter((e) => e.kind === 'pse-problem').map((e) => e.kind === 'pse-problem' && e.problem),
      ['cred-v2', 'pin-required'],
    );
    assert.ok(report.findings.some((f) => f.rule === 'pse-client-lists-differ'));
  });

  test('a file named on the command line that cannot be opened gives exit 2 after the listing', async () => {
    const r = await runCli(['pse', 'sec/SAPSSLA.pse', 'sec/SAPSNCS.pse', '--now', NOW], {
      cwd: root,
      env: { PSE_DOCTOR_PIN: 'nope' },
    });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /SAPSNCS\.pse +- +- +- +- +wrong PIN/);
    assert.match(r.stdout, /SAPSSLA\.pse +SSL client Anonymous/);
  });

  test('--export-trusted writes each distinct trusted certificate once and never overwrites', async () => {
    const out = join(root, 'out');
    const first = await runCli(['pse', 'sec', '--export-trusted', 'out', '--now', NOW], { cwd: root });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['Other_Test_Root_CA.crt', 'PSE_Doctor_Test_EC_Root_CA.crt']);
    assert.equal(
      readFileSync(join(out, 'PSE_Doctor_Test_EC_Root_CA.crt'), 'utf8').trim(),
      chain.root.pem.trim(),
    );
    assert.match(first.stdout, /Exported 2 certificate file\(s\) to out \(0 already there, unchanged\)/);
    assert.match(
      first.stdout,
      /PSE_Doctor_Test_EC_Root_CA\.crt +CN=PSE Doctor Test EC Root CA.* \[SAPSSLA\.pse, SAPSSLC\.pse\]/,
    );

    writeFileSync(join(out, 'Other_Test_Root_CA.crt'), 'somebody else’s file\n');
    const second = await runCli(['pse', 'sec', '--export-trusted', 'out', '--now', NOW], { cwd: root });
    assert.match(second.stdout, /Exported 1 certificate file\(s\) to out \(1 already there, unchanged\)/);
    assert.equal(readFileSync(join(out, 'Other_Test_Root_CA.crt'), 'utf8'), 'somebody else’s file\n');
    assert.equal(readFileSync(join(out, 'Other_Test_Root_CA-2.crt'), 'utf8').trim(), other.root.pem.trim());
    assert.ok(!existsSync(join(out, 'PSE_Doctor_Test_EC_Root_CA-2.crt')));
  });

  test('an unusually named PSE is named by its own DN', async () => {
    writeFileSync(join(root, 'copy.pse'), writePse({ version: 2, own: anon.der, trusted: [] }));
    const r = await runCli(['pse', 'copy.pse', '--now', NOW], { cwd: root });
    assert.match(r.stdout, /STRUST node: SSL client Anonymous \(SSLC\/ANONYM\)/);
    assert.match(r.stdout, /derived from the own certificate's DN/);
    assert.match(r.stdout, /Trusted certificates \(0\)\n {2}none/);
  });
});

describe('pse usage errors', () => {
  test('missing path, empty folder and bad options are exit 2', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pse-empty-'));
    try {
      assert.match((await runCli(['pse', join(empty, 'nope.pse')])).stderr, /No file at/);
      assert.match((await runCli(['pse', empty])).stderr, /No PSE files in/);
      writeFileSync(join(empty, 'a.pse'), 'x');
      for (const bad of [
        ['--warn-days', 'soon'],
        ['--warn-days', '90,30'],
        ['--fail-on', 'fatal'],
        ['--now', 'yesterday'],
      ]) {
        const r = await runCli(['pse', join(empty, 'a.pse'), ...bad]);
        assert.equal(r.code, 2, bad.join(' '));
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('--help documents PIN sources and exit codes', async () => {
    const r = await runCli(['pse', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--pin-file <file>/);
    assert.match(r.stdout, /PSE_DOCTOR_PIN/);
    assert.match(r.stdout, /2 {2}usage or input error/);
    assert.doesNotMatch(r.stdout, /--now/);
  });
});

test('pse reads folder files directly or asynchronously with the same bytes and the same errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-read-'));
  try {
    const files = ['A.pse', 'B.pse', 'C.pse'].map((name, i) => {
      const path = join(dir, name);
      writeFileSync(path, Buffer.from(`0${i}`.repeat(100 + i)));
      return { path, display: `sec/${name}`, size: 200 + 2 * i, explicit: false };
    });
    const gone = { path: join(dir, 'gone.pse'), display: 'sec/gone.pse', size: 10, explicit: false };
    const big = { ...files[0], size: 9 * 1024 * 1024 } as (typeof files)[0];
    const outcome = async (read: ReturnType<typeof pseFileReader>, entry: (typeof files)[0]) => {
      try {
        return (await read(entry)).toString('hex');
      } catch (err) {
        return `${(err as { code?: string }).code}: ${(err as Error).message}`;
      }
    };
    const direct = pseFileReader();
    const parallel = pseFileReader(-1);
    for (const entry of [...files, gone, big]) {
      assert.equal(await outcome(direct, entry), await outcome(parallel, entry), entry.display);
    }
    assert.match(await outcome(direct, gone), /^file-not-found: .*sec\/gone\.pse/);
    assert.equal(
      await outcome(direct, files[1] as (typeof files)[0]),
      Buffer.from('01'.repeat(101)).toString('hex'),
    );
    // A folder where a file was: the direct way hands it to the asynchronous one, which says so.
    mkdirSync(join(dir, 'D.pse'));
    const folder = { path: join(dir, 'D.pse'), display: 'sec/D.pse', size: 0, explicit: false };
    assert.equal(await outcome(direct, folder), await outcome(parallel, folder));
    assert.match(await outcome(direct, folder), /folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder is read asynchronously only after three slow direct reads in a row', () => {
  const verdicts = (times: number[]) => {
    const judge = slowReads(0.5);
    return times.map((t) => judge(t));
  };
  // Reads held up here and there (a busy machine) never switch, however long each took.
  assert.deepEqual(verdicts([0.05, 40, 0.04, 0.06, 25, 9, 0.05, 30, 0.04]), Array(9).fill(false));
  // Three slow ones in a row (a network mount, a cold disk) do, from the third on.
  assert.deepEqual(verdicts([0.05, 2, 1.5, 3]), [false, false, false, true]);
  assert.deepEqual(verdicts([0.6, 0.7, 0.8]), [false, false, true]);
  assert.deepEqual(verdicts([0.6, 0.7, 0.5, 0.8, 0.9, 1]), [false, false, false, false, false, true]);
});

test('writeInPieces writes the text unchanged, in pieces, never splitting a surrogate pair', async () => {
  const text = `${'a'.repeat(9)}😀→${'b'.repeat(7)}😀😀c`;
  for (const piece of [1, 2, 3, 5, 10, 11, 64]) {
    const written: string[] = [];
    let drains = 0;
    const io = {
      stdout: {
        write: (t: string) => {
          written.push(t);
          return written.length % 2 === 0;
        },
        drain: async () => {
          drains++;
        },
      },
    };
    await writeInPieces(io, text, piece);
    assert.equal(written.join(''), text, `piece ${piece}`);
    assert.equal(Buffer.concat(written.map((w) => Buffer.from(w))).toString(), text);
    for (const w of written)
      assert.ok(!/[\ud800-\udbff]$/.test(w), `piece ${piece} ends inside a pair: ${JSON.stringify(w)}`);
    assert.equal(drains, written.filter((_, i) => (i + 1) % 2 !== 0).length);
  }
});
