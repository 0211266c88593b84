/** @module Issue 10 through the CLI: hostile certificate names print no escape, no PIN is echoed, --out re-runs are idempotent. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from './helpers/fake-io.js';
import { REPO_ROOT } from './helpers/fixtures.js';
import { generateChain, type TestChain } from './pki/index.js';
import { writePse } from './pse-writer/index.js';

const work = mkdtempSync(join(tmpdir(), 'pse-doctor-hostile-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A CN with an OSC window-title sequence, BEL, a screen clear, a C1 CSI and a newline. */
const EVIL_ROOT = 'Evil CA \u001b]0;owned\u0007\u001b[2J\ntouch PWNED';
const EVIL_INT = 'Int\u009b31m \u202eCA';
/** Any control character but LF (TAB is fine), or a Unicode bidi override, in printed text. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('a certificate whose names hold terminal escapes', () => {
  let chain: TestChain;
  before(async () => {
    chain = await generateChain({
      names: { root: EVIL_ROOT, intermediate: EVIL_INT, leaf: 'leaf.example.test' },
      keySet: 'hostile',
    });
    writeFileSync(join(work, 'root.pem'), chain.root.pem);
    writeFileSync(join(work, 'chain.pem'), chain.leaf.pem + chain.intermediate.pem);
    writeFileSync(join(work, 'int.pem'), chain.intermediate.pem);
    writeFileSync(
      join(work, 'evil.pse'),
      writePse({
        version: 2,
        own: chain.root.der,
        keyPem: chain.root.keyPem,
        trusted: [chain.intermediate.der],
      }),
    );
  });

  const runs: [string, string[]][] = [
    ['cert', ['cert', 'root.pem']],
    ['cert --json', ['cert', 'root.pem', '--json']],
    ['verify', ['verify', 'chain.pem', '--trust', 'int.pem']],
    ['verify (root missing)', ['verify', 'chain.pem', '--trust', 'root.pem', '--profile', 'browser']],
    ['pse', ['pse', 'evil.pse']],
    ['analyze', ['analyze', '-', 'evil.pse']],
    ['analyze --json', ['analyze', '-', '--json']],
  ];
  // A pasted message whose host name carries an escape sequence and a newline-free title injection.
  const message =
    'SSL handshake with Evil\u001b]0;owned\u0007.example.com:443 failed: SSSLERR_SERVER_CERT_MISMATCH (-102)\n';
  for (const [label, argv] of runs) {
    test(`${label}: no escape sequence reaches the terminal`, async () => {
      const r = await runCli(argv, { cwd: work, stdin: message });
      assert.ok(r.code === 0 || r.code === 1, `${label} exit ${r.code}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, RAW_CONTROL, r.stdout);
      assert.doesNotMatch(r.stderr, RAW_CONTROL, r.stderr);
      assert.match(r.stdout, /Evil|Int/, 'the certificate or host is still shown');
    });
  }

  test('cert: the DN stays on one line, with the control characters as \\XX escapes', async () => {
    const r = await runCli(['cert', 'root.pem'], { cwd: work });
    assert.match(r.stdout, /CN="Evil CA \\1B\]0;owned\\07\\1B\[2J\\0Atouch PWNED"/);
    assert.doesNotMatch(r.stdout, /^touch PWNED/m);
  });
});

test('--pin=… in an unknown option is not echoed back', async () => {
  for (const cmd of ['analyze', 'cert', 'pse']) {
    const r = await runCli([cmd, '--pin=1234567980', 'x']);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /1234567980/, `${cmd}: ${r.stderr}`);
    assert.match(r.stderr, /unknown option '--pin=\*\*\*'/);
  }
});

test('analyze --out run twice (another clock) exits the same and leaves identical files', async () => {
  const sample = join(REPO_ROOT, 'examples', 'dev_icm');
  const out = join(work, 'fix-twice');
  const first = await runCli(['analyze', sample, '--out', out], { now: new Date('2026-01-01T00:00:00Z') });
  const files = readdirSync(out).sort();
  const before = files.map((f) => readFileSync(join(out, f), 'utf8'));
  const second = await runCli(['analyze', sample, '--out', out], { now: new Date('2026-03-04T05:06:07Z') });
  assert.equal(second.code, first.code, second.stderr);
  assert.equal(first.code, 1);
  assert.deepEqual(readdirSync(out).sort(), files);
  assert.deepEqual(
    files.map((f) => readFileSync(join(out, f), 'utf8')),
    before,
  );
  assert.match(second.stderr, /already there with the same content/);
});

test('verify --out run twice leaves the report alone; a foreign file of that name is never replaced', async () => {
  const { leaf, intermediate, root } = await generateChain();
  writeFileSync(join(work, 'v-chain.pem'), leaf.pem + intermediate.pem);
  writeFileSync(join(work, 'v-root.pem'), root.pem);
  const argv = ['verify', 'v-chain.pem', '--trust', 'v-root.pem', '--out', 'v-out'];
  const a = await runCli(argv, { cwd: work, now: new Date('2026-01-01T00:00:00Z') });
  const first = readFileSync(join(work, 'v-out', 'verify-report.json'), 'utf8');
  const b = await runCli(argv, { cwd: work, now: new Date('2026-01-02T00:00:00Z') });
  assert.equal(b.code, a.code, b.stderr);
  assert.equal(readFileSync(join(work, 'v-out', 'verify-report.json'), 'utf8'), first);
  writeFileSync(join(work, 'v-out', 'verify-report.json'), '{"mine": true}\n');
  const c = await runCli(argv, { cwd: work });
  assert.equal(c.code, 2);
  assert.match(c.stderr, /already exists with other content/);
  assert.equal(readFileSync(join(work, 'v-out', 'verify-report.json'), 'utf8'), '{"mine": true}\n');
});
