/**
 * @module Golden reports of verify, probe (against a TLS server on 127.0.0.1) and pse (the real PSE
 * fixtures, PIN from a file): the JSON Report and the terminal text of each, diffed against test/golden.
 * The test PKI is generated afresh on every run, so fingerprints, key ids, PEM bodies, the server's
 * port, timings and OpenSSL's error strings (thread id, source path) are masked; every word, code, field and order is compared. UPDATE_GOLDEN=1 rewrites.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../src/model/report.js';
import { runCli } from './helpers/fake-io.js';
import { fixturePath, fixturesOrSkip, REPO_ROOT, SHARED_FIXTURES } from './helpers/fixtures.js';
import { assertValidReport } from './helpers/report-schema.js';
import { generateTestPki, TEST_NOW, type TestPki, writePkiFixtures } from './pki/index.js';
import { type RunningServer, startTlsServer } from './probe/servers.js';

const GOLDEN = join(REPO_ROOT, 'test', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Replace what differs from run to run (fresh keys, the server's port, timings, absolute paths). */
function mask(text: string, extra: Record<string, string> = {}): string {
  let out = text;
  for (const [value, name] of Object.entries(extra)) out = out.split(value).join(name);
  return out
    .replace(/-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\n\s]*-----END CERTIFICATE-----/g, '<pem>')
    .replace(/\b[0-9a-fA-F]{64}\b/g, '<sha256>')
    .replace(/\b[0-9a-fA-F]{40}\b/g, '<sha1>')
    .replace(/\b[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){7,}\b/g, '<hex>')
    .replace(/\b[0-9A-F]{8,16}:error:[^"\n\\]*/g, '<OpenSSL error text>')
    .replace(/"durationMs": \d+/g, '"durationMs": "<varies>"')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, (iso) => (isWallClock(iso) ? '<now>' : iso));
}

/** A time read from the real clock (a probe's start), not a date of the test PKI or TEST_NOW. */
function isWallClock(iso: string): boolean {
  return Math.abs(Date.parse(iso) - Date.now()) < 24 * 3600 * 1000;
}

/** Compare a command's JSON Report and its terminal text with the golden files `<name>.report.json|.txt`. */
function assertGolden(name: string, json: string, rawText: string, extra: Record<string, string> = {}): void {
  const report = JSON.parse(json) as Report;
  assertValidReport(report);
  report.toolVersion = '(any)';
  const files = { json: join(GOLDEN, `${name}.report.json`), text: join(GOLDEN, `${name}.txt`) };
  const maskedJson = `${JSON.stringify(JSON.parse(mask(JSON.stringify(report, null, 2), extra)), null, 2)}\n`;
  const text = mask(rawText, extra);
  if (UPDATE || !existsSync(files.json)) {
    if (!UPDATE) assert.fail(`${files.json} missing: run with UPDATE_GOLDEN=1 and review it`);
    writeFileSync(files.json, maskedJson);
    writeFileSync(files.text, text);
  }
  const hint = `${name} changed: review, then UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden-commands`;
  assert.deepEqual(JSON.parse(maskedJson), JSON.parse(readFileSync(files.json, 'utf8')), hint);
  assert.equal(text, readFileSync(files.text, 'utf8'), hint);
}

describe('golden reports: verify and probe on the test PKI', () => {
  let dir: string;
  let pki: TestPki;
  const run = (...argv: string[]) => runCli(argv, { cwd: dir, now: TEST_NOW });
  /** JSON and text of one command line. */
  async function both(argv: string[], expectCode: number): Promise<{ json: string; text: string }> {
    const json = await run(...argv, '--json');
    const text = await run(...argv);
    assert.equal(json.code, expectCode, json.stderr);
    assert.equal(text.code, expectCode, text.stderr);
    return { json: json.stdout, text: text.stdout };
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-golden-'));
    await writePkiFixtures(dir);
    pki = await generateTestPki();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('verify: the leaf alone against the root (the intermediate is missing)', async () => {
    const r = await both(['verify', 'leaf.pem', '--trust', 'root.pem', '--host', 'api.example.test'], 1);
    assertGolden('verify-missing-intermediate', r.json, r.text);
  });

  test('verify: an expired leaf and a name that does not match', async () => {
    const r = await both(
      ['verify', 'variant-expired-leaf.pem', '--trust', 'root.pem', '--host', 'other.example.test'],
      1,
    );
    assertGolden('verify-expired-wrong-host', r.json, r.text);
  });

  async function probe(server: RunningServer, name: string, expectCode: number): Promise<void> {
    try {
      const r = await both(
        [
          'probe',
          `api.example.test:${server.port}`,
          '--resolve',
          '127.0.0.1',
          '--trust',
          'root.pem',
          '--no-scan',
        ],
        expectCode,
      );
      const port = { [`:${server.port}`]: ':<port>', [`"port": ${server.port}`]: '"port": "<port>"' };
      assertGolden(name, r.json, r.text, port);
    } finally {
      await server.close();
    }
  }

  test('probe: a server that sends only its leaf', async () => {
    const server = await startTlsServer({ identity: { cert: pki.rsa.leaf.pem, key: pki.rsa.leaf.keyPem } });
    await probe(server, 'probe-missing-intermediate', 1);
  });

  test('probe: a server that requires a client certificate', async () => {
    const server = await startTlsServer({
      identity: { cert: pki.rsa.leaf.pem + pki.rsa.intermediate.pem, key: pki.rsa.leaf.keyPem },
      clientCert: { ca: [pki.rsa.root.pem], require: true },
    });
    await probe(server, 'probe-client-cert-required', 1);
  });
});

describe('golden report: pse on the real PSE fixtures', fixturesOrSkip(), () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-golden-pse-'));
    writeFileSync(join(dir, 'pin.txt'), '1234567980\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('pse: a folder of v2/v4 PSEs, PIN-protected and plain, PIN from a file', async () => {
    const argv = [
      'pse',
      fixturePath('pse'),
      '--pin-file',
      join(dir, 'pin.txt'),
      '--now',
      '2025-06-01T00:00:00Z',
    ];
    const json = await runCli([...argv, '--json'], { cwd: dir });
    const text = await runCli(argv, { cwd: dir });
    assert.equal(json.code, 1, json.stderr);
    assert.equal(text.code, 1, text.stderr);
    assert.doesNotMatch(json.stdout + text.stdout + text.stderr, /1234567980/, 'the PIN is never printed');
    const paths = { [SHARED_FIXTURES as string]: '<fixtures>' };
    assertGolden('pse-fixtures', json.stdout, text.stdout, paths);
  });
});
