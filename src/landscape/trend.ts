/**
 * @module Trend between two landscape runs: certificates added, removed and renewed per PSE, PSEs new or
 * gone, findings new or gone. Runs are stored as snapshots (inventory + finding titles, no events).
 */
import type {
  LandscapeCertificate,
  LandscapeSnapshot,
  LandscapeTrend,
  PlanItem,
  SnapshotPse,
  TrendCertificate,
} from '../model/landscape.js';
import type { ImportPlan, Report } from '../model/report.js';

export type { LandscapeSnapshot };

/** What a snapshot keeps of a trusted certificate: what the trend compares and the page shows. */
function slimCertificate(c: LandscapeCertificate): LandscapeCertificate {
  const out: LandscapeCertificate = { subject: c.subject };
  if (c.sha256) out.sha256 = c.sha256;
  if (c.notAfter) out.notAfter = c.notAfter;
  return out;
}

/**
 * The snapshot of a landscape report: no events, no inputs; each trusted certificate stored once (name,
 * fingerprint, expiry) and referenced by index from every PSE that trusts it, so thousands of PSEs with
 * dozens of CAs each stay well under a megabyte of certificate data.
 */
export function snapshotOf(report: Report): LandscapeSnapshot {
  if (!report.landscape) throw new Error('not a landscape report');
  const { trend: _trend, runId: _runId, ...landscape } = report.landscape;
  const certificates: LandscapeCertificate[] = [];
  const index = new Map<string, number>();
  const refOf = (c: LandscapeCertificate): number => {
    const key = `${c.sha256 ?? ''}|${c.subject}|${c.notAfter ?? ''}`;
    let i = index.get(key);
    if (i === undefined) {
      i = certificates.push(slimCertificate(c)) - 1;
      index.set(key, i);
    }
    return i;
  };
  // Certificates to import are kept as PEM once each (many PSEs lack the same roots).
  const pems: Record<string, string> = {};
  const slimPlan = (plan: ImportPlan): ImportPlan => {
    if (!plan.pem || !plan.sha256) return plan;
    pems[plan.sha256] = plan.pem;
    const { pem: _pem, ...rest } = plan;
    return rest;
  };
  return {
    generatedAt: report.generatedAt ?? new Date().toISOString(),
    landscape: {
      ...landscape,
      pses: landscape.pses.map(({ trusted, ...p }) => ({ ...p, trustedRefs: trusted.map(refOf) })),
      plan: landscape.plan.map((item) => ({
        ...item,
        ...(item.import ? { import: slimPlan(item.import) } : {}),
        ...(item.imports ? { imports: item.imports.map(slimPlan) } : {}),
      })),
    },
    certificates,
    pems,
    findings: report.findings.map((f) => ({ rule: f.rule, severity: f.severity, title: f.title })),
  };
}

/** A stored plan item's certificates to import, each with its PEM again. */
export function importsOf(snapshot: LandscapeSnapshot, item: PlanItem): ImportPlan[] {
  const plans = item.imports ?? (item.import ? [item.import] : []);
  return plans.map((p) =>
    p.pem || !p.sha256 || !snapshot.pems?.[p.sha256] ? p : { ...p, pem: snapshot.pems[p.sha256] },
  );
}

/** The trusted certificates of a stored PSE (runs store them by reference; older runs inline). */
export function trustedOf(snapshot: LandscapeSnapshot, pse: SnapshotPse): LandscapeCertificate[] {
  if (pse.trustedRefs)
    return pse.trustedRefs
      .map((i) => snapshot.certificates?.[i])
      .filter((c): c is LandscapeCertificate => c !== undefined);
  return pse.trusted ?? [];
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
    const had = new Map(trustedOf(before, prev).map((c) => [c.sha256 ?? c.subject, c]));
    const has = new Map(trustedOf(after, p).map((c) => [c.sha256 ?? c.subject, c]));
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
