/**
 * @module The landscape inventory and dated plan, built from the evidence and the findings: per system,
 * instance and PSE the own and trusted certificates with days and share of lifetime left; the plan lists
 * what expires or breaks when, most urgent first, each item with the fix the finding carries.
 */
import type { CertificateInfo } from '../model/certificate.js';
import type { EvidenceEvent, InputSummary } from '../model/evidence.js';
import type {
  ExpirySettings,
  LandscapeBaseline,
  LandscapeCertificate,
  LandscapeInventory,
  LandscapePse,
  LandscapeTarget,
  PlanItem,
} from '../model/landscape.js';
import type { Finding, ImportPlan } from '../model/report.js';
import { describePse } from '../pki/pse-nodes.js';
import { buildImportPlan } from '../rules/import-wording.js';
import type { PseReadNote } from './read-landscape.js';

const DAY = 86_400_000;

/** The inventory form of a certificate at `now`. */
export function landscapeCertificate(cert: CertificateInfo, now: Date): LandscapeCertificate {
  const out: LandscapeCertificate = { subject: cert.subject };
  if (cert.issuer) out.issuer = cert.issuer;
  if (cert.serial) out.serial = cert.serial;
  if (cert.sha256) out.sha256 = cert.sha256;
  if (cert.notBefore) out.notBefore = cert.notBefore;
  if (cert.notAfter) {
    out.notAfter = cert.notAfter;
    const to = Date.parse(cert.notAfter);
    if (Number.isFinite(to)) {
      out.daysLeft = Math.floor((to - now.getTime()) / DAY);
      const from = cert.notBefore ? Date.parse(cert.notBefore) : Number.NaN;
      if (Number.isFinite(from) && to > from)
        out.lifetimeLeft =
          Math.round(Math.min(1, Math.max(0, (to - now.getTime()) / (to - from))) * 1000) / 1000;
    }
  }
  if (cert.key) out.key = `${cert.key.algorithm}${cert.key.size ? ` ${cert.key.size}` : ''}`;
  if (cert.signatureAlgorithm) out.signatureAlgorithm = cert.signatureAlgorithm;
  if (cert.extendedKeyUsage) out.extendedKeyUsage = cert.extendedKeyUsage;
  if (cert.subjectAltNames) out.subjectAltNames = cert.subjectAltNames;
  if (cert.isCA !== undefined) out.isCA = cert.isCA;
  if (cert.selfSigned !== undefined) out.selfSigned = cert.selfSigned;
  return out;
}

/** Rules whose findings fall due on a certificate's notAfter rather than today. */
const DATED_RULES = new Set(['pse-own-cert-expiry', 'own-cert-expired', 'pse-pinned-leaf']);
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** The dated plan: one item per finding, most urgent first. */
export function buildPlan(
  findings: readonly Finding[],
  now: Date,
  inputs: readonly InputSummary[] = [],
  systems: readonly { system: string; instances: string[] }[] = [],
  events: readonly EvidenceEvent[] = [],
): PlanItem[] {
  // Baseline roots by SHA-256, so a gap's fix hands over every missing root, not only the first.
  const baselineRoots = new Map<string, CertificateInfo>();
  for (const e of events)
    if (e.kind === 'trust-list' && e.list.baseline !== undefined)
      for (const c of e.list.certificates) if (c.sha256 && c.pem) baselineRoots.set(c.sha256, c);
  const known = new Map(systems.map((s) => [s.system, new Set(s.instances)]));
  /** System and instances of a finding, from the collected files its evidence points at. */
  const whereOf = (f: Finding): { system?: string; instances: string[] } => {
    const found = new Map<string, Set<string>>();
    for (const ev of f.evidence) {
      const [system, instance] = (inputs[ev.input]?.name ?? '').split('/');
      if (system && instance && known.get(system)?.has(instance)) {
        const set = found.get(system) ?? new Set<string>();
        set.add(instance);
        found.set(system, set);
      }
    }
    if (found.size !== 1) return { instances: [] };
    const [[system, set]] = [...found.entries()] as [[string, Set<string>]];
    return { system, instances: [...set].sort() };
  };
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const items = findings.map((f, index): PlanItem => {
    let due = today.getTime();
    if (DATED_RULES.has(f.rule)) {
      const dates = (f.certificates ?? [])
        .map((c) => (c.notAfter ? Date.parse(c.notAfter) : Number.NaN))
        .filter((t) => Number.isFinite(t));
      if (dates.length) due = Math.min(...dates);
    }
    const item: PlanItem = {
      date: new Date(due).toISOString().slice(0, 10),
      // Whole calendar days from today (UTC): today = 0, yesterday = -1.
      daysLeft: Math.round((Date.parse(new Date(due).toISOString().slice(0, 10)) - today.getTime()) / DAY),
      severity: f.severity,
      rule: f.rule,
      title: f.title,
      finding: index,
      // What to do: the fix steps, or for a call that could not be judged, what to collect.
      steps: f.steps.length ? f.steps : (f.collect ?? []),
    };
    const where = f.landscape ?? whereOf(f);
    if (where.system) item.system = where.system;
    if (where.instances.length) item.instances = where.instances;
    if (f.pse?.basename ?? f.pse?.file) item.pse = f.pse?.basename ?? f.pse?.file;
    if (f.import) item.import = f.import;
    const imports = everyImport(f, baselineRoots);
    if (imports.length > 1) item.imports = imports;
    return item;
  });
  return items.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.finding - b.finding,
  );
}

/** Every certificate a finding's fix imports: a baseline gap's missing roots, each with its PEM and commands. */
function everyImport(f: Finding, baselineRoots: ReadonlyMap<string, CertificateInfo>): ImportPlan[] {
  if (!f.import) return [];
  if (f.rule !== 'landscape-baseline-gap' || (f.certificates?.length ?? 0) < 2) return [f.import];
  const pse = describePse(f.pse?.basename ?? f.pse?.file ?? '');
  const plans = [f.import];
  for (const c of (f.certificates ?? []).slice(1)) {
    const root = c.sha256 ? baselineRoots.get(c.sha256) : undefined;
    if (!root) continue;
    plans.push(buildImportPlan({ certificate: root, kind: 'root', source: 'input', pses: [pse] }));
  }
  return plans;
}

export interface InventoryInput {
  systems: { system: string; instances: string[] }[];
  inputs: readonly InputSummary[];
  events: readonly EvidenceEvent[];
  notes: readonly PseReadNote[];
  targets: LandscapeTarget[];
  findings: readonly Finding[];
  expiry: ExpirySettings;
  now: Date;
}

/** Build `Report.landscape` (without trend). */
export function buildInventory(input: InventoryInput): LandscapeInventory {
  const { now } = input;
  const pses: LandscapePse[] = [];
  const baselines: LandscapeBaseline[] = [];
  const noteOf = new Map(input.notes.map((n) => [`${n.system}\u0000${n.instance}\u0000${n.file}`, n]));
  for (const e of input.events) {
    if (e.kind === 'trust-list' && e.list.baseline !== undefined) {
      baselines.push({
        name: e.list.baseline,
        file: e.list.file ?? e.list.baseline,
        roots: e.list.certificates.map((c) => landscapeCertificate(c, now)),
      });
      continue;
    }
    if (e.kind === 'trust-list' && e.list.landscape) {
      const { system, instance } = e.list.landscape;
      const file = e.list.file ?? e.list.basename ?? '?';
      const note = noteOf.get(`${system}\u0000${instance}\u0000${file}`);
      const pse: LandscapePse = {
        system,
        instance,
        file,
        source: note?.source === 'listing' ? 'listing' : 'pse',
        trusted: e.list.certificates.map((c) => landscapeCertificate(c, now)),
      };
      if (e.list.basename) pse.basename = e.list.basename;
      if (e.list.node) pse.node = e.list.node;
      if (note?.problem) pse.problem = note.problem;
      if (e.list.own) pse.own = landscapeCertificate(e.list.own, now);
      pses.push(pse);
    } else if (e.kind === 'pse-problem' && e.landscape) {
      pses.push({
        system: e.landscape.system,
        instance: e.landscape.instance,
        file: e.file,
        basename: e.file.split('/').pop() ?? e.file,
        source: 'unreadable',
        problem: e.message,
        trusted: [],
      });
    }
  }
  pses.sort(
    (a, b) =>
      a.system.localeCompare(b.system) ||
      a.instance.localeCompare(b.instance) ||
      (a.basename ?? a.file).localeCompare(b.basename ?? b.file),
  );
  return {
    systems: input.systems,
    pses,
    baselines,
    targets: input.targets,
    plan: buildPlan(input.findings, now, input.inputs, input.systems, input.events),
    expiry: input.expiry,
  };
}
