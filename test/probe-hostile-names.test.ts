/**
 * @module The probe view behind the one control-character filter: a server whose certificates carry
 * terminal escapes (OSC, CSI, C1, bidi) prints none, live or re-diagnosed from saved evidence.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from './helpers/fake-io.js';
import { generateChain, type TestChain } from './pki/index.js';
import { type RunningServer, startTlsServer } from './probe/servers.js';

const work = mkdtempSync(join(tmpdir(), 'pse-doctor-probe-hostile-'));
const EVIL_ROOT = 'Evil CA \u001b]0;owned\u0007\u001b[2J\ntouch PWNED';
const EVIL_INT = 'Int\u009b31m \u202eCA';
/** Any control character but LF (TAB is fine), or a Unicode bidi override, in printed text. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let chain: TestChain;
let server: RunningServer;
before(async () => {
  chain = await generateChain({
    names: { root: EVIL_ROOT, intermediate: EVIL_INT, leaf: 'api.example.test' },
    keySet: 'hostile-probe',
  });
  writeFileSync(join(work, 'other-root.pem'), (await generateChain({ keySet: 'hostile-other' })).root.pem);
  server = await startTlsServer({
    identity: { cert: chain.leaf.pem + chain.intermediate.pem, key: chain.leaf.keyPem },
  });
});
after(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

test('probe: the chain, verdicts and findings print no escape sequence; analyze of the saved probe neither', async () => {
  const saved = join(work, 'saved.json');
  const base = [`api.example.test:${server.port}`, '--resolve', '127.0.0.1', '--no-scan'];
  for (const argv of [
    ['probe', ...base, '--trust', 'other-root.pem', '--transcript', '--save-evidence', saved],
    ['probe', ...base, '--json'],
    ['analyze', saved],
  ]) {
    const r = await runCli(argv, { cwd: work });
    assert.ok(r.code === 0 || r.code === 1, `${argv[0]} exit ${r.code}: ${r.stderr}`);
    assert.doesNotMatch(r.stdout, RAW_CONTROL, r.stdout);
    assert.doesNotMatch(r.stderr, RAW_CONTROL, r.stderr);
    assert.match(r.stdout, /Evil CA|Int/, 'the hostile names are still shown, made harmless');
  }
});
