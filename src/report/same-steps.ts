/**
 * @module Repeated advice said once: a finding whose steps are those of an earlier finding — word for word, or
 * with only its own PSE's name in place of the other's (one renewal per PSE of a sec folder) — points there.
 * The terminal and the web view both use it.
 */
import type { Finding, Report } from '../model/report.js';

/** The finding's steps with its own PSE named by a placeholder. */
function stepsKey(f: Finding): string {
  const names = [f.pse?.file, f.pse?.basename]
    .filter((n): n is string => Boolean(n))
    .sort((a, b) => b.length - a.length);
  return f.steps.map((s) => names.reduce((text, n) => text.split(n).join('\u0000'), s)).join('\n');
}

/**
 * The index of the earlier finding whose steps these are, and whether they differ by the PSE name; undefined
 * when the steps are the finding's own.
 */
export function sameStepsAs(report: Report, index: number): { index: number; otherPse: boolean } | undefined {
  const f = report.findings[index];
  if (!f?.steps.length) return undefined;
  const exact = f.steps.join('\n');
  const key = stepsKey(f);
  for (let i = 0; i < index; i++) {
    const other = report.findings[i] as Finding;
    if (other.steps.length !== f.steps.length) continue;
    if (other.steps.join('\n') === exact) return { index: i, otherPse: false };
    if (other.rule === f.rule && stepsKey(other) === key) return { index: i, otherPse: true };
  }
  return undefined;
}
