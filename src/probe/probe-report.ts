/**
 * @module A probe as the same Report `analyze` produces: the probe is input 0 (its transcript lines are the
 * evidence lines), the trust list inputs follow, the probe result travels in a `ProbeEvent`.
 */
import type { TrustList } from '../model/certificate.js';
import type { EvidenceEvent, InputSummary, ProbeEvent } from '../model/evidence.js';
import type { Report } from '../model/report.js';
import { TOOL_VERSION } from '../version.js';
import { diagnoseProbe, type ProbeDiagnosis } from './diagnose-probe.js';
import type { ProbeResult } from './types.js';

export interface ProbeReportInput {
  result: ProbeResult;
  /** Summaries and events of the trust-list inputs (read by the shared readers), in the order given. */
  trustInputs?: { summary: InputSummary; events: EvidenceEvent[] }[];
  /** The merged trust list to judge with (absent: no --trust). */
  trust?: TrustList;
  now?: Date;
}

/** The probe's own input summary: a "file" whose lines are the transcript. */
function probeInputSummary(result: ProbeResult, lines: number): InputSummary {
  const url = result.target.url ?? `${result.target.host}:${result.target.port}`;
  return {
    name: `probe ${url}`,
    format: 'probe',
    bytes: 0,
    lines,
    unrecognizedLines: 0,
    warnings: [...result.notes],
  };
}

/** Diagnose a probe and wrap everything in a Report (plus the diagnosis, for renderers). */
export function buildProbeReport(input: ProbeReportInput): { report: Report; diagnosis: ProbeDiagnosis } {
  const now = input.now ?? new Date();
  const diagnosis = diagnoseProbe({
    result: input.result,
    ...(input.trust ? { trust: input.trust } : {}),
    now,
    input: 0,
  });
  const lines = diagnosis.transcript.lines;
  const event: ProbeEvent = {
    kind: 'probe',
    source: { input: 0, line: 1, endLine: Math.max(1, lines.length) },
    timestamp: input.result.startedAt,
    target: { host: input.result.target.host, port: input.result.target.port },
    result: { ...input.result, transcript: lines },
  };
  const inputs: InputSummary[] = [probeInputSummary(input.result, lines.length)];
  const events: EvidenceEvent[] = [event];
  for (const t of input.trustInputs ?? []) {
    inputs.push(t.summary);
    events.push(...t.events);
  }
  const report: Report = {
    tool: 'pse-doctor',
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    toolVersion: TOOL_VERSION,
    inputs,
    events,
    findings: diagnosis.findings,
  };
  if (diagnosis.verification.length > 0) report.verification = diagnosis.verification;
  return { report, diagnosis };
}
