/**
 * @module `readEvidence(inputs)`: the reading half of the library's `analyze()`, apart from the rules so
 * the CLI can read evidence without loading every rule (see src/engine/diagnose.ts).
 */
import type { AnalyzeOptions } from './analyze.js';
import { checkedSecrets, checkInputSpecs, checkNow, checkUnopenedPse } from './analyze-arguments.js';
import { ToolError } from './model/errors.js';
import type { Evidence } from './model/evidence.js';
import { type InputSpec, readInputs } from './readers/index.js';

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
