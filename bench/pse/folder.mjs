/**
 * @module PSE benchmark: `pse-doctor pse <folder>` on a generated sec folder of 200 PSE files, beside
 * `node -e 0` (the start-up floor) and `cat` of every file (the read floor). Interleaved runs, medians.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, interleaved, log, ms, ROOT, summarize, table, verdict } from '../lib/measure.mjs';

export async function benchPse({ dir, rounds, count = 200 }) {
  const folder = join(dir, 'sec');
  log(`pse: generating ${count} PSE files`);
  const gen = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'pse', 'generate.ts'), folder, String(count)],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (gen.status !== 0) throw new Error(`PSE generation failed: ${gen.stderr}`);
  const files = readdirSync(folder);
  const bytes = files.reduce((n, f) => n + statSync(join(folder, f)).size, 0);
  const node = process.execPath;
  const commands = [
    { label: '`node -e 0`', argv: [node, '-e', '0'] },
    { label: '`cat <folder>/*` (reads every file)', argv: ['sh', '-c', `cat "${folder}"/* > /dev/null`] },
    { label: '`pse-doctor pse <folder>`', argv: [node, CLI, 'pse', folder], target: 0.4 },
    { label: '`pse-doctor pse <folder> --json`', argv: [node, CLI, 'pse', '--json', folder] },
  ];
  log(`pse: ${rounds} interleaved rounds`);
  const samples = await interleaved(commands, rounds);
  const stats = samples.map(summarize);
  const rows = commands.map((c, i) => [
    c.label,
    ms(stats[i].wall),
    ms(stats[i].min),
    ms(stats[i].cpu),
    c.target === undefined ? '–' : `< ${c.target * 1000} ms: ${verdict(stats[i].wall < c.target)}`,
  ]);
  const pse = stats[2];
  const markdown = [
    `A generated sec folder (\`bench/pse/generate.ts\`, the test PSE writer): ${files.length} PSE files,`,
    `${(bytes / 1024 / 1024).toFixed(1)} MiB, v2 and v4 without PIN, each with its own certificate and chain and a trust list of`,
    `5–60 CAs from a shared pool. ${rounds} interleaved runs each, medians. There is no other tool that reads`,
    'SAP PSE files, so the baselines are the floors: starting Node, and reading the bytes.',
    '',
    table(['command', 'wall (median)', 'wall (min)', 'CPU (median)', 'target'], rows, 'lrrrl'),
  ].join('\n');
  const summary = [
    {
      what: `\`pse\` folder of ${files.length} PSEs`,
      ours: ms(pse.wall),
      baseline: `\`node -e 0\` ${ms(stats[0].wall)}`,
      ratio: `+${((pse.wall - stats[0].wall) * 1000).toFixed(0)} ms`,
      target: '< 400 ms',
      met: pse.wall < 0.4,
    },
  ];
  return { markdown, summary };
}
