/**
 * @module Big-trace benchmark: `pse-doctor analyze` of generated dev_icm files (64 MiB, 512 MiB, 2 GiB;
 * a harmless `*** ERROR` line about every 64 KiB, and again every 4 KiB) beside
 * `grep -c -E 'SSSLERR_|SSSLRC_|Errorstack'` on the same file, start-up included. Each file is generated
 * into the temp dir, read once to warm the page cache, measured, and deleted.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, interleaved, log, mib, runOnce, sec, summarize, table, verdict } from '../lib/measure.mjs';
import { generateDevIcm } from './generate.mjs';

/** The failure markers of the baseline, as one extended regular expression. */
export const GREP_PATTERN = 'SSSLERR_|SSSLRC_|Errorstack';
const MiB = 1 << 20;

function label(bytes) {
  return bytes >= 1 << 30 ? `${bytes / (1 << 30)} GiB` : `${bytes / MiB} MiB`;
}

/** Targets of the issue: ratio to grep by size (start-up included), memory cap. */
function targetFor(bytes) {
  if (bytes >= 2 * 2 ** 30) return 0.8;
  if (bytes >= 512 * MiB) return 0.5;
  return undefined;
}

export async function benchBig({ sizes, rounds, dir, startup }) {
  const rows = [];
  const summary = [];
  for (const bytes of sizes) {
    for (const benignEvery of [64 * 1024, 4 * 1024]) {
      const file = join(dir, `dev_icm-${label(bytes).replace(' ', '')}-${benignEvery / 1024}k`);
      log(`big: generating ${label(bytes)} (harmless ERROR every ${benignEvery / 1024} KiB)`);
      const gen = await generateDevIcm(file, bytes, { benignEvery });
      const size = statSync(file).size;
      try {
        await runOnce(['cat', file], { okCodes: [0] }); // page cache
        const commands = [
          { argv: [process.execPath, CLI, 'analyze', '--json', '--fail-on', 'never', file] },
          { argv: ['grep', '-c', '-E', GREP_PATTERN, file], env: { LC_ALL: 'C' } },
        ];
        log(`big: ${rounds} interleaved rounds`);
        const samples = await interleaved(commands, rounds, { warmup: 0 });
        const [ours, grep] = samples.map(summarize);
        const report = JSON.parse(samples[0][0].stdout);
        const ratio = grep.wall / ours.wall;
        const target = targetFor(bytes);
        const memOk = (ours.rssKiB ?? 0) < 150 * 1024;
        const mbps = (s) => `${(size / MiB / s).toFixed(0)}`;
        const net = startup !== undefined && ours.wall > startup ? mbps(ours.wall - startup) : '–';
        rows.push([
          `${label(bytes)}, ERROR every ${benignEvery / 1024} KiB`,
          sec(ours.wall),
          mbps(ours.wall),
          net,
          sec(ours.cpu),
          mib(ours.rssKiB),
          sec(grep.wall),
          mbps(grep.wall),
          sec(grep.cpu),
          grep.cpu && ours.cpu ? `${(grep.cpu / ours.cpu).toFixed(2)}×` : '–',
          `${ratio.toFixed(2)}×`,
          target === undefined ? '–' : `≥ ${target}×: ${verdict(ratio >= target)}`,
          `${report.findings.length} findings, ${gen.failures} blocks; grep ${samples[1][0].stdout.trim()} lines`,
        ]);
        if (target !== undefined) {
          summary.push({
            what: `\`analyze\` ${label(bytes)} trace, ERROR every ${benignEvery / 1024} KiB`,
            ours: `${sec(ours.wall)}, ${mib(ours.rssKiB)}`,
            baseline: `grep ${sec(grep.wall)}`,
            ratio: `${ratio.toFixed(2)}×`,
            target: `≥ ${target}×, < 150 MiB`,
            met: ratio >= target && memOk,
          });
        }
      } finally {
        rmSync(file, { force: true });
      }
    }
  }
  const markdown = [
    'Generated `dev_icm` traces (`bench/analyze/generate.mjs`: `[Thr …]` routine lines from five threads,',
    'successful TLS sessions, a failure block of one of five shapes about every 4 MiB, and a harmless',
    '`*** ERROR` line about every 64 KiB or every 4 KiB). Command under test:',
    '`pse-doctor analyze --json --fail-on never <file>`; baseline: `LC_ALL=C grep -c -E',
    `'${GREP_PATTERN}' <file>\` (the C locale is grep's fastest). Both read the file from the page cache`,
    `(warmed first); ${rounds} interleaved runs each, medians; wall time includes start-up. "MiB/s net"`,
    'subtracts the start-up of `analyze -` measured above. Peak RSS is the maximum over the runs.',
    '',
    table(
      [
        'trace',
        'pse-doctor wall',
        'MiB/s',
        'MiB/s net',
        'CPU',
        'peak RSS',
        'grep wall',
        'grep MiB/s',
        'grep CPU',
        'CPU: grep ÷ ours',
        'throughput ÷ grep',
        'target',
        'answers',
      ],
      rows,
      'lrrrrrrrrrrll',
    ),
  ].join('\n');
  return { markdown, summary };
}
