#!/usr/bin/env node
/**
 * @module Benchmark of `pse-doctor pse <folder>` on a generated sec folder of 200 PSE files, run as a process.
 *
 * node bench/pse/run.mjs [--count 200] [--runs 5] [--dir <tmp>] [--no-build] [--no-write] [--keep]
 *
 * Generates the folder with the test PSE writer (bench/pse/generate.ts), compiles the sources to
 * bench/out/dist (what bin/pse-doctor.js runs after `npm run build`), then runs `pse <folder>` (text) and
 * `pse <folder> --json` `--runs` times each as child processes: wall time, CPU time of the child (user +
 * system, reported by the child at exit) and peak RSS (VmHWM). Results go to docs/benchmarks.md (## pse).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'bench', 'out');
const NOW = '2026-01-15T12:00:00Z';

function parseArgs(argv) {
  const opts = {
    count: 200,
    runs: 5,
    dir: join(tmpdir(), 'pse-doctor-bench-pse'),
    build: true,
    write: true,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--count') opts.count = Number(argv[++i]);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--dir') opts.dir = argv[++i];
    else if (a === '--no-build') opts.build = false;
    else if (a === '--no-write') opts.write = false;
    else if (a === '--keep') opts.keep = true;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

function readHwmKiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Run one command; resolves to wall seconds, child CPU seconds, peak RSS (KiB) and output size. */
function measure(argv) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PSE_BENCH_CPU: '1' },
    });
    let bytes = 0;
    let stderr = '';
    let hwm = 0;
    child.stdout.on('data', (d) => {
      bytes += d.length;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setInterval(() => {
      hwm = Math.max(hwm, readHwmKiB(child.pid));
    }, 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = /"cpuMs":([\d.]+)/.exec(stderr);
      // Exit 0/1 are results (1 = findings); 2 would be an input error.
      if (code !== 0 && code !== 1) reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ seconds, cpu: cpu ? Number(cpu[1]) / 1000 : Number.NaN, hwmKiB: hwm, bytes });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function writeSection(markdown) {
  const path = join(ROOT, 'docs', 'benchmarks.md');
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  const old = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmarks\n\nMeasured, never asserted in tests. Each section says how to reproduce it.\n';
  const start = old.search(/^## pse\s*$/m);
  if (start >= 0) {
    const after = old.slice(start + 1).search(/^## /m);
    const next = after >= 0 ? start + 1 + after : old.length;
    writeFileSync(
      path,
      `${old.slice(0, start)}${markdown}\n${old.slice(next).replace(/^\n+/, '\n')}`.replace(
        /\n{3,}/g,
        '\n\n',
      ),
    );
  } else {
    writeFileSync(path, `${old.replace(/\n*$/, '\n\n')}${markdown}\n`);
  }
  // Keep the file as the formatter wants it (tables padded), so `npm run lint` stays clean.
  const biome = join(ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  if (existsSync(biome))
    spawnSync(process.execPath, [biome, 'format', '--write', path], { cwd: ROOT, stdio: 'ignore' });
  return path;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  rmSync(opts.dir, { recursive: true, force: true });
  process.stderr.write(`generating ${opts.count} PSE files in ${opts.dir} …\n`);
  const gen = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/pse/generate.ts', opts.dir, String(opts.count)],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (gen.status !== 0) throw new Error(`generate failed: ${gen.stderr}`);
  const folder = JSON.parse(gen.stdout.trim().split('\n').pop());

  if (opts.build || !existsSync(join(OUT, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('compiling to bench/out/dist …\n');
    // Type errors elsewhere in a work tree must not stop the measurement: tsc still emits.
    spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        join(OUT, 'dist'),
      ],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    );
  }
  const entry = join(OUT, 'pse-doctor.mjs');
  writeFileSync(
    entry,
    [
      "import { main } from './dist/cli/main.js';",
      "process.on('exit', () => {",
      '  if (!process.env.PSE_BENCH_CPU) return;',
      '  const u = process.cpuUsage();',
      "  process.stderr.write(JSON.stringify({ cpuMs: (u.user + u.system) / 1000 }) + '\\n');",
      '});',
      'main();',
      '',
    ].join('\n'),
  );

  const commands = {
    text: [process.execPath, entry, 'pse', opts.dir, '--now', NOW],
    json: [process.execPath, entry, 'pse', opts.dir, '--json', '--now', NOW],
  };
  await measure(commands.text); // warm the page cache and the compile cache
  const results = { text: [], json: [] };
  for (let i = 0; i < opts.runs; i++) {
    for (const kind of ['text', 'json']) {
      const r = await measure(commands[kind]);
      results[kind].push(r);
      process.stderr.write(
        `run ${i + 1} ${kind}: ${r.seconds.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU\n`,
      );
    }
  }
  const load = loadavg()[0] ?? 0;
  const row = (kind, label) => {
    const rs = results[kind];
    const wall = median(rs.map((r) => r.seconds));
    const cpu = median(rs.map((r) => r.cpu));
    const rss = Math.max(...rs.map((r) => r.hwmKiB)) / 1024;
    const out = median(rs.map((r) => r.bytes)) / 1024;
    return `| \`${label}\` | ${wall.toFixed(2)} s | ${Math.min(...rs.map((r) => r.seconds)).toFixed(2)} s | ${cpu.toFixed(2)} s | ${rss.toFixed(0)} MB | ${out.toFixed(0)} KiB |`;
  };
  const lines = [
    '## pse',
    '',
    `Reproduce: \`node bench/pse/run.mjs --count ${opts.count} --runs ${opts.runs}\` (generates the folder with the test PSE writer, compiles to bench/out/dist, runs each command ${opts.runs}× as a child process after one warm-up run; wall and CPU are medians, CPU is the child's user + system time, peak RSS is VmHWM).`,
    '',
    `Input: a generated sec folder of ${folder.files} PSE files (${(folder.bytes / 1024 / 1024).toFixed(1)} MiB; v2 and v4, no PIN, each with own certificate, FCPath, PKRoot and a trust list of 5–60 CAs drawn from a pool of 48, ${folder.certificates} certificate entries in all), named like a real sec folder (SAPSSLA/C/S, SAPSNCS, SAPSYS, SAPSSLS_<port>, SAPSSL<ID>, SAPSSF…).`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, measured ${new Date().toISOString().slice(0, 10)}, 1-minute load average ${load.toFixed(1)} (other work shared the cores: wall time includes waiting for a core; CPU time is what the command itself used).`,
    '',
    '| command | wall (median) | wall (best) | CPU (median) | peak RSS | output |',
    '|---|---:|---:|---:|---:|---:|',
    row('text', `pse-doctor pse <folder>`),
    row('json', `pse-doctor pse <folder> --json`),
    '',
    'Target: under 2 s for 200 PSEs. How: the PSE reader frames DER lazily with a bounded walker (key',
    'objects are never opened, certificates are only framed to check their shape), and certificates are',
    'described (parsed by @peculiar/x509) once per distinct DER per process — a sec folder repeats the same',
    'CAs in every PSE. The process start (loading the command, rules and x509 library) is part of the time.',
  ];
  const md = lines.join('\n');
  process.stdout.write(`${md}\n`);
  if (opts.write) process.stderr.write(`written to ${writeSection(md)}\n`);
  if (!opts.keep) rmSync(opts.dir, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
