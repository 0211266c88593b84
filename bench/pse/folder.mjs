/**
 * @module PSE benchmark: `pse-doctor pse <folder>` on generated sec folders of 20 and 200 PSE files,
 * beside `node -e 0` (the start-up floor) and `cat` of every file (the read floor). Interleaved runs,
 * medians; wall and CPU time, and CPU over `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, interleaved, log, ms, ROOT, summarize, table, verdict } from '../lib/measure.mjs';

function generate(folder, count) {
  const gen = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'pse', 'generate.ts'), folder, String(count)],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (gen.status !== 0) throw new Error(`PSE generation failed: ${gen.stderr}`);
  const files = readdirSync(folder);
  return { files: files.length, bytes: files.reduce((n, f) => n + statSync(join(folder, f)).size, 0) };
}

export async function benchPse({ dir, rounds, counts = [20, 200] }) {
  const node = process.execPath;
  const folders = counts.map((count) => {
    const folder = join(dir, `sec-${count}`);
    log(`pse: generating ${count} PSE files`);
    return { count, folder, ...generate(folder, count) };
  });
  const big = folders[folders.length - 1];
  const commands = [{ label: '`node -e 0`', argv: [node, '-e', '0'] }];
  for (const f of folders) {
    commands.push(
      {
        label: `\`cat <folder>/*\`, ${f.files} files (reads every file)`,
        argv: ['sh', '-c', `cat "${f.folder}"/* > /dev/null`],
      },
      {
        label: `\`pse-doctor pse <folder>\`, ${f.files} PSEs`,
        argv: [node, CLI, 'pse', f.folder],
        ...(f === big ? { target: 0.4 } : {}),
      },
    );
  }
  commands.push({
    label: `\`pse-doctor pse <folder> --json\`, ${big.files} PSEs`,
    argv: [node, CLI, 'pse', '--json', big.folder],
  });
  log(`pse: ${rounds} interleaved rounds`);
  const samples = await interleaved(commands, rounds);
  const stats = samples.map(summarize);
  const floor = stats[0];
  const plus = (s) => (s === undefined ? '–' : `${s >= 0 ? '+' : '−'}${Math.abs(s * 1000).toFixed(0)} ms`);
  const rows = commands.map((c, i) => [
    c.label,
    ms(stats[i].wall),
    ms(stats[i].min),
    ms(stats[i].cpu),
    i === 0 || c.argv[0] !== node ? '–' : plus(stats[i].cpu - floor.cpu),
    c.target === undefined ? '–' : `< ${c.target * 1000} ms: ${verdict(stats[i].wall < c.target)}`,
  ]);
  const pse = stats[commands.findIndex((c) => c.target !== undefined)];
  const markdown = [
    'Generated sec folders (`bench/pse/generate.ts`, the test PSE writer): PSE files v2 and v4 without PIN,',
    'each with its own certificate and chain and a trust list of 5–60 CAs from a shared pool',
    `(${folders.map((f) => `${f.files} files, ${(f.bytes / 1024 / 1024).toFixed(1)} MiB`).join('; ')}).`,
    `${rounds} interleaved runs each, medians. There is no other tool that reads SAP PSE files, so the`,
    'baselines are the floors: starting Node, and reading the bytes.',
    '',
    table(
      ['command', 'wall (median)', 'wall (min)', 'CPU (median)', 'CPU over `node -e 0`', 'target'],
      rows,
      'lrrrrl',
    ),
  ].join('\n');
  const summary = [
    {
      what: `\`pse\` folder of ${big.files} PSEs`,
      ours: ms(pse.wall),
      baseline: `\`node -e 0\` ${ms(floor.wall)}`,
      ratio: `${plus(pse.wall - floor.wall)} (CPU ${plus(pse.cpu - floor.cpu)})`,
      target: '< 400 ms',
      met: pse.wall < 0.4,
    },
  ];
  return { markdown, summary };
}
