/**
 * @module Landscape benchmark (a section of bench/run-all.mjs): `pse-doctor landscape` on 4,800 generated PSEs
 * (100 systems × 6 instances × 8 PSEs) as text and as --json, pinned to two cores, beside `cat` of every
 * file; and 500 targets probed with bounded concurrency and a per-target time limit, beside an
 * `openssl s_client` loop over the same local servers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLI, interleaved, log, ROOT, runOnce, summarize, table, verdict } from '../lib/measure.mjs';

const NOW = '2026-12-05T12:00:00Z';
const TARGET_SECONDS = 20;

function walkBytes(dir) {
  let files = 0;
  let bytes = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      const sub = walkBytes(p);
      files += sub.files;
      bytes += sub.bytes;
    } else {
      files++;
      bytes += st.size;
    }
  }
  return { files, bytes };
}

async function startServers(n, silent) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'landscape', 'servers.ts'), String(n), String(silent)],
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

const secs = (s) => (s === undefined ? '–' : `${s.toFixed(2)} s`);
const mb = (kib) => (kib === undefined ? '–' : `${(kib / 1024).toFixed(0)} MB`);

/** Run the landscape benchmark in `dir`; returns { markdown, summary } as the other sections do. */
export async function benchLandscape({
  dir,
  rounds = 3,
  systems = 100,
  instances = 6,
  targets = 500,
  silent = 20,
  concurrency = 32,
  timeout = 2000,
  openssl = 100,
}) {
  const collected = join(dir, 'landscape', 'collected');
  log(`landscape: generating ${systems} × ${instances} × 8 PSEs`);
  const gen = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'bench', 'landscape', 'generate.ts'),
      collected,
      String(systems),
      String(instances),
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (gen.status !== 0) throw new Error(`landscape generation failed: ${gen.stderr}`);
  const info = JSON.parse(gen.stdout.trim().split('\n').pop());
  const { bytes } = walkBytes(collected);
  const pinned = existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', '0,1'] : [];
  const node = process.execPath;
  const cmd = (extra) => [...pinned, node, CLI, 'landscape', collected, '--no-store', '--now', NOW, ...extra];
  const commands = [
    {
      label: `\`cat\` of every file (reads ${(bytes / 2 ** 20).toFixed(0)} MiB)`,
      argv: ['sh', '-c', `find "${collected}" -type f -exec cat {} + > /dev/null`],
    },
    { label: `\`pse-doctor landscape <${info.files} PSEs>\` (terminal summary)`, argv: cmd([]) },
    { label: `\`pse-doctor landscape <${info.files} PSEs> --json\``, argv: cmd(['--json']) },
    {
      label: `\`pse-doctor landscape <${info.files} PSEs> --db <file>\` (run stored, trend against the one before)`,
      argv: [
        ...pinned,
        node,
        CLI,
        'landscape',
        collected,
        '--db',
        join(dir, 'landscape', 'runs.db'),
        '--now',
        NOW,
      ],
    },
  ];
  log(`landscape: ${rounds} interleaved rounds`);
  const samples = await interleaved(commands, rounds);
  const stats = samples.map(summarize);
  const outBytes = samples.map((s) => s[0]?.outBytes ?? 0);
  const [cat, text, json, stored] = stats;

  // Probing: targets over distinct local endpoints (some silent, to hit the per-target time limit).
  const live = targets - silent;
  const servers = await startServers(live, silent);
  let probe;
  let ossl;
  let verdicts = {};
  try {
    const small = join(dir, 'landscape', 'probe');
    const sec = join(small, 'collected', 'P01', 'D00', 'sec');
    mkdirSync(sec, { recursive: true });
    const pseGen = spawnSync(
      node,
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
    const targetsFile = join(small, 'targets.csv');
    writeFileSync(targetsFile, `${lines.join('\n')}\n`);
    log(`landscape: probing ${targets} targets`);
    const probeArgv = [
      ...pinned,
      node,
      CLI,
      'landscape',
      join(small, 'collected'),
      '--no-store',
      '--now',
      NOW,
      '--targets',
      targetsFile,
      '--probe',
      '--concurrency',
      String(concurrency),
      '--timeout',
      String(timeout),
      '--csv',
    ];
    probe = await runOnce(probeArgv);
    // The verdicts, from the JSON of one more run (not timed).
    const out = spawnSync(probeArgv[0], [...probeArgv.slice(1, -1), '--json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    for (const t of JSON.parse(out.stdout).landscape.targets)
      verdicts[t.probe?.verdict ?? 'none'] = (verdicts[t.probe?.verdict ?? 'none'] ?? 0) + 1;
    log(`landscape: openssl s_client loop over ${Math.min(openssl, live)} servers`);
    ossl = opensslLoop(servers.ports.slice(0, openssl));
  } finally {
    servers.child.kill('SIGTERM');
  }
  const osslN = Math.min(openssl, live);
  const rate = targets / probe.wall;
  const osslRate = osslN / ossl.seconds;
  // Every live server's chain judged trusted, every silent one given up on at the time limit.
  const probedAsExpected = verdicts.trusted === live && (verdicts.unreachable ?? 0) === silent;
  verdicts = Object.entries(verdicts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');

  const rows = commands.map((c, i) => [
    c.label,
    secs(stats[i].wall),
    secs(stats[i].min),
    secs(stats[i].cpu),
    mb(stats[i].rssKiB),
    i === 0 ? '–' : `${(outBytes[i] / 2 ** 20).toFixed(1)} MiB`,
    i === 0 ? '–' : `< ${TARGET_SECONDS} s: ${verdict(stats[i].wall < TARGET_SECONDS)}`,
  ]);
  const markdown = [
    `Input (\`bench/landscape/generate.ts\`, the test PSE writer): ${info.files} PSE files (${systems} systems × ${instances}`,
    `instances × 8 PSEs; ${(bytes / 2 ** 20).toFixed(1)} MiB, ${info.certificates} certificate entries; v4 without PIN, own certificate +`,
    'FCPath + PKRoot + 10–40 trusted CAs from a pool of 48; one instance in ten carries an extra CA, so drift',
    `findings appear). pse-doctor runs pinned to two cores (\`taskset -c 0,1\`); ${rounds} interleaved runs each after`,
    'one warm-up, medians; peak RSS is the largest of the runs. `--json` writes every certificate of every PSE',
    'with its PEM, in pieces of 64 KiB that wait for the reader.',
    '',
    table(
      ['command', 'wall (median)', 'wall (min)', 'CPU (median)', 'peak RSS', 'output', 'target'],
      rows,
      'lrrrrrl',
    ),
    '',
    `Probing: ${targets} targets (${live} local TLS servers, one port each, and ${silent} that accept and never answer),`,
    `\`--probe --concurrency ${concurrency} --timeout ${timeout}\`: one handshake per distinct endpoint, TLS 1.2–1.3 with SNI as`,
    'the ICM makes it, chain judged against the PSE of the call. The openssl loop is sequential, as such',
    'monitoring scripts usually are, and skips the silent endpoints (each would cost its 5 s timeout).',
    '',
    table(
      ['what', 'targets', 'wall', 'rate', 'result'],
      [
        [
          '`pse-doctor landscape … --targets --probe` (whole run: read, probe, judge)',
          String(targets),
          secs(probe.wall),
          `${rate.toFixed(0)} /s`,
          `${verdicts}; peak RSS ${mb(probe.rssKiB)}`,
        ],
        [
          '`openssl s_client -connect … -servername localhost` loop, one after another',
          String(osslN),
          secs(ossl.seconds),
          `${osslRate.toFixed(0)} /s`,
          `${ossl.ok} chains received`,
        ],
      ],
      'lrrrl',
    ),
    '',
    `The silent endpoints bound the run from below: with ${concurrency} at a time, each holds a slot for the ${timeout} ms limit.`,
  ].join('\n');
  const summary = [
    {
      what: `\`landscape\` ${info.files} PSEs read and judged (2 cores)`,
      ours: `${secs(text.wall)}, ${mb(text.rssKiB)}`,
      baseline: `\`cat\` ${secs(cat.wall)}`,
      ratio: `${(text.wall / cat.wall).toFixed(1)}×`,
      target: `< ${TARGET_SECONDS} s, memory bounded`,
      met: text.wall < TARGET_SECONDS,
    },
    {
      what: `\`landscape --json\` ${info.files} PSEs (${(outBytes[2] / 2 ** 20).toFixed(0)} MiB out)`,
      ours: `${secs(json.wall)}, ${mb(json.rssKiB)}`,
      baseline: `\`cat\` ${secs(cat.wall)}`,
      ratio: `${(json.wall / cat.wall).toFixed(1)}×`,
      target: `< ${TARGET_SECONDS} s, memory bounded`,
      met: json.wall < TARGET_SECONDS,
    },
    {
      what: `\`landscape\` ${info.files} PSEs, run stored (SQLite) with trend`,
      ours: `${secs(stored.wall)}, ${mb(stored.rssKiB)}`,
      baseline: `\`cat\` ${secs(cat.wall)}`,
      ratio: `${(stored.wall / cat.wall).toFixed(1)}×`,
      target: `< ${TARGET_SECONDS} s, memory bounded`,
      met: stored.wall < TARGET_SECONDS,
    },
    {
      what: `\`landscape --probe\` ${targets} targets (${silent} silent)`,
      ours: `${rate.toFixed(0)} targets/s`,
      baseline: `\`openssl s_client\` loop ${osslRate.toFixed(0)} /s`,
      ratio: `${(rate / osslRate).toFixed(1)}×`,
      target: `all ${live} judged, ${silent} silent cut at ${timeout} ms`,
      met: probedAsExpected,
    },
  ];
  return { markdown, summary };
}
