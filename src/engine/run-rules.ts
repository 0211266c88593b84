/**
 * @module The rules engine: hands each rule only the evidence it declared, isolates failures, builds and orders findings.
 *
 * A rule with none of its `needs` present is not applicable; a rule that throws becomes a `ruleErrors`
 * entry and the run goes on. Identical findings (same rule, cause, target, code, PSE) are merged with
 * their occurrences added up. Findings are ordered errors first, then most likely first: severity, then
 * confidence, then the rule's rank, then where the evidence sits.
 */
import { CONFIDENCE_RANK, SEVERITY_RANK } from '../model/cause.js';
import type { Evidence, EvidenceEvent, EvidenceKind, EvidenceLine, SourceRef } from '../model/evidence.js';
import type { Finding, RuleError, Step } from '../model/report.js';
import {
  fillSteps,
  fillSummary,
  fillTemplate,
  type Rule,
  type RuleInput,
  type RuleReport,
  type StepTemplate,
} from '../rules/define.js';
import { productLeadStep } from '../rules/kb-message/stack-fixes.js';
import { duringRun } from '../rules/run-memo.js';
import { withCommandAction } from '../rules/step-commands.js';
import { coveredFailures } from './covered.js';
import { printedByOf } from './printed-by.js';
import { settledEvents } from './settled.js';

export interface EngineOptions {
  /** Clock for expiry judgements (tests pin it). */
  now?: Date;
}

export interface EngineResult {
  findings: Finding[];
  ruleErrors: RuleError[];
  /** Ids of rules that did not apply to this evidence. */
  notApplicable: string[];
}

/** At most this many quoted lines per finding (the rest stay reachable through occurrences). */
const MAX_EVIDENCE_LINES = 40;
/** At most this many lines quoted from one multi-line event without key lines. */
const MAX_LINES_PER_EVENT = 12;

interface Ranked {
  finding: Finding;
  rank: number;
  position: [number, number];
}

function groupByKind(events: readonly EvidenceEvent[]): Map<EvidenceKind, EvidenceEvent[]> {
  const map = new Map<EvidenceKind, EvidenceEvent[]>();
  for (const e of events) {
    const list = map.get(e.kind);
    if (list) list.push(e);
    else map.set(e.kind, [e]);
  }
  return map;
}

function inputFor(rule: Rule, byKind: Map<EvidenceKind, EvidenceEvent[]>, evidence: Evidence, now: Date) {
  const events: Record<string, EvidenceEvent[]> = {};
  for (const kind of [...rule.needs, ...(rule.uses ?? [])]) events[kind] = byKind.get(kind) ?? [];
  return { events, inputs: evidence.inputs, now } as unknown as RuleInput<EvidenceKind>;
}

/**
 * The kb ids a finding cites: the rule's, then the outcome's. An outcome that cites the code it names
 * (its errorCode) first puts it first, so "More: pse-doctor explain …" names what the user saw (a
 * browser's ERR_SSL_VERSION_OR_CIPHER_MISMATCH, not the SapSSL code the rule also explains).
 */
function citedKb(
  ruleKb: readonly string[],
  outcome: { kb?: readonly string[]; errorCode?: { name: string }; events: readonly { kind: string }[] },
): string[] {
  const all = [...new Set([...ruleKb, ...(outcome.kb ?? [])])];
  const lead = outcome.errorCode?.name;
  // A probe's error code is what the SAP side would print, not what the user saw: the rule's order stays.
  if (!lead || all[0] === lead || outcome.kb?.[0] !== lead || outcome.events.some((e) => e.kind === 'probe'))
    return all;
  return [lead, ...all.filter((id) => id !== lead)];
}

/** Quote the lines of one source: its key lines, or its first lines, when the reader kept their text. */
function quoteSource(source: SourceRef, lines: Record<string, string>): EvidenceLine[] {
  const numbers = new Set<number>();
  if (source.keyLines && source.keyLines.length > 0) {
    numbers.add(source.line);
    for (const n of source.keyLines) numbers.add(n);
  } else {
    const end = Math.min(source.endLine ?? source.line, source.line + MAX_LINES_PER_EVENT - 1);
    for (let n = source.line; n <= end; n++) numbers.add(n);
  }
  const quoted: EvidenceLine[] = [];
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const text = lines[`${source.input}:${n}`];
    if (text !== undefined) quoted.push({ input: source.input, line: n, text });
  }
  // The reader kept no text for these lines: still point at the place.
  if (quoted.length === 0) quoted.push({ input: source.input, line: source.line, text: '' });
  return quoted;
}

function buildFinding(
  rule: Rule,
  outcome: RuleReport<string>,
  lines: Record<string, string>,
  inputs: Evidence['inputs'],
): Finding {
  const message = rule.messages[outcome.message];
  if (!message) throw new Error(`rule ${rule.id} reported unknown message "${outcome.message}"`);
  const data = outcome.data ?? {};
  const fillAll = (templates: readonly StepTemplate[] | undefined): Step[] =>
    fillSteps(templates, data).map(withCommandAction);

  const evidence: EvidenceLine[] = [];
  const seen = new Set<string>();
  for (const source of outcome.lines ?? outcome.events.map((e) => e.source)) {
    for (const line of quoteSource(source, lines)) {
      const key = `${line.input}:${line.line}`;
      if (seen.has(key) || evidence.length >= MAX_EVIDENCE_LINES) continue;
      seen.add(key);
      evidence.push(line);
    }
  }
  evidence.sort((a, b) => a.input - b.input || a.line - b.line);

  const finding: Finding = {
    rule: rule.id,
    cause: outcome.cause,
    confidence: outcome.confidence,
    severity: outcome.severity,
    title: fillTemplate(message.title, data, true) as string,
    summary: fillSummary(message.summary, data),
    steps: [],
    evidence,
    kb: citedKb(rule.kb, outcome),
  };
  const steps = [
    ...(outcome.leadSteps ?? []).map((s) => withCommandAction(typeof s === 'string' ? { text: s } : s)),
    ...fillAll(message.steps),
  ];
  finding.steps = steps.map((s) => s.text);
  if (steps.length) finding.stepDetails = steps;
  if (outcome.role) finding.role = outcome.role;
  const printedBy = outcome.printedBy ?? printedByOf(outcome.events, inputs);
  if (printedBy) finding.printedBy = printedBy;
  // A structured rule words its steps for an ABAP system's ICM; a product that printed the trace (the
  // Web Dispatcher) keeps its trust elsewhere: its own step leads.
  const product =
    !outcome.printedBy && printedBy ? productLeadStep(printedBy.stack, outcome.cause) : undefined;
  if (product && !finding.steps.includes(product)) {
    finding.steps.unshift(product);
    finding.stepDetails = [{ text: product }, ...(finding.stepDetails ?? [])];
  }
  // Which inputs the finding concerns (mixed input: a Java log, a trace and a PSE in one run).
  const named = [...new Set(outcome.events.map((e) => e.source.input))]
    .sort((a, b) => a - b)
    .map((i) => inputs[i]?.name)
    .filter((n): n is string => Boolean(n));
  if (named.length > 0) finding.inputs = named;
  if (outcome.target && Object.values(outcome.target).some((v) => v !== undefined))
    finding.target = outcome.target;
  if (outcome.errorCode) finding.errorCode = outcome.errorCode;
  // The main code is not repeated among the related ones ("ICM_HTTP_SSL_ERROR (407) · ICM_HTTP_SSL_ERROR").
  const related = (outcome.relatedCodes ?? []).filter((c) => c.name !== outcome.errorCode?.name);
  if (related.length) finding.relatedCodes = related;
  if (outcome.pse && Object.keys(outcome.pse).length > 0) finding.pse = outcome.pse;
  if (outcome.certificates?.length) finding.certificates = outcome.certificates;
  if (outcome.import) finding.import = outcome.import;
  if (outcome.parameters?.length) finding.parameters = outcome.parameters;
  if (outcome.landscape) finding.landscape = outcome.landscape;
  const lead = (list: (string | Step)[] | undefined): Step[] =>
    (list ?? []).map((s) => withCommandAction(typeof s === 'string' ? { text: s } : s));
  const confirm = [...lead(outcome.leadConfirm), ...fillAll(message.confirm)];
  if (confirm.length) {
    finding.confirm = confirm.map((s) => s.text);
    finding.confirmDetails = confirm;
  }
  const collect = [...lead(outcome.leadCollect), ...fillAll(message.collect)];
  if (collect.length) {
    finding.collect = collect.map((s) => s.text);
    finding.collectDetails = collect;
  }
  if (message.distinguish) {
    const distinguish = fillTemplate(message.distinguish, data, true);
    if (distinguish) finding.distinguish = distinguish;
  }
  const occurrences = outcome.occurrences ?? mergeOccurrences(outcome.events);
  if (occurrences) finding.occurrences = occurrences;
  return finding;
}

/**
 * The lines (and inputs) of the events a finding's event covers (covered.ts) join its evidence. A covered
 * trace block printed at another time than the richer event's is another occurrence of the failure and
 * counts; a message (or a block of the same time) is the same occurrence read twice.
 */
function quoteCovered(
  finding: Finding,
  rich: EvidenceEvent,
  covered: readonly EvidenceEvent[],
  evidence: Evidence,
): void {
  const seen = new Set(finding.evidence.map((l) => `${l.input}:${l.line}`));
  for (const c of covered) {
    const own = c.kind === 'ssl-failure' && c.origin === 'trace' && c.timestamp;
    if (own && rich.timestamp && c.timestamp !== rich.timestamp && finding.occurrences)
      finding.occurrences.count += c.occurrences?.count ?? 1;
    for (const line of quoteSource(c.source, evidence.lines)) {
      const key = `${line.input}:${line.line}`;
      if (seen.has(key) || finding.evidence.length >= MAX_EVIDENCE_LINES) continue;
      seen.add(key);
      finding.evidence.push(line);
    }
    const name = evidence.inputs[c.source.input]?.name;
    if (name && finding.inputs && !finding.inputs.includes(name)) finding.inputs.push(name);
  }
  finding.evidence.sort((a, b) => a.input - b.input || a.line - b.line);
  if (finding.inputs) {
    const order = (n: string) => evidence.inputs.findIndex((i) => i.name === n);
    finding.inputs.sort((a, b) => order(a) - order(b));
  }
}

/** Evidence that describes the setting (a trust list, a certificate file, the trace header), not a failure. */
const CONTEXT_KINDS: ReadonlySet<EvidenceKind> = new Set([
  'trust-list',
  'certificates',
  'trace-info',
  'sapgenpse',
  'probe',
]);

/**
 * Sum the occurrences of several events (each failure counts at least once). Context evidence a rule
 * cites beside the failure (a PSE's trust list) does not count: adding an input never changes how often
 * a failure happened.
 */
function mergeOccurrences(all: readonly EvidenceEvent[]): Finding['occurrences'] {
  const failures = all.filter((e) => !CONTEXT_KINDS.has(e.kind));
  const events = onePerSource(failures.length > 0 ? failures : all);
  if (events.length === 0) return undefined;
  let count = 0;
  let first: string | undefined;
  let last: string | undefined;
  for (const e of events) {
    count += e.occurrences?.count ?? 1;
    first ??= e.occurrences?.first ?? e.timestamp;
    last = e.occurrences?.last ?? e.timestamp ?? last;
  }
  const occ: NonNullable<Finding['occurrences']> = { count };
  if (first) occ.first = first;
  if (last) occ.last = last;
  return occ;
}

/**
 * Two readers may describe the same lines (a HANA error read as a client message and recognised by the
 * knowledge base): one failure at one place counts once, with the larger of their counts.
 */
function onePerSource(events: readonly EvidenceEvent[]): EvidenceEvent[] {
  const byPlace = new Map<string, EvidenceEvent>();
  for (const e of events) {
    const place = `${e.source.input}:${e.source.line}`;
    const seen = byPlace.get(place);
    if (!seen || (e.occurrences?.count ?? 1) > (seen.occurrences?.count ?? 1)) byPlace.set(place, e);
  }
  return [...byPlace.values()];
}

function identity(f: Finding): string {
  return JSON.stringify([
    f.rule,
    f.cause,
    f.confidence,
    f.role,
    f.target?.host,
    f.target?.port,
    f.target?.peerIp,
    f.errorCode?.name,
    f.pse?.file,
    f.import?.subject,
    f.title,
  ]);
}

function merge(into: Finding, other: Finding): void {
  const seen = new Set(into.evidence.map((l) => `${l.input}:${l.line}`));
  for (const line of other.evidence) {
    if (into.evidence.length >= MAX_EVIDENCE_LINES) break;
    if (!seen.has(`${line.input}:${line.line}`)) into.evidence.push(line);
  }
  into.evidence.sort((a, b) => a.input - b.input || a.line - b.line);
  const a = into.occurrences ?? { count: 1 };
  const b = other.occurrences ?? { count: 1 };
  const merged: NonNullable<Finding['occurrences']> = { count: a.count + b.count };
  const first = a.first ?? b.first;
  const last = b.last ?? a.last;
  if (first) merged.first = first;
  if (last) merged.last = last;
  into.occurrences = merged;
}

/**
 * One run of rules over one Evidence, applied in steps: first the ordinary rules, then the fallback
 * rules, which see the settled events (src/engine/settled.ts). `runRules` applies a whole list at once;
 * `diagnoseOnDemand` loads the fallback rules only when some event is left for them.
 */
export class RuleRun {
  private readonly now: Date;
  private readonly byKind: Map<EvidenceKind, EvidenceEvent[]>;
  private readonly ruleErrors: RuleError[] = [];
  private readonly notApplicable: string[] = [];
  private readonly ranked: Ranked[] = [];
  private readonly explained = new Set<EvidenceEvent>();
  private settled: Set<EvidenceEvent> | undefined;
  /** SSL failures a richer event of the same call covers (covered.ts), by the richer event. */
  private readonly covering: Map<EvidenceEvent, EvidenceEvent[]>;

  constructor(
    private readonly evidence: Evidence,
    opts: EngineOptions = {},
  ) {
    this.now = opts.now ?? new Date();
    const covered = coveredFailures(evidence.events);
    this.covering = covered.byRicher;
    // A covered failure is explained by the richer one: messages printed on its lines are settled too.
    for (const e of covered.all) this.explained.add(e);
    this.byKind = groupByKind(
      covered.all.size > 0 ? evidence.events.filter((e) => !covered.all.has(e)) : evidence.events,
    );
  }

  /**
   * Apply ordinary rules (before any fallback rule) or fallback rules. Never throws because of a rule: a
   * throwing rule is reported in `ruleErrors`.
   */
  apply(rules: readonly Rule[]): void {
    // One synchronous pass: facts of an event the rules derive again and again are kept for it (run-memo.ts).
    duringRun(() => {
      for (const rule of rules) {
        if (rule.fallback) this.settled ??= settledEvents(this.evidence.events, this.explained);
        else if (this.settled) throw new Error(`rule ${rule.id} applied after the fallback rules`);
        this.applyOne(rule);
      }
    });
  }

  /**
   * The kinds that hold an event no rule settled (what a fallback rule could still judge). Ends the
   * ordinary rules: only fallback rules may be applied after it.
   */
  unsettledKinds(): Set<EvidenceKind> {
    this.settled ??= settledEvents(this.evidence.events, this.explained);
    const settled = this.settled;
    const kinds = new Set<EvidenceKind>();
    for (const e of this.evidence.events) if (!settled.has(e)) kinds.add(e.kind);
    return kinds;
  }

  private applyOne(rule: Rule): void {
    const { byKind, evidence } = this;
    if (!rule.needs.some((kind) => (byKind.get(kind)?.length ?? 0) > 0)) {
      this.notApplicable.push(rule.id);
      return;
    }
    const input = inputFor(rule, byKind, evidence, this.now);
    const outcomes: RuleReport<string>[] = [];
    try {
      if (rule.appliesTo && !rule.appliesTo(input)) {
        this.notApplicable.push(rule.id);
        return;
      }
      rule.check(input, {
        report: (o) => {
          outcomes.push(o);
        },
        ...(rule.fallback ? { explained: this.settled } : {}),
      });
      const built = outcomes.map((o) => buildFinding(rule, o, evidence.lines, evidence.inputs));
      outcomes.forEach((o, i) => {
        for (const e of o.events) {
          this.explained.add(e);
          this.settled?.add(e);
          const covered = this.covering.get(e);
          if (covered) quoteCovered(built[i] as Finding, e, covered, evidence);
        }
        const finding = built[i] as Finding;
        const first = o.events[0]?.source;
        this.ranked.push({
          finding,
          rank: rule.rank ?? 100,
          position: [first?.input ?? 0, first?.line ?? 0],
        });
      });
    } catch (err) {
      this.ruleErrors.push({ rule: rule.id, message: err instanceof Error ? err.message : String(err) });
    }
  }

  /** The findings, merged and ordered. */
  finish(): EngineResult {
    return orderFindings(this.ranked, this.ruleErrors, this.notApplicable);
  }
}

/**
 * Run `rules` over `evidence`. Never throws because of a rule: a throwing rule is reported in
 * `ruleErrors`. Fallback rules run last and see which events the others settled.
 */
export function runRules(evidence: Evidence, rules: readonly Rule[], opts: EngineOptions = {}): EngineResult {
  const run = new RuleRun(evidence, opts);
  run.apply(rules.filter((r) => !r.fallback));
  run.apply(rules.filter((r) => r.fallback));
  return run.finish();
}

function orderFindings(
  ranked: readonly Ranked[],
  ruleErrors: RuleError[],
  notApplicable: string[],
): EngineResult {
  // Merge identical findings (the same failure reported for several events).
  const byIdentity = new Map<string, Ranked>();
  const unique: Ranked[] = [];
  for (const r of ranked) {
    const key = identity(r.finding);
    const existing = byIdentity.get(key);
    if (existing) merge(existing.finding, r.finding);
    else {
      byIdentity.set(key, r);
      unique.push(r);
    }
  }

  // Errors before warnings before infos across all inputs, then the most likely first.
  unique.sort(
    (a, b) =>
      SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] ||
      CONFIDENCE_RANK[a.finding.confidence] - CONFIDENCE_RANK[b.finding.confidence] ||
      a.rank - b.rank ||
      a.position[0] - b.position[0] ||
      a.position[1] - b.position[1],
  );
  return { findings: unique.map((r) => r.finding), ruleErrors, notApplicable };
}

/**
 * The next action when the evidence is thin: the collect steps every hypothesis shares (among the error
 * findings, or all findings when there is no error). None when a finding of that group is certain.
 */
export function nextActions(findings: readonly Finding[]): Step[] | undefined {
  const errors = findings.filter((f) => f.severity === 'error');
  const pool = errors.length > 0 ? errors : findings;
  if (pool.length === 0 || pool.some((f) => f.confidence === 'certain')) return undefined;
  const first = pool[0]?.collectDetails ?? [];
  const shared = first.filter((step) =>
    pool.every((f) => !f.collectDetails?.length || f.collectDetails.some((s) => s.text === step.text)),
  );
  return shared.length > 0 ? shared : undefined;
}
