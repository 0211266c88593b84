#!/usr/bin/env node
/**
 * @module The landscape benchmark alone (bench/run-all.mjs runs it as one section of docs/benchmarks.md):
 * prints its Markdown section and summary rows.
 *
 *   npm run build && node bench/landscape/run.mjs [--rounds 3] [--systems 100] [--instances 6] [--targets 500]
 *                                                 [--silent 20] [--concurrency 32] [--timeout 2000] [--openssl 100]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { table } from '../lib/measure.mjs';
import { benchLandscape } from './landscape.mjs';

const opts = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const key = argv[i].replace(/^--/, '');
  if (
    !['rounds', 'systems', 'instances', 'targets', 'silent', 'concurrency', 'timeout', 'openssl'].includes(
      key,
    )
  )
    throw new Error(`unknown option ${argv[i]} (see the comment at the top of bench/landscape/run.mjs)`);
  opts[key] = Number(argv[++i]);
}
const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-bench-landscape-'));
try {
  const { markdown, summary } = await benchLandscape({ dir, ...opts });
  process.stdout.write(
    `${table(
      ['what a user does', 'pse-doctor', 'baseline, same run', 'ratio', 'target', 'verdict'],
      summary.map((s) => [s.what, s.ours, s.baseline, s.ratio, s.target, s.met ? 'met' : '**not met**']),
      'lrrrll',
    )}\n\n${markdown}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
