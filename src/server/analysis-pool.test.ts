/** @module The analysis pool: worker threads answer with the very JSON the server's own thread would send. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { REPO_ROOT } from '../../test/helpers/fixtures.js';
import { analyze } from '../analyze.js';
import { isToolError, type ToolError } from '../model/errors.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { createAnalysisPool, PoolUnavailableError } from './analysis-pool.js';
import { answerJob } from './analysis-worker.js';
import { createApp } from './app.js';
import { createDefaultServices } from './default-services.js';
import { releaseMemory } from './release-memory.js';

/** The Report's own clock is the one thing two runs may differ in. */
const unclocked = (json: string) => json.replace(/"generatedAt":"[^"]*"/, '"generatedAt":"…"');
const text = (json: Uint8Array) => new TextDecoder().decode(json);

describe('the analysis pool', () => {
  const pool = createAnalysisPool(2);
  after(() => pool.close());

  test('answers the JSON of the same Report as analyze on this thread, for several uploads at once', async () => {
    const uploads = [
      [{ name: 'dev_icm', bytes: readFileSync(join(REPO_ROOT, 'examples', 'dev_icm')) }],
      [
        {
          name: 'pasted text',
          bytes: Buffer.from(
            'SSL handshake with b.example:443 failed: SSSLERR_SERVER_CERT_MISMATCH (-114)\n',
          ),
        },
      ],
    ];
    assert.equal(await pool.whenReady(), true);
    // Three analyses per upload at once: more jobs than workers wait their turn.
    const fromPool = await Promise.all(
      [...uploads, ...uploads, ...uploads].map((inputs) =>
        pool.analyze(inputs.map((i) => ({ name: i.name, bytes: Buffer.from(i.bytes) }))),
      ),
    );
    for (const [k, json] of fromPool.entries()) {
      const inputs = uploads[k % uploads.length]!;
      const here = JSON.stringify(await analyze(inputs, { unopenedPse: 'report' }));
      assert.equal(unclocked(text(json)), unclocked(here));
      assert.match(text(json), /"findings":\[\{/);
    }
  });

  test('an input problem comes back as the same ToolError', async () => {
    const binary = Buffer.alloc(5000, 0);
    const here = await analyze([{ name: 'blob.bin', bytes: binary }]).catch((e: unknown) => e);
    const there = await pool
      .analyze([{ name: 'blob.bin', bytes: Buffer.from(binary) }])
      .catch((e: unknown) => e);
    assert.ok(isToolError(here) && isToolError(there), String(there));
    assert.equal((there as ToolError).code, (here as ToolError).code);
    assert.equal((there as ToolError).webMessage, (here as ToolError).webMessage);
  });

  test("a worker's job gives the memory of its inputs to release, with a report or an error", async () => {
    const trace = readFileSync(join(REPO_ROOT, 'examples', 'dev_icm'));
    for (const [id, bytes] of [trace, Buffer.alloc(5000, 0)].entries()) {
      const sent = new Uint8Array(bytes);
      const { answer, transfer, release } = await answerJob({
        id,
        inputs: [{ name: 'upload', bytes: sent }],
      });
      assert.ok(!('ready' in answer) && answer.id === id);
      assert.equal(id === 0 ? 'json' in answer : 'toolError' in answer, true);
      assert.deepEqual(release, [sent.buffer]);
      assert.deepEqual(transfer, 'json' in answer ? [answer.json.buffer] : []);
    }
  });

  test('released memory is freed at once, not at the next collection', async () => {
    const memory = new ArrayBuffer(8 * 1024 * 1024);
    new Uint8Array(memory).fill(1);
    const before = process.memoryUsage().arrayBuffers;
    await releaseMemory([memory]);
    assert.equal(memory.byteLength, 0, 'detached');
    const freed = before - process.memoryUsage().arrayBuffers;
    assert.ok(freed >= 8 * 1024 * 1024, `${freed} bytes freed`);
  });

  test("releasing never takes Node's shared Buffer pool, and never throws", async () => {
    const pooled = Buffer.from('a neighbour in the shared pool');
    assert.notEqual(pooled.byteLength, pooled.buffer.byteLength, 'the test needs a pooled Buffer');
    const own = new ArrayBuffer(64 * 1024);
    await releaseMemory([pooled.buffer as ArrayBuffer, own]);
    assert.equal(pooled.toString(), 'a neighbour in the shared pool');
    assert.ok(pooled.buffer.byteLength > 0, 'the pool is intact');
  });

  test("a small Buffer in Node's shared pool is copied, never taken away", async () => {
    const small = Buffer.from('SSL handshake failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n');
    const neighbour = Buffer.from('a neighbour in the same pool');
    assert.notEqual(small.byteLength, small.buffer.byteLength, 'the test needs a pooled Buffer');
    const json = text(await pool.analyze([{ name: 'pasted text', bytes: small }]));
    assert.match(json, /SSSLERR_PEER_CERT_UNTRUSTED/);
    assert.equal(small.toString(), 'SSL handshake failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n');
    assert.equal(neighbour.toString(), 'a neighbour in the same pool');
  });

  test('before a worker is ready the caller is told to analyse itself; close fails what waits, and later calls', async () => {
    const own = createAnalysisPool(1);
    const bytes = readFileSync(join(REPO_ROOT, 'examples', 'dev_icm'));
    await assert.rejects(own.analyze([{ name: 'dev_icm', bytes: Buffer.from(bytes) }]), PoolUnavailableError);
    assert.equal(await own.whenReady(), true);
    const jobs = Promise.allSettled(
      [1, 2, 3].map(() => own.analyze([{ name: 'dev_icm', bytes: Buffer.from(bytes) }])),
    );
    await own.close();
    for (const r of await jobs) assert.equal(r.status, 'rejected');
    await assert.rejects(own.analyze([{ name: 'dev_icm', bytes: Buffer.from(bytes) }]), /closed/);
  });
});

describe('POST /api/analyze through worker threads', () => {
  const threaded = createDefaultServices({ workers: 1 });
  after(() => threaded.close?.());

  function app(services: ReturnType<typeof createDefaultServices>) {
    return createApp({
      store: openSqliteStore(':memory:'),
      services,
      maxUploadBytes: 64 * 1024 * 1024,
      web: {
        index: { body: Buffer.from('<!doctype html>'), type: 'text/html', immutable: false },
        files: new Map(),
      },
    });
  }

  test('the same answer, status and headers as analysing on the server thread', async () => {
    const boundary = '----pool-test';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="dev_icm"\r\n\r\n`,
      ),
      readFileSync(join(REPO_ROOT, 'examples', 'dev_icm')),
      Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n`),
      Buffer.from('SSL handshake with b.example:443 failed: SSSLERR_SERVER_CERT_MISMATCH (-114)'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const post = (a: ReturnType<typeof app>) =>
      a.request('http://127.0.0.1/api/analyze', {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, Host: '127.0.0.1' },
        body,
      });
    assert.equal(await threaded.workersReady?.(), true);
    const inThread = await post(app(createDefaultServices()));
    const inWorker = await post(app(threaded));
    assert.equal(inWorker.status, 200);
    assert.equal(inWorker.status, inThread.status);
    assert.deepEqual([...inWorker.headers.entries()], [...inThread.headers.entries()]);
    const [a, b] = [await inThread.text(), await inWorker.text()];
    assert.equal(unclocked(b), unclocked(a));
    assert.match(b, /SSSLERR_SERVER_CERT_MISMATCH/);
  });

  test('an input problem gets the same 422 from a worker', async () => {
    const post = (a: ReturnType<typeof app>) =>
      a.request('http://127.0.0.1/api/analyze', {
        method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data; boundary=b', Host: '127.0.0.1' },
        body: `--b\r\nContent-Disposition: form-data; name="files"; filename="blob.bin"\r\n\r\n${'\0'.repeat(3000)}\r\n--b--\r\n`,
      });
    const [inThread, inWorker] = [await post(app(createDefaultServices())), await post(app(threaded))];
    assert.equal(inWorker.status, 422);
    assert.deepEqual(await inWorker.json(), await inThread.json());
  });

  test('uploads read whole and waiting for a worker do not count against the cap on uploads in progress', async () => {
    // A stand-in pool that holds every analysis until all have arrived: 24 wait at once, cap 4.
    let release: () => void = () => {};
    const allIn = new Promise<void>((resolve) => {
      release = resolve;
    });
    let onArrival: () => void = () => {};
    let arrived = 0;
    const services = {
      ...createDefaultServices(),
      async analyzeToJson() {
        if (++arrived === 24) release();
        onArrival();
        await allIn;
        return new TextEncoder().encode('{"ok":true}');
      },
    };
    const a = createApp({
      store: openSqliteStore(':memory:'),
      services,
      maxUploadBytes: 1024 * 1024,
      maxConcurrentUploads: 4,
      web: {
        index: { body: Buffer.from('<!doctype html>'), type: 'text/html', immutable: false },
        files: new Map(),
      },
    });
    const answers: Promise<Response>[] = [];
    for (let i = 0; i < 24; i++) {
      // The next upload starts once the previous one was read and waits for its analysis.
      const waiting = new Promise<void>((resolve) => {
        onArrival = resolve;
      });
      answers.push(
        Promise.resolve(
          a.request('http://127.0.0.1/api/analyze', {
            method: 'POST',
            headers: { 'Content-Type': 'multipart/form-data; boundary=b', Host: '127.0.0.1' },
            body: '--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nSSSLERR_PEER_CERT_UNTRUSTED\r\n--b--\r\n',
          }),
        ),
      );
      const first = await Promise.race([waiting.then(() => 'waiting'), answers[i]!.then((r) => r.status)]);
      assert.equal(first, 'waiting', `upload ${i + 1} was answered before its analysis: ${first}`);
    }
    const statuses = (await Promise.all(answers)).map((r) => r.status);
    assert.deepEqual(
      statuses,
      statuses.map(() => 200),
    );
  });
});
