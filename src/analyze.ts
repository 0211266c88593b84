/**
 * @module The library facade: `analyze(inputs)` reads evidence and diagnoses it; `diagnose(evidence)` re-diagnoses saved evidence.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { nextActions, runRules } from './engine/run-rules.js';
import {
  looksLikeSavedEvidence,
  MAX_SAVED_EVIDENCE_BYTES,
  mergeEvidence,
  parseSavedEvidence,
} from './evidence/saved-evidence.js';
import { ToolError } from './model/errors.js';
import type { Evidence } from './model/evidence.js';
import type { Report } from './model/report.js';
import { type InputSpec, readInputs } from './readers/index.js';
import type { SecretProvider } from './readers/types.js';
import { stripControlChars } from './report/control-chars.js';
import type { Rule } from './rules/define.js';
import { RULES } from './rules/index.js';
import { TOOL_VERSION } from './version.js';

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
}

/**
 * Diagnose evidence that was already read (or saved with `--save-evidence`): run the rules and build
 * the Report. Pure: no I/O.
 */
export function diagnose(evidence: Evidence, opts: DiagnoseOptions = {}): Report {
  const now = opts.now ?? new Date();
  const { findings, ruleErrors } = runRules(evidence, opts.rules ?? RULES, { now });
  const report: Report = {
    tool: 'pse-doctor',
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    toolVersion: TOOL_VERSION,
    inputs: evidence.inputs,
    events: evidence.events,
    // A title is one line: a DN or file name from the evidence never brings a newline or escape into it.
    findings: findings.map((f) => ({ ...f, title: stripControlChars(f.title) })),
  };
  const next = nextActions(findings);
  if (next) report.next = next;
  if (ruleErrors.length > 0) report.ruleErrors = ruleErrors;
  return report;
}

/** Is this spec (a file or uploaded bytes) evidence saved with `--save-evidence`? Returns it parsed when it is. */
async function loadSavedEvidence(spec: InputSpec, cwd: string | undefined): Promise<Evidence | undefined> {
  if (typeof spec !== 'string' && 'bytes' in spec) {
    const bytes = Buffer.from(spec.bytes.buffer, spec.bytes.byteOffset, spec.bytes.byteLength);
    if (!looksLikeSavedEvidence(bytes)) return undefined;
    if (bytes.length > MAX_SAVED_EVIDENCE_BYTES)
      throw new ToolError('too-large', {
        name: spec.name,
        limit: `${MAX_SAVED_EVIDENCE_BYTES / 1024 / 1024} MiB`,
      });
    return parseSavedEvidence(bytes.toString('utf8'), spec.name);
  }
  if (typeof spec !== 'string' || spec === '-') return undefined;
  const path = resolve(cwd ?? process.cwd(), spec);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const st = await handle.stat();
    if (!st.isFile()) return undefined;
    const head = Buffer.alloc(Math.min(4096, st.size));
    await handle.read(head, 0, head.length, 0);
    if (!looksLikeSavedEvidence(head)) return undefined;
    if (st.size > MAX_SAVED_EVIDENCE_BYTES)
      throw new ToolError('too-large', {
        name: spec,
        limit: `${MAX_SAVED_EVIDENCE_BYTES / 1024 / 1024} MiB`,
      });
    const text = await handle.readFile({ encoding: 'utf8' });
    return parseSavedEvidence(text, spec);
  } catch (err) {
    if (err instanceof ToolError) throw err;
    return undefined; // not openable here: readInputs reports it with the right message
  } finally {
    await handle?.close();
  }
}

/**
 * Read the inputs into one Evidence: files, folders, `-`, uploads — and files saved earlier with
 * `--save-evidence`, which are loaded as they are. Input order is kept.
 */
export async function readEvidence(specs: InputSpec[], opts: AnalyzeOptions = {}): Promise<Evidence> {
  const readOpts = {
    ...(opts.secrets ? { secrets: opts.secrets } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.stdin ? { stdin: opts.stdin } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  };
  const parts: Evidence[] = [];
  let batch: InputSpec[] = [];
  const flush = async () => {
    if (batch.length > 0) parts.push(await readInputs(batch, readOpts));
    batch = [];
  };
  for (const spec of specs) {
    const saved = await loadSavedEvidence(spec, opts.cwd);
    if (saved) {
      await flush();
      parts.push(saved);
    } else batch.push(spec);
  }
  await flush();
  return parts.length === 1 ? (parts[0] as Evidence) : mergeEvidence(parts);
}

/**
 * Read the inputs (files, folders, standard input, uploads, saved evidence) and diagnose them into one
 * Report. Input problems (missing file, empty input, wrong PIN) reject with a ToolError.
 */
export async function analyze(specs: InputSpec[], opts: AnalyzeOptions = {}): Promise<Report> {
  return diagnose(await readEvidence(specs, opts), opts);
}
