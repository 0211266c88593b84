/**
 * @module Diagnose evidence with a given rule list (`diagnoseWith`), or with the rules its evidence
 * kinds can set off, loaded on demand (`diagnoseOnDemand`, what the CLI's `analyze` uses): the same
 * Report either way.
 */
import { checkNow } from '../analyze-arguments.js';
import { ToolError } from '../model/errors.js';
import { stripControlChars } from '../model/escape-controls.js';
import type { Evidence, EvidenceKind } from '../model/evidence.js';
import type { ProfileVerdictSummary, Report } from '../model/report.js';
import type { Rule } from '../rules/define.js';
import { kindsOf, rulesFor } from '../rules/on-demand.js';
import { reportOf } from './report-envelope.js';
import { type EngineResult, nextActions, RuleRun, runRules } from './run-rules.js';

/** Throws a `usage` ToolError unless `evidence` has the shape of an Evidence. */
function checkEvidence(evidence: unknown): asserts evidence is Evidence {
  const e = evidence as Partial<Evidence> | null;
  if (typeof e !== 'object' || e === null || !Array.isArray(e.inputs) || !Array.isArray(e.events))
    throw new ToolError('usage', {
      message: 'diagnose() takes Evidence: { inputs: [], events: [], lines: {} }.',
    });
}

/** Run `rules` over evidence that was already read and build the Report. Pure: no I/O. */
export function diagnoseWith(
  evidence: Evidence,
  rules: readonly Rule[],
  opts: { now?: Date; verification?: ProfileVerdictSummary[] } = {},
): Report {
  checkEvidence(evidence);
  checkNow(opts.now);
  const now = opts.now ?? new Date();
  return reportFrom(evidence, runRules(evidence, rules, { now }), now, opts.verification ?? []);
}

function reportFrom(
  evidence: Evidence,
  { findings, ruleErrors }: EngineResult,
  now: Date,
  verification: ProfileVerdictSummary[],
): Report {
  const judged = {
    inputs: evidence.inputs,
    events: evidence.events,
    // A title is one line: a DN or file name from the evidence never brings a newline or escape into it.
    findings: findings.map((f) => ({ ...f, title: stripControlChars(f.title) })),
    ruleErrors,
  };
  return reportOf(judged, now, {
    next: nextActions(findings),
    ...(verification.length > 0 ? { verification } : {}),
  });
}

/**
 * `diagnoseWith` every registered rule that the evidence's kinds can set off, loading only those (a rule
 * none of whose `needs` is present does not apply, so the Report is the one all rules give). The
 * fallback rules are loaded after the others ran, and only when an event is left unsettled for them
 * (src/engine/settled.ts): a pasted Java line that a Java rule explained never loads the kb-message rule.
 */
export function diagnoseOnDemand(evidence: Evidence, opts: { now?: Date } = {}): Promise<Report> {
  return diagnoseInParts(evidence, (kinds, part) => rulesFor(kinds, part), opts);
}

/** Picks the rules of one part (ordinary or fallback) for evidence of these kinds. */
export type RulePicker = (
  kinds: ReadonlySet<EvidenceKind>,
  part: 'ordinary' | 'fallback',
) => Promise<readonly Rule[]>;

/** `diagnoseOnDemand` with the rules `pick` gives (tests pass the registry's groups). */
export async function diagnoseInParts(
  evidence: Evidence,
  pick: RulePicker,
  opts: { now?: Date } = {},
): Promise<Report> {
  checkEvidence(evidence);
  checkNow(opts.now);
  const now = opts.now ?? new Date();
  const run = new RuleRun(evidence, { now });
  run.apply(await pick(kindsOf(evidence), 'ordinary'));
  const unsettled = run.unsettledKinds();
  if (unsettled.size > 0) run.apply(await pick(unsettled, 'fallback'));
  return reportFrom(evidence, run.finish(), now, await savedProbeVerification(evidence, now));
}

/**
 * A saved probe brings its verification table back, as the live probe shows it. The probe judgement
 * (and the X.509 stack behind it) is loaded only when the evidence holds a probe.
 */
export async function savedProbeVerification(
  evidence: Evidence,
  now: Date,
): Promise<ProfileVerdictSummary[]> {
  if (!evidence.events.some((e) => e.kind === 'probe')) return [];
  const { probeVerification } = await import('../rules/probe-judgement/judge-probe.js');
  return probeVerification(evidence.events, now);
}
