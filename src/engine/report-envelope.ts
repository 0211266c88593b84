/** @module The Report every command returns, built around what the engine judged: one envelope, one place. */
import type { EvidenceEvent, InputSummary } from '../model/evidence.js';
import type { Finding, Report, RuleError } from '../model/report.js';
import { TOOL_VERSION } from '../version.js';

/** What one command judged: its inputs and events, the engine's findings and rule errors. */
export interface Judged {
  inputs: InputSummary[];
  events: EvidenceEvent[];
  findings: Finding[];
  ruleErrors: readonly RuleError[];
}

/** Sections a command adds after the findings (`next`, `verification`, `landscape`). */
export type ReportSections = Partial<Pick<Report, 'next' | 'verification' | 'landscape'>>;

/**
 * `date.toISOString()`, from the date's UTC fields for the years 0 to 9999 (any other date, an invalid one
 * too, goes to toISOString itself): V8's first toISOString of a process costs about 0.8 ms (measured on
 * Node 20), the fields a tenth of that, and every analysis stamps its report.
 */
export function isoTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return date.toISOString();
  const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
  const ms = date.getUTCMilliseconds();
  return `${String(year).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(
    date.getUTCHours(),
  )}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${String(ms).padStart(3, '0')}Z`;
}

/**
 * The Report of a run judged at `now`: tool, schema and tool version, the evidence, the findings, the
 * command's own sections (those given), and `ruleErrors` only when a rule failed.
 */
export function reportOf(judged: Judged, now: Date, sections: ReportSections = {}): Report {
  const report: Report = {
    tool: 'pse-doctor',
    schemaVersion: 1,
    generatedAt: isoTimestamp(now),
    toolVersion: TOOL_VERSION,
    inputs: judged.inputs,
    events: judged.events,
    findings: judged.findings,
  };
  for (const [key, value] of Object.entries(sections) as [keyof ReportSections, never][])
    if (value !== undefined) report[key] = value;
  if (judged.ruleErrors.length > 0) report.ruleErrors = [...judged.ruleErrors];
  return report;
}
