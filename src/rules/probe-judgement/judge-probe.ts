/**
 * @module A probe judged once per probe event (cached), and the bridge the registered rules use: each
 * rule reports the outcomes of the sections it owns, with the words the judgement computed.
 */
import type { Confidence, Severity } from '../../model/cause.js';
import type { ProbeEvent } from '../../model/evidence.js';
import type { ProfileVerdictSummary } from '../../model/report.js';
import type { RuleContext, RuleMessage } from '../define.js';
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
 * The message of a probe outcome: the judgement words the whole finding from the probe's facts (its
 * title names host, port, alert and certificate), so the template carries them through.
 */
export const PROBE_MESSAGE: RuleMessage = {
  title: '{title}',
  summary: '{summary}',
  distinguish: '{distinguish}',
};

/** Report every outcome of `probes` that belongs to `ruleId`. */
export function reportProbeOutcomes(
  ruleId: string,
  probes: readonly ProbeEvent[] | undefined,
  now: Date,
  ctx: RuleContext<'probe'>,
): void {
  for (const event of probes ?? []) {
    for (const o of judgeProbe(event, now).outcomes) {
      if (o.rule !== ruleId) continue;
      ctx.report({
        message: 'probe',
        data: {
          title: o.title,
          summary: o.summary,
          distinguish: o.distinguish,
        },
        cause: o.cause,
        confidence: o.confidence as Confidence,
        severity: o.severity as Severity,
        ...(o.role ? { role: o.role } : {}),
        ...(o.target ? { target: o.target } : {}),
        ...(o.errorCode ? { errorCode: o.errorCode } : {}),
        ...(o.relatedCodes?.length ? { relatedCodes: o.relatedCodes } : {}),
        ...(o.pse ? { pse: o.pse } : {}),
        ...(o.certificates ? { certificates: o.certificates } : {}),
        ...(o.import ? { import: o.import } : {}),
        ...(o.parameters ? { parameters: o.parameters } : {}),
        leadSteps: o.stepDetails ?? o.steps,
        ...(o.confirm?.length ? { leadConfirm: o.confirmDetails ?? o.confirm } : {}),
        ...(o.collect?.length ? { leadCollect: o.collectDetails ?? o.collect } : {}),
        events: [event],
        lines: o.evidence.map((l) => ({ input: l.input, line: l.line })),
        kb: o.kb,
      });
    }
  }
}
