/**
 * @module Accuracy run: every real case (../shared/fixtures/real/cases, expected cause in its JSON), every
 * SAP-side dev-set paste (test/recognition/cases) and every row of test/recognition/phrasings*.tsv is analyzed; prints first-cause accuracy, how often the
 * expected cause is among the findings, and the "certain but wrong" count, as Markdown for docs/accuracy.md.
 *
 * Run: npx tsx bench/accuracy/run.ts
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/analyze.js';
import type { Report } from '../../src/model/report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CASES = join(ROOT, '..', 'shared', 'fixtures', 'real', 'cases');
const TABLE_DIR = join(ROOT, 'test', 'recognition');
/** Every phrasing table: `phrasings.tsv` and its siblings `phrasings-*.tsv`. */
const TABLES = existsSync(TABLE_DIR)
  ? readdirSync(TABLE_DIR)
      .filter((n) => /^phrasings.*\.tsv$/.test(n))
      .sort()
      .map((n) => join(TABLE_DIR, n))
  : [];
/** The dev set: realistic multi-line pastes with their expected cause (test/recognition/cases: sap-* for the SAP-side stacks, client-* for the outside clients). */
const DEV_SET = join(ROOT, 'test', 'recognition', 'cases');
const NOW = new Date('2025-06-01T00:00:00Z');

interface Sample {
  set: string;
  group: string;
  expected: string;
  report: Report;
}

interface Tally {
  n: number;
  first: number;
  among: number;
  certainWrong: number;
  silent: number;
}

function tally(samples: Sample[]): Tally {
  const t: Tally = { n: 0, first: 0, among: 0, certainWrong: 0, silent: 0 };
  for (const s of samples) {
    t.n++;
    const f = s.report.findings;
    if (f.length === 0) t.silent++;
    if (f[0]?.cause === s.expected) t.first++;
    if (f.some((x) => x.cause === s.expected)) t.among++;
    if (f.some((x) => x.confidence === 'certain' && x.cause !== s.expected) && f[0]?.cause !== s.expected)
      t.certainWrong++;
  }
  return t;
}

const pct = (a: number, n: number): string => (n === 0 ? '–' : `${((100 * a) / n).toFixed(1)} %`);

async function main(): Promise<void> {
  const samples: Sample[] = [];
  if (existsSync(CASES)) {
    for (const name of readdirSync(CASES)
      .filter((n) => n.endsWith('.txt'))
      .sort()) {
      const meta = JSON.parse(readFileSync(join(CASES, name.replace(/\.txt$/, '.json')), 'utf8')) as {
        cause: string;
      };
      const report = await analyze([join(CASES, name)], { now: NOW });
      samples.push({ set: 'real cases', group: 'real cases', expected: meta.cause, report });
    }
  }
  if (existsSync(DEV_SET)) {
    for (const name of readdirSync(DEV_SET)
      .filter((n) => n.endsWith('.txt'))
      .sort()) {
      const meta = JSON.parse(readFileSync(join(DEV_SET, name.replace(/\.txt$/, '.json')), 'utf8')) as {
        cause: string;
        stack: string;
      };
      const report = await analyze([join(DEV_SET, name)], { now: NOW });
      const set = name.startsWith('client-') ? 'client dev set' : 'SAP dev set';
      samples.push({ set, group: meta.stack, expected: meta.cause, report });
    }
  }
  for (const table of TABLES) {
    for (const line of readFileSync(table, 'utf8').split('\n')) {
      const cols = line.split('\t');
      if (cols.length !== 4 || cols[0] === 'stack' || line.startsWith('#')) continue;
      const report = await analyze([{ name: '-', bytes: Buffer.from(`${cols[3]}\n`) }], { now: NOW });
      samples.push({ set: 'phrasings', group: cols[0]!, expected: cols[2]!, report });
    }
  }
  const rows: Array<[string, Tally]> = [];
  for (const set of ['real cases', 'SAP dev set', 'client dev set', 'phrasings']) {
    const inSet = samples.filter((s) => s.set === set);
    if (inSet.length === 0) continue;
    rows.push([set, tally(inSet)]);
    if (set === 'phrasings') {
      for (const g of [...new Set(inSet.map((s) => s.group))].sort())
        rows.push([`  ${g}`, tally(inSet.filter((s) => s.group === g))]);
    }
  }
  rows.push(['all', tally(samples)]);
  console.log(
    '| set | samples | first cause right | expected cause among findings | certain but wrong | no finding |',
  );
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const [name, t] of rows) {
    console.log(
      `| ${name.trim() === name ? name : `↳ ${name.trim()}`} | ${t.n} | ${t.first} (${pct(t.first, t.n)}) | ${t.among} (${pct(t.among, t.n)}) | ${t.certainWrong} | ${t.silent} |`,
    );
  }
}

await main();
