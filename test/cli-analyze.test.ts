/** @module `pse-doctor analyze` through the CLI: formats, exit codes, --out artifacts, saved evidence, bad inputs. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import tls from 'node:tls';
import type { Report } from '../src/model/report.js';
import { runCli } from './helpers/fake-io.js';
import { fixturePath, fixturesOrSkip, REPO_ROOT } from './helpers/fixtures.js';
import { assertValidReport } from './helpers/report-schema.js';

const SAMPLE = join(REPO_ROOT, 'examples', 'dev_icm');
const NOW = new Date('2025-06-01T00:00:00Z');
const work = mkdtempSync(join(tmpdir(), 'pse-doctor-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

const G2 = tls.rootCertificates.find((p) =>
  p.includes('MIIDjjCCAnagAwIBAgIQAzrx5qcRqaC7KGSxHQn65TANBgkqhkiG9w0BAQsFADBh'),
);

describe('analyze on the sample trace', () => {
  test('--json prints one schema-valid report with the untrusted root first; exit 1', async () => {
    const r = await runCli(['analyze', SAMPLE, '--json'], { now: NOW });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assertValidReport(report);
    const first = report.findings[0];
    assert.equal(first?.cause, 'untrusted-root');
    assert.equal(
      first?.import?.subject,
      'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US',
    );
    assert.equal(first?.occurrences?.count, 3);
    assert.ok(report.findings.some((f) => f.cause === 'sni-missing'));
  });

  test("--out writes the root PEM byte-identical to Node's store, import.sh and README.txt; never overwrites silently", async () => {
    assert.ok(G2);
    const out = join(work, 'fix');
    const r = await runCli(['analyze', SAMPLE, '--out', out], { now: NOW });
    assert.equal(r.code, 1, r.stderr);
    const pem = readFileSync(join(out, 'DigiCert_Global_Root_G2.crt'), 'utf8');
    assert.equal(pem, G2, 'byte-identical to tls.rootCertificates');
    const script = readFileSync(join(out, 'import.sh'), 'utf8');
    assert.match(
      script,
      /^sapgenpse maintain_pk -p SAPSSLA\.pse -a "\$HERE\/DigiCert_Global_Root_G2\.crt"$/m,
    );
    assert.doesNotMatch(script, /-x /, 'no PIN on a command line');
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    assert.match(readme, /cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f/);
    assert.match(r.stdout, /DigiCert_Global_Root_G2\.crt/);
    assert.match(r.stdout, /\$ sapgenpse maintain_pk -p SAPSSLA\.pse -a .*fix\/DigiCert_Global_Root_G2\.crt/);

    // Same content again: fine. A changed file: refused with exit 2; --force replaces it.
    assert.equal((await runCli(['analyze', SAMPLE, '--out', out], { now: NOW })).code, 1);
    writeFileSync(join(out, 'DigiCert_Global_Root_G2.crt'), 'my own notes\n');
    const refused = await runCli(['analyze', SAMPLE, '--out', out], { now: NOW });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /already exists with other content/);
    assert.equal(readFileSync(join(out, 'DigiCert_Global_Root_G2.crt'), 'utf8'), 'my own notes\n');
    assert.equal((await runCli(['analyze', SAMPLE, '--out', out, '--force'], { now: NOW })).code, 1);
    assert.equal(readFileSync(join(out, 'DigiCert_Global_Root_G2.crt'), 'utf8'), G2);
  });

  test('text output: plain without a TTY, coloured on one, with line numbers and the command', async () => {
    const plain = await runCli(['analyze', SAMPLE], { now: NOW });
    assert.doesNotMatch(plain.stdout, /\u001b\[/);
    assert.match(plain.stdout, /examples\/dev_icm:\d+ {2}\[Thr/);
    assert.match(plain.stdout, /\$ sapgenpse maintain_pk -p SAPSSLA\.pse -a DigiCert_Global_Root_G2\.crt/);
    const tty = await runCli(['analyze', SAMPLE], { now: NOW, isTTY: true });
    assert.match(tty.stdout, /\u001b\[/);
    const noColor = await runCli(['analyze', SAMPLE], { now: NOW, isTTY: true, env: { NO_COLOR: '1' } });
    assert.doesNotMatch(noColor.stdout, /\u001b\[/);
  });

  test('--format html is one static page: no scripts, user text escaped', async () => {
    const r = await runCli(['analyze', '-', '--format', 'html'], {
      now: NOW,
      stdin: 'SSL handshake with <script>alert(1)</script>.example.com:443 failed: SSSLERR_SSL_READ (-58)\n',
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^<!doctype html>/);
    assert.doesNotMatch(r.stdout, /<script/i);
    assert.match(r.stdout, /&lt;script&gt;/);
  });

  test('--save-evidence, then the saved file re-diagnoses to the same findings', async () => {
    const saved = join(work, 'evidence.json');
    const first = await runCli(['analyze', SAMPLE, '--json', '--save-evidence', saved], { now: NOW });
    assert.equal(first.code, 1);
    const again = await runCli(['analyze', saved, '--json'], { now: NOW });
    assert.equal(again.code, 1, again.stderr);
    const a = JSON.parse(first.stdout) as Report;
    const b = JSON.parse(again.stdout) as Report;
    assert.deepEqual(b.findings, a.findings);
    assert.deepEqual(b.inputs, a.inputs);
  });

  test('--fail-on decides the exit code', async () => {
    assert.equal((await runCli(['analyze', SAMPLE, '--fail-on', 'never'], { now: NOW })).code, 0);
    const bad = await runCli(['analyze', SAMPLE, '--fail-on', 'sometimes'], { now: NOW });
    assert.equal(bad.code, 2);
  });
});

describe('analyze on real evidence', fixturesOrSkip(), () => {
  test('standard input "-" with a pasted abapGit message', async () => {
    const text = readFileSync(fixturePath('real', 'cases', 'case-007.txt'));
    const r = await runCli(['analyze', '-', '--json'], { now: NOW, stdin: text });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.findings[0]?.cause, 'tls-version');
  });

  test('a warning-only report passes --fail-on error and fails --fail-on warning', async () => {
    const input = fixturePath('real', 'cases', 'case-013.txt');
    assert.equal((await runCli(['analyze', input], { now: NOW })).code, 0);
    assert.equal((await runCli(['analyze', input, '--fail-on', 'warning'], { now: NOW })).code, 1);
  });
});

describe('bad input gives exit 2 and a clear message', () => {
  test('missing file', async () => {
    const r = await runCli(['analyze', join(work, 'no-such-dev_icm')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /No file at .*no-such-dev_icm/);
  });

  test('empty file', async () => {
    const empty = join(work, 'empty.txt');
    writeFileSync(empty, '');
    const r = await runCli(['analyze', empty]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /empty/);
  });

  test('binary garbage', async () => {
    const bin = join(work, 'garbage.bin');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    writeFileSync(bin, bytes);
    const r = await runCli(['analyze', bin]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^pse-doctor: /);
    assert.doesNotMatch(r.stderr, /internal error/);
  });

  test('no input at all is a usage error', async () => {
    const r = await runCli(['analyze']);
    assert.equal(r.code, 2);
  });
});

describe('PSE inputs get their PIN from a file or the environment, never from argv', fixturesOrSkip(), () => {
  const pse = () => fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1.pse');
  const PIN = '1234567980';

  test('--pin-file opens the PSE; the PIN appears nowhere in the output', async () => {
    const pinFile = join(work, 'pin.txt');
    writeFileSync(pinFile, `${PIN}\n`);
    const r = await runCli(['analyze', pse(), '--pin-file', pinFile, '--json'], { now: NOW });
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(
      report.findings.some((f) => f.cause === 'expired-own-cert' && f.confidence === 'certain'),
      r.stdout.slice(0, 500),
    );
    assert.ok(!r.stdout.includes(PIN) && !r.stderr.includes(PIN));
  });

  test('PSE_DOCTOR_PIN works the same way', async () => {
    const r = await runCli(['analyze', pse(), '--json'], { now: NOW, env: { PSE_DOCTOR_PIN: PIN } });
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.findings.some((f) => f.cause === 'expired-own-cert'));
    assert.ok(!r.stdout.includes(PIN));
  });

  test('there is no option to pass a PIN on the command line', async () => {
    const r = await runCli(['analyze', pse(), '--pin', PIN]);
    assert.equal(r.code, 2);
  });
});

test('"SSL error (ICM_HTTP_SSL_ERROR)" alone leads with the next action; no doubled code, no grammar slip', async () => {
  const r = await runCli(['analyze', '-'], { stdin: 'SSL error (ICM_HTTP_SSL_ERROR)\n' });
  assert.equal(r.code, 1);
  const firstFinding = r.stdout.indexOf('1. ');
  const next = r.stdout.indexOf('Do this first');
  assert.ok(next > 0 && next < firstFinding, 'the next action comes before the findings');
  assert.match(
    r.stdout.slice(next, firstFinding),
    /ICM trace level to 2.*reproduce the call.*analyze dev_icm/s,
  );
  assert.doesNotMatch(r.stdout, /ICM_HTTP_SSL_ERROR \(407\) · ICM_HTTP_SSL_ERROR/);
  assert.doesNotMatch(r.stdout, /\(SAPSSLC\.pse\) lacks/);
  assert.doesNotMatch(r.stdout, /Collect next: Raise the ICM trace level/, 'shared advice is not repeated');
  assert.match(r.stdout, /1\. Find the root CA of the server/, 'the first hypothesis has real steps');
  const json = JSON.parse(
    (await runCli(['analyze', '-', '--json'], { stdin: 'SSL error (ICM_HTTP_SSL_ERROR)\n' })).stdout,
  ) as Report;
  assertValidReport(json);
  assert.equal(json.next?.[0]?.action?.kind, 'field');
  assert.match(json.next?.[0]?.web ?? '', /analyze the new dev_icm here/);
});

test('without --out the PEM is named as not written yet; with --out the steps name the written file', async () => {
  const r = await runCli(['analyze', SAMPLE], { now: NOW });
  assert.match(
    r.stdout,
    /file: {4}DigiCert_Global_Root_G2\.crt \(not written yet: add --out <dir> to write it there\)/,
  );
  assert.doesNotMatch(r.stdout, /--out <dir>" writes it|written by --out/);
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-out-'));
  try {
    const w = await runCli(['analyze', SAMPLE, '--out', dir], { now: NOW });
    const path = join(dir, 'DigiCert_Global_Root_G2.crt');
    assert.match(
      w.stdout,
      new RegExp(`file: {4}${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(written\\)`),
    );
    assert.match(w.stdout, /1\. Use \S*DigiCert_Global_Root_G2\.crt, the certificate under "Import"/);
    assert.doesNotMatch(w.stdout, /not written yet|--out writes/);
    assert.match(readFileSync(path, 'utf8'), /BEGIN CERTIFICATE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('analyze examples/dev_icm --out fix/ twice, an hour apart: the same exit code and identical files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-out-twice-'));
  const fix = join(dir, 'fix');
  /** Every file under fix/ with its bytes. */
  const files = () => new Map(readdirSync(fix).map((name) => [name, readFileSync(join(fix, name))]));
  try {
    const first = await runCli(['analyze', SAMPLE, '--out', fix], { now: NOW });
    assert.equal(first.code, 1, first.stderr);
    const before = files();
    assert.ok(before.has('import.sh') && before.has('README.txt'), [...before.keys()].join(', '));
    const later = new Date(NOW.getTime() + 3_600_000);
    const second = await runCli(['analyze', SAMPLE, '--out', fix], { now: later });
    assert.equal(second.code, first.code, second.stderr);
    assert.deepEqual(files(), before, 'the second run leaves the same files, byte for byte');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
