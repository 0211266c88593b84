/**
 * @module The bridge the registered rules report probe outcomes through, apart from the judgement
 * itself (judge-probe.ts and the modules it imports): rules of failure evidence import this light module,
 * and the judgement's code loads only when the evidence holds a probe. judge-probe.ts registers its judge
 * here when it loads; whoever runs rules on probe events loads it first: `rulesFor` (src/rules/on-demand.ts)
 * when the evidence kinds include `probe`, and the full registry (src/rules/index.ts) always.
 */
import type { ProbeEvent } from '../../model/evidence.js';
import type { ProfileVerdictSummary } from '../../model/report.js';
import type { RuleContext } from '../define.js';
import type { ProbeOutcome } from './probe-context.js';

/** What a probe judgement found: outcomes per registered rule, and the chain's verdicts side by side. */
export interface ProbeJudgement {
  outcomes: ProbeOutcome[];
  /** The chain judged under `sap-icm` (first) and `browser`. */
  verification: ProfileVerdictSummary[];
}

/** Judges one probe event at a clock (judge-probe.ts's judgeProbe). */
export type ProbeJudgeFn = (event: ProbeEvent, now: Date) => ProbeJudgement;

let judge: ProbeJudgeFn | undefined;

/** Called by judge-probe.ts when it loads. */
export function setProbeJudge(fn: ProbeJudgeFn): void {
  judge = fn;
}

/** Report every outcome of `probes` that belongs to `ruleId`. */
export function reportProbeOutcomes(
  ruleId: string,
  probes: readonly ProbeEvent[] | undefined,
  now: Date,
  ctx: RuleContext<string>,
): void {
  if (!probes?.length) return;
  if (!judge)
    throw new Error('probe events reached the rules before the probe judgement loaded (judge-probe.js)');
  for (const event of probes) {
    for (const o of judge(event, now).outcomes) {
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
