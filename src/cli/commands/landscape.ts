/**
 * @module `pse-doctor landscape <collected>`: every PSE of every system at once — inventory, what breaks
 * next and when (a dated plan with fixes), baseline gaps, optional live probes of the targets, and the
 * trend since the last stored run.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { ToolError } from '../../model/errors.js';
import { useQuickIpCheckInNode } from '../../model/ip-address.js';
import type { ExpirySettings } from '../../model/landscape.js';
import type { Report } from '../../model/report.js';
import { exitCodeForFindings, FAIL_ON_HELP, parseFailOn } from '../fail-on.js';
import type { CliIo } from '../io.js';
import { createSecretProvider } from '../secret-provider.js';
import type { RegisterCommand } from './types.js';

interface LandscapeOptions {
  pinFile?: string;
  baseline?: string[];
  baselineScope?: string;
  targets?: string;
  probe?: boolean;
  concurrency?: string;
  timeout?: string;
  json?: boolean;
  csv?: boolean;
  html?: string;
  format?: string;
  expiry?: string;
  db?: string;
  store?: boolean;
  failOn?: string;
  out?: string;
  force?: boolean;
  now?: string;
}

const HELP_AFTER = `
Reads a collected folder laid out as <SID>/<instance>/… (PSE files, "sapgenpse maintain_pk -l" and
"get_my_name -v" listings, STRUST exports named after their PSE; scripts/collect-pses.sh makes it on
each host) and judges every PSE with the registered rules: own certificates expiring (against their
lifetime) or expired, SSL client certificates without clientAuth, SHA-1/MD5 and short keys, leaf
certificates pinned in trust lists, expired trusted certificates, instances of one system whose PSEs
differ or lack a PSE, and — with --baseline — roots a PSE lacks. A PSE that cannot be opened here
(PIN-protected without --pin-file, LPS) is judged from the listings beside it; listings show no extended
key usage and no CA flag, so the clientAuth and pinned-leaf checks need the PSE file or an export.

Expiry (--expiry): a warning when less than <share> of the certificate's lifetime AND fewer than
<days> days are left, or fewer than <absolute> days whatever the lifetime; info when fewer than
<notice> days and less than <notice-share> are left. Default: share=10%,days=30,absolute=7,notice=90,notice-share=25%.

Baselines (--baseline, repeatable): lists of roots that must be trusted, such as SAP's BTP trust store.
By default they concern the PSEs of outbound calls: every SSL client PSE (Anonymous, Standard, SSL client
identities such as SAPSSLCPARTN.pse) and every PSE a targets line names; not the SSL server, system or SNC
PSEs. --baseline-scope replaces this for every baseline of the run with a comma-separated list: "client"
(the default set), "server" (the SSL server PSEs: a list of client CAs that inbound mutual TLS must accept),
"all" (every PSE) and PSE file names, e.g. --baseline-scope client,SAPSSLS.pse.

Targets (--targets file): lines "SID,host,port[,PSE]" (PSE default SAPSSLC.pse); with --probe each
endpoint is contacted once (bounded concurrency, per-target time limit) and the chain it sends is
judged against that system's PSE as the ICM would. No network without --probe.

Each run is stored in the history database (the same as "serve": --db or PSE_DOCTOR_DB, default
./pse-doctor.db; --no-store to skip); the next run says what changed.

PIN: --pin-file <file> or PSE_DOCTOR_PIN (one PIN for every PIN-protected PSE); never on the command line.

Examples:
  pse-doctor landscape collected/
  pse-doctor landscape collected/ --baseline btp-required.pse --baseline partner-roots/
  pse-doctor landscape collected/ --targets targets.csv --probe
  pse-doctor landscape collected/ --baseline btp-required.pem --out fix/   # PEM files + import-<SID>.sh
  pse-doctor landscape collected/ --html report.html --format openmetrics > landscape.prom

Exit codes (landscape):
  0  no finding at or above --fail-on (default: error)
  1  findings at or above --fail-on
  2  usage or input error (missing folder, bad targets line, unreadable baseline)`;

const EXPIRY_KEYS = ['share', 'days', 'absolute', 'notice', 'notice-share'] as const;

/** `share=10%,days=30,absolute=7,notice=90,notice-share=25%` (any subset) → settings. */
export function parseExpiry(value: string | undefined, base: ExpirySettings): ExpirySettings {
  const out = { ...base };
  if (!value) return out;
  for (const part of value.split(',')) {
    const m = /^\s*([a-z-]{1,20})\s*=\s*(\d{1,5})(%?)\s*$/.exec(part);
    const key = m?.[1] as (typeof EXPIRY_KEYS)[number] | undefined;
    if (!m || !key || !EXPIRY_KEYS.includes(key)) {
      throw new ToolError('usage', {
        message: `--expiry takes key=value pairs from ${EXPIRY_KEYS.join(', ')} (e.g. share=10%,days=30); got "${part.trim()}".`,
      });
    }
    const n = Number(m[2]);
    const share = key === 'share' || key === 'notice-share';
    if (share && (n < 1 || n > 100))
      throw new ToolError('usage', { message: `--expiry ${key} must be 1%–100%.` });
    if (key === 'share') out.lifetimeShare = n / 100;
    else if (key === 'notice-share') out.noticeShare = n / 100;
    else if (key === 'days') out.lifetimeDays = n;
    else if (key === 'absolute') out.absoluteDays = n;
    else out.noticeDays = n;
  }
  return out;
}

function parseCount(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new ToolError('usage', { message: `${name} must be a number from ${min} to ${max}.` });
  return n;
}

async function runLandscape(folder: string, opts: LandscapeOptions, io: CliIo): Promise<number> {
  const now = opts.now ? new Date(opts.now) : (io.now?.() ?? new Date());
  if (Number.isNaN(now.getTime()))
    throw new ToolError('usage', { message: `--now takes an ISO date (got "${opts.now}").` });
  const failOn = parseFailOn(opts.failOn);
  const format = opts.format ?? 'text';
  if (!['text', 'json', 'csv', 'openmetrics'].includes(format)) {
    throw new ToolError('usage', {
      message: `--format is text, json, csv or openmetrics (got "${format}").`,
    });
  }
  const outFormat = opts.json ? 'json' : opts.csv ? 'csv' : format;
  const [{ buildLandscapeReport, DEFAULT_EXPIRY }, { compareRuns, snapshotOf }] = await Promise.all([
    import('../../landscape/build-report.js'),
    import('../../landscape/trend.js'),
  ]);
  const expiry = parseExpiry(opts.expiry, DEFAULT_EXPIRY);
  let baselineScope: string[] | undefined;
  if (opts.baselineScope !== undefined) {
    const { parseBaselineScope } = await import('../../landscape/baselines.js');
    baselineScope = parseBaselineScope(opts.baselineScope);
  }
  const concurrency = parseCount(opts.concurrency, '--concurrency', 1, 256);
  const timeoutMs = parseCount(opts.timeout, '--timeout', 100, 120_000);
  if (opts.probe === true) useQuickIpCheckInNode(); // this process's own handshakes (src/model/ip-address.ts)
  const report: Report = await buildLandscapeReport({
    root: resolve(io.cwd, folder),
    shown: folder,
    cwd: io.cwd,
    ...(opts.baseline ? { baselines: opts.baseline } : {}),
    ...(baselineScope ? { baselineScope } : {}),
    ...(opts.targets ? { targetsFile: opts.targets } : {}),
    probe: opts.probe === true,
    probeOptions: {
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    },
    expiry,
    secrets: createSecretProvider(io, { pinFile: opts.pinFile }),
    now,
  });

  if (opts.store !== false && report.landscape) {
    const { openStore } = await import('../../store/open-store.js');
    const store = await openStore(opts.db ?? io.env.PSE_DOCTOR_DB, io.cwd);
    try {
      const snapshot = snapshotOf(report);
      const [previous] = await store.listLandscapeRuns(1);
      const prev = previous ? await store.getLandscapeRun(previous.id) : undefined;
      if (prev) report.landscape.trend = compareRuns(prev.snapshot, snapshot, prev.id);
      report.landscape.runId = await store.saveLandscapeRun(snapshot);
    } finally {
      await store.close();
    }
  }

  const notes: string[] = [];
  if (opts.out) {
    const [{ landscapeOutFiles }, { writeOutFiles, displayPath }] = await Promise.all([
      import('../landscape-out.js'),
      import('../write-out.js'),
    ]);
    const { files, scripts, out } = landscapeOutFiles(report);
    if (out.length === 0)
      notes.push(`Nothing written to ${opts.out}: no plan item hands over a certificate.`);
    else {
      const { paths } = writeOutFiles(opts.out, io, out, opts.force === true);
      const dir = displayPath(io, resolve(io.cwd, opts.out));
      notes.push(
        `Wrote ${files.length} certificate(s) to import (PEM), ${scripts.map((s) => s.name).join(', ')} and README.txt to ${dir} (${paths.length} file(s)).`,
      );
    }
  }
  if (opts.html) {
    const { renderLandscapeHtml } = await import('../../report/landscape-html.js');
    writeFileSync(resolve(io.cwd, opts.html), renderLandscapeHtml(report));
  }
  if (outFormat === 'json') {
    // Piece by piece, waiting when the reader is slower: thousands of PSEs never sit in memory as text.
    const { renderJsonChunks } = await import('../../report/json.js');
    for (const chunk of renderJsonChunks(report)) {
      if (io.stdout.write(chunk) === false) await io.stdout.drain?.();
    }
  } else if (outFormat === 'csv') {
    const { renderLandscapeCsv } = await import('../../report/landscape-csv.js');
    io.stdout.write(renderLandscapeCsv(report));
  } else if (outFormat === 'openmetrics') {
    const { renderLandscapeOpenMetrics } = await import('../../report/landscape-openmetrics.js');
    io.stdout.write(renderLandscapeOpenMetrics(report));
  } else {
    const { renderLandscapeText } = await import('../../report/landscape-text.js');
    io.stdout.write(renderLandscapeText(report));
    if (opts.html) io.stdout.write(`HTML report written to ${opts.html}.\n`);
  }
  // Beside machine-readable output the notes go to standard error, so the output stays clean.
  for (const note of notes) (outFormat === 'text' ? io.stdout : io.stderr).write(`${note}\n`);
  return exitCodeForFindings(report.findings, failOn);
}

/** Registers `landscape`. */
export const registerLandscape: RegisterCommand = (program: Command, io: CliIo, setExit) => {
  program
    .command('landscape')
    .description(
      'Every PSE of every system at once: inventory, what expires or breaks next and when, baseline gaps, drift between instances',
    )
    .argument('<collected>', 'folder laid out as <SID>/<instance>/… (see scripts/collect-pses.sh)')
    .option('--pin-file <file>', 'file holding the PIN of PIN-protected PSEs (else PSE_DOCTOR_PIN)')
    .option(
      '--baseline <path>',
      'roots the PSEs of outbound calls must trust: a PSE, PEM bundle or folder (repeatable)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      '--baseline-scope <list>',
      'which PSEs the baselines concern: client (default), server, all, or PSE file names, comma-separated',
    )
    .option('--targets <file>', 'endpoints each system calls: lines SID,host,port[,PSE]')
    .option('--probe', 'contact every target once and judge the chain it sends (network)')
    .option('--concurrency <n>', 'probes at the same time (default 16)')
    .option('--timeout <ms>', 'time limit per probe step in ms (default 5000)')
    .option('--expiry <spec>', 'expiry thresholds, e.g. share=10%,days=30,absolute=7,notice=90')
    .option('--json', 'print the JSON Report (with the landscape inventory and plan)')
    .option('--csv', 'print the inventory as CSV')
    .option('--html <file>', 'also write a self-contained HTML report to <file>')
    .option(
      '--out <dir>',
      'write the certificates the plan imports (PEM), one sapgenpse script per system (import-<SID>.sh) and README.txt into <dir>',
    )
    .option('--force', 'with --out: replace files that exist with other content')
    .option('--format <format>', 'text, json, csv or openmetrics', 'text')
    .option('--db <target>', 'history store: SQLite file or postgres://… URL (default ./pse-doctor.db)')
    .option('--no-store', 'do not store this run (no trend next time)')
    .option('--fail-on <severity>', FAIL_ON_HELP, 'error')
    .addOption(new Option('--now <iso>', 'judge validity at this time (tests)').hideHelp())
    .addHelpText('after', HELP_AFTER)
    .action(async (folder: string, opts: LandscapeOptions) => {
      setExit(await runLandscape(folder, opts, io));
    });
};
