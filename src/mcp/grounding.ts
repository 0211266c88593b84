/**
 * @module What each finding rests on, for an AI client to quote instead of invent: the input and line
 * numbers, the knowledge-base entries (as `kb://` resources), the rule and its citation; and, when the
 * evidence is thin, that it is thin and what to collect next.
 */
import { getEntry } from '../kb/index.js';
import type { Finding, Report } from '../model/report.js';
import { RULES } from '../rules/index.js';

/** One evidence line, with its input by name. */
export interface GroundedLine {
  input: string;
  line: number;
  text: string;
}

/** The grounding of one finding (same order as `report.findings`). */
export interface FindingGrounding {
  rule: string;
  /**
   * The finding's or its rule's own `citation` when there is one, else the kb entries the rule and the
   * finding cite, with their files and SAP Notes.
   */
  citation: string;
  /** `kb://ID` resource URIs. */
  kb: string[];
  evidence: GroundedLine[];
  confidence: Finding['confidence'];
  /** True when the finding is a hypothesis (not `certain`). */
  hypothesis: boolean;
  /** What to collect to confirm it or tell it apart (from the finding). */
  collect: string[];
  distinguish?: string;
}

/** The grounding of a whole report. */
export interface ReportGrounding {
  findings: FindingGrounding[];
  /** No finding is certain (or there is none): the answer is a ranked guess at best. */
  thin: boolean;
  /** What to collect next when the evidence is thin. */
  collectNext: string[];
}

const RULES_BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** What to collect when the evidence names no cause. */
export const GENERIC_COLLECT = [
  'The ICM trace (dev_icm, or dev_w* for a work process) at trace level 2, written while the error is reproduced (SMICM → Goto → Trace Level → Increase).',
  'The full error text as SM59 / SOAMANAGER / the application shows it, including any SSSLERR or ICM_HTTP code.',
  'The PSE named in the trace (sec folder) or its "sapgenpse maintain_pk -l" listing, so the trust list can be checked.',
];

/** A citation in words, from whatever shape a rule's `citation` has (text, list, or object of texts). */
function citationText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) {
    const parts = value.map(citationText).filter((s): s is string => Boolean(s));
    return parts.length ? parts.join('; ') : undefined;
  }
  if (value && typeof value === 'object') {
    const parts = Object.values(value as Record<string, unknown>)
      .map(citationText)
      .filter((s): s is string => Boolean(s));
    return parts.length ? parts.join(', ') : undefined;
  }
  return undefined;
}

/** Cite kb entries: id, file and SAP Notes. */
function kbCitation(ids: readonly string[]): string {
  const parts: string[] = [];
  for (const id of ids) {
    const entry = getEntry(id);
    if (!entry) continue;
    const notes = entry.notes.length ? `; SAP Note ${entry.notes.join(', ')}` : '';
    parts.push(`${entry.id} (${entry.file}${notes})`);
  }
  return parts.length ? `knowledge base: ${parts.join('; ')}` : 'no knowledge-base entry';
}

/** The citation of a rule id (registered rules), falling back to the kb ids a finding cites. */
export function ruleCitation(ruleId: string, kb: readonly string[] = []): string {
  const rule = RULES_BY_ID.get(ruleId) as ({ citation?: unknown } & { kb: readonly string[] }) | undefined;
  const own = citationText(rule?.citation);
  if (own) return own;
  return kbCitation(rule ? [...new Set([...rule.kb, ...kb])] : kb);
}

/** The `kb://` URI of an entry id. */
export function kbUri(id: string): string {
  return `kb://${encodeURIComponent(id)}`;
}

/**
 * Ground every finding of a report. `diagnosis` is true for a failure diagnosis (`analyze`): there an
 * answer without a certain finding is thin evidence. Inspections (`pse`, `cert`, `verify`, `probe`) judge
 * what they were given completely, so no finding there means nothing wrong was found.
 */
export function groundReport(report: Report, diagnosis: boolean): ReportGrounding {
  const findings = report.findings.map((f): FindingGrounding => {
    const hypothesis = f.confidence !== 'certain';
    return {
      rule: f.rule,
      citation: citationText((f as { citation?: unknown }).citation) ?? ruleCitation(f.rule, f.kb),
      kb: f.kb.map(kbUri),
      evidence: f.evidence.map((e) => ({
        input: report.inputs[e.input]?.name ?? `input ${e.input}`,
        line: e.line,
        text: e.text,
      })),
      confidence: f.confidence,
      hypothesis,
      collect: f.collect ?? [],
      ...(f.distinguish ? { distinguish: f.distinguish } : {}),
    };
  });
  const thin = diagnosis && !report.findings.some((f) => f.confidence === 'certain');
  const collectNext = thin ? [...new Set(report.findings.flatMap((f) => f.collect ?? []))] : [];
  return {
    findings,
    thin,
    collectNext: thin && collectNext.length === 0 ? GENERIC_COLLECT : collectNext,
  };
}
