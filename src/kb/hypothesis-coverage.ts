/**
 * @module Which kb entries `analyze` turns into ranked findings, and which of them rank too few causes:
 * an entry that recognises a line (`printed:` or `patterns:`) and describes a failure must give at least
 * two ranked `hypotheses:`, or say in `singleCause:` why one cause is all its message can mean.
 */
import { type KbEntry, PROBLEM_KINDS } from './types.js';

/** Hypotheses an entry needs unless it is marked `singleCause:`. */
export const MIN_HYPOTHESES = 2;

/**
 * True when `analyze` recognises the entry's texts and makes findings of them: a failure kind (message,
 * code, alert) with printed phrases or patterns, or any entry that ranks hypotheses of its own. A
 * parameter, transaction or concept named in a line is evidence, not a failure: it gets no finding.
 */
export function yieldsFindings(e: KbEntry): boolean {
  const recognised = e.printed.length > 0 || e.patterns.length > 0;
  return recognised && (PROBLEM_KINDS.has(e.kind) || e.hypotheses.length > 0);
}

/** One problem of an entry's ranking, for the audit and the test. */
export interface RankingGap {
  id: string;
  file: string;
  hypotheses: number;
  problem: string;
}

/**
 * The entries that break the rule: too few hypotheses and no `singleCause:`, or a `singleCause:` beside
 * several hypotheses (the entry contradicts itself).
 */
export function rankingGaps(entries: readonly KbEntry[]): RankingGap[] {
  const gaps: RankingGap[] = [];
  for (const e of entries) {
    if (!yieldsFindings(e)) continue;
    const n = e.hypotheses.length;
    const base = { id: e.id, file: e.file, hypotheses: n };
    if (e.singleCause !== undefined && n >= MIN_HYPOTHESES)
      gaps.push({ ...base, problem: `ranks ${n} hypotheses but says singleCause` });
    else if (e.singleCause === undefined && n < MIN_HYPOTHESES)
      gaps.push({
        ...base,
        problem: `${n} ranked hypothes${n === 1 ? 'is' : 'es'}: rank every plausible cause, or say why one is all in singleCause`,
      });
  }
  return gaps;
}
