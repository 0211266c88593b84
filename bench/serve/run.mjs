#!/usr/bin/env node
/**
 * @module Load benchmark of `pse-doctor serve`: requests/s and latency percentiles of POST /api/analyze with
 * a typical trace and of GET /api/explain/:id, under bounded local load (autocannon, 127.0.0.1 only); plus
 * the server's peak memory while a large trace streams through /api/analyze.
 *
 * npm run build && node bench/serve/run.mjs [--duration 10] [--connections 8] [--stream-mb 200] [--no-write]
 *
 * Runs the built CLI (`bin/pse-doctor.js serve`) in a temporary directory on a free port. Results are
 * printed and written to docs/benchmarks.md under "## serve" (other sections are kept).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = process.env.PSE_DOCTOR_SHARED_FIXTURES ?? join(ROOT, '..', 'shared', 'fixtures');

function parseArgs(argv) {
  const opts = { duration: 10, connections: 8, streamMb: 200, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--duration') opts.duration = Number(argv[++i]);
    else if (a === '--connections') opts.connections = Number(argv[++i]);
    else if (a === '--stream-mb') opts.streamMb = Number(argv[++i]);
    else if (a === '--no-write') opts.write = false;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

/** A typical dev_icm at trace level 1–2: 256 KiB of routine lines around one real failure block. */
function typicalTrace() {
  const failure = readFileSync(join(FIXTURES, 'real', 'traces', 'trace-005.txt'), 'utf8');
  const lines = [];
  let size = 0;
  for (let i = 0; size < 256 * 1024; i++) {
    const l = `[Thr 140112939534080] Wed May 13 01:${String(i % 60).padStart(2, '0')}:55:690 2020 IcmHandleNetRead: read ${(i * 37) % 9000} bytes from conn ${i}\n`;
    lines.push(l);
    size += l.length;
    if (i === 1200) lines.push(failure);
  }
  return Buffer.from(lines.join(''));
}

function multipart(fileName, data) {
  const boundary = '----pse-doctor-bench';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${fileName}"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  return {
    body: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

async function startServer(dir) {
  const proc = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'pse-doctor.js'), 'serve', '--port', '0', '--max-upload', '2G'],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  const url = await new Promise((resolve, reject) => {
    proc.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes('Press Ctrl+C')) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  return { proc, url };
}

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function load(title, opts) {
  const result = await autocannon({ ...opts, connections: opts.connections, duration: opts.duration });
  const errors = result.errors + result.timeouts + result.non2xx;
  if (errors > 0) throw new Error(`${title}: ${errors} failed requests`);
  return {
    title,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
}

/** Sends `n` requests one after another and times each from the client (fetch until the body is read). */
async function sequential(title, n, send) {
  const times = [];
  let retries = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    let res;
    try {
      res = await send();
    } catch (err) {
      // A kept-alive socket the server closed just before reuse: retry once on a new one, and say so.
      if (err?.cause?.code !== 'UND_ERR_SOCKET') throw err;
      retries++;
      t = performance.now();
      res = await send();
    }
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${title}: HTTP ${res.status}`);
    times.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]);
  if (retries > 0)
    console.log(`${title}: ${retries} request(s) retried after the server closed an idle socket`);
  return { title, rps: Math.round(n / seconds), p50: at(0.5), p99: at(0.99), requests: n };
}

/** Streams `mb` MiB of trace lines as text/plain without holding them in the client either. */
function streamUpload(url, mb) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      `${url}/api/analyze`,
      { method: 'POST', headers: { 'Content-Type': 'text/plain' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d) => {
          body += d;
        });
        res.on('end', () => {
          if (res.statusCode !== 200)
            return reject(new Error(`stream upload: ${res.statusCode} ${body.slice(0, 200)}`));
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          resolve({ seconds, bytes: JSON.parse(body).inputs[0].bytes });
        });
      },
    );
    req.on('error', reject);
    const line = Buffer.from(
      '[Thr 140112939534080] Wed May 13 01:05:55:690 2020 IcmHandleNetRead: read 1234 bytes from conn 77\n',
    );
    const chunk = Buffer.concat(Array.from({ length: Math.floor((1024 * 1024) / line.length) }, () => line));
    let sent = 0;
    const pump = () => {
      while (sent < mb) {
        sent++;
        if (!req.write(chunk)) return req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

function writeSection(md) {
  const path = join(ROOT, 'docs', 'benchmarks.md');
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = old.search(/^## serve\s*$/m);
  let next;
  if (start < 0) next = `${old.trimEnd()}\n\n${md}`;
  else {
    const rest = old.slice(start + 1);
    const end = rest.search(/^## /m);
    next = old.slice(0, start) + md + (end < 0 ? '' : `\n${rest.slice(end)}`);
  }
  writeFileSync(path, `${next.trimEnd()}\n`);
}

const opts = parseArgs(process.argv.slice(2));
if (
  !existsSync(join(ROOT, 'dist', 'cli', 'main.js')) ||
  !existsSync(join(ROOT, 'dist', 'web', 'index.html'))
) {
  console.error('bench/serve: run "npm run build" first (it measures the built package).');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-bench-serve-'));
const { proc, url } = await startServer(dir);
try {
  const trace = typicalTrace();
  const form = multipart('dev_icm', trace);
  // Warm-up: knowledge base loaded, JIT settled.
  await load('warm-up', {
    url: `${url}/api/explain/SSSLERR_PEER_CERT_UNTRUSTED`,
    connections: 2,
    duration: 2,
  });
  // Streaming first, on a fresh server, so its peak memory is not hidden by the concurrent load below.
  const rssBefore = peakRssMb(proc.pid);
  const streamed = await streamUpload(url, opts.streamMb);
  const rssAfter = peakRssMb(proc.pid);
  const analyzeRun = await load(`POST /api/analyze, ${opts.connections} connections`, {
    url: `${url}/api/analyze`,
    method: 'POST',
    headers: { 'content-type': form.type },
    body: form.body,
    connections: opts.connections,
    duration: opts.duration,
  });
  // One request at a time, timed by the client itself: what a single analysis costs without queueing.
  const analyzeSingle = await sequential('POST /api/analyze, one at a time', 200, () =>
    fetch(`${url}/api/analyze`, { method: 'POST', headers: { 'content-type': form.type }, body: form.body }),
  );
  const explainRun = await load('GET /api/explain/:id', {
    url: `${url}/api/explain/SSSLERR_PEER_CERT_UNTRUSTED`,
    connections: opts.connections,
    duration: opts.duration,
  });
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const rows = [analyzeSingle, analyzeRun, explainRun]
    .map(
      (r) =>
        `| ${r.title} | ${r.rps} | ${r.p50 < 1 ? '< 1' : r.p50} | ${r.p99 < 1 ? '< 1' : r.p99} | ${r.requests} |`,
    )
    .join('\n');
  const md = `## serve

\`node bench/serve/run.mjs\` (after \`npm run build\`): the built \`pse-doctor serve\` (SQLite history) on
127.0.0.1, loaded by autocannon with ${opts.connections} connections for ${opts.duration} s per endpoint (plus 200
analyses sent one at a time and timed by the client: what one request costs without queueing), one
process on ${cpus().length} cores (${cpu}, shared with other work, so read the numbers as an order of magnitude).
"Typical trace": a ${Math.round(trace.length / 1024)} KiB dev_icm (routine lines around the real failure block
of fixture trace-005), uploaded as multipart/form-data; the answer is the full Report.

| request | requests/s | p50 latency (ms) | p99 latency (ms) | requests |
|---|---|---|---|---|
${rows}

Read the 8-connection latency of the POST row with care: autocannon's latency for requests with a body
does not agree with its own request rate (${opts.connections} connections at ${analyzeRun.rps}/s is about
${Math.round((opts.connections * 1000) / Math.max(1, analyzeRun.rps))} ms per request); the one-at-a-time row is
timed by the client.

Streaming (measured first, on the fresh server): a ${opts.streamMb} MiB trace of routine dev_icm lines sent as
text/plain took ${streamed.seconds.toFixed(1)} s end to end
(${(opts.streamMb / streamed.seconds).toFixed(0)} MiB/s, all ${streamed.bytes} bytes read); the server's peak
resident memory went from ${rssBefore} MiB to ${rssAfter} MiB — the upload is never held whole in memory.
`;
  console.log(md);
  if (opts.write) {
    writeSection(md);
    console.log('bench/serve: written to docs/benchmarks.md (## serve)');
  }
} finally {
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
