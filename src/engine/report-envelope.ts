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
 * The Report of a run judged at `now`: tool, schema and tool version, the evidence, the findings, the
 * command's own sections (those given), and `ruleErrors` only when a rule failed.
 */
export function reportOf(judged: Judged, now: Date, sections: ReportSections = {}): Report {
  const report: Report = {
    tool: 'pse-doctor',
    schemaVersion: 1,
    generatedAt: now.toISOString(),
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
