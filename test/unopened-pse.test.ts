/**
 * @module Issue 10: a PSE the caller asked to open with a PIN that does not open it. The library's
 * analyze() rejects (ToolError, no PIN echoed), `analyze` exits 2, the web PSE page still lists the file
 * with its problem, and the web probe refuses a trust PSE it cannot open (422) as `probe --trust` exits 2.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyze, readEvidence } from '../src/analyze.js';
import { isToolError } from '../src/model/errors.js';
import type { Report } from '../src/model/report.js';
import { createApp } from '../src/server/app.js';
import { createDefaultServices } from '../src/server/default-services.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { runCli } from './helpers/fake-io.js';
import { generateChain, type TestChain } from './pki/index.js';
import { type RunningServer, startTlsServer } from './probe/servers.js';
import { writePse } from './pse-writer/index.js';

const PIN = '4711-right';
const WRONG = '0815-wrong';
const work = mkdtempSync(join(tmpdir(), 'pse-doctor-unopened-'));
let chain: TestChain;
let pse: Buffer;
let server: RunningServer;

before(async () => {
  chain = await generateChain({ keySet: 'unopened-pse' });
  pse = writePse({ version: 2, pin: PIN, iterations: 50, own: chain.leaf.der, trusted: [chain.root.der] });
  writeFileSync(join(work, 'SAPSSLC.pse'), pse);
  mkdirSync(join(work, 'sec'));
  writeFileSync(join(work, 'sec', 'SAPSSLC.pse'), pse);
  server = await startTlsServer({
    identity: { cert: chain.leaf.pem + chain.intermediate.pem, key: chain.leaf.keyPem },
  });
});
after(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

const pin = (value: string) => ({ get: async () => value });

describe('library analyze()', () => {
  test('a wrong PIN for a PSE named as an input rejects with a ToolError that does not echo the PIN', async () => {
    for (const spec of [join(work, 'SAPSSLC.pse'), { name: 'SAPSSLC.pse', bytes: pse }]) {
      await assert.rejects(
        analyze([spec], { secrets: pin(WRONG) }),
        (e: unknown) =>
          isToolError(e) &&
          e.code === 'wrong-pin' &&
          /PIN for .*SAPSSLC\.pse is wrong/.test(e.message) &&
          !e.message.includes(WRONG),
      );
    }
    // readEvidence (the reading half) says the same.
    await assert.rejects(readEvidence([join(work, 'SAPSSLC.pse')], { secrets: pin(WRONG) }), isToolError);
  });

  test('the right PIN opens it; no PIN, a folder member or unopenedPse "report" give a pse-problem event', async () => {
    const opened = await analyze([join(work, 'SAPSSLC.pse')], { secrets: pin(PIN) });
    assert.ok(opened.events.some((e) => e.kind === 'trust-list'));
    const problem = (r: Report) => r.events.find((e) => e.kind === 'pse-problem');
    const noPin = await analyze([join(work, 'SAPSSLC.pse')]);
    assert.equal(problem(noPin)?.kind === 'pse-problem' && problem(noPin)?.problem, 'pin-required');
    const folder = await analyze([join(work, 'sec')], { secrets: pin(WRONG) });
    assert.equal(problem(folder)?.kind === 'pse-problem' && problem(folder)?.problem, 'wrong-pin');
    const reported = await analyze([join(work, 'SAPSSLC.pse')], {
      secrets: pin(WRONG),
      unopenedPse: 'report',
    });
    assert.equal(problem(reported)?.kind === 'pse-problem' && problem(reported)?.problem, 'wrong-pin');
    assert.doesNotMatch(JSON.stringify(reported), new RegExp(WRONG));
  });

  test('an unknown unopenedPse value is a ToolError', async () => {
    await assert.rejects(
      analyze([join(work, 'SAPSSLC.pse')], { unopenedPse: 'ignore' as never }),
      (e: unknown) => isToolError(e) && /unopenedPse/.test(e.message),
    );
  });
});

test('CLI analyze: a named PSE with a wrong PIN exits 2 and says so; in a folder it is a note', async () => {
  const named = await runCli(['analyze', 'SAPSSLC.pse'], { cwd: work, env: { PSE_DOCTOR_PIN: WRONG } });
  assert.equal(named.code, 2, named.stdout);
  assert.match(named.stderr, /^pse-doctor: The PIN for SAPSSLC\.pse is wrong/);
  assert.doesNotMatch(named.stderr + named.stdout, new RegExp(WRONG));
  const folder = await runCli(['analyze', 'sec'], { cwd: work, env: { PSE_DOCTOR_PIN: WRONG } });
  assert.equal(folder.code, 0, folder.stderr);
  assert.match(folder.stdout, /PIN does not open it/);
  const right = await runCli(['analyze', 'SAPSSLC.pse', '--json'], {
    cwd: work,
    env: { PSE_DOCTOR_PIN: PIN },
  });
  assert.ok(right.code === 0 || right.code === 1, right.stderr);
  assert.ok((JSON.parse(right.stdout) as Report).events.some((e) => e.kind === 'trust-list'));
});

/** A multipart body. */
function form(parts: { field: string; filename?: string; data: string | Buffer }[]) {
  const boundary = '----unopened-pse-boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.field}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

describe('web', () => {
  const app = () =>
    createApp({
      store: openSqliteStore(':memory:'),
      services: createDefaultServices({ probe: true, probeLoopback: true }),
      maxUploadBytes: 1024 * 1024,
      web: {
        index: { body: Buffer.from('<!doctype html>'), type: 'text/html', immutable: false },
        files: new Map(),
      },
      enableProbe: true,
      log: () => {},
    });
  const post = async (path: string, parts: Parameters<typeof form>[0]) => {
    const f = form(parts);
    const res = await app().request(path, {
      method: 'POST',
      headers: { 'Content-Type': f.type },
      body: f.body,
    });
    return { status: res.status, text: await res.text() };
  };

  test('the PSE page still lists a PSE the PIN does not open, with its problem (200)', async () => {
    const r = await post('/api/pse', [
      { field: 'files', filename: 'SAPSSLC.pse', data: pse },
      { field: 'pin', data: WRONG },
    ]);
    assert.equal(r.status, 200, r.text);
    const report = JSON.parse(r.text) as Report;
    const ev = report.events.find((e) => e.kind === 'pse-problem');
    assert.equal(ev?.kind === 'pse-problem' && ev.problem, 'wrong-pin');
    assert.doesNotMatch(r.text, new RegExp(WRONG));
  });

  test('the web probe refuses a trust PSE it cannot open (wrong PIN, no PIN, corrupt) with 422', async () => {
    const target = `127.0.0.1:${server.port}`;
    const cases: [string, Parameters<typeof form>[0], RegExp][] = [
      [
        'wrong PIN',
        [
          { field: 'trust', filename: 'SAPSSLC.pse', data: pse },
          { field: 'trustPin', data: WRONG },
        ],
        /PIN/,
      ],
      ['no PIN', [{ field: 'trust', filename: 'SAPSSLC.pse', data: pse }], /PIN/],
      ['corrupt', [{ field: 'trust', filename: 'SAPSSLA.pse', data: pse.subarray(0, 40) }], /SAPSSLA\.pse/],
    ];
    for (const [label, parts, why] of cases) {
      const r = await post('/api/probe', [{ field: 'target', data: target }, ...parts]);
      assert.equal(r.status, 422, `${label}: ${r.text}`);
      const error = (JSON.parse(r.text) as { error: { code: string; message: string } }).error;
      assert.equal(error.code, 'trust-unreadable', label);
      assert.match(error.message, /cannot be read, so no chain is judged against it/, label);
      assert.match(error.message, why, label);
      assert.doesNotMatch(r.text, new RegExp(WRONG), label);
    }
    const ok = await post('/api/probe', [
      { field: 'target', data: target },
      { field: 'trust', filename: 'SAPSSLC.pse', data: pse },
      { field: 'trustPin', data: PIN },
    ]);
    assert.equal(ok.status, 200, ok.text);
    const report = JSON.parse(ok.text) as Report;
    assert.ok(
      report.events.some((e) => e.kind === 'trust-list'),
      'the opened PSE is the trust list',
    );
  });
});
