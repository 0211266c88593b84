/** @module CLI basics: help, version, unknown commands map to the documented exit codes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../test/helpers/fake-io.js';
import { TOOL_VERSION } from '../version.js';

test('--version prints the tool version and exits 0', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), TOOL_VERSION);
});

test('--help lists the exit codes', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Exit codes:/);
  assert.match(r.stdout, /2 {2}usage or input error/);
});

test('an unknown command is a usage error (exit 2)', async () => {
  const r = await runCli(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: /);
});
