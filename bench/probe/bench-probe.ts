/**
 * @module Benchmark: probes per second (and handshakes per second) of `probeEndpoint` + diagnosis against a
 * local TLS server, beside `openssl s_client` doing the same six checks per probe (SNI, no SNI, TLS 1.0,
 * 1.1, 1.2, 1.3), in one run at the same concurrency. Measured, never asserted.
 *
 *   node --expose-gc --import tsx bench/probe/bench-probe.ts [--probes 1000] [--concurrency 8] [--openssl-probes 100] [--write-docs]
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrustList } from '../../src/model/certificate.js';
import { describeCertificate, parseCertificate } from '../../src/pki/certificate-info.js';
import { probeEndpoint } from '../../src/probe/probe.js';
import { buildProbeReport } from '../../src/probe/probe-report.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const PROBES = arg('probes', 1000);
const CONCURRENCY = arg('concurrency', 8);
const OPENSSL_PROBES = arg('openssl-probes', 100);
const HOST = 'api.example.test';

async function startServer(): Promise<{ port: number; rootPem: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'server.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`benchmark server exited (${code})`)));
  });
  const { port, root: rootPem } = JSON.parse(line) as { port: number; root: string };
  return { port, rootPem, stop: () => child.kill('SIGTERM') };
}

async function pool<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Run {
  probes: number;
  handshakes: number;
  seconds: number;
  p50: number;
  p95: number;
  failures: number;
}

async function benchPseDoctor(port: number, trust: TrustList): Promise<Run> {
  let handshakes = 0;
  let failures = 0;
  const started = performance.now();
  const latencies = await pool(PROBES, CONCURRENCY, async () => {
    const t0 = performance.now();
    const { result } = await probeEndpoint(
      { host: HOST, port, path: '/', isIp: false, address: '127.0.0.1' },
      { timeoutMs: 5000 },
    );
    const { report } = buildProbeReport({ result, trust });
    handshakes += 1 + (result.sniCompare ? 1 : 0) + result.attempts.length;
    if (report.findings.some((f) => f.severity === 'error')) failures++;
    return performance.now() - t0;
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    probes: PROBES,
    handshakes,
    seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    failures,
  };
}

/** The same six checks with the openssl CLI: one s_client process per handshake. */
const OPENSSL_CHECKS: string[][] = [
  ['-servername', HOST],
  ['-noservername'],
  ['-servername', HOST, '-tls1', '-cipher', 'DEFAULT@SECLEVEL=0'],
  ['-servername', HOST, '-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0'],
  ['-servername', HOST, '-tls1_2'],
  ['-servername', HOST, '-tls1_3'],
];

function runOpenssl(port: number, extra: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-showcerts', ...extra], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(127));
  });
}

async function benchOpenssl(port: number): Promise<Run> {
  let handshakes = 0;
  const started = performance.now();
  const latencies = await pool(OPENSSL_PROBES, CONCURRENCY, async () => {
    const t0 = performance.now();
    for (const check of OPENSSL_CHECKS) {
      await runOpenssl(port, check);
      handshakes++;
    }
    return performance.now() - t0;
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    probes: OPENSSL_PROBES,
    handshakes,
    seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    failures: 0,
  };
}

function row(name: string, r: Run): string {
  return `| ${name} | ${r.probes} | ${r.handshakes} | ${r.seconds.toFixed(2)} | ${(r.probes / r.seconds).toFixed(1)} | ${(r.handshakes / r.seconds).toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`;
}

async function main(): Promise<void> {
  const server = await startServer();
  try {
    const trust: TrustList = {
      storeKind: 'sap-pse',
      basename: 'SAPSSLA.pse',
      certificates: [describeCertificate(parseCertificate(server.rootPem))],
    };
    // Warm up (root store index, JIT) outside the measurement.
    await benchWarmup(server.port, trust);
    const load = loadavg()[0] ?? 0;
    const heapBefore = settledHeap();
    const ours = await benchPseDoctor(server.port, trust);
    const heapAfter = settledHeap();
    const openssl = await benchOpenssl(server.port);
    const version = execFileSync('openssl', ['version']).toString().trim();
    const lines = [
      '## probe',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`node --expose-gc --import tsx bench/probe/bench-probe.ts --probes ${PROBES} --concurrency ${CONCURRENCY} --openssl-probes ${OPENSSL_PROBES}\``,
      `on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'} (1-minute load average ${load.toFixed(1)} at the start: the machine is shared),`,
      `Node ${process.versions.node} (OpenSSL ${process.versions.openssl}), ${version}.`,
      'One probe = the same six checks against a local Node TLS server in its own process (TLS 1.2–1.3, RSA 2048',
      'chain, SNI virtual host): SNI, no SNI, TLS 1.0, 1.1, 1.2, 1.3. pse-doctor needs five handshakes for them (its',
      'main handshake already proves TLS 1.3), parses every server flight (chain as sent; TLS 1.3 decrypted), judges',
      'the chain under two profiles and builds the Report; `openssl s_client` starts one process per check',
      '(`-showcerts`). Both run at the same concurrency, one after the other, in one run.',
      '',
      '| tool | probes | handshakes | seconds | probes/s | handshakes/s | probe p50 ms | probe p95 ms |',
      '|---|---|---|---|---|---|---|---|',
      row('pse-doctor probe (in-process)', ours),
      row('openssl s_client loop', openssl),
      '',
      `pse-doctor: ${ours.failures} of ${ours.probes} probes reported an error finding (expected 0); heap after GC ${heapBefore} → ${heapAfter} MiB.`,
      'Figures are from a shared 2-core machine; compare the ratio, not the absolute numbers.',
      '',
    ];
    const section = lines.join('\n');
    process.stdout.write(`${section}\n`);
    if (process.argv.includes('--write-docs')) writeSection(section);
  } finally {
    server.stop();
  }
}

/** Heap in MiB after a forced GC when `--expose-gc` is on; otherwise the plain heap figure. */
function settledHeap(): string {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const mib = (process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1);
  return gc ? mib : `${mib} (no --expose-gc)`;
}

async function benchWarmup(port: number, trust: TrustList): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const { result } = await probeEndpoint(
      { host: HOST, port, path: '/', isIp: false, address: '127.0.0.1' },
      { timeoutMs: 5000 },
    );
    buildProbeReport({ result, trust });
  }
}

/** Replace (or append) the `## probe` section of docs/benchmarks.md, keeping every other section. */
function writeSection(section: string): void {
  const path = join(root, 'docs', 'benchmarks.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\n';
  const start = current.search(/^## probe\s*$/m);
  let next: string;
  if (start < 0) next = `${current.replace(/\s*$/, '\n\n')}${section}`;
  else {
    const after = current.slice(start + 1).search(/^## /m);
    const end = after < 0 ? current.length : start + 1 + after;
    next = `${current.slice(0, start)}${section}\n${current.slice(end)}`.replace(/\n{3,}/g, '\n\n');
  }
  writeFileSync(path, next.endsWith('\n') ? next : `${next}\n`);
}

await main();
