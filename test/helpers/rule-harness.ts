/** @module Builds hand-made Evidence for rule tests and runs one rule through the real engine. */
import { type EngineResult, runRules } from '../../src/engine/run-rules.js';
import type { EventOf, Evidence, EvidenceEvent, EvidenceKind } from '../../src/model/evidence.js';
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
