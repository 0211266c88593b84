/**
 * @module Repeated advice said once: a finding whose steps are those of an earlier finding — word for word, or
 * with only its own PSE's name in place of the other's (one renewal per PSE of a sec folder) — points there.
 * The terminal and the web view both use it.
 */
import type { Finding, Report } from '../model/report.js';

/** The finding's steps with its own PSE named by a placeholder. */
function stepsKey(f: Finding): string {
  const names = [f.pse?.file, f.pse?.basename]
    .filter((n): n is string => Boolean(n))
    .sort((a, b) => b.length - a.length);
  return f.steps.map((s) => names.reduce((text, n) => text.split(n).join('\u0000'), s)).join('\n');
}

/** The first finding of each step list, word for word and with the PSE name a placeholder (by rule). */
interface StepsIndex {
  exact: Map<string, number>;
  keyed: Map<string, number>;
}

/** Built once per report: a page or a terminal asks for every finding, so a scan per finding was quadratic. */
const indexes = new WeakMap<Report, StepsIndex>();

function indexOf(report: Report): StepsIndex {
  let index = indexes.get(report);
  if (index) return index;
  index = { exact: new Map(), keyed: new Map() };
  report.findings.forEach((f, i) => {
    if (!f.steps.length) return;
    const exact = `${f.steps.length}\u0001${f.steps.join('\n')}`;
    if (!index!.exact.has(exact)) index!.exact.set(exact, i);
    const keyed = `${f.rule}\u0001${f.steps.length}\u0001${stepsKey(f)}`;
    if (!index!.keyed.has(keyed)) index!.keyed.set(keyed, i);
  });
  indexes.set(report, index);
  return index;
}

/**
 * The index of the earlier finding whose steps these are, and whether they differ by the PSE name; undefined
 * when the steps are the finding's own.
 */
export function sameStepsAs(report: Report, index: number): { index: number; otherPse: boolean } | undefined {
  const f = report.findings[index];
  if (!f?.steps.length) return undefined;
  const { exact, keyed } = indexOf(report);
  const word = exact.get(`${f.steps.length}\u0001${f.steps.join('\n')}`);
  const named = keyed.get(`${f.rule}\u0001${f.steps.length}\u0001${stepsKey(f)}`);
  const byWord = word !== undefined && word < index ? word : undefined;
  const byName = named !== undefined && named < index ? named : undefined;
  if (byWord !== undefined && (byName === undefined || byWord <= byName))
    return { index: byWord, otherPse: false };
  if (byName !== undefined) return { index: byName, otherPse: true };
  return undefined;
}
