/**
 * @module A probe judged once per probe event (cached), and the bridge the registered rules use: each
 * rule reports the outcomes of the sections it owns — a message id of its own and the facts its
 * templates fill in.
 */
import type { EvidenceEvent, ProbeEvent } from '../../model/evidence.js';
import type { ProfileVerdictSummary } from '../../model/report.js';
import type { RuleContext } from '../define.js';
import { ProbeJudge } from './probe-chain.js';
import type { ProbeOutcome } from './probe-context.js';

/** What a probe judgement found: outcomes per registered rule, and the chain's verdicts side by side. */
export interface ProbeJudgement {
  outcomes: ProbeOutcome[];
  /** The chain judged under `sap-icm` (first) and `browser`. */
  verification: ProfileVerdictSummary[];
}

const cache = new WeakMap<ProbeEvent, Map<number, ProbeJudgement>>();

/** Judge one probe event at `now` (pure; the result is cached per event and clock). */
export function judgeProbe(event: ProbeEvent, now: Date): ProbeJudgement {
  let byNow = cache.get(event);
  if (!byNow) {
    byNow = new Map();
    cache.set(event, byNow);
  }
  const hit = byNow.get(now.getTime());
  if (hit) return hit;
  const judge = new ProbeJudge({
    result: event.result,
    ...(event.trust ? { trust: event.trust } : {}),
    now,
    input: event.source.input,
  }).judge();
  const judgement = { outcomes: judge.outcomes, verification: judge.verification };
  byNow.set(now.getTime(), judgement);
  return judgement;
}

/**
 * The verification table of the probes among `events` (sap-icm first, then browser, per probe): what the
 * live `probe` shows, and what `analyze` shows when it reads a probe saved with `--save-evidence`.
 */
export function probeVerification(events: readonly EvidenceEvent[], now: Date): ProfileVerdictSummary[] {
  return events
    .filter((e): e is ProbeEvent => e.kind === 'probe')
    .flatMap((e) => judgeProbe(e, now).verification);
}

/** Report every outcome of `probes` that belongs to `ruleId`. */
export function reportProbeOutcomes(
  ruleId: string,
  probes: readonly ProbeEvent[] | undefined,
  now: Date,
  ctx: RuleContext<string>,
): void {
  for (const event of probes ?? []) {
    for (const o of judgeProbe(event, now).outcomes) {
      if (o.rule !== ruleId) continue;
      ctx.report({
        message: o.message,
        data: o.data,
        cause: o.cause,
        confidence: o.confidence,
        severity: o.severity,
        role: o.role,
        target: o.target,
        ...(o.errorCode ? { errorCode: o.errorCode } : {}),
        ...(o.relatedCodes?.length ? { relatedCodes: o.relatedCodes } : {}),
        ...(o.pse ? { pse: o.pse } : {}),
        ...(o.certificates ? { certificates: o.certificates } : {}),
        ...(o.import ? { import: o.import } : {}),
        ...(o.parameters ? { parameters: o.parameters } : {}),
        events: [event],
        lines: o.evidence.map((l) => ({ input: l.input, line: l.line })),
        kb: o.kb,
      });
    }
  }
}
