/** @module `pse-doctor serve` option checks (no server is started here; test/serve starts real ones). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../../test/helpers/fake-io.js';

test('serve --help documents the safe defaults', async () => {
  const r = await runCli(['serve', '--help']);
  assert.equal(r.code, 0);
  for (const text of [
    '--port',
    '7847',
    '--host',
    '127.0.0.1',
    '--db',
    'postgres://',
    '--token-file',
    '--allow-open',
    '--max-upload',
    '200MB',
    '--enable-probe',
  ]) {
    assert.ok(r.stdout.includes(text), text);
  }
});

test('a non-loopback address without a token or --allow-open is refused', async () => {
  const r = await runCli(['serve', '--host', '0.0.0.0']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Binding to 0\.0\.0\.0 .*--token-file .*--allow-open/s);
});

test('bad option values are usage errors (exit 2) with the reason', async () => {
  const cases: [string[], RegExp][] = [
    [['--port', 'abc'], /--port must be a number/],
    [['--port', '70000'], /--port must be a number/],
    [['--max-upload', '12XB'], /--max-upload must be a size/],
    [['--host', 'a b'], /--host must be/],
    [['--workers', 'two'], /--workers must be a number from 0 to 64/],
    [['--workers', '65'], /--workers must be a number from 0 to 64/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(['serve', ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, re);
  }
});

test('token files: missing, too short, or combined with --allow-open are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-serve-'));
  try {
    const short = join(dir, 'short.txt');
    writeFileSync(short, 'abc\n', { mode: 0o600 });
    let r = await runCli(['serve', '--host', '0.0.0.0', '--token-file', short]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /shorter than 16 characters.*openssl rand -hex 32/);
    r = await runCli(['serve', '--token-file', join(dir, 'none.txt')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Cannot read .*none\.txt/);
    r = await runCli(['serve', '--token-file', short, '--allow-open']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /either --token-file or --allow-open/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
