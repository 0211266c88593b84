/** @module Issue 10 through the CLI: hostile certificate names print no escape, no PIN is echoed, --out re-runs are idempotent. */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isToolError } from '../src/model/errors.js';
import { streamSpecial } from '../src/readers/source.js';
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

describe('pipes, FIFOs, devices and link loops', () => {
  const sample = join(REPO_ROOT, 'examples', 'dev_icm');

  test('analyze reads a FIFO whose writer comes later, once (saved-evidence sniffing does not eat it)', async () => {
    const fifo = join(work, 'trace.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `sleep 0.3; cat "${sample}" > "${fifo}"`]);
    const r = await runCli(['analyze', fifo, '--json']);
    writer.kill();
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { inputs: { lines: number }[]; findings: unknown[] };
    assert.equal(report.inputs[0]?.lines, 183);
    assert.equal(report.findings.length, 4);
  });

  test('saved evidence through a FIFO is loaded as evidence', async () => {
    const saved = join(work, 'saved.json');
    assert.equal((await runCli(['analyze', sample, '--save-evidence', saved])).code, 1);
    const fifo = join(work, 'saved.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat "${saved}" > "${fifo}"`]);
    const r = await runCli(['analyze', fifo, '--json']);
    writer.kill();
    assert.equal(r.code, 1, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length, 4);
  });

  test('a FIFO nobody writes to ends with an error instead of hanging', async () => {
    const fifo = join(work, 'silent.fifo');
    execFileSync('mkfifo', [fifo]);
    const st = statSync(fifo);
    const started = Date.now();
    await assert.rejects(
      async () => {
        for await (const _ of streamSpecial(fifo, 'silent.fifo', st, 1024, 300)) {
          /* nothing arrives */
        }
      },
      (e: unknown) => isToolError(e) && /nothing arrived/.test(e.message),
    );
    assert.ok(Date.now() - started < 5000);
  });

  test('cert /dev/zero stops at the size limit (exit 2), it does not grow without end', async () => {
    const r = await runCli(['cert', '/dev/zero']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /larger than the limit of 16 MiB/);
  });

  test('cert and verify read a FIFO once', async () => {
    const { leaf, intermediate, root } = await generateChain();
    const rootFile = join(work, 'fifo-root.pem');
    writeFileSync(rootFile, root.pem);
    const fifo = join(work, 'cert.fifo');
    execFileSync('mkfifo', [fifo]);
    let writer = spawn('sh', ['-c', `printf '%s' "$0" > "${fifo}"`, leaf.pem + intermediate.pem]);
    const c = await runCli(['cert', fifo]);
    writer.kill();
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /2 certificates/);
    writer = spawn('sh', ['-c', `printf '%s' "$0" > "${fifo}"`, leaf.pem + intermediate.pem]);
    const v = await runCli(['verify', fifo, '--trust', rootFile]);
    writer.kill();
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /^ {2}OK {3}SAP ICM/m);
  });

  test('a symbolic link loop is named as one, not as a missing file', async () => {
    symlinkSync(join(work, 'loop-b'), join(work, 'loop-a'));
    symlinkSync(join(work, 'loop-a'), join(work, 'loop-b'));
    for (const cmd of ['analyze', 'cert', 'pse', 'verify']) {
      const r = await runCli([cmd, 'loop-a'], { cwd: work });
      assert.equal(r.code, 2, cmd);
      assert.match(r.stderr, /link loop/, `${cmd}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /No file at/);
    }
  });
});

describe('a trust PSE that cannot be opened is an input error (exit 2), not an empty list', () => {
  let chainFile: string;
  let pinPse: string;
  before(async () => {
    const { leaf, intermediate, root } = await generateChain();
    chainFile = join(work, 'trust-chain.pem');
    writeFileSync(chainFile, leaf.pem + intermediate.pem);
    pinPse = join(work, 'pin.pse');
    writeFileSync(
      pinPse,
      writePse({ version: 2, pin: '4711', iterations: 50, own: leaf.der, trusted: [root.der] }),
    );
    writeFileSync(join(work, 'corrupt.pse'), readFileSync(pinPse).subarray(0, 300));
    writeFileSync(join(work, 'good-pin.txt'), '4711\n');
    writeFileSync(join(work, 'bad-pin.txt'), '1234\n');
  });

  test('verify: right PIN trusts; wrong PIN, no PIN and a corrupt PSE exit 2 with the reason', async () => {
    const ok = await runCli(['verify', chainFile, '--trust', 'pin.pse', '--pin-file', 'good-pin.txt'], {
      cwd: work,
    });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const cases: [string[], RegExp][] = [
      [['--trust', 'pin.pse', '--pin-file', 'bad-pin.txt'], /PIN for .*pin\.pse is wrong/],
      [['--trust', 'pin.pse'], /PIN-protected/],
      [['--trust', 'corrupt.pse'], /not a readable PSE/],
    ];
    for (const [args, why] of cases) {
      const r = await runCli(['verify', chainFile, ...args], { cwd: work });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, /cannot be read, so no chain is judged/);
      assert.match(r.stderr, why);
      assert.doesNotMatch(r.stdout, /FAIL/);
    }
  });

  test('probe: a wrong PIN on --trust exits 2 before any connection', async () => {
    const r = await runCli(['probe', '127.0.0.1:9', '--trust', 'pin.pse', '--pin-file', 'bad-pin.txt'], {
      cwd: work,
    });
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /PIN for .*pin\.pse is wrong/);
  });
});
