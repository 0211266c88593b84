/** @module Tests of readInputs: several files, stdin, gzip, folders, uploads, errors, de-duplication, quoted lines. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { fixturePath, fixturesOrSkip } from '../../test/helpers/fixtures.js';
import { getEntry } from '../kb/index.js';
import { isToolError } from '../model/errors.js';
import type { SslFailureEvent } from '../model/evidence.js';
import { detectReader, knownCodes, READERS, readInputs } from './index.js';

let dir: string;
const TRACE = [
  '[Thr 140] Tue May 24 13:51:07:344 2022',
  '[Thr 140]   SSL NI-hdl 12: local=10.0.0.5:40000  peer=203.0.113.7:443',
  '[Thr 140]   cli SSL session PSE "/usr/sap/ABC/D00/sec/SAPSSLC.pse"',
  '[Thr 140] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=7f00aa)==SSSLERR_PEER_CERT_UNTRUSTED',
  '[Thr 140] *** ERROR => SSL handshake with api.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
  "[Thr 140] Peer's X.509 certificate (chain) validation failed (missing trust?)",
  '',
].join('\n');
const MESSAGE =
  'Error: HTTP error 407 occured: SSL handshake with github.com:443 failed: SSSLERR_SSL_READ (-58)\n';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-read-inputs-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isToolError(err), `expected a ToolError, got ${err}`);
    assert.equal(err.code, code);
    return true;
  });
}

describe('readInputs', () => {
  test('several files give one Evidence with the inputs in the order given', async () => {
    const a = write('dev_icm', TRACE);
    const b = write('message.txt', MESSAGE);
    const ev = await readInputs([b, a]);
    assert.deepEqual(
      ev.inputs.map((i) => i.name),
      [b, a],
    );
    assert.equal(ev.inputs[1]!.format, 'icm-trace');
    assert.equal(ev.inputs[0]!.format, 'abap-message');
    const failures = ev.events.filter((e): e is SslFailureEvent => e.kind === 'ssl-failure');
    assert.deepEqual(
      failures.map((e) => [e.source.input, e.error?.name]),
      [
        [0, 'SSSLERR_SSL_READ'],
        [1, 'SSSLERR_PEER_CERT_UNTRUSTED'],
      ],
    );
    assert.equal(failures[1]!.pseFile, '/usr/sap/ABC/D00/sec/SAPSSLC.pse');
    assert.equal(failures[1]!.timestamp, 'Tue May 24 13:51:07:344 2022');
    assert.ok(Object.keys(ev.lines).every((k) => /^[01]:\d+$/.test(k)));
  });

  test('"-" reads the given standard input; without one it is a usage error', async () => {
    const ev = await readInputs(['-'], { stdin: Readable.from([Buffer.from(MESSAGE)]) });
    assert.equal(ev.inputs[0]!.name, '-');
    assert.equal(ev.events.filter((e) => e.kind === 'ssl-failure').length, 1);
    await rejectsWith(readInputs(['-']), 'usage');
  });

  test('gzip is undone by its magic bytes (any name); broken gzip is a clear error', async () => {
    const plain = await readInputs([write('dev_icm.plain', TRACE)]);
    const gz = await readInputs([write('dev_icm.old.gz', gzipSync(Buffer.from(TRACE)))]);
    const strip = (e: unknown) => JSON.parse(JSON.stringify(e, (k, v) => (k === 'input' ? undefined : v)));
    assert.deepEqual(strip(gz.events), strip(plain.events));
    assert.ok(gz.inputs[0]!.warnings.some((w) => /gzip/.test(w)));
    const broken = Buffer.concat([
      gzipSync(Buffer.from(TRACE)).subarray(0, 20),
      Buffer.from('not deflate data at all'),
    ]);
    await rejectsWith(readInputs([write('broken.gz', broken)]), 'bad-gzip');
  });

  test('a missing file is file-not-found; an empty or binary file the user named is an input error', async () => {
    await rejectsWith(readInputs([join(dir, 'no-such-file')]), 'file-not-found');
    await rejectsWith(readInputs([write('empty', '')]), 'empty-input');
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i += 7) garbage[i] = (i * 31) & 0xff;
    await rejectsWith(readInputs([write('garbage.bin', garbage)]), 'binary-input');
  });

  test('a folder gives its files by the walking rule: sorted, sub-folders too, hidden ones skipped; unreadable ones are listed with a warning', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    mkdirSync(join(folder, '.hidden-dir'), { recursive: true });
    writeFileSync(join(folder, 'b-dev_icm'), TRACE);
    writeFileSync(join(folder, 'a-message.txt'), MESSAGE);
    writeFileSync(join(folder, 'c-empty'), '');
    writeFileSync(join(folder, 'd-garbage.bin'), Buffer.alloc(2048));
    writeFileSync(join(folder, 'sub', 'nested-dev_icm'), TRACE);
    writeFileSync(join(folder, '.hidden-dev_icm'), TRACE);
    writeFileSync(join(folder, '.hidden-dir', 'dev_icm'), TRACE);
    const ev = await readInputs([folder]);
    assert.deepEqual(
      ev.inputs.map((i) =>
        i.name
          .slice(folder.length + 1)
          .split(/[\\/]/)
          .join('/'),
      ),
      ['a-message.txt', 'b-dev_icm', 'c-empty', 'd-garbage.bin', 'sub/nested-dev_icm'],
    );
    assert.equal(ev.inputs[2]!.format, 'unknown');
    assert.ok(ev.inputs[2]!.warnings.length > 0);
    assert.equal(ev.inputs[3]!.format, 'unknown');
    assert.ok(ev.inputs[3]!.warnings.length > 0);
    // The nested trace holds the same failure as b-dev_icm: merged into one event, seen twice.
    const failures = ev.events.filter((e) => e.kind === 'ssl-failure');
    assert.equal(failures.length, 2);
    const trace = failures.find((e) => e.source.input === 1);
    assert.equal(trace?.occurrences?.count, 2);
    assert.deepEqual(
      trace?.occurrences?.more?.map((m) => m.input),
      [4],
    );
  });

  test('uploads: in-memory bytes and a one-shot stream', async () => {
    const ev = await readInputs([
      { name: 'paste.txt', bytes: new TextEncoder().encode(MESSAGE) },
      {
        name: 'upload.trc',
        stream: Readable.from([Buffer.from(TRACE.slice(0, 50)), Buffer.from(TRACE.slice(50))]),
      },
    ]);
    assert.deepEqual(
      ev.inputs.map((i) => [i.name, i.format]),
      [
        ['paste.txt', 'abap-message'],
        ['upload.trc', 'icm-trace'],
      ],
    );
    assert.equal(ev.events.filter((e) => e.kind === 'ssl-failure').length, 2);
  });

  test('the same failure in two inputs becomes one event with occurrences from both', async () => {
    const ev = await readInputs([write('dev_icm.1', TRACE), write('dev_icm.2', TRACE)]);
    const failures = ev.events.filter((e) => e.kind === 'ssl-failure');
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.occurrences?.count, 2);
    assert.equal(failures[0]!.occurrences?.more?.[0]?.input, 1);
  });

  test('a large file read through reused buffers gives the same events as the same bytes in memory', async () => {
    // Failure blocks land on and around the 1 MiB read boundaries, with their context before them.
    const noiseLine = (i: number) =>
      `[Thr 9] IcmHandleNetRead(id=1/${i}): read ${i % 997} bytes from the network`;
    const parts: string[] = [];
    let size = 0;
    let n = 0;
    const boundaries = [1, 2, 3, 4].map((k) => k * (1 << 20));
    for (const b of boundaries) {
      while (size < b - 300) {
        const l = `${noiseLine(n++)}\n`;
        parts.push(l);
        size += l.length;
      }
      const block = TRACE.replace(/api\.example\.com/g, `host${b}.example`);
      parts.push(block);
      size += block.length;
    }
    const text = parts.join('');
    const path = write('dev_icm.large', text);
    const fromFile = await readInputs([path]);
    const fromBytes = await readInputs([{ name: path, bytes: Buffer.from(text) }]);
    assert.equal(fromFile.events.filter((e) => e.kind === 'ssl-failure').length, 4);
    assert.deepEqual(fromFile.events, fromBytes.events);
    assert.deepEqual(fromFile.lines, fromBytes.lines);
  });

  test('Evidence.lines holds the lines events point at, not the whole input', async () => {
    const noise = Array.from({ length: 2000 }, (_, i) => `[Thr 9] IcmHandleNetRead: read ${i} bytes`).join(
      '\n',
    );
    const ev = await readInputs([write('dev_icm.noisy', `${noise}\n${TRACE}${noise}\n`)]);
    const texts = Object.values(ev.lines);
    assert.ok(texts.length < 20, `${texts.length} lines kept`);
    assert.ok(
      texts.some((t) => t.includes('cli SSL session PSE')),
      'the PSE line',
    );
    assert.ok(
      texts.some((t) => t.includes('*** ERROR => SSL handshake with')),
      'the error line',
    );
    assert.ok(!texts.some((t) => t.includes('IcmHandleNetRead')), 'no noise');
    const failure = ev.events.find((e) => e.kind === 'ssl-failure')!;
    for (const no of failure.source.keyLines ?? []) assert.ok(ev.lines[`0:${no}`] !== undefined);
  });
});

describe('registry and detection', () => {
  test('detectReader picks the text reader for traces and messages, not for binary', () => {
    assert.equal(detectReader(Buffer.from(TRACE), 'dev_icm')?.id, 'sap-text');
    assert.equal(detectReader(Buffer.from(MESSAGE), 'paste.txt')?.id, 'sap-text');
    assert.notEqual(detectReader(Buffer.alloc(1024), 'x.bin')?.id, 'sap-text');
  });

  test('READERS has unique ids and knownCodes is exported for the knowledge base', () => {
    const ids = READERS.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(knownCodes().some((c) => c.kbId === 'SSSLERR_PEER_CERT_UNTRUSTED' && c.number === -102));
  });

  test(
    'real fixtures read through readInputs: an ICM trace and a sectrace in one call',
    fixturesOrSkip(),
    async () => {
      const ev = await readInputs([
        fixturePath('real', 'traces', 'trace-001.txt'),
        fixturePath('real', 'traces', 'trace-024.txt'),
      ]);
      // The knowledge model also names the pasted ABAP message's lines (message events beside the failure).
      assert.deepEqual(
        ev.events.filter((e) => e.kind !== 'message').map((e) => [e.source.input, e.kind]),
        [
          [0, 'ssl-failure'],
          [1, 'kerberos-failure'],
        ],
      );
      const messages = ev.events.filter((e) => e.kind === 'message');
      assert.ok(messages.every((m) => m.source.input === 0 && getEntry(m.entry)));
      assert.ok(
        messages.some((m) => m.entry === 'SSSLERR_CONN_CLOSED'),
        'the kb names the failure line',
      );
      assert.ok(
        readFileSync(fixturePath('real', 'traces', 'trace-001.txt'), 'utf8').includes(ev.lines['0:11']!),
      );
    },
  );
});
