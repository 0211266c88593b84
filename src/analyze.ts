/**
 * @module The library facade: `analyze(inputs)` reads evidence and diagnoses it; `diagnose(evidence)` re-diagnoses saved evidence.
 */

import type { Readable } from 'node:stream';
import { checkedSecrets, checkInputSpecs, checkNow, checkUnopenedPse } from './analyze-arguments.js';
import { reportOf } from './engine/report-envelope.js';
import { nextActions, runRules } from './engine/run-rules.js';
import { ToolError } from './model/errors.js';
import type { Evidence } from './model/evidence.js';
import type { Report } from './model/report.js';
import { type InputSpec, readInputs } from './readers/index.js';
import type { SecretProvider } from './readers/types.js';
import { stripControlChars } from './report/control-chars.js';
import type { Rule } from './rules/define.js';
import { RULES } from './rules/index.js';
import { probeVerification } from './rules/probe-judgement/judge-probe.js';

export type { InputSpec } from './readers/index.js';

export interface DiagnoseOptions {
  /** Clock for expiry judgements and `generatedAt` (tests pin it). */
  now?: Date;
  /** Rules to run; default: every registered rule. */
  rules?: readonly Rule[];
}

export interface AnalyzeOptions extends DiagnoseOptions {
  /** PINs and passwords for PSE / PKCS#12 inputs. Never logged or stored. */
  secrets?: SecretProvider;
  /** Standard input, for the `-` input. */
  stdin?: Readable;
  /** Directory relative paths resolve against (default: the process's). */
  cwd?: string;
  /** Told how far the reading of each input of known size has come. */
  onProgress?: (progress: { name: string; read: number; size: number }) => void;
  /**
   * A PSE named as an input that the PIN given does not open: `'reject'` (default) rejects with a
   * ToolError (`wrong-pin`, the PIN never in the message); `'report'` keeps it as a pse-problem event
   * in the Report (a page that lists every uploaded PSE with its state). A PSE without a PIN, a
   * PSE inside a folder, an LPS-protected or damaged PSE are always reported, never rejected, so the
   * rest of the evidence is still diagnosed.
   */
  unopenedPse?: 'reject' | 'report';
}

/**
 * Diagnose evidence that was already read (or saved with `--save-evidence`): run the rules and build
 * the Report. Pure: no I/O.
 */
export function diagnose(evidence: Evidence, opts: DiagnoseOptions = {}): Report {
  const e = evidence as Partial<Evidence> | null;
  if (typeof e !== 'object' || e === null || !Array.isArray(e.inputs) || !Array.isArray(e.events))
    throw new ToolError('usage', {
      message: 'diagnose() takes Evidence: { inputs: [], events: [], lines: {} }.',
    });
  checkNow(opts.now);
  const now = opts.now ?? new Date();
  const { findings, ruleErrors } = runRules(evidence, opts.rules ?? RULES, { now });
  const judged = {
    inputs: evidence.inputs,
    events: evidence.events,
    // A title is one line: a DN or file name from the evidence never brings a newline or escape into it.
    findings: findings.map((f) => ({ ...f, title: stripControlChars(f.title) })),
    ruleErrors,
  };
  // A saved probe brings its verification table back, as the live probe shows it.
  const verification = probeVerification(evidence.events, now);
  return reportOf(judged, now, {
    next: nextActions(findings),
    ...(verification.length > 0 ? { verification } : {}),
  });
}

/**
 * Read the inputs into one Evidence: files, folders, `-`, uploads — and files saved earlier with
 * `--save-evidence`, which are loaded as they are. Input order is kept.
 */
export async function readEvidence(specs: InputSpec[], opts: AnalyzeOptions = {}): Promise<Evidence> {
  checkInputSpecs(specs);
  if (typeof opts !== 'object' || opts === null)
    throw new ToolError('usage', { message: 'The options must be an object.' });
  checkNow(opts.now);
  checkUnopenedPse(opts.unopenedPse);
  const secrets = checkedSecrets(opts.secrets);
  // One pass: readInputs opens each input once and loads saved evidence itself (a pipe works too).
  return readInputs(specs, {
    ...(secrets ? { secrets } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.stdin ? { stdin: opts.stdin } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    rejectWrongPin: opts.unopenedPse !== 'report',
  });
}

/**
 * Read the inputs (files, folders, standard input, uploads, saved evidence) and diagnose them into one
 * Report. Input problems (missing file, empty input, a PSE named as an input that the given PIN does not
 * open — see `unopenedPse`) reject with a ToolError.
 */
export async function analyze(specs: InputSpec[], opts: AnalyzeOptions = {}): Promise<Report> {
  return diagnose(await readEvidence(specs, opts), opts);
}
