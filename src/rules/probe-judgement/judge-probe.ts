/**
 * @module A probe judged once per probe event (cached). Loading this module registers the judge with
 * the bridge the registered rules use (probe-outcomes.ts): each rule reports the outcomes of the sections
 * it owns — a message id of its own and the facts its templates fill in.
 */
import type { EvidenceEvent, ProbeEvent } from '../../model/evidence.js';
import type { ProfileVerdictSummary } from '../../model/report.js';
import { ProbeJudge } from './probe-chain.js';
import { type ProbeJudgement, setProbeJudge } from './probe-outcomes.js';

export { type ProbeJudgement, reportProbeOutcomes } from './probe-outcomes.js';

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

setProbeJudge(judgeProbe);
