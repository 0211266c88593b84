/**
 * @module What a rule is: `defineRule({ id, causes, needs, kb, messages, check })` and the types around it.
 *
 * A rule judges evidence and reports *message ids + data*; the words live in its `messages` templates
 * (and in kb/). The engine gives a rule only the evidence kinds it declares (`needs`, plus optional
 * `uses`); with none of its `needs` present the rule is not applicable. `appliesTo` keeps "does this
 * rule apply?" apart from "what does it conclude?".
 */
import type { Cause, Confidence, Role, Severity } from '../model/cause.js';
import type {
  EventOf,
  EvidenceEvent,
  EvidenceKind,
  InputSummary,
  Occurrences,
  SourceRef,
} from '../model/evidence.js';
import type {
  FindingPlace,
  ImportPlan,
  ReportCertificate,
  ReportParameter,
  ReportPse,
  Step,
  StepAction,
} from '../model/report.js';

/**
 * Data for message templates. `undefined`/empty values drop the template lines that use them. A list
 * value gives one step per item in `steps`/`confirm`/`collect`, and is joined with ", " in other text.
 */
export type MessageData = Record<string, string | number | readonly string[] | undefined>;

/**
 * A step template: plain words (the same on every surface), or terminal and web wording apart with what
 * the step hands over. Every string in it is a template; the step is left out when one lacks a value.
 */
export type StepTemplate = string | { text: string; web: string; action?: StepAction };

/**
 * The words of one outcome. Templates use `{name}` (or `{name|fallback}`) placeholders filled from the
 * reported data. In `steps`, `confirm` and `collect`, a line whose placeholder has no value is left out,
 * which is how a template carries optional steps; a summary given as a list of sentences leaves out each
 * sentence whose placeholder has no value in the same way. `{?name}` prints nothing: it only keeps its
 * line or sentence when `name` has a value (a condition the data states as a fact). `[[ … ]]` marks an
 * optional part of a line: it is left out when a placeholder in it has no value, the line stays.
 */
export interface RuleMessage {
  title: string;
  summary: string | readonly string[];
  steps?: readonly StepTemplate[];
  confirm?: readonly StepTemplate[];
  collect?: readonly StepTemplate[];
  /** For hypotheses: what evidence tells this one apart from the others. */
  distinguish?: string;
}

/** The evidence a rule sees: only the kinds it declared, each as a list (possibly empty). */
export type RuleEvents<K extends EvidenceKind> = { [P in K]: EventOf<P>[] };

export interface RuleInput<K extends EvidenceKind> {
  events: RuleEvents<K>;
  inputs: readonly InputSummary[];
  /** Clock for expiry judgements. */
  now: Date;
}

/** One outcome a rule reports: message id + data, plus the structured fields of a finding. */
export interface RuleReport<M extends string> {
  message: M;
  data?: MessageData;
  cause: Cause;
  confidence: Confidence;
  severity: Severity;
  role?: Role;
  /** The stack and side that printed the judged message (message events). */
  printedBy?: { stack: string; side?: 'client' | 'server' | 'either' };
  target?: { host?: string; port?: number | string; peerIp?: string };
  errorCode?: { name: string; number?: number };
  relatedCodes?: { name: string; number?: number }[];
  pse?: ReportPse;
  certificates?: ReportCertificate[];
  import?: ImportPlan;
  parameters?: ReportParameter[];
  /** Steps computed by the rule (e.g. per-PSE), inserted before the message's template steps. */
  leadSteps?: (string | Step)[];
  /** Confirm and collect steps computed by the rule, before the message's template ones. */
  leadConfirm?: (string | Step)[];
  leadCollect?: (string | Step)[];
  /** The events this outcome is about: their sources become the finding's evidence lines. */
  events: readonly EvidenceEvent[];
  /** Lines to quote instead of the events' whole sources (one probe event spans many attempts). */
  lines?: readonly SourceRef[];
  occurrences?: Occurrences;
  /** `landscape`: the system and instances the outcome applies to (where the fix goes). */
  landscape?: FindingPlace;
  /** Extra kb ids (the error code seen, the alert); the rule's own `kb` ids are always cited. */
  kb?: string[];
}

export interface RuleContext<M extends string> {
  report(outcome: RuleReport<M>): void;
}

export interface RuleDefinition<K extends EvidenceKind, M extends string> {
  /** Rule id = its folder name under src/rules. */
  id: string;
  /** Cause tags this rule can report. */
  causes: readonly Cause[];
  /** Evidence kinds that make the rule applicable (any one of them present). */
  needs: readonly K[];
  /** Further kinds the rule reads when present (trace header, trust lists) without needing them. */
  uses?: readonly K[];
  /** Knowledge-base ids the rule cites. */
  kb: readonly string[];
  /**
   * The rule cites no kb id of its own but, in each finding, the kb entry its evidence was recognised
   * as (the kb-message rule): then `kb` may be empty and every finding names its entry.
   */
  kbFromEvidence?: boolean;
  /** The authority the judgement rests on: SAP Notes / KBAs and RFC sections (`SAP Note 510007`, `RFC 5280 §6`). */
  citation?: readonly string[];
  /** Tie-break when ordering findings of equal confidence and severity: lower first. Default 100. */
  rank?: number;
  /**
   * The rule's words by message id, or a function that builds them (called once, when the engine first
   * reads them): a process that loads a rule but never reports from it then neither builds the words nor
   * reads their compiled code (see `defineRule`).
   */
  messages: Record<M, RuleMessage> | (() => Record<M, RuleMessage>);
  /** Runs after every other rule and sees which events they already explained (fallback rules). */
  fallback?: boolean;
  appliesTo?(input: RuleInput<K>): boolean;
  check(input: RuleInput<K>, ctx: RuleContext<M> & { explained?: ReadonlySet<EvidenceEvent> }): void;
}

/** A rule with its type parameters erased, as the registry and the engine hold it. */
export interface Rule {
  id: string;
  causes: readonly Cause[];
  needs: readonly EvidenceKind[];
  uses?: readonly EvidenceKind[];
  kb: readonly string[];
  kbFromEvidence?: boolean;
  citation?: readonly string[];
  rank?: number;
  messages: Record<string, RuleMessage>;
  fallback?: boolean;
  appliesTo?(input: RuleInput<EvidenceKind>): boolean;
  check(
    input: RuleInput<EvidenceKind>,
    ctx: RuleContext<string> & { explained?: ReadonlySet<EvidenceEvent> },
  ): void;
}

/**
 * Define a rule: gives the rule's code typed evidence and message ids. The rule is returned as given,
 * except that `messages` given as a function becomes a property that calls it on first read and keeps
 * what it returned. Most rules a call loads never report (a pasted line loads a whole group of rules
 * and one or two of them report), and their words are most of their code: built at load, every one of
 * them would be compiled code read from the code cache and objects made at start-up.
 */
export function defineRule<K extends EvidenceKind, M extends string>(rule: RuleDefinition<K, M>): Rule {
  const { messages } = rule;
  if (typeof messages === 'function') {
    Object.defineProperty(rule, 'messages', {
      configurable: true,
      enumerable: true,
      get(this: RuleDefinition<K, M>) {
        const built = messages();
        Object.defineProperty(this, 'messages', { value: built, enumerable: true, writable: true });
        return built;
      },
    });
  }
  return rule as unknown as Rule;
}

/** A placeholder `{name}`, `{?name}`, `{name|fallback}`, or an optional part `[[ … ]]`. */
const PLACEHOLDER = /\[\[([^[\]]*)\]\]|\{(\?)?([A-Za-z0-9_]+)(?:\|([^{}]*))?\}/g;

/** A template cut at its placeholders: text, a placeholder, or an optional part (its own template). */
type Piece = string | { group: string } | { key: string; guard: boolean; fallback: string | undefined };

/** Templates are the rules' own constant words: each is cut once (bounded all the same). */
const PIECES = new Map<string, readonly Piece[]>();
const MAX_CACHED = 4096;

/** The pieces of a template, as one left-to-right pass of PLACEHOLDER finds them. */
function piecesOf(template: string): readonly Piece[] {
  const cached = PIECES.get(template);
  if (cached) return cached;
  const pieces: Piece[] = [];
  let at = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > at) pieces.push(template.slice(at, m.index));
    if (m[1] !== undefined) pieces.push({ group: m[1] });
    else pieces.push({ key: m[3] as string, guard: m[2] !== undefined, fallback: m[4] });
    at = m.index + m[0].length;
  }
  if (at < template.length) pieces.push(template.slice(at));
  if (PIECES.size < MAX_CACHED) PIECES.set(template, pieces);
  return pieces;
}

/**
 * Fill `{name}` / `{name|fallback}` placeholders. Returns undefined when a value is missing and no
 * fallback exists — unless `lenient`, which fills missing values with nothing (titles, summaries).
 */
export function fillTemplate(template: string, data: MessageData, lenient = false): string | undefined {
  // One pass over the template, so a filled-in value is never read as a placeholder or a group itself.
  let text = '';
  for (const piece of piecesOf(template)) {
    if (typeof piece === 'string') text += piece;
    // An optional part `[[ … ]]` is kept only when every placeholder in it has a value.
    else if ('group' in piece) text += fillTemplate(piece.group, data) ?? '';
    else {
      const value = data[piece.key];
      if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
        if (piece.fallback !== undefined) text += piece.fallback;
        else if (!lenient || piece.guard) return undefined;
      } else if (!piece.guard) text += Array.isArray(value) ? value.join(', ') : String(value);
    }
  }
  return text;
}

/** Fill a summary: one template, or sentences each left out when a placeholder of it has no value. */
export function fillSummary(template: string | readonly string[], data: MessageData): string {
  if (typeof template === 'string') return fillTemplate(template, data, true) ?? '';
  return template
    .map((sentence) => fillTemplate(sentence, data))
    .filter((s): s is string => Boolean(s))
    .join(' ');
}

/** The list-valued placeholder of a plain step template, if it has one (the step repeats per item). */
function listKeyOf(template: string, data: MessageData): string | undefined {
  for (const key of namesOf(template)) if (Array.isArray(data[key])) return key;
  return undefined;
}

/** The placeholder names of a template in order, those inside optional parts too (cached as PIECES). */
const NAMES = new Map<string, readonly string[]>();
function namesOf(template: string): readonly string[] {
  const cached = NAMES.get(template);
  if (cached) return cached;
  const names = Array.from(template.matchAll(/\{\??([A-Za-z0-9_]+)(?:\|[^{}]*)?\}/g), (m) => m[1] as string);
  if (NAMES.size < MAX_CACHED) NAMES.set(template, names);
  return names;
}

/** Fill a list of step templates: lines without a value are left out, list placeholders repeat their line. */
export function fillSteps(templates: readonly StepTemplate[] | undefined, data: MessageData): Step[] {
  const out: Step[] = [];
  for (const t of templates ?? []) {
    const key = typeof t === 'string' ? listKeyOf(t, data) : undefined;
    const items = key ? (data[key] as readonly string[]) : undefined;
    const filled = items
      ? items.map((item) => fillStep(t, { ...data, [key as string]: item }))
      : [fillStep(t, data)];
    for (const step of filled) if (step) out.push(step);
  }
  return out;
}

/** Source references of events (for evidence lines). */
export function sourcesOf(events: readonly EvidenceEvent[]): SourceRef[] {
  return events.map((e) => e.source);
}

/** Fill a step template; undefined when any of its templates lacks a value (the step is then left out). */
export function fillStep(template: StepTemplate, data: MessageData): Step | undefined {
  if (typeof template === 'string') {
    const text = fillTemplate(template, data);
    return text ? { text } : undefined;
  }
  const text = fillTemplate(template.text, data);
  const web = fillTemplate(template.web, data);
  if (!text || !web) return undefined;
  const step: Step = { text, web };
  if (template.action) {
    const filled: Record<string, string> = {};
    for (const [key, value] of Object.entries(template.action)) {
      const v = fillTemplate(String(value), data);
      if (v === undefined) return undefined;
      if (v !== '') filled[key] = v; // an optional value (`{hostPort|}`) that is absent is left out
    }
    step.action = filled as unknown as StepAction;
  }
  return step;
}
