/** @module The progress line: only for inputs over 50 MiB, throttled, cleared at the end; and `analyze` on a 60 MB trace. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../../test/helpers/fake-io.js';
import { createProgressLine, PROGRESS_MIN_BYTES } from './progress-line.js';

test('no line for small inputs; one redraw per 200 ms; the last state always; cleared when done', () => {
  const written: string[] = [];
  let now = 0;
  const line = createProgressLine({ stderr: { write: (s: string) => written.push(s) } }, () => now);
  line.update({ name: 'small', read: 10, size: PROGRESS_MIN_BYTES - 1 });
  assert.deepEqual(written, []);
  const size = 100 * 1024 * 1024;
  now = 1000;
  line.update({ name: 'dev_icm', read: 10 * 1024 * 1024, size });
  now = 1100;
  line.update({ name: 'dev_icm', read: 20 * 1024 * 1024, size }); // throttled
  now = 1300;
  line.update({ name: 'dev_icm', read: 50 * 1024 * 1024, size });
  now = 1310;
  line.update({ name: 'dev_icm', read: size, size }); // the end is always drawn
  assert.equal(written.length, 3);
  assert.match(written[0]!, /reading dev_icm {2}10 MB of 100 MB \(10%\)/);
  assert.match(written[2]!, /100 MB of 100 MB \(100%\)/);
  line.done();
  assert.equal(written.at(-1), '\r\u001b[2K');
});

describe('analyze of a 60 MB trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-progress-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const big = join(dir, 'dev_icm');
  const line =
    'Mon Mar  3 09:15:33:120 2025 IcmHandleNetRead: routine line for the progress test, nothing failed\n';
  writeFileSync(big, line.repeat(Math.ceil((60 * 1024 * 1024) / line.length)));

  test('shows progress on a terminal stderr and clears it', async () => {
    const r = await runCli(['analyze', big], { stderrIsTTY: true });
    assert.match(r.stderr, /pse-doctor: reading .*dev_icm {2}\d+ MB of 60 MB \(\d+%\)/);
    assert.ok(r.stderr.endsWith('\r\u001b[2K'), 'the line is cleared before the report');
    assert.doesNotMatch(r.stdout, /reading/);
  });

  test('no progress with --quiet, with --json, or when stderr is not a terminal', async () => {
    for (const [args, tty] of [
      [['--quiet'], true],
      [['--json'], true],
      [[], false],
    ] as const) {
      const r = await runCli(['analyze', big, ...args], { stderrIsTTY: tty });
      assert.doesNotMatch(r.stderr, /reading/, `${args.join(' ')} tty=${tty}`);
    }
  });
});
