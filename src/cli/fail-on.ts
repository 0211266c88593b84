/** @module The `--fail-on` option shared by every command: parse it and turn findings into the exit code. */
import { SEVERITY_RANK, type Severity } from '../model/cause.js';
import { ToolError } from '../model/errors.js';

/** A severity threshold, or `never` (exit 0 whatever is found). */
export type FailOn = Severity | 'never';

/** Help text for the option, the same in every command. */
export const FAIL_ON_HELP = 'exit 1 when a finding is at or above: error (default), warning, info, never';

/** Parse `--fail-on`; `none` is accepted as a synonym of `never`. */
export function parseFailOn(value: string | undefined): FailOn {
  const v = (value ?? 'error').trim().toLowerCase();
  if (v === 'none' || v === 'never') return 'never';
  if (v === 'error' || v === 'warning' || v === 'info') return v;
  throw new ToolError('usage', {
    message: `--fail-on takes error, warning, info or never (got "${value}").`,
  });
}

/** 1 when any finding is at or above `failOn`, else 0. */
export function exitCodeForFindings(findings: readonly { severity: Severity }[], failOn: FailOn): number {
  if (failOn === 'never') return 0;
  const limit = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] <= limit) ? 1 : 0;
}
