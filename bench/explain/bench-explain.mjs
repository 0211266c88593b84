#!/usr/bin/env node
/**
 * @module Benchmark of `pse-doctor explain`: cold start as a process beside `node -e 0` (interleaved runs,
 * median/p95), and in-process lookup/search latency in µs per call. Writes the `## explain` section of
 * docs/benchmarks.md (other sections are kept). Needs `npm run build` first. Not part of `npm test`.
 *
 * Usage: node bench/explain/bench-explain.mjs [--runs 40] [--no-write]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 40;
const write = !args.includes('--no-write');

if (
  !existsSync(join(root, 'dist', 'cli', 'main.js')) ||
  !existsSync(join(root, 'dist', 'kb', 'index.json'))
) {
  console.error('dist/ is missing or incomplete: run "npm run build" first.');
  process.exit(2);
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
  return {
    n: s.length,
    min: s[0],
    median: at(0.5),
    p95: at(0.95),
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

function timeProcess(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

// Cold start: interleave the variants so load changes on a shared machine hit all of them alike.
const variants = {
  'node -e 0': ['-e', '0'],
  'explain WSS040': ['bin/pse-doctor.js', 'explain', 'WSS040'],
  'explain "peer not trusted"': ['bin/pse-doctor.js', 'explain', 'peer not trusted'],
  'pse-doctor --version': ['bin/pse-doctor.js', '--version'],
};
const cold = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const argv of Object.values(variants)) timeProcess(argv); // warm the file-system cache
for (let i = 0; i < runs; i++) {
  for (const [name, argv] of Object.entries(variants)) cold[name].push(timeProcess(argv));
}

// In-process latency.
const kbModule = await import(pathToFileURL(join(root, 'dist', 'kb', 'index.js')).href);
const t0 = process.hrtime.bigint();
const kb = kbModule.loadKnowledgeBase();
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
const t1 = process.hrtime.bigint();
kb.lookup('peer not trusted');
const firstSearchMs = Number(process.hrtime.bigint() - t1) / 1e6;

const queries = {
  'exact id (WSS040)': ['WSS040'],
  'alias forms (wss 040, SCLNT_HTTP407, -102, (- 102))': ['wss 040', 'SCLNT_HTTP407', '-102', '(- 102)'],
  'parameter / transaction': ['icm/HTTPS/client_sni_enabled', 'STRUST'],
  'pasted message naming a code': [
    'Error: HTTP error 407 occured: SSL handshake with github.com:443 failed: SSSLERR_SSL_READ (-58)',
  ],
  'free text (SAP texts)': [
    "Peer's X.509 certificate (chain) validation failed (missing trust?)",
    'Remote Peer has closed the network connection',
    'No credentials were supplied',
  ],
  'free text with typos': ['peer not trusetd', 'handshake faliure', 'remote peer closd the conection'],
  'unknown (suggestions)': ['WSS041', 'frobnicate the widget'],
};
const inproc = {};
for (const [label, qs] of Object.entries(queries)) {
  for (let i = 0; i < 200; i++) for (const q of qs) kb.lookup(q);
  const samples = [];
  for (let i = 0; i < 2000; i++) {
    const q = qs[i % qs.length];
    const s = process.hrtime.bigint();
    kb.lookup(q);
    samples.push(Number(process.hrtime.bigint() - s) / 1e3);
  }
  inproc[label] = stats(samples);
}

const f1 = (x) => x.toFixed(1);
const base = stats(cold['node -e 0']);
const coldRows = Object.entries(cold).map(([name, s]) => {
  const st = stats(s);
  const extra = name === 'node -e 0' ? '—' : `+${f1(st.median - base.median)}`;
  return `| \`${name}\` | ${f1(st.median)} | ${f1(st.p95)} | ${f1(st.min)} | ${extra} |`;
});
const inRows = Object.entries(inproc).map(
  ([label, st]) => `| ${label} | ${f1(st.median)} | ${f1(st.p95)} | ${f1(st.mean)} |`,
);
const cpu = cpus();
const section = `## explain

Measured by \`node bench/explain/bench-explain.mjs\` (${runs} interleaved runs per variant) on
${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'},
load average ${loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ')} at the end (the machine is shared, so compare rows
with each other, not with other machines).

Cold start as a process (ms, wall clock, spawn to exit):

| command | median | p95 | min | median over \`node -e 0\` |
|---|---|---|---|---|
${coldRows.join('\n')}

In-process (\`lookup()\` from \`dist/kb\`, µs per call after warm-up, 2000 calls each):

| query | median µs | p95 µs | mean µs |
|---|---|---|---|
${inRows.join('\n')}

Loading the knowledge base (${kb.entries.length} entries, \`dist/kb/index.json\`) took ${f1(loadMs)} ms; the first text
search, which also reads \`dist/kb/search.json\`, took ${f1(firstSearchMs)} ms. Commands are registered lazily
(\`src/cli/commands/lazy-command.ts\`), so \`explain\` does not import analyze, probe or serve.
`;

console.log(section);
if (write) {
  const file = join(root, 'docs', 'benchmarks.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = current.search(/^## explain\s*$/m);
  let next;
  if (start < 0) next = `${current.trimEnd()}\n\n${section}`;
  else {
    const after = current.slice(start + 1).search(/^## /m);
    const end = after < 0 ? current.length : start + 1 + after;
    next = `${current.slice(0, start)}${section}${after < 0 ? '' : `\n${current.slice(end)}`}`;
  }
  writeFileSync(file, `${next.trimEnd()}\n`);
  console.log(`written to ${file}`);
}
