/**
 * @module The rule tester: a rule's behaviour as three tables — evidence it reports on (with what it must
 * say), evidence on which it applies and stays silent, evidence it does not apply to. Each row is one
 * `node:test` case named for its outcome; every row also fails on a rule error.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type EngineResult, runRules } from '../../src/engine/run-rules.js';
import type { EventOf, Evidence, EvidenceEvent, EvidenceKind } from '../../src/model/evidence.js';
import type { Finding } from '../../src/model/report.js';
import type { Rule } from '../../src/rules/define.js';

let nextLine = 1;

/** An event of `kind` with a source line (incrementing per call unless given). */
export function event<K extends EvidenceKind>(
  kind: K,
  fields: Omit<EventOf<K>, 'kind' | 'source'> & { line?: number },
): EventOf<K> {
  const { line, ...rest } = fields as { line?: number } & Record<string, unknown>;
  const n = line ?? nextLine++;
  return { kind, source: { input: 0, line: n }, ...rest } as unknown as EventOf<K>;
}

/** Evidence of one input holding `events`; every event's first line gets a quotable text. */
export function evidenceOf(events: EvidenceEvent[]): Evidence {
  const lines: Record<string, string> = {};
  for (const e of events)
    lines[`${e.source.input}:${e.source.line}`] = `line ${e.source.line} of a ${e.kind} event`;
  return {
    inputs: [{ name: 'test', format: 'test', bytes: 0, lines: 0, unrecognizedLines: 0, warnings: [] }],
    events,
    lines,
  };
}

/** Run one rule (through the engine, so templates and ordering apply). */
export function runRule(
  rule: Rule,
  events: EvidenceEvent[],
  now = new Date('2025-06-01T00:00:00Z'),
): EngineResult {
  return runRules(evidenceOf(events), [rule], { now });
}

/** The fields every reported finding is checked against (a subset of Finding; arrays compared whole). */
export type ExpectedFinding = Partial<
  Pick<Finding, 'cause' | 'confidence' | 'severity' | 'role' | 'title'>
> & {
  errorCode?: string;
  /** Substrings the title, summary and steps together must hold. */
  mentions?: readonly string[];
  /** The import plan's kind, when the finding must carry one. */
  importKind?: NonNullable<Finding['import']>['kind'];
};

interface Row {
  /** What the evidence is, in words (the test name). */
  name: string;
  events: EvidenceEvent[] | (() => EvidenceEvent[] | Promise<EvidenceEvent[]>);
  /** Clock (default 2025-06-01, as the harness). */
  now?: Date;
}

export interface ReportsRow extends Row {
  /**
   * One entry per finding, in order (most likely first); or `{ atLeast: n }` when how many depends on
   * data outside the test (the knowledge base's hypotheses) and `check` judges them.
   */
  findings: readonly ExpectedFinding[] | { atLeast: number };
  /** Further checks on the findings and the whole run. */
  check?: (findings: Finding[], result: EngineResult) => void | Promise<void>;
}

export interface SilentRow extends Row {
  check?: (result: EngineResult) => void | Promise<void>;
}

export interface RuleTable {
  /** Clock for every row that sets none (default 2025-06-01). */
  now?: Date;
  /** A title beside the rule id (when one file declares several tables). */
  title?: string;
  /** Skip the whole table (e.g. `fixturesOrSkip()` when the shared fixtures are absent). */
  skip?: string | false;
  reports?: readonly ReportsRow[];
  staysSilent?: readonly SilentRow[];
  notApplicable?: readonly Row[];
}

async function run(rule: Rule, row: Row, now?: Date): Promise<EngineResult> {
  const events = typeof row.events === 'function' ? await row.events() : row.events;
  const result = runRule(rule, events, row.now ?? now);
  assert.deepEqual(result.ruleErrors, [], `${rule.id} threw`);
  return result;
}

function matches(f: Finding, want: ExpectedFinding, where: string): void {
  for (const key of ['cause', 'confidence', 'severity', 'role', 'title'] as const)
    if (want[key] !== undefined) assert.equal(f[key], want[key], `${where}: ${key}`);
  if (want.errorCode !== undefined) assert.equal(f.errorCode?.name, want.errorCode, `${where}: errorCode`);
  if (want.importKind !== undefined) assert.equal(f.import?.kind, want.importKind, `${where}: import kind`);
  const text = [f.title, f.summary, ...f.steps].join('\n');
  for (const m of want.mentions ?? []) assert.ok(text.includes(m), `${where}: mentions "${m}"`);
}

/** Declare the tests of one rule from its tables. */
export function testRule(rule: Rule, table: RuleTable): void {
  const name = table.title ? `${rule.id}: ${table.title}` : rule.id;
  describe(name, { skip: table.skip ?? false }, () => {
    for (const row of table.reports ?? []) {
      test(`reports: ${row.name}`, async () => {
        const result = await run(rule, row, table.now);
        const got = `findings: ${result.findings.map((f) => `${f.cause}/${f.confidence}`).join(', ') || 'none'}`;
        const want = row.findings;
        if ('atLeast' in want) assert.ok(result.findings.length >= want.atLeast, got);
        else assert.equal(result.findings.length, want.length, got);
        result.findings.forEach((f, i) => {
          assert.equal(f.rule, rule.id);
          if (!('atLeast' in want)) matches(f, want[i] as ExpectedFinding, `finding ${i + 1}`);
        });
        await row.check?.(result.findings, result);
      });
    }
    for (const row of table.staysSilent ?? []) {
      test(`stays silent: ${row.name}`, async () => {
        const result = await run(rule, row, table.now);
        assert.ok(!result.notApplicable.includes(rule.id), 'the rule applies to this evidence');
        assert.deepEqual(
          result.findings.map((f) => f.title),
          [],
        );
        await row.check?.(result);
      });
    }
    for (const row of table.notApplicable ?? []) {
      test(`not applicable: ${row.name}`, async () => {
        const result = await run(rule, row, table.now);
        assert.deepEqual(result.notApplicable, [rule.id]);
        assert.deepEqual(result.findings, []);
      });
    }
  });
}
