/**
 * @module A probe as evidence and as the same Report `analyze` produces: the probe is input 0 (its
 * transcript lines are the evidence lines), the trust-list inputs follow, the probe result and the
 * merged trust list travel in one `ProbeEvent`, and the registered rules judge it.
 */
import { reportOf } from '../engine/report-envelope.js';
import { runRules } from '../engine/run-rules.js';
import { type ProbeTranscript, writeTranscript } from '../evidence/probe-transcript.js';
import type { TrustList } from '../model/certificate.js';
import type { Evidence, EvidenceEvent, InputSummary, ProbeEvent } from '../model/evidence.js';
import type { Finding, ProfileVerdictSummary, Report } from '../model/report.js';
import { RULES } from '../rules/index.js';
import { probeVerification } from '../rules/probe-judgement/judge-probe.js';
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

/**
 * The evidence of a probe: one ProbeEvent (result, transcript, merged trust list) and the transcript
 * lines. This is what `probe --save-evidence` writes; `analyze` re-diagnoses it with the same rules.
 */
export function buildProbeEvidence(input: ProbeReportInput): {
  evidence: Evidence;
  transcript: ProbeTranscript;
} {
  const transcript = writeTranscript(input.result);
  const lines = transcript.lines;
  const event: ProbeEvent = {
    kind: 'probe',
    source: { input: 0, line: 1, endLine: Math.max(1, lines.length) },
    timestamp: input.result.startedAt,
    target: { host: input.result.target.host, port: input.result.target.port },
    result: { ...input.result, transcript: lines },
    ...(input.trust ? { trust: input.trust } : {}),
  };
  const quoted: Record<string, string> = {};
  lines.forEach((text, i) => {
    quoted[`0:${i + 1}`] = text;
  });
  const inputs = [
    probeInputSummary(input.result, lines.length),
    ...(input.trustInputs ?? []).map((t) => t.summary),
  ];
  return { evidence: { inputs, events: [event], lines: quoted }, transcript };
}

/** What the probe views need besides the Report. */
export interface ProbeReportResult {
  report: Report;
  transcript: ProbeTranscript;
  /** The evidence the findings were judged from (for `--save-evidence`). */
  evidence: Evidence;
}

/** Judge a probe with the registered rules and wrap everything in a Report. */
export function buildProbeReport(input: ProbeReportInput): ProbeReportResult {
  const now = input.now ?? new Date();
  const { evidence, transcript } = buildProbeEvidence(input);
  const { findings, ruleErrors } = runRules(evidence, RULES, { now });
  const events: EvidenceEvent[] = [...evidence.events];
  for (const t of input.trustInputs ?? []) events.push(...t.events);
  const verification = probeVerification(evidence.events, now);
  const report = reportOf({ inputs: evidence.inputs, events, findings, ruleErrors }, now, {
    verification: verification.length > 0 ? verification : undefined,
  });
  return { report, transcript, evidence };
}

/** Findings, verdicts and transcript of one probe result (library use and tests; no I/O). */
export function diagnoseProbe(input: ProbeReportInput): {
  findings: Finding[];
  verification: ProfileVerdictSummary[];
  transcript: ProbeTranscript;
} {
  const { report, transcript } = buildProbeReport(input);
  return { findings: report.findings, verification: report.verification ?? [], transcript };
}
