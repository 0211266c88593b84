/**
 * @module The library facade: `analyze(inputs)` reads evidence and diagnoses it; `diagnose(evidence)` re-diagnoses saved evidence.
 */

import type { Readable } from 'node:stream';
import { diagnoseWith } from './engine/diagnose.js';
import type { Evidence } from './model/evidence.js';
import type { Report } from './model/report.js';
import { readEvidence } from './read-evidence.js';
import type { InputSpec } from './readers/index.js';
import type { SecretProvider } from './readers/types.js';
import type { Rule } from './rules/define.js';
import { RULES } from './rules/index.js';
import { probeVerification } from './rules/probe-judgement/judge-probe.js';

export { readEvidence } from './read-evidence.js';
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
  /** Standard input, for the `-` input: a stream, or any async iterable of its bytes. */
  stdin?: Readable | AsyncIterable<Buffer | Uint8Array | string>;
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
  // A saved probe brings its verification table back, as the live probe shows it (diagnoseWith checks
  // the evidence and the clock; a malformed one gets its usage error there).
  const events = (evidence as Partial<Evidence> | null)?.events;
  const now = opts.now instanceof Date ? opts.now : new Date();
  const verification = Array.isArray(events) ? probeVerification(events, now) : [];
  return diagnoseWith(evidence, opts.rules ?? RULES, { ...opts, verification });
}

/**
 * Read the inputs (files, folders, standard input, uploads, saved evidence) and diagnose them into one
 * Report. Input problems (missing file, empty input, a PSE named as an input that the given PIN does not
 * open — see `unopenedPse`) reject with a ToolError.
 */
export async function analyze(specs: InputSpec[], opts: AnalyzeOptions = {}): Promise<Report> {
  return diagnose(await readEvidence(specs, opts), opts);
}
