/**
 * @module Terminal summary of a landscape Report: systems, PSEs, what breaks next (the plan), trend. A
 * landscape is a dated plan over many systems rather than one incident's findings, so it keeps this
 * summary of its own; its lines pass the one control-character filter, and certificate dates read as in
 * the PSE table (certificate-entry's expiry cell).
 */
import type { LandscapeInventory, PlanItem } from '../model/landscape.js';
import type { Report } from '../model/report.js';
import { stripControlChars } from './control-chars.js';
import { expiryCell } from './sections/certificate-entry.js';

const MAX_PLAN_LINES = 25;

function when(item: PlanItem): string {
  if (item.daysLeft < 0) return `${item.date} (overdue ${-item.daysLeft} d)`;
  if (item.daysLeft === 0) return `${item.date} (today)`;
  return `${item.date} (in ${item.daysLeft} d)`;
}

function counts(report: Report): string {
  const by = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) by[f.severity]++;
  return `${by.error} error(s), ${by.warning} warning(s), ${by.info} info`;
}

function trendLines(l: LandscapeInventory, now: Date): string[] {
  const t = l.trend;
  if (!t) return [];
  const out = [`Since the run of ${t.previousRunAt.slice(0, 16).replace('T', ' ')} UTC:`];
  const parts: [string, number][] = [
    ['certificate(s) added', t.added.length],
    ['removed', t.removed.length],
    ['renewed', t.renewed.length],
    ['PSE(s) new', t.pseAdded.length],
    ['PSE(s) gone', t.pseRemoved.length],
    ['finding(s) new', t.findingsNew.length],
    ['finding(s) gone', t.findingsGone.length],
  ];
  out.push(`  ${parts.map(([w, n]) => `${n} ${w}`).join(', ')}`);
  for (const r of t.renewed.slice(0, 5))
    out.push(`  renewed: ${r.pse} ${r.role} "${r.subject}" now until ${expiryCell(r, now)}`);
  for (const f of t.findingsNew.slice(0, 5)) out.push(`  new: ${f}`);
  for (const f of t.findingsGone.slice(0, 5)) out.push(`  gone: ${f}`);
  return out;
}

/** The summary printed by `pse-doctor landscape`. */
export function renderLandscapeText(report: Report): string {
  const l = report.landscape;
  if (!l) return 'No landscape in this report.\n';
  const instances = l.systems.reduce((n, s) => n + s.instances.length, 0);
  const unreadable = l.pses.filter((p) => p.source === 'unreadable').length;
  const fromListing = l.pses.filter((p) => p.source === 'listing').length;
  const out: string[] = [];
  out.push(
    `Landscape: ${l.systems.length} system(s), ${instances} instance(s), ${l.pses.length} PSE(s)` +
      (fromListing ? `, ${fromListing} from listings` : '') +
      (unreadable ? `, ${unreadable} not readable here` : '') +
      (l.baselines.length ? `; ${l.baselines.length} baseline(s)` : '') +
      (l.targets.length ? `; ${l.targets.length} target(s)` : ''),
  );
  out.push(`Findings: ${counts(report)}`);
  out.push('');
  if (l.plan.length) {
    out.push('What breaks next (most urgent first):');
    const shown = l.plan.slice(0, MAX_PLAN_LINES);
    // One column for the dates, as wide as the widest shown ("2019-02-18 (overdue 2660 d)").
    const width = Math.max(...shown.map((item) => when(item).length));
    for (const item of shown) {
      out.push(`  ${when(item).padEnd(width)} ${item.severity.padEnd(7)} ${item.title}`);
      if (item.import?.commands[0]) out.push(`  ${''.padEnd(width)}         fix: ${item.import.commands[0]}`);
    }
    if (l.plan.length > MAX_PLAN_LINES)
      out.push(`  … and ${l.plan.length - MAX_PLAN_LINES} more (--json, --csv or --html for all)`);
  } else out.push('Nothing expires or breaks within the thresholds.');
  const probed = l.targets.filter((t) => t.probe);
  if (probed.length) {
    const by = { trusted: 0, untrusted: 0, 'no-pse': 0, unreachable: 0 };
    for (const t of probed) if (t.probe) by[t.probe.verdict]++;
    out.push(
      '',
      `Targets probed: ${probed.length}: ${by.trusted} trusted, ${by.untrusted} not trusted, ${by['no-pse']} without the PSE, ${by.unreachable} unreachable`,
    );
  }
  const trend = trendLines(l, report.generatedAt ? new Date(report.generatedAt) : new Date());
  if (trend.length) out.push('', ...trend);
  if (l.runId) out.push('', `Stored as run ${l.runId}.`);
  if (report.ruleErrors?.length)
    for (const e of report.ruleErrors) out.push(`(rule ${e.rule} failed: ${e.message})`);
  // Every value from the evidence (DNs, titles, file names) is one line without control characters.
  return `${out.map(stripControlChars).join('\n')}\n`;
}
