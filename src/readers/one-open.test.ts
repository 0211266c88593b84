/**
 * @module Issue 10: each input is opened once — the 64 KiB sniff and the reader share one read of one
 * handle, so a file replaced on disk in between is still read as it was sniffed, and a folder of many
 * files holds one handle at a time.
 */
import assert from 'node:assert/strict';
import fs, { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../../test/helpers/fixtures.js';
import { serializeEvidence } from '../evidence/saved-evidence.js';
import { readInputs } from './index.js';
import { collectBytes } from './source.js';
import type { Reader } from './types.js';

const work = mkdtempSync(join(tmpdir(), 'pse-doctor-one-open-'));
after(() => rmSync(work, { recursive: true, force: true }));

const TRACE = fs.readFileSync(join(REPO_ROOT, 'examples', 'dev_icm'));

/** Count every open of a path under `work`, through fs, fs/promises and streams, while `run` runs. */
async function countOpens(run: () => Promise<unknown>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const note = (path: unknown) => {
    const p = String(path);
    if (p.startsWith(work)) counts.set(p, (counts.get(p) ?? 0) + 1);
  };
  const orig = { open: fs.open, openSync: fs.openSync, popen: fs.promises.open };
  fs.open = ((path: fs.PathLike, ...rest: unknown[]) => {
    note(path);
    return (orig.open as (...a: unknown[]) => void)(path, ...rest);
  }) as typeof fs.open;
  fs.openSync = ((path: fs.PathLike, ...rest: unknown[]) => {
    note(path);
    return (orig.openSync as (...a: unknown[]) => number)(path, ...rest);
  }) as typeof fs.openSync;
  fs.promises.open = ((path: fs.PathLike, ...rest: unknown[]) => {
    note(path);
    return (orig.popen as (...a: unknown[]) => Promise<fs.promises.FileHandle>)(path, ...rest);
  }) as typeof fs.promises.open;
  syncBuiltinESMExports();
  try {
    await run();
  } finally {
    fs.open = orig.open;
    fs.openSync = orig.openSync;
    fs.promises.open = orig.popen;
    syncBuiltinESMExports();
  }
  return counts;
}

test('a trace, a gzip trace, a PSE-sized binary and saved evidence are each opened once', async () => {
  const files = {
    trace: join(work, 'dev_icm'),
    gzip: join(work, 'dev_icm.gz'),
    saved: join(work, 'case.json'),
    pem: join(work, 'not-a-cert.pem'),
  };
  writeFileSync(files.trace, TRACE);
  writeFileSync(files.gzip, gzipSync(TRACE));
  const evidence = await readInputs([files.trace]);
  writeFileSync(files.saved, serializeEvidence(evidence, { savedAt: new Date(0), toolVersion: 'test' }));
  // A large text input: the sniff's first chunk (1 MiB) is the reader's first chunk too.
  writeFileSync(files.pem, Buffer.concat([TRACE, Buffer.alloc(3 * 1024 * 1024, 'x\n')]));
  for (const [label, path] of Object.entries(files)) {
    const counts = await countOpens(() => readInputs([path]));
    assert.equal(counts.get(path), 1, `${label}: opened ${counts.get(path)} times`);
  }
});

test('a folder: every file opened once, and the reading is the same as before', async () => {
  const dir = join(work, 'folder');
  fs.mkdirSync(dir);
  for (let i = 0; i < 20; i++) writeFileSync(join(dir, `dev_w${i}`), TRACE);
  const counts = await countOpens(() => readInputs([dir]));
  assert.equal(counts.size, 20);
  for (const [path, n] of counts) assert.equal(n, 1, path);
  const named = await readInputs([join(dir, 'dev_w0')]);
  const inFolder = await readInputs([dir]);
  assert.deepEqual(
    inFolder.events.filter((e) => e.source.input === 0).map((e) => e.kind),
    named.events.map((e) => e.kind),
  );
});

test('analyze (read, diagnose, report) opens each input once: files, saved evidence, a folder', async () => {
  const { analyze } = await import('../analyze.js');
  const dir = join(work, 'analyze-once');
  fs.mkdirSync(dir);
  const trace = join(work, 'analyze-once-dev_icm');
  writeFileSync(trace, TRACE);
  const inFolder = join(dir, 'dev_w0');
  writeFileSync(inFolder, TRACE);
  const gzip = join(work, 'analyze-once.gz');
  writeFileSync(gzip, gzipSync(TRACE));
  const saved = join(work, 'analyze-once.json');
  writeFileSync(
    saved,
    serializeEvidence(await readInputs([trace]), { savedAt: new Date(0), toolVersion: 'test' }),
  );
  const counts = await countOpens(() =>
    analyze([trace, gzip, saved, dir], { now: new Date('2026-01-01T00:00:00Z') }),
  );
  assert.deepEqual(
    [...counts].sort(),
    [
      [gzip, 1],
      [saved, 1],
      [trace, 1],
      [inFolder, 1],
    ].sort(),
  );
});

test('a file replaced between the sniff and the read is read as it was sniffed', async () => {
  const path = join(work, 'swapped.txt');
  const other = join(work, 'replacement.txt');
  const original = Buffer.from(`ORIGINAL ${'a'.repeat(200_000)}\n`);
  writeFileSync(path, original);
  writeFileSync(other, `REPLACED ${'b'.repeat(10)}\n`);
  let sniffed = '';
  let read: Buffer | undefined;
  const swapping: Reader = {
    id: 'swapping',
    sniff(head) {
      sniffed = head.subarray(0, 8).toString();
      return 1;
    },
    async read(source) {
      // Someone replaces the file now (log rotation, an editor saving): the reader still reads what was sniffed.
      renameSync(other, path);
      read = await collectBytes(source, 1 << 30);
      return {
        summary: {
          name: source.name,
          format: 'test',
          bytes: read.length,
          lines: 0,
          unrecognizedLines: 0,
          warnings: [],
        },
        events: [],
        lines: {},
      };
    },
  };
  await readInputs([path], { readers: [swapping] });
  assert.equal(sniffed, 'ORIGINAL');
  assert.ok(
    read?.equals(original),
    `the reader read ${read?.subarray(0, 8).toString()} (${read?.length} bytes)`,
  );
});

test('a small file is read with buffers of its size, a large one with 1 MiB chunks', async () => {
  const { fileSource } = await import('./source.js');
  const tiny = join(work, 'tiny.txt');
  const small = join(work, 'small.txt');
  const large = join(work, 'large.txt');
  writeFileSync(tiny, TRACE.subarray(0, 150));
  writeFileSync(small, TRACE);
  writeFileSync(large, Buffer.alloc(3 * 1024 * 1024 + 5, 'y'));
  for (const [path, most] of [
    [tiny, 4 * 1024],
    [small, TRACE.length + 1],
    [large, 1024 * 1024],
  ] as const) {
    const size = fs.statSync(path).size;
    const source = fileSource(path, path, size);
    let bytes = 0;
    for await (const chunk of source.streamReusing?.() ?? []) {
      // 10,000 small files used to allocate 3 MiB each (a ring of 1 MiB buffers), then 128 KiB each
      // (64 KiB buffers): garbage-collector time.
      assert.ok(chunk.buffer.byteLength <= most, `${chunk.buffer.byteLength} > ${most}`);
      bytes += chunk.length;
    }
    await source.close?.();
    assert.equal(bytes, size);
  }
});

test('a file larger than its recorded size (grown, or /proc reporting 0 bytes) is still read whole', async () => {
  const { fileSource } = await import('./source.js');
  const path = join(work, 'grown.txt');
  const content = Buffer.concat([TRACE, TRACE, TRACE, TRACE, TRACE, TRACE]);
  writeFileSync(path, content);
  for (const recorded of [0, 10, 5000]) {
    const source = fileSource(path, path, recorded);
    const chunks: Buffer[] = [];
    for await (const chunk of source.stream()) chunks.push(chunk);
    await source.close?.();
    assert.ok(Buffer.concat(chunks).equals(content), `recorded size ${recorded}: read differs`);
  }
});

test('a folder of 2,000 files: every one read, the headline names 8 and counts the rest', async () => {
  const { diagnose } = await import('../analyze.js');
  const { renderTerminal } = await import('../report/terminal.js');
  const dir = join(work, 'many');
  fs.mkdirSync(dir);
  const message = 'SSL handshake with api.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n';
  for (let i = 0; i < 2000; i++) writeFileSync(join(dir, `msg${String(i).padStart(4, '0')}.txt`), message);
  const evidence = await readInputs([dir]);
  assert.equal(evidence.inputs.length, 2000);
  assert.ok(evidence.inputs.every((i) => i.format === 'abap-message'));
  const [event] = evidence.events;
  assert.equal(evidence.events.length, 1, 'one failure event');
  assert.equal(
    event && 'occurrences' in event ? event.occurrences?.count : undefined,
    2000,
    'seen 2,000 times',
  );
  const report = diagnose(evidence, { now: new Date('2026-01-01T00:00:00Z') });
  const head = renderTerminal(report, { color: false }).split('\n')[0] ?? '';
  assert.match(head, /many\/msg0007\.txt \(abap-message, 1 line\) and 1992 more inputs$/);
});
