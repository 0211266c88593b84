/**
 * @module Shared benchmark helpers: run a command as a child process measuring wall time, CPU time and
 * peak memory; interleaved rounds; medians; the machine and its load; Markdown tables.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI, as users run it. */
export const CLI = join(ROOT, 'bin', 'pse-doctor.js');
const TIME = '/usr/bin/time';
const CPU_PROBE = join(ROOT, 'bench', 'lib', 'cpu-at-exit.cjs');
const scratch = mkdtempSync(join(tmpdir(), 'pse-doctor-bench-time-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/**
 * Run `argv` once. Wall time is taken here (spawn to exit); CPU time (user + system) and peak RSS come
 * from /usr/bin/time when present (its own fork costs every row the same). For a Node process
 * (`argv[0]` is this Node) CPU time comes exactly from the process itself (bench/lib/cpu-at-exit.cjs,
 * preloaded) instead of /usr/bin/time's 10 ms steps, with its minor page faults. Resolves to
 * { wall, cpu, faults, rssKiB, code, stdout } (stdout capped at 1 MiB; faults for Node processes only).
 * `stdinFile` is the standard input: the file itself, or with `stdinPipe` its bytes through a pipe.
 */
export function runOnce(argv, { stdinFile, stdinPipe = false, env, okCodes = [0, 1] } = {}) {
  const timeFile = join(scratch, 'time.txt');
  const cpuFile = join(scratch, 'cpu.txt');
  const timed = existsSync(TIME);
  const isNode = argv[0] === process.execPath;
  if (isNode) rmSync(cpuFile, { force: true });
  const probed = isNode ? [argv[0], '--require', CPU_PROBE, ...argv.slice(1)] : argv;
  const full = timed ? [TIME, '-o', timeFile, '-f', '%U %S %M', ...probed] : probed;
  return new Promise((resolve, reject) => {
    // A file given as standard input (`< file`), or its bytes written into a pipe (`cat file |`).
    const stdin = stdinFile ? (stdinPipe ? 'pipe' : openSync(stdinFile, 'r')) : 'ignore';
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), {
      cwd: ROOT,
      stdio: [stdin, 'pipe', 'pipe'],
      env: { ...process.env, ...env, ...(isNode ? { PSE_DOCTOR_BENCH_CPU_FILE: cpuFile } : {}) },
    });
    if (stdinPipe && stdinFile) child.stdin.end(readFileSync(stdinFile));
    const out = [];
    let outBytes = 0;
    let stderr = '';
    child.stdout.on('data', (d) => {
      if (outBytes < 1 << 20) out.push(d);
      outBytes += d.length;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      let cpu;
      let faults;
      let rssKiB;
      if (timed) {
        const m = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(readFileSync(timeFile, 'utf8'));
        if (m) {
          cpu = Number(m[1]) + Number(m[2]);
          rssKiB = Number(m[3]);
        }
      }
      if (isNode && existsSync(cpuFile)) {
        const [us, pages] = readFileSync(cpuFile, 'utf8').trim().split(' ').map(Number);
        cpu = us / 1e6;
        faults = pages;
      }
      if (!okCodes.includes(code)) {
        reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.slice(-800)}`));
        return;
      }
      resolve({ wall, cpu, faults, rssKiB, code, stdout: Buffer.concat(out).toString('utf8'), outBytes });
    });
  });
}

/**
 * Run every command `rounds` times, interleaved (round k runs all commands, starting at a different one
 * each round so none always runs first), after one untimed warm-up run each. Returns one array of
 * samples per command, in the order given.
 */
export async function interleaved(commands, rounds, { warmup = 1, onRound } = {}) {
  for (let w = 0; w < warmup; w++) for (const c of commands) await runOnce(c.argv, c);
  const samples = commands.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < commands.length; k++) {
      const i = (k + r) % commands.length;
      samples[i].push(await runOnce(commands[i].argv, commands[i]));
    }
    onRound?.(r);
  }
  return samples;
}

export function median(values) {
  const v = values.filter((x) => x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)];
}

/** Median wall, CPU and page faults, and peak RSS of a sample list. */
export function summarize(samples) {
  return {
    wall: median(samples.map((s) => s.wall)),
    min: Math.min(...samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    // Whole pages (the median of an even count may fall between two).
    faults: ((m) => (m === undefined ? undefined : Math.round(m)))(median(samples.map((s) => s.faults))),
    rssKiB: Math.max(...samples.map((s) => s.rssKiB ?? 0)) || undefined,
    runs: samples.length,
  };
}

/** The 1-, 5- and 15-minute load averages as /proc/loadavg says now. */
export function readLoad() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

function firstLine(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')[0]
      .trim();
  } catch {
    return 'not found';
  }
}

/** What the numbers were measured on. */
export function machine() {
  const c = cpus();
  return {
    cpu: `${c.length} × ${c[0]?.model ?? 'unknown CPU'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node: process.version,
    os: firstLine('uname', ['-srm']),
    grep: firstLine('grep', ['--version']),
    openssl: firstLine('openssl', ['version']),
  };
}

export const ms = (s) => (s === undefined ? '–' : `${(s * 1000).toFixed(0)} ms`);
export const sec = (s) => (s === undefined ? '–' : `${s.toFixed(2)} s`);
export const mib = (kib) => (kib === undefined ? '–' : `${(kib / 1024).toFixed(0)} MiB`);

/** A Markdown table; `align` is a string of l/r per column. */
export function table(headers, rows, align) {
  const a = align ?? headers.map(() => 'l').join('');
  const sep = headers.map((_, i) => (a[i] === 'r' ? '---:' : '---'));
  return [headers, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** `met` / `NOT met` for a target check. */
export const verdict = (ok) => (ok ? 'met' : '**not met**');

/** Log progress to stderr (stdout stays clean). */
export function log(...parts) {
  process.stderr.write(`${parts.join(' ')}\n`);
}
