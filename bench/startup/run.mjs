/**
 * @module Start-up benchmark: what one short CLI call costs beside `node -e 0` (the floor every Node
 * program pays): `--version`, `analyze -` on one pasted line, `explain WSS040`, and `analyze` of a real
 * 13 KiB trace and of generated 250 KiB and 1 MiB traces. Interleaved runs, medians.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDevIcm } from '../analyze/generate.mjs';
import { CLI, interleaved, log, median, ms, ROOT, summarize, table, verdict } from '../lib/measure.mjs';

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

/**
 * A child that loads the bundled CLI (dist/bundle/start.cjs, as bin/pse-doctor.js does) and runs the same
 * call three times in that one process, with output dropped: how long loading the CLI's entry took, each
 * run, and what the first run loaded. Times from process.hrtime (performance.now would load a module).
 */
const REPEAT_CHILD = `const t = () => Number(process.hrtime.bigint()) / 1e6;
const [argv, stdinFile, root] = JSON.parse(process.argv[1]);
const t0 = t();
const cli = require(root + '/dist/bundle/start.cjs');
const entry = t() - t0;
const input = stdinFile ? require('node:fs').readFileSync(stdinFile) : undefined;
(async () => {
  const runs = [];
  let loaded;
  for (let i = 0; i < 3; i++) {
    const io = { stdout: { write() {} }, stderr: { write() {} }, isTTY: false, stdinIsTTY: false, env: {}, cwd: root,
      stdin: input ? (async function* () { yield input; })() : (async function* () {})() };
    const a = t();
    await cli.run(argv, io);
    runs.push(t() - a);
    if (i === 0) loaded = cli.codeCache();
  }
  process.stdout.write(JSON.stringify({ entry, runs, chunks: loaded.chunks, fromCache: loaded.fromCache,
    scripts: loaded.scripts.length }));
})();`;

/** `rounds` children per call (interleaved) of REPEAT_CHILD: medians of each run's time. */
function repeatedInProcess(calls, rounds) {
  const samples = calls.map(() => []);
  for (let r = 0; r < rounds; r++)
    calls.forEach((c, i) => {
      const child = spawnSync(
        process.execPath,
        ['-e', REPEAT_CHILD, JSON.stringify([c.argv, c.stdinFile, ROOT])],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      try {
        samples[i].push(JSON.parse(child.stdout));
      } catch {
        // A failed child counts as no sample.
      }
    });
  return samples.map((list) => ({
    entry: median(list.map((x) => x.entry)),
    runs: [0, 1, 2].map((k) => median(list.map((x) => x.runs[k]))),
    chunks: median(list.map((x) => x.chunks)),
    fromCache: median(list.map((x) => x.fromCache)),
    scripts: median(list.map((x) => x.scripts)),
    n: list.length,
  }));
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
    {
      label: '`pse-doctor analyze -` (one line piped in)',
      argv: [node, CLI, 'analyze', '-'],
      stdinFile: line,
      stdinPipe: true,
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
  // The same calls run three times in one process: what the first run costs beyond a run of code that is
  // loaded and has run before.
  const repeatCalls = [
    { label: '`analyze -` (one pasted line)', argv: ['analyze', '-'], stdinFile: line },
    { label: '`explain WSS040`', argv: ['explain', 'WSS040'] },
    { label: '`analyze examples/dev_icm`', argv: ['analyze', join(ROOT, 'examples', 'dev_icm')] },
    { label: '`analyze` 250 KiB trace', argv: ['analyze', t250] },
    { label: '`analyze` 1 MiB trace', argv: ['analyze', t1m] },
  ];
  const repeatRounds = Math.max(3, Math.ceil(rounds / 2));
  log(`start-up: ${repeatRounds} rounds of ${repeatCalls.length} calls run three times in one process`);
  const repeats = repeatedInProcess(repeatCalls, repeatRounds);
  const msOf = (v) => (v === undefined ? '–' : `${v.toFixed(1)} ms`);
  const repeatRows = repeatCalls.map((c, i) => {
    const x = repeats[i];
    return [
      c.label,
      msOf(x.entry),
      msOf(x.runs[0]),
      msOf(x.runs[1]),
      msOf(x.runs[2]),
      x.runs[0] === undefined || x.runs[2] === undefined ? '–' : msOf(x.runs[0] - x.runs[2]),
      x.chunks === undefined
        ? '–'
        : `${x.chunks} in ${x.scripts} script${x.scripts === 1 ? '' : 's'} (${x.fromCache} from the cache)`,
    ];
  });
  const markdown = [
    `Each command ran ${rounds} times as a child process, interleaved with the others (after one warm-up`,
    'run each); wall time is spawn to exit, CPU is user + system of the child (read by the child itself at',
    'exit, see `bench/lib/cpu-at-exit.cjs`). The targets are judged on wall time; on a busy machine the CPU',
    'column, which waiting for a core does not inflate, is the steadier one. The real trace is',
    '`examples/dev_icm`; the 250 KiB and 1 MiB traces are generated (`bench/analyze/generate.mjs`, a failure',
    'block about every 64 KiB among routine lines). Output goes to a pipe (terminal text). The pasted line',
    'is standard input redirected from a file (`< line.txt`), and in the next row written through a pipe',
    '(`pbpaste | …`, `echo … |`), which the CLI reads through process.stdin (a pipe costs some 6 ms of CPU',
    'more; reading it with plain descriptor reads, as a file is, loaded 29 fewer modules and measured no',
    'faster on 2026-12-07, so it was not kept).',
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
    '',
    '### The same call three times in one process',
    '',
    `Where a row's time over \`node -e 0\` goes: a child loads the bundled CLI as \`bin/pse-doctor.js\` does and`,
    'runs the same call three times in that process, output dropped (medians of',
    `${repeatRounds} children per call, interleaved). The first run loads and compiles the code the call needs (from`,
    "the code cache), runs each function for the first time (V8's interpreter, no type feedback yet) and pays",
    'the first young-generation collections; by the third run the code is loaded and has run, so what is left',
    'is the work of the analysis itself, still mostly not optimised. The difference of the two is what a',
    'fresh process pays on top of that work; the CLI entry (the first column) is loaded before any run. A',
    'script is a group file of chunks or a chunk compiled from its own file (README, "Development").',
    '',
    table(
      [
        'call',
        'load the CLI entry',
        '1st run',
        '2nd run',
        '3rd run',
        '1st − 3rd',
        'chunks loaded by the 1st run',
      ],
      repeatRows,
      'lrrrrrl',
    ),
  ].join('\n');
  return { markdown, summary, startup: stats[2].wall, floor };
}
