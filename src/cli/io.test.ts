/** @module A reader that goes away (`pse-doctor … | head`) ends output quietly: no EPIPE crash, the command's own exit code. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { guardBrokenPipe } from './io.js';

class FakeStream extends EventEmitter {
  written: string[] = [];
  write(text: string): boolean {
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
