/**
 * @module A reader that goes away (`pse-doctor … | head`) ends output quietly: no EPIPE crash, the command's own
 * exit code. Output that is no terminal goes straight to its descriptor, every byte, in order.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { descriptorWriter, guardBrokenPipe, isTerminal, processIo } from './io.js';

class FakeStream extends EventEmitter {
  written: (string | Uint8Array)[] = [];
  write(text: string | Uint8Array): boolean {
    this.written.push(text);
    return true;
  }
}

test('after EPIPE, writes are dropped instead of crashing; other errors still surface', () => {
  const stream = new FakeStream();
  const guarded = guardBrokenPipe(stream);
  guarded.write('a');
  stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  assert.equal(guarded.broken, true);
  guarded.write('b');
  assert.deepEqual(stream.written, ['a']);
  const other = new FakeStream();
  guardBrokenPipe(other);
  assert.throws(
    () => other.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' })),
    /disk full/,
  );
});

test('pse-doctor … | head: exits with the command’s exit code and prints no error', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-epipe-'));
  try {
    // Many distinct failures → a report far larger than what head reads; findings → exit 1.
    const lines = Array.from(
      { length: 3000 },
      (_, i) =>
        `[Thr 1] *** ERROR => SSL handshake with host${i}.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n`,
    );
    writeFileSync(join(dir, 'dev_icm'), lines.join(''));
    const entry = join(dir, 'entry.mjs');
    writeFileSync(
      entry,
      `import { main } from ${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))};\nawait main();\n`,
    );
    const status = '$' + '{PIPESTATUS[0]}';
    const script = `node --import tsx '${entry}' analyze --json '${join(dir, 'dev_icm')}' | head -c 10 > /dev/null; echo "rc=${status}"`;
    const r = spawnSync('bash', ['-c', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.error, undefined);
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|internal error/, r.stderr);
    assert.match(r.stdout, /rc=1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('descriptorWriter: every byte reaches the descriptor, also in short writes; EPIPE ends output quietly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-fd-'));
  try {
    const file = join(dir, 'out.txt');
    const fd = openSync(file, 'w');
    // At most 3 bytes per write: the rest of each text (a multi-byte character split too) follows.
    const short = (f: number, b: Uint8Array, o: number, l: number) => writeSync(f, b, o, Math.min(l, 3));
    const out = descriptorWriter(fd, () => assert.fail('no fallback for a file'), short);
    assert.equal(out.write('Zertifikat für «host» ✓\n'), true);
    out.write(Buffer.from('second line\n'));
    closeSync(fd);
    assert.equal(readFileSync(file, 'utf8'), 'Zertifikat für «host» ✓\nsecond line\n');
    const written: number[] = [];
    const epipe = descriptorWriter(
      1,
      () => assert.fail('EPIPE is no reason for the stream'),
      (_f, _b, _o, l) => {
        written.push(l);
        throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      },
    );
    assert.equal(epipe.write('a'), false);
    assert.equal(epipe.broken, true);
    assert.equal(epipe.write('b'), false);
    assert.deepEqual(written, [1], 'nothing is written after EPIPE');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('descriptorWriter: a write the descriptor refuses (EAGAIN) hands the rest and all later output to the stream, in order', async () => {
  const stream = new FakeStream();
  let calls = 0;
  const out = descriptorWriter(
    1,
    () => stream,
    (_f, _b, _o, l) => {
      calls++;
      if (calls === 1) return Math.min(l, 4); // 'abcd' went out
      throw Object.assign(new Error('write EAGAIN'), { code: 'EAGAIN' });
    },
  );
  out.write('abcdefgh');
  out.write('ijk');
  assert.equal(calls, 2, 'the descriptor is not tried again');
  assert.deepEqual(
    stream.written.map((w) => Buffer.from(w).toString()),
    ['efgh', 'ijk'],
  );
  await out.drain();
  assert.equal(out.broken, false);
});

test('settled: true once every byte left the process, false while a stream still holds some', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-settled-'));
  const fd = openSync(join(dir, 'out'), 'w');
  try {
    const direct = descriptorWriter(fd, () => assert.fail('no fallback for a file'));
    direct.write('written straight to the descriptor\n');
    assert.equal(direct.settled, true);
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  // A descriptor that refuses (EAGAIN) hands the rest to the stream: settled follows what it buffers.
  const stream = Object.assign(new FakeStream(), { writableLength: 5 });
  const refused = descriptorWriter(
    1,
    () => stream,
    () => {
      throw Object.assign(new Error('write EAGAIN'), { code: 'EAGAIN' });
    },
  );
  assert.equal(refused.settled, true, 'nothing written yet');
  refused.write('hello');
  assert.equal(refused.settled, false);
  stream.writableLength = 0;
  assert.equal(refused.settled, true);
  // A stream that does not say what it buffers is never taken as settled; a reader gone away is.
  const unknown = guardBrokenPipe(new FakeStream());
  assert.equal(unknown.settled, false);
  const gone = new FakeStream();
  const guarded = guardBrokenPipe(gone);
  gone.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  assert.equal(guarded.settled, true);
});

test('main: a plain analyze or explain exits as soon as its output is out, with all of it and its exit code; other calls end the usual way', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-exit-'));
  try {
    // 'beforeExit' is emitted only when a process ends because its event loop ran empty.
    const marker = join(dir, 'marker.cjs');
    writeFileSync(marker, "process.on('beforeExit', () => process.stderr.write('[natural exit]'));\n");
    const entry = join(dir, 'entry.mjs');
    writeFileSync(
      entry,
      `import { main } from ${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))};\nawait main();\n`,
    );
    const trace = join(root, 'examples', 'dev_icm');
    const cli = (args: string[], input?: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '-r', marker, entry, ...args], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        ...(input === undefined ? {} : { input }),
      });
    const json = cli(['analyze', '--json', trace]);
    assert.equal(json.status, 1, json.stderr);
    assert.doesNotMatch(json.stderr, /natural exit/);
    const report = JSON.parse(json.stdout) as { findings: unknown[] };
    assert.ok(report.findings.length > 0, 'the whole report arrived');
    const pasted = cli(['analyze', '-'], 'SSSLERR_PEER_CERT_UNTRUSTED (-102)\n');
    assert.equal(pasted.status, 1, pasted.stderr);
    assert.doesNotMatch(pasted.stderr, /natural exit/);
    assert.match(pasted.stdout, /SSSLERR_PEER_CERT_UNTRUSTED/);
    // A plain explain, found or not, ends the same way.
    const explain = cli(['explain', 'WSS040']);
    assert.equal(explain.status, 0, explain.stderr);
    assert.doesNotMatch(explain.stderr, /natural exit/);
    assert.match(explain.stdout, /WSS040/);
    const unknown = cli(['explain', 'no-such-code-xyz']);
    assert.equal(unknown.status, 1, unknown.stderr);
    assert.doesNotMatch(unknown.stderr, /natural exit/);
    assert.match(unknown.stdout, /No entry is named "no-such-code-xyz"/);
    // Through commander (an option), and a plain analyze that failed: the usual end.
    const viaCommander = cli(['explain', '--json', 'WSS040']);
    assert.equal(viaCommander.status, 0, viaCommander.stderr);
    assert.match(viaCommander.stderr, /natural exit/);
    const missing = cli(['analyze', join(dir, 'no-such-file')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /natural exit/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('isTerminal: a file, a pipe and /dev/null are no terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-tty-'));
  const file = openSync(join(dir, 'f'), 'w');
  const devNull = openSync('/dev/null', 'w');
  try {
    assert.equal(isTerminal(file), false);
    assert.equal(isTerminal(devNull), false);
    assert.equal(isTerminal(1_000_000), false, 'no such descriptor');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('./src/cli/io.ts').then((m) => console.log(m.isTerminal(1), m.isTerminal(0)))`,
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', input: '' },
    );
    assert.equal(r.stdout.trim(), 'false false', r.stderr);
  } finally {
    closeSync(file);
    closeSync(devNull);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('processIo reads standard input from the descriptor it is given (a file: every byte, from its position)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-io-'));
  try {
    const file = join(dir, 'in.txt');
    const text = `${'SSSLERR_PEER_CERT_UNTRUSTED\n'.repeat(5000)}end\n`; // more than one 64 KiB read
    writeFileSync(file, text);
    const fd = openSync(file, 'r');
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of processIo(fd).stdin) chunks.push(Buffer.from(chunk));
      assert.equal(Buffer.concat(chunks).toString('utf8'), text);
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
