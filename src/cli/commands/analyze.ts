/**
 * @module `pse-doctor analyze <inputs…>`: read evidence, diagnose, print text/JSON/HTML, optionally write the import artifacts.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { diagnoseOnDemand } from '../../engine/diagnose.js';
import { serializeEvidence } from '../../evidence/saved-evidence.js';
import { ToolError } from '../../model/errors.js';
import type { Report } from '../../model/report.js';
import { readEvidence } from '../../read-evidence.js';
import { analyzeSections } from '../../report/sections/analyze-sections.js';
import { TOOL_VERSION } from '../../version.js';
import { exitCodeForFindings, FAIL_ON_HELP, type FailOn, parseFailOn } from '../fail-on.js';
import { importOutFiles } from '../import-artifacts.js';
import type { CliIo } from '../io.js';
import { printView, useColor } from '../print-view.js';
import { createProgressLine } from '../progress-line.js';
import { createSecretProvider } from '../secret-provider.js';
import { displayPath, writeOutFiles } from '../write-out.js';
import type { RegisterCommand } from './types.js';

type Format = 'text' | 'json' | 'html';

/** The options of `analyze` as commander hands them to the action (see plainAnalyzeArgs in main.ts). */
export interface AnalyzeCliOptions {
  json?: boolean;
  format?: Format;
  out?: string;
  force?: boolean;
  failOn: FailOn;
  saveEvidence?: string;
  pinFile?: string;
  passwordFile?: string;
  color?: boolean;
  quiet?: boolean;
}

const HELP_AFTER = `
Inputs: ICM / work-process / Web Dispatcher traces (dev_icm, dev_w*, dev_webdisp, .gz), pasted error
messages (SM59, SOAMANAGER, abapGit, and what Node, Java, .NET/SChannel, Go, Python, curl, OpenSSL,
browsers, HANA clients, SNC/Kerberos, Cloud Connector and CPI print) — use "-" for standard input —,
sapgenpse listings, certificate files, PSE files, folders of these, and evidence saved with
--save-evidence. Which messages are known: docs/recognition.md.

Examples:
  pse-doctor analyze dev_icm
  pse-doctor analyze dev_icm dev_w3 --json
  pse-doctor analyze dev_icm --out fix/          writes the root CA PEM files, import.sh and README.txt
  pbpaste | pse-doctor analyze -
  pse-doctor analyze dev_icm --save-evidence case.json   and later: pse-doctor analyze case.json

PINs and passwords: --pin-file / PSE_DOCTOR_PIN, --password-file / PSE_DOCTOR_PASSWORD (never on the
command line).

Exit codes: 0 no finding at or above --fail-on (default: error); 1 such findings; 2 usage or input error.`;

/** Exit code for a report: 1 when any finding is at or above `failOn`. */
export function exitCodeFor(report: Report, failOn: FailOn): number {
  return exitCodeForFindings(report.findings, failOn);
}

/**
 * Write the import artifacts into `dir` (one `--out` policy). Returns fileName → display path of each
 * PEM, and how many files were already there with the same content.
 */
export function writeImportArtifacts(
  report: Report,
  dir: string,
  io: CliIo,
  force: boolean,
): { shown: Record<string, string>; unchanged: number } {
  const { files, out } = importOutFiles(report);
  const shown: Record<string, string> = {};
  if (out.length === 0) return { shown, unchanged: 0 };
  const { paths, written } = writeOutFiles(dir, io, out, force);
  files.forEach((f, i) => {
    const path = paths[i];
    if (f.plan.fileName && path) shown[f.plan.fileName] = displayPath(io, path);
  });
  return { shown, unchanged: paths.length - written.length };
}

/**
 * What `analyze` does with its inputs and options, the action of the registered command; main.ts calls
 * it directly for plain arguments (inputs and `--json` only), without loading commander.
 */
export async function runAnalyze(
  inputs: string[],
  opts: AnalyzeCliOptions,
  io: CliIo,
  setExit: (code: number) => void,
): Promise<void> {
  const format: Format = opts.json ? 'json' : (opts.format ?? 'text');
  const now = io.now?.() ?? new Date();
  // A progress line for inputs over 50 MiB, on a terminal only, never with --json or --quiet.
  const progress = !opts.quiet && format !== 'json' && io.stderrIsTTY ? createProgressLine(io) : undefined;
  let evidence: Awaited<ReturnType<typeof readEvidence>>;
  try {
    evidence = await readEvidence(inputs, {
      secrets: createSecretProvider(io, opts),
      now,
      // Only when an input is "-": process.stdin loads the stream modules on first access.
      ...(inputs.includes('-') ? { stdin: io.stdin } : {}),
      cwd: io.cwd,
      ...(progress ? { onProgress: progress.update } : {}),
    });
  } finally {
    progress?.done();
  }
  if (opts.saveEvidence) {
    const target = resolve(io.cwd, opts.saveEvidence);
    try {
      writeFileSync(target, serializeEvidence(evidence, { savedAt: now, toolVersion: TOOL_VERSION }), 'utf8');
    } catch (err) {
      throw new ToolError('not-readable', { path: opts.saveEvidence, reason: (err as Error).message });
    }
    io.stderr.write(`pse-doctor: evidence saved to ${opts.saveEvidence}\n`);
  }
  // Only the rules this evidence can set off are loaded: the same report as with every rule.
  const report = await diagnoseOnDemand(evidence, { now });
  let written: Record<string, string> = {};
  if (opts.out) {
    const result = writeImportArtifacts(report, opts.out, io, Boolean(opts.force));
    written = result.shown;
    const count = Object.keys(written).length;
    const same =
      result.unchanged > 0 ? ` (${result.unchanged} file(s) already there with the same content)` : '';
    io.stderr.write(
      count > 0
        ? `pse-doctor: wrote ${count} certificate file(s), import.sh and README.txt to ${opts.out}${same}\n`
        : `pse-doctor: no certificate to write to ${opts.out} (no finding names a certificate pse-doctor has)\n`,
    );
  }
  await printView(io, { report, sections: analyzeSections(report) }, format, {
    color: useColor(io, opts.color === false),
    written,
  });
  setExit(exitCodeFor(report, opts.failOn));
}

/** Register `analyze`. */
export const registerAnalyze: RegisterCommand = (program, io, setExit) => {
  program
    .command('analyze')
    .description('diagnose SSL/TLS, PSE and SNC failures from traces, messages, PSE and certificate files')
    .argument('<inputs...>', 'files, folders, "-" for standard input, or saved evidence JSON')
    .option('--json', 'print the JSON report (same as --format json)')
    .addOption(program.createOption('--format <format>', 'output format').choices(['text', 'json', 'html']))
    .option('--out <dir>', 'write the certificates to import (PEM), import.sh and README.txt into <dir>')
    .option('--force', 'with --out: replace files that exist with other content')
    .addOption(
      program.createOption('--fail-on <severity>', FAIL_ON_HELP).default('error').argParser(parseFailOn),
    )
    .option('--save-evidence <file>', 'also save the extracted evidence as JSON (analyze it again later)')
    .option('--pin-file <file>', 'file holding the PIN of PSE inputs (or set PSE_DOCTOR_PIN)')
    .option('--password-file <file>', 'file holding the password of PKCS#12 inputs (or PSE_DOCTOR_PASSWORD)')
    .option('--no-color', 'no colours in text output (default: colour on a terminal, unless NO_COLOR is set)')
    .option('-q, --quiet', 'no progress line on stderr while large inputs (over 50 MB) are read')
    .addHelpText('after', HELP_AFTER)
    .action((inputs: string[], opts: AnalyzeCliOptions) => runAnalyze(inputs, opts, io, setExit));
};
