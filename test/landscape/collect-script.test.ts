/**
 * @module scripts/collect-pses.sh under dash (POSIX sh) with a fake sapgenpse: copies every PSE into
 * <SID>/<instance>/sec with listings beside it, changes nothing in the sec directory, never writes the PIN,
 * quotes names with spaces and shell characters, and its output is what `landscape` reads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../helpers/fake-io.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { generateChain } from '../pki/index.js';
import { writePse } from '../pse-writer/index.js';

const SH = existsSync('/usr/bin/dash') ? '/usr/bin/dash' : '/bin/sh';
const PIN = 's3cr3t-PIN';
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-collect-'));
  const sec = join(dir, 'usr', 'sap', 'ABC', 'D00', 'sec');
  mkdirSync(sec, { recursive: true });
  const chain = await generateChain();
  writeFileSync(
    join(sec, 'SAPSSLC.pse'),
    writePse({ version: 4, iterations: 1, own: chain.leaf.der, trusted: [chain.root.der] }),
  );
  writeFileSync(
    join(sec, 'odd name $(touch pwned).pse'),
    writePse({ version: 4, iterations: 1, trusted: [chain.root.der] }),
  );
  writeFileSync(join(sec, 'cred_v2'), 'secret credentials');
  writeFileSync(join(dir, 'pin.txt'), `${PIN}\n`);
  // A fake sapgenpse: prints a maintain_pk -l style listing, and records its arguments.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'sapgenpse'),
    `#!/bin/sh\necho "$@" >> "${join(dir, 'calls.log')}"\necho " Opening PSE \\"$4\\"..."\necho "PSE (v4) open ok"\n`,
  );
  chmodSync(join(bin, 'sapgenpse'), 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function collect(extra: string[]): ReturnType<typeof spawnSync> {
  return spawnSync(
    SH,
    [
      join(REPO_ROOT, 'scripts', 'collect-pses.sh'),
      '-s',
      join(dir, 'usr/sap/ABC/D00/sec'),
      '-S',
      'ABC',
      '-i',
      'D00_host1',
      '-o',
      join(dir, 'collected'),
      ...extra,
    ],
    {
      encoding: 'utf8',
      env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, HOME: dir },
    },
  );
}

test('copies the PSEs (not cred_v2) with listings, quoting odd names; the sec directory is unchanged', () => {
  const before = readdirSync(join(dir, 'usr/sap/ABC/D00/sec')).sort();
  const r = collect(['-p', join(dir, 'pin.txt')]);
  assert.equal(r.status, 0, String(r.stderr));
  assert.match(String(r.stdout), /Copied 2 PSE file\(s\)/);
  const out = join(dir, 'collected', 'ABC', 'D00_host1', 'sec');
  assert.deepEqual(readdirSync(out).sort(), [
    'SAPSSLC.pse',
    'SAPSSLC.pse.get_my_name.txt',
    'SAPSSLC.pse.maintain_pk.txt',
    'odd name $(touch pwned).pse',
    'odd name $(touch pwned).pse.get_my_name.txt',
    'odd name $(touch pwned).pse.maintain_pk.txt',
  ]);
  assert.deepEqual(readdirSync(join(dir, 'usr/sap/ABC/D00/sec')).sort(), before, 'nothing added or removed');
  assert.ok(!existsSync(join(dir, 'pwned')), 'file names are never run as commands');
  // The PIN went to sapgenpse on this host, never into the collected output.
  const calls = readFileSync(join(dir, 'calls.log'), 'utf8');
  assert.match(calls, /maintain_pk -l -p .*SAPSSLC\.pse -x s3cr3t-PIN/);
  for (const f of readdirSync(join(dir, 'collected'), { recursive: true }) as string[]) {
    const p = join(dir, 'collected', f);
    if (statSync(p).isFile()) assert.ok(!readFileSync(p).includes(PIN), `${f} holds no PIN`);
  }
  assert.match(
    readFileSync(join(dir, 'collected/ABC/D00_host1/collect-info.txt'), 'utf8'),
    /^collected: \d{4}-/,
  );
});

test('landscape reads what the script collected', async () => {
  const r = await runCli(
    ['landscape', 'collected', '--no-store', '--json', '--now', '2026-06-01T00:00:00Z'],
    { cwd: dir },
  );
  const report = JSON.parse(r.stdout) as Report;
  assert.deepEqual(report.landscape?.systems, [{ system: 'ABC', instances: ['D00_host1'] }]);
  assert.deepEqual(report.landscape?.pses.map((p) => [p.basename, p.source]).sort(), [
    ['SAPSSLC.pse', 'pse'],
    ['odd name $(touch pwned).pse', 'pse'],
  ]);
});

test('refuses to run without a SID or with a path-like instance (exit 2)', () => {
  const noSid = spawnSync(SH, [join(REPO_ROOT, 'scripts', 'collect-pses.sh'), '-s', dir], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin' },
  });
  assert.equal(noSid.status, 2);
  assert.match(String(noSid.stderr), /No SID/);
  const bad = collect(['-i', '../x']);
  assert.equal(bad.status, 2);
});
