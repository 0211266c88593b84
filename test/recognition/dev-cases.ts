/**
 * @module The dev sets' shared reading: the pastes of test/recognition/cases (`<prefix>-*.txt` beside
 * their expected `.json`), analyzed as one uploaded file at a fixed date, and the stacks a report says
 * printed the failure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/analyze.js';
import type { Report } from '../../src/model/report.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const DIR = join(REPO_ROOT, 'test', 'recognition', 'cases');

/** Every case of one dev set (`client`, `sap`): name, text and what it expects, in name order. */
export function devCases<T>(prefix: string): Array<{ name: string; text: string; expected: T }> {
  return readdirSync(DIR)
    .filter((n) => n.startsWith(`${prefix}-`) && n.endsWith('.txt'))
    .sort()
    .map((n) => ({
      name: n.replace(/\.txt$/, ''),
      text: readFileSync(join(DIR, n), 'utf8'),
      expected: JSON.parse(readFileSync(join(DIR, n.replace(/\.txt$/, '.json')), 'utf8')) as T,
    }));
}

/** A paste analyzed as the user's one uploaded file. */
export function analyzeText(name: string, text: string): Promise<Report> {
  return analyze([{ name: `${name}.txt`, bytes: Buffer.from(text) }], { now: NOW });
}

/** The stacks the report says printed the failure: message events and the findings' printedBy. */
export function stacksOf(report: Report): Set<string> {
  const s = new Set<string>();
  for (const e of report.events) if (e.kind === 'message') s.add(e.stack);
  for (const f of report.findings) if (f.printedBy) s.add(f.printedBy.stack);
  return s;
}
