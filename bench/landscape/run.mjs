#!/usr/bin/env node
/**
 * @module Benchmark of `pse-doctor landscape`: 4,800 PSEs (100 systems × 6 instances × 8 PSEs) read and
 * judged, and 500 targets probed with bounded concurrency and per-target timeouts beside an `openssl
 * s_client` loop. Writes docs/benchmarks-landscape.md (linked from docs/benchmarks.md).
 *
 * node bench/landscape/run.mjs [--systems 100] [--instances 6] [--runs 3] [--targets 500] [--silent 20]
 *                              [--concurrency 32] [--timeout 2000] [--openssl 100] [--no-build] [--no-write]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'bench', 'out');
const NOW = '2026-12-05T12:00:00Z';

function parseArgs(argv) {
  const o = {
    systems: 100,
    instances: 6,
    runs: 3,
    targets: 500,
    silent: 20,
    concurrency: 32,
    timeout: 2000,
    openssl: 100,
    build: true,
    write: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const key = a.replace(/^--/, '');
    if (a === '--no-build') o.build = false;
    else if (a === '--no-write') o.write = false;
    else if (key in o) o[key] = Number(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

function hwmKiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Run one command: wall seconds, child CPU seconds (reported at exit), peak RSS (KiB), stdout size. */
function measure(argv, cwd = ROOT) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
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
      hwm = Math.max(hwm, hwmKiB(child.pid));
    }, 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      hwm = Math.max(hwm, hwmKiB(child.pid));
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = /"cpuMs":([\d.]+)/.exec(stderr);
      const peak = /"hwmKiB":(\d+)/.exec(stderr);
      if (code !== 0 && code !== 1) reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`));
      else
        resolve({
          seconds,
          cpu: cpu ? Number(cpu[1]) / 1000 : Number.NaN,
          hwmKiB: Math.max(hwm, peak ? Number(peak[1]) : 0),
          bytes,
        });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function build() {
  process.stderr.write('compiling to bench/out/dist …\n');
  spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      join(OUT, 'dist'),
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
}

function entryFile() {
  const entry = join(OUT, 'pse-doctor.mjs');
  mkdirSync(OUT, { recursive: true });
  writeFileSync(
    entry,
    [
      "import { main } from './dist/cli/main.js';",
      "import { readFileSync } from 'node:fs';",
      "process.on('exit', () => {",
      '  if (!process.env.PSE_BENCH_CPU) return;',
      '  const u = process.cpuUsage();',
      "  const m = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));",
      "  process.stderr.write(JSON.stringify({ cpuMs: (u.user + u.system) / 1000, hwmKiB: m ? Number(m[1]) : 0 }) + '\\n');",
      '});',
      'main();',
      '',
    ].join('\n'),
  );
  return entry;
}

async function startServers(n, silent) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/landscape/servers.ts', String(n), String(silent)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  return { child, ...JSON.parse(line) };
}

function opensslLoop(ports) {
  const t0 = process.hrtime.bigint();
  let ok = 0;
  for (const port of ports) {
    const r = spawnSync(
      'timeout',
      ['5', 'openssl', 's_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-showcerts'],
      { input: '', encoding: 'utf8' },
    );
    if (/BEGIN CERTIFICATE/.test(r.stdout)) ok++;
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, ok };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const work = join(tmpdir(), 'pse-doctor-bench-landscape');
  rmSync(work, { recursive: true, force: true });
  const collected = join(work, 'collected');
  process.stderr.write(`generating ${o.systems} × ${o.instances} × 8 PSEs in ${collected} …\n`);
  const gen = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/landscape/generate.ts', collected, String(o.systems), String(o.instances)],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (gen.status !== 0) throw new Error(`generate failed: ${gen.stderr}`);
  const info = JSON.parse(gen.stdout.trim().split('\n').pop());
  if (o.build || !existsSync(join(OUT, 'dist', 'cli', 'main.js'))) build();
  const entry = entryFile();
  const taskset = existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', '0,1'] : [];
  const cmd = (extra) => [
    ...taskset,
    process.execPath,
    entry,
    'landscape',
    collected,
    '--no-store',
    '--now',
    NOW,
    ...extra,
  ];
  await measure(cmd(['--json']));
  const runs = { text: [], json: [] };
  for (let i = 0; i < o.runs; i++) {
    for (const kind of ['text', 'json']) {
      const r = await measure(cmd(kind === 'json' ? ['--json'] : []));
      runs[kind].push(r);
      process.stderr.write(
        `read+judge ${kind} run ${i + 1}: ${r.seconds.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU, ${(r.hwmKiB / 1024).toFixed(0)} MB peak\n`,
      );
    }
  }

  // Probing: targets over distinct local endpoints (some silent, to hit the per-target time limit).
  const live = o.targets - o.silent;
  const servers = await startServers(live, o.silent);
  const small = join(work, 'probe');
  const sec = join(small, 'collected', 'P01', 'D00', 'sec');
  mkdirSync(sec, { recursive: true });
  // A PSE trusting the servers' root (written with the test writer through tsx).
  const pseGen = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import { writePse } from './test/pse-writer/index.ts'; import { parseCertificate } from './src/pki/certificate-info.ts'; import { writeFileSync } from 'node:fs'; const der = Buffer.from(parseCertificate(${JSON.stringify(servers.root)}).rawData); writeFileSync(${JSON.stringify(join(sec, 'SAPSSLC.pse'))}, writePse({ version: 4, iterations: 1, trusted: [der] }));`,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (pseGen.status !== 0) throw new Error(`PSE for the probe bench failed: ${pseGen.stderr}`);
  const lines = [
    'SID,host,port,PSE',
    ...servers.ports.map((p) => `P01,localhost,${p},SAPSSLC.pse`),
    ...servers.silent.map((p) => `P01,127.0.0.1,${p},SAPSSLC.pse`),
  ];
  writeFileSync(join(small, 'targets.csv'), `${lines.join('\n')}\n`);
  const probeCmd = [
    ...taskset,
    process.execPath,
    entry,
    'landscape',
    'collected',
    '--no-store',
    '--now',
    NOW,
    '--targets',
    'targets.csv',
    '--probe',
    '--concurrency',
    String(o.concurrency),
    '--timeout',
    String(o.timeout),
    '--json',
  ];
  const probe = await measure(probeCmd, small);
  const probeOut = spawnSync(probeCmd[0], probeCmd.slice(1), {
    cwd: small,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const report = JSON.parse(probeOut.stdout);
  const verdicts = {};
  for (const t of report.landscape.targets)
    verdicts[t.probe?.verdict ?? 'none'] = (verdicts[t.probe?.verdict ?? 'none'] ?? 0) + 1;
  process.stderr.write(
    `probe: ${o.targets} targets in ${probe.seconds.toFixed(2)} s (${JSON.stringify(verdicts)})\n`,
  );
  const ossl = opensslLoop(servers.ports.slice(0, o.openssl));
  process.stderr.write(
    `openssl s_client loop: ${ossl.ok}/${Math.min(o.openssl, servers.ports.length)} in ${ossl.seconds.toFixed(2)} s\n`,
  );
  servers.child.kill('SIGTERM');

  const row = (kind, label) => {
    const rs = runs[kind];
    return `| \`${label}\` | ${median(rs.map((r) => r.seconds)).toFixed(2)} s | ${Math.min(...rs.map((r) => r.seconds)).toFixed(2)} s | ${median(rs.map((r) => r.cpu)).toFixed(2)} s | ${(Math.max(...rs.map((r) => r.hwmKiB)) / 1024).toFixed(0)} MB | ${median(rs.map((r) => r.bytes)) < 100 * 1024 ? '< 0.1' : (median(rs.map((r) => r.bytes)) / 1024 / 1024).toFixed(1)} MiB |`;
  };
  const osslN = Math.min(o.openssl, servers.ports.length);
  const md = [
    '# Benchmarks: landscape',
    '',
    'Written by `node bench/landscape/run.mjs` (this page only; [benchmarks.md](benchmarks.md) links here). Measured, never asserted in tests.',
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${taskset.length ? 'pinned to two cores (taskset -c 0,1), ' : ''}measured ${new Date().toISOString().slice(0, 10)}, 1-minute load average ${(loadavg()[0] ?? 0).toFixed(1)} (the cores are shared with other work: wall time includes waiting; CPU time is the command's own).`,
    '',
    '## Read and judge',
    '',
    `Input: ${info.files} PSE files (${o.systems} systems × ${o.instances} instances × 8 PSEs; ${(info.bytes / 1024 / 1024).toFixed(1)} MiB, ${info.certificates} certificate entries; v4 without PIN, own certificate + FCPath + PKRoot + 10–40 trusted CAs from a pool of 48; one instance in ten carries an extra CA, so drift findings appear). Each command ran ${o.runs}× after one warm-up; wall and CPU are medians, peak RSS is the largest VmHWM.`,
    '',
    '| command | wall (median) | wall (best) | CPU (median) | peak RSS | output |',
    '|---|---:|---:|---:|---:|---:|',
    row('text', 'pse-doctor landscape <4,800 PSEs>'),
    row('json', 'pse-doctor landscape <4,800 PSEs> --json'),
    '',
    'Target: under 20 s on two cores with bounded memory.',
    '',
    '## Probe',
    '',
    `${o.targets} targets (${live} local TLS servers, one port each, and ${o.silent} that accept and never answer), \`--probe --concurrency ${o.concurrency} --timeout ${o.timeout}\`: one handshake per distinct endpoint, TLS 1.2–1.3 with SNI as the ICM makes it, chain judged against the PSE of the call.`,
    '',
    '| what | targets | wall | rate | result |',
    '|---|---:|---:|---:|---|',
    `| \`pse-doctor landscape … --targets --probe\` (whole run: read, probe, judge) | ${o.targets} | ${probe.seconds.toFixed(2)} s | ${(o.targets / probe.seconds).toFixed(0)} /s | ${Object.entries(
      verdicts,
    )
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}; peak RSS ${(probe.hwmKiB / 1024).toFixed(0)} MB |`,
    `| \`openssl s_client -connect … -servername localhost\` loop, one after another | ${osslN} | ${ossl.seconds.toFixed(2)} s | ${(osslN / ossl.seconds).toFixed(0)} /s | ${ossl.ok} chains received |`,
    '',
    `The silent endpoints bound the run from below: with ${o.concurrency} at a time, each holds a slot for the ${o.timeout} ms limit. The openssl loop is sequential, as such monitoring scripts usually are, and skips the silent endpoints (each would cost its 5 s timeout).`,
    '',
  ].join('\n');
  if (o.write) {
    writeFileSync(join(ROOT, 'docs', 'benchmarks-landscape.md'), md);
    const biome = join(ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
    if (existsSync(biome))
      spawnSync(
        process.execPath,
        [biome, 'format', '--write', join(ROOT, 'docs', 'benchmarks-landscape.md')],
        { cwd: ROOT, stdio: 'ignore' },
      );
  }
  process.stdout.write(md);
  rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
