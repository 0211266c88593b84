/**
 * @module Start-up benchmark: what one short CLI call costs beside `node -e 0` (the floor every Node
 * program pays): `--version`, `analyze -` on one pasted line, `explain WSS040`, and `analyze` of a real
 * 13 KiB trace and of generated 250 KiB and 1 MiB traces. Interleaved runs, medians.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDevIcm } from '../analyze/generate.mjs';
import { CLI, interleaved, log, ms, ROOT, summarize, table, verdict } from '../lib/measure.mjs';

const PASTED = 'SSL handshake with api.partner.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n';

/**
 * What one fresh 4 KiB page costs on this machine: a child process touches 100 MiB of newly allocated
 * memory once, page by page (median of 3 runs, microseconds per page). Start-up memory is part of every
 * command's cost, and on a virtual machine each first touch can cost far more than on bare metal.
 */
function freshPageCost() {
  const script = `const n = 25600; const b = Buffer.allocUnsafeSlow(n * 4096); const t = process.hrtime.bigint();
for (let i = 0; i < b.length; i += 4096) b[i] = 1;
process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e3 / n));`;
  const runs = [0, 1, 2].map(() => Number(spawnSync(process.execPath, ['-e', script]).stdout));
  return runs.filter(Number.isFinite).sort((a, b) => a - b)[1];
}

export async function benchStartup({ rounds, dir }) {
  const line = join(dir, 'pasted-line.txt');
  writeFileSync(line, PASTED);
  const t250 = join(dir, 'dev_icm-250k');
  const t1m = join(dir, 'dev_icm-1m');
  // Typical traces: routine lines with a failure block about every 64 KiB.
  await generateDevIcm(t250, 250 * 1024, { failureEvery: 64 * 1024 });
  await generateDevIcm(t1m, 1 << 20, { failureEvery: 64 * 1024 });
  const node = process.execPath;
  const commands = [
    { label: '`node -e 0`', argv: [node, '-e', '0'] },
    { label: '`pse-doctor --version`', argv: [node, CLI, '--version'] },
    {
      label: '`pse-doctor analyze -` (one pasted line)',
      argv: [node, CLI, 'analyze', '-'],
      stdinFile: line,
      target: 0.03,
    },
    { label: '`pse-doctor explain WSS040`', argv: [node, CLI, 'explain', 'WSS040'], target: 0.03 },
    {
      label: '`pse-doctor analyze examples/dev_icm` (13 KiB, real)',
      argv: [node, CLI, 'analyze', join(ROOT, 'examples', 'dev_icm')],
      target: 0.06,
    },
    { label: '`pse-doctor analyze` 250 KiB trace', argv: [node, CLI, 'analyze', t250], target: 0.06 },
    { label: '`pse-doctor analyze` 1 MiB trace', argv: [node, CLI, 'analyze', t1m], target: 0.06 },
  ];
  log(`start-up: ${rounds} interleaved rounds of ${commands.length} commands`);
  const samples = await interleaved(commands, rounds);
  const stats = samples.map(summarize);
  const floor = stats[0].wall;
  const cpuFloor = stats[0].cpu;
  const faultFloor = stats[0].faults;
  const pageUs = freshPageCost();
  const plus = (s) => `${s >= 0 ? '+' : '−'}${Math.abs(s * 1000).toFixed(0)} ms`;
  const faultsOver = (f) =>
    f === undefined || faultFloor === undefined
      ? '–'
      : `${f >= faultFloor ? '+' : '−'}${Math.abs(f - faultFloor)}`;
  const rows = commands.map((c, i) => {
    const s = stats[i];
    const over = i === 0 ? '–' : plus(s.wall - floor);
    const cpuOver = i === 0 || s.cpu === undefined ? '–' : plus(s.cpu - cpuFloor);
    const target =
      c.target === undefined ? '–' : `≤ +${c.target * 1000} ms: ${verdict(s.wall - floor <= c.target)}`;
    const faults = s.faults === undefined ? '–' : String(s.faults);
    return [
      c.label,
      ms(s.wall),
      ms(s.min),
      over,
      ms(s.cpu),
      cpuOver,
      faults,
      i === 0 ? '–' : faultsOver(s.faults),
      target,
    ];
  });
  const summary = commands
    .map((c, i) => ({ c, s: stats[i] }))
    .filter(({ c }) => c.target !== undefined)
    .map(({ c, s }) => ({
      what: c.label,
      ours: ms(s.wall),
      baseline: `\`node -e 0\` ${ms(floor)}`,
      ratio: `${plus(s.wall - floor)} (CPU ${plus(s.cpu - cpuFloor)})`,
      target: `≤ +${c.target * 1000} ms`,
      met: s.wall - floor <= c.target,
    }));
  const markdown = [
    `Each command ran ${rounds} times as a child process, interleaved with the others (after one warm-up`,
    'run each); wall time is spawn to exit, CPU is user + system of the child (read by the child itself at',
    'exit, see `bench/lib/cpu-at-exit.cjs`). The targets are judged on wall time; on a busy machine the CPU',
    'column, which waiting for a core does not inflate, is the steadier one. The real trace is',
    '`examples/dev_icm`; the 250 KiB and 1 MiB traces are generated (`bench/analyze/generate.mjs`, a failure',
    'block about every 64 KiB among routine lines). Output goes to a pipe (terminal text).',
    '',
    'Page faults are the minor faults of the child (getrusage, read at exit like the CPU time): each is a',
    '4 KiB page of memory touched for the first time. They vary by a few dozen from run to run, where wall',
    `times on a shared machine move by tens of milliseconds. One fresh page cost ${pageUs === undefined ? '–' : `${pageUs.toFixed(1)} µs`} on this machine`,
    '(a child touching 100 MiB page by page, median of 3), so the faults over `node -e 0` times that cost',
    'are the part of a row spent on memory the command touched.',
    '',
    table(
      [
        'command',
        'wall (median)',
        'wall (min)',
        'wall over `node -e 0`',
        'CPU (median)',
        'CPU over `node -e 0`',
        'page faults (median)',
        'page faults over `node -e 0`',
        'target',
      ],
      rows,
      'lrrrrrrrl',
    ),
  ].join('\n');
  return { markdown, summary, startup: stats[2].wall, floor };
}
