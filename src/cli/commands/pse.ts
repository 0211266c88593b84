/**
 * @module `pse-doctor pse <file|folder…>`: read SAP PSE files offline — STRUST node, own certificate and
 * chain, trusted certificates — for one PSE in detail or a whole sec folder at once, with hygiene findings.
 */

import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { reportOf } from '../../engine/report-envelope.js';
import { runRules } from '../../engine/run-rules.js';
import type { CertificateInfo } from '../../model/certificate.js';
import { ToolError } from '../../model/errors.js';
import type { EvidenceEvent, InputSummary } from '../../model/evidence.js';
import { MAX_PSE_BYTES, pseError } from '../../readers/pse/open-pse.js';
import { readPseEvidence } from '../../readers/pse/reader.js';
import { inputError, readInputBytes } from '../../readers/source.js';
import { stripControlCharsKeepLines } from '../../report/control-chars.js';
import { renderJson } from '../../report/json.js';
import { type PseView, pseDetailSections, pseFolderSections } from '../../report/sections/pse-sections.js';
import type { Section } from '../../report/sections/section-types.js';
import { renderTextView } from '../../report/terminal.js';
import type { Rule } from '../../rules/define.js';
import { kindsOf, rulesFor } from '../../rules/on-demand.js';
import { createPseOwnCertExpiryRule } from '../../rules/pse-own-cert-expiry/rule.js';
import { exitCodeForFindings, FAIL_ON_HELP, parseFailOn } from '../fail-on.js';
import type { CliIo } from '../io.js';
import { outputFormat, printView, useColor } from '../print-view.js';
import { collectPseFiles, type PseFileEntry } from '../pse/collect-pse-files.js';
import { type ExportItem, exportTrusted } from '../pse/export-trusted.js';
import { createSecretProvider } from '../secret-provider.js';
import { formatOption, noColorOption } from '../shared-options.js';
import type { RegisterCommand } from './types.js';

interface PseOptions {
  pinFile?: string;
  exportTrusted?: string;
  json?: boolean;
  format?: string;
  color?: boolean;
  warnDays?: string;
  failOn?: string;
  now?: string;
}

const HELP_AFTER = `
Reads SAP PSE files directly (version 2 and 4, with or without PIN); no SAP tool needed.
One file: STRUST node, own certificate and chain, every trusted certificate (subject, issuer,
validity, SHA-256). A folder (e.g. /usr/sap/<SID>/D00/sec): one line per PSE, then hygiene findings:
own certificates expiring (--warn-days), expired or duplicate trusted certificates, CAs trusted in
SAPSSLC.pse but not in SAPSSLA.pse (or the reverse), SHA-1/MD5 or short keys in own certificates.

PIN: --pin-file <file>, the PSE_DOCTOR_PIN environment variable, or a prompt when run on a terminal.
Never on the command line. Private keys in the PSE are never read, shown or exported.
LPS-protected PSEs can only be opened on their own host: run "sapgenpse maintain_pk -l -p <PSE>" there
and give pse-doctor that output.

Examples:
  pse-doctor pse SAPSSLC.pse
  pse-doctor pse /usr/sap/ABC/D00/sec/
  pse-doctor pse SAPSSLC.pse --pin-file pin.txt
  pse-doctor pse SAPSSLA.pse --export-trusted out/
  pse-doctor pse sec/ --json --warn-days 14,60

Exit codes (pse):
  0  no finding at or above --fail-on (default: error)
  1  findings at or above --fail-on
  2  usage or input error (missing file, wrong PIN for a file named on the command line)`;

function parseWarnDays(value: string | undefined): { warningDays: number; noticeDays: number } {
  if (value === undefined) return { warningDays: 30, noticeDays: 90 };
  const parts = value.split(',').map((s) => s.trim());
  const nums = parts.map((p) => (/^\d{1,5}$/.test(p) ? Number(p) : Number.NaN));
  if (nums.length < 1 || nums.length > 2 || nums.some((n) => !Number.isFinite(n))) {
    throw new ToolError('usage', {
      message: `--warn-days takes one or two day counts, e.g. 30,90 (got "${value}").`,
    });
  }
  const [warningDays, noticeDays = warningDays] = nums as [number, number?];
  if (noticeDays < warningDays) {
    throw new ToolError('usage', {
      message: `--warn-days: the second number must not be smaller than the first (got "${value}").`,
    });
  }
  return { warningDays, noticeDays };
}

function parseNow(value: string | undefined, io: CliIo): Date {
  if (!value) return io.now?.() ?? new Date();
  const t = Date.parse(value);
  if (!Number.isFinite(t))
    throw new ToolError('usage', { message: `--now takes an ISO date (got "${value}").` });
  return new Date(t);
}

/**
 * Write a long text in pieces of `piece` characters (never between the halves of a surrogate pair),
 * waiting when the reader is slower. A sec folder's JSON Report runs to megabytes, and encoding one such
 * string for stdout in a single write is slower than in pieces; the bytes are the same.
 */
export async function writeInPieces(
  io: Pick<CliIo, 'stdout'>,
  text: string,
  piece = 64 * 1024,
): Promise<void> {
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + piece, text.length);
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff && end < text.length) end++;
    const more = io.stdout.write(text.slice(at, end));
    at = end;
    if (more === false) await io.stdout.drain?.();
  }
}

/** How many PSE files are read ahead of the one being judged (bounded memory, parallel reads). */
const READ_AHEAD = 8;

/**
 * Direct reads slower than this, three in a row, mean a slow file system (a network mount, a cold disk;
 * a file from the page cache takes a few dozen µs): the files after that are read ahead in parallel
 * instead. Slow reads here and there are not enough: on a busy machine any read can be held up for
 * milliseconds when the process loses its core, but hardly three reads one after the other.
 */
const SLOW_READ_MS = 0.5;
const SLOW_IN_A_ROW = 3;

/**
 * The judge of direct reads: fed the time each took, says whether the file system is slow (see
 * SLOW_READ_MS). Exported for tests.
 */
export function slowReads(slowMs = SLOW_READ_MS): (tookMs: number) => boolean {
  let inARow = 0;
  return (tookMs) => {
    inARow = tookMs > slowMs ? inARow + 1 : 0;
    return inARow >= SLOW_IN_A_ROW;
  };
}

/**
 * Reads PSE files' bytes (size-capped), as Buffers the reader may wipe. A regular file found in a folder
 * is read at once, synchronously: from a local disk that costs microseconds, where an asynchronous read
 * costs five trips through the thread pool (for a sec folder of 200 PSEs, ~30 ms of main-thread time).
 * Once direct reads turn out slow (see SLOW_READ_MS), every later file is read asynchronously (and so,
 * with the read-ahead, in parallel). Files named on the command line, and anything that is not a regular
 * file, go the asynchronous way (a FIFO or pipe is read once). The bytes and errors are the same either
 * way. `slowMs` is for tests (below 0: every read asynchronous).
 */
export function pseFileReader(slowMs = SLOW_READ_MS): (entry: PseFileEntry) => Promise<Buffer> {
  let slow = slowMs < 0;
  const judge = slowReads(slowMs);
  return (entry) => {
    if (entry.size > MAX_PSE_BYTES) {
      return Promise.reject(
        pseError(
          'not-a-pse',
          entry.display,
          `it is ${entry.size} bytes, above the ${MAX_PSE_BYTES}-byte limit for a PSE`,
        ),
      );
    }
    if (!slow && !entry.explicit) {
      const started = performance.now();
      try {
        // Opened without blocking and checked on the open descriptor: a name swapped for a FIFO since the
        // walk cannot make this read wait (the asynchronous way below reads it once, as any pipe).
        const fd = openSync(entry.path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
        try {
          const st = fstatSync(fd);
          if (st.isFile() && st.size <= MAX_PSE_BYTES) return Promise.resolve(readFileSync(fd));
        } finally {
          closeSync(fd);
        }
      } catch (err) {
        return Promise.reject(inputError(err, entry.display));
      } finally {
        if (judge(performance.now() - started)) slow = true;
      }
    }
    return readInputBytes(entry.path, entry.display, MAX_PSE_BYTES);
  };
}

/**
 * The rules for `pse`: every registered rule the events can set off (loading only those: a rule none of
 * whose `needs` is present does not apply, so the findings are those of every rule), with the expiry
 * windows the user chose.
 */
async function rulesWith(
  windows: { warningDays: number; noticeDays: number },
  events: EvidenceEvent[],
): Promise<Rule[]> {
  const expiry = createPseOwnCertExpiryRule(windows);
  return (await rulesFor(kindsOf({ events }))).map((r) => (r.id === expiry.id ? expiry : r));
}

/** Distinct trusted certificates across PSEs, each with the PSEs that hold it. */
function exportItems(views: readonly PseView[]): ExportItem[] {
  const bySha = new Map<string, ExportItem>();
  for (const v of views) {
    for (const cert of v.list?.certificates ?? []) {
      const key = cert.sha256 ?? cert.pem ?? cert.subject;
      const name = v.list?.basename ?? v.display;
      const item = bySha.get(key);
      if (item) {
        if (!item.pses.includes(name)) item.pses.push(name);
      } else bySha.set(key, { cert: cert as CertificateInfo, pses: [name] });
    }
  }
  return [...bySha.values()];
}

async function runPse(paths: string[], opts: PseOptions, io: CliIo): Promise<number> {
  const now = parseNow(opts.now, io);
  const windows = parseWarnDays(opts.warnDays);
  const failOn = parseFailOn(opts.failOn);
  const { files, ignored, sawFolder, notes: walkNotes } = collectPseFiles(paths, io.cwd);
  if (files.length === 0) {
    throw new ToolError('usage', {
      message: `No PSE files in ${paths.join(', ')}: pse-doctor looks for *.pse files (and cred_v2) in the folders you name.`,
    });
  }
  const secrets = createSecretProvider(io, { pinFile: opts.pinFile });
  const single = files.length === 1 && !sawFolder;

  const inputs: InputSummary[] = [];
  const events: EvidenceEvent[] = [];
  const views: PseView[] = [];
  let explicitFailure = false;
  // Files are read a few ahead of the one being judged: read asynchronously one after the other, a sec
  // folder on a slow file system spends most of its time waiting for it (see pseFileReader). Each file's
  // error still surfaces in its turn.
  const reads: Array<Promise<Buffer> | undefined> = [];
  const readPseBytes = pseFileReader();
  const readAhead = (i: number) => {
    const entry = files[i];
    if (!entry || reads[i]) return;
    const read = readPseBytes(entry);
    read.catch(() => undefined); // Handled when its turn comes.
    reads[i] = read;
  };
  for (let i = 0; i < READ_AHEAD; i++) readAhead(i);
  for (const [index, entry] of files.entries()) {
    readAhead(index + READ_AHEAD);
    const bytes = await (reads[index] as Promise<Buffer>);
    reads[index] = undefined;
    const size = bytes.length;
    const result = await readPseEvidence(
      bytes,
      entry.display,
      { input: index, line: 1 },
      secrets,
      entry.display,
    );
    const problem = result.events.find((e) => e.kind === 'pse-problem');
    // One file named on its own: a PSE that cannot be opened is the answer, as an input error.
    if (problem && single && result.error) throw result.error;
    if (problem && entry.explicit) explicitFailure = true;
    const list = result.events.find((e) => e.kind === 'trust-list')?.list;
    views.push({
      display: entry.display,
      warnings: problem ? [] : result.warnings,
      ...(list ? { list } : {}),
      // The container facts only the one-PSE view shows: a folder keeps none of them.
      ...(single && result.contents ? { contents: result.contents } : {}),
      ...(problem ? { problem } : {}),
    });
    inputs.push({
      name: entry.display,
      format: 'pse',
      bytes: size,
      lines: 0,
      unrecognizedLines: 0,
      warnings: result.warnings,
    });
    events.push(...result.events);
  }

  const rules = await rulesWith(windows, events);
  const { findings, ruleErrors } = runRules({ inputs, events, lines: {} }, rules, { now });
  const report = reportOf({ inputs, events, findings, ruleErrors }, now);

  const exported = opts.exportTrusted
    ? exportTrusted(resolve(io.cwd, opts.exportTrusted), opts.exportTrusted, exportItems(views))
    : undefined;

  const format = outputFormat(opts);
  const sections =
    single && views[0]
      ? pseDetailSections(views[0], report, now)
      : pseFolderSections(views, report, now, { paths, ignored, walkNotes });
  // Folder entries the walk could not use: in the notes, or on stderr beside the --json Report.
  if (format === 'json')
    for (const n of walkNotes) io.stderr.write(stripControlCharsKeepLines(`pse-doctor: ${n}\n`));
  if (exported) {
    const written = exported.filter((e) => e.status === 'written').length;
    const exportNotes: Section = {
      kind: 'notes',
      title: `Exported ${written} certificate file(s) to ${opts.exportTrusted} (${exported.length - written} already there, unchanged)`,
      lines: exported.map(
        (e) =>
          `${e.file}${e.status === 'unchanged' ? ' (unchanged)' : ''}  ${e.subject}  [${e.pses.join(', ')}]`,
      ),
    };
    // With --json the Report alone goes to stdout; what was exported is said on stderr.
    if (format === 'json') io.stderr.write(renderTextView({ report, sections: [exportNotes] }));
    else sections.push(exportNotes);
  }
  if (format === 'json') {
    await writeInPieces(io, renderJson(report));
  } else await printView(io, { report, sections }, format, { color: useColor(io, opts.color === false) });

  if (explicitFailure) return 2;
  return exitCodeForFindings(findings, failOn);
}

/** Registers `pse`. */
export const registerPse: RegisterCommand = (program: Command, io: CliIo, setExit) => {
  program
    .command('pse')
    .description(
      'Read SAP PSE files offline: STRUST node, own certificate, trusted certificates; a sec folder at once',
    )
    .argument(
      '<paths...>',
      'PSE files and/or folders (a folder: every *.pse in it and its sub-folders, and cred_v2)',
    )
    .option(
      '--pin-file <file>',
      'file holding the PIN of PIN-protected PSEs (else PSE_DOCTOR_PIN, else a prompt)',
    )
    .option(
      '--export-trusted <dir>',
      'write every trusted certificate as a PEM file (named after its CN) into <dir>',
    )
    .option('--json', 'print the JSON Report (trust lists as events, hygiene findings; = --format json)')
    .addOption(formatOption())
    .addOption(noColorOption())
    .option(
      '--warn-days <n,m>',
      'own certificates expiring within n days: warning; within m days: info',
      '30,90',
    )
    .option('--fail-on <severity>', FAIL_ON_HELP, 'error')
    .addOption(new Option('--now <iso>', 'judge validity at this time (tests)').hideHelp())
    .addHelpText('after', HELP_AFTER)
    .action(async (paths: string[], opts: PseOptions) => {
      setExit(await runPse(paths, opts, io));
    });
};
