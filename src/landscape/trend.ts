/**
 * @module Trend between two landscape runs: certificates added, removed and renewed per PSE, PSEs new or
 * gone, findings new or gone. Runs are stored as snapshots (inventory + finding titles, no events).
 */
import type { LandscapeSnapshot, LandscapeTrend, TrendCertificate } from '../model/landscape.js';
import type { Report } from '../model/report.js';

export type { LandscapeSnapshot };

/** The snapshot of a landscape report (no events, no inputs: a few hundred bytes per PSE). */
export function snapshotOf(report: Report): LandscapeSnapshot {
  if (!report.landscape) throw new Error('not a landscape report');
  const { trend: _trend, runId: _runId, ...landscape } = report.landscape;
  return {
    generatedAt: report.generatedAt ?? new Date().toISOString(),
    landscape,
    findings: report.findings.map((f) => ({ rule: f.rule, severity: f.severity, title: f.title })),
  };
}

function pseKey(p: { system: string; instance: string; basename?: string; file: string }): string {
  return `${p.system}/${p.instance}/${p.basename ?? p.file.split('/').pop()}`;
}

/** What changed from `before` to `after`. */
export function compareRuns(
  before: LandscapeSnapshot,
  after: LandscapeSnapshot,
  previousRunId?: string,
): LandscapeTrend {
  const trend: LandscapeTrend = {
    previousRunAt: before.generatedAt,
    added: [],
    removed: [],
    renewed: [],
    pseAdded: [],
    pseRemoved: [],
    findingsNew: [],
    findingsGone: [],
  };
  if (previousRunId) trend.previousRunId = previousRunId;
  const old = new Map(before.landscape.pses.map((p) => [pseKey(p), p]));
  const now = new Map(after.landscape.pses.map((p) => [pseKey(p), p]));
  for (const [key, p] of now) {
    const prev = old.get(key);
    if (!prev) {
      trend.pseAdded.push(key);
      continue;
    }
    const cert = (
      role: TrendCertificate['role'],
      c: { subject: string; sha256?: string; notAfter?: string },
    ) => ({
      pse: key,
      role,
      subject: c.subject,
      ...(c.sha256 ? { sha256: c.sha256 } : {}),
      ...(c.notAfter ? { notAfter: c.notAfter } : {}),
    });
    if (p.own && prev.own && p.own.sha256 !== prev.own.sha256) {
      trend.renewed.push({
        ...cert('own', p.own),
        ...(prev.own.notAfter ? { previousNotAfter: prev.own.notAfter } : {}),
      });
    } else if (p.own && !prev.own) trend.added.push(cert('own', p.own));
    else if (!p.own && prev.own) trend.removed.push(cert('own', prev.own));
    const had = new Map(prev.trusted.map((c) => [c.sha256 ?? c.subject, c]));
    const has = new Map(p.trusted.map((c) => [c.sha256 ?? c.subject, c]));
    for (const [k, c] of has) if (!had.has(k)) trend.added.push(cert('trusted', c));
    for (const [k, c] of had) if (!has.has(k)) trend.removed.push(cert('trusted', c));
  }
  for (const key of old.keys()) if (!now.has(key)) trend.pseRemoved.push(key);
  const titles = (s: LandscapeSnapshot) => new Set(s.findings.map((f) => f.title));
  const was = titles(before);
  const is = titles(after);
  trend.findingsNew = [...is].filter((t) => !was.has(t));
  trend.findingsGone = [...was].filter((t) => !is.has(t));
  return trend;
}
