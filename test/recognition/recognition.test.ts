/**
 * @module The knowledge model end to end: every `printed:` phrase of every entry is recognised by
 * `analyze` (one line on stdin) and found by `explain`; every row of test/recognition/phrasings*.tsv is
 * recognised as its entry, names its stack and gives its expected cause first; every pattern is exercised.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analyze.js';
import { lookup, readKbDirectory } from '../../src/kb/index.js';
import { loadRecognizer } from '../../src/kb/recognize/load.js';
import { isRecognisable } from '../../src/kb/recognize/model.js';
import { CAUSES } from '../../src/model/cause.js';
import type { Report } from '../../src/model/report.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const TABLE_DIR = join(REPO_ROOT, 'test', 'recognition');
/** Every phrasing table: `phrasings.tsv` and its siblings `phrasings-*.tsv` (e.g. the SAP-side stacks). */
const TABLES = existsSync(TABLE_DIR)
  ? readdirSync(TABLE_DIR)
      .filter((n) => /^phrasings.*\.tsv$/.test(n))
      .sort()
      .map((n) => join(TABLE_DIR, n))
  : [];

/** A printed phrase as a line a stack would print: placeholders filled with sample values. */
function asLine(printed: string): string {
  return printed
    .replace(/<host>|<hostname>|<fqdn>/g, 'sap.example.com')
    .replace(/<port>/g, '443')
    .replace(/<[a-z][a-z0-9_-]{0,24}>/g, 'x1')
    .replace(/&\d/g, 'X1')
    .replace(/…|\.\.\./g, ' ');
}

/** Every kb id the report ties to its evidence: message events (entry and also) and cited kb ids. */
function recognisedIds(report: Report): Set<string> {
  const ids = new Set<string>();
  // A sapgenpse listing is read whole by its own reader: its error lines are its evidence.
  if (report.inputs[0]?.format === 'sapgenpse-listing') {
    for (const e of report.events)
      if (e.kind === 'sapgenpse' && e.error) ids.add(`sapgenpse:${e.error.message}`);
  }
  for (const e of report.events) {
    if (e.kind === 'message') {
      ids.add(e.entry);
      for (const a of e.also ?? []) ids.add(a);
    }
  }
  for (const f of report.findings) for (const k of f.kb) ids.add(k);
  return ids;
}

async function analyzeLine(line: string): Promise<Report> {
  return analyze([{ name: '-', bytes: Buffer.from(`${line}\n`) }], { now: NOW });
}

const entries = readKbDirectory();

describe('every printed phrase is recognised by analyze and found by explain', () => {
  const phrases = entries.flatMap((e) => e.printed.filter(isRecognisable).map((p) => ({ e, p })));

  test('the model holds every recognisable phrase (and leaves out only single plain words)', () => {
    const model = loadRecognizer().data;
    assert.equal(model.phrases.length, phrases.length);
    const left = entries.flatMap((e) => e.printed.filter((p) => !isRecognisable(p)));
    assert.ok(left.length <= 5, `too many printed texts are not recognisable: ${left.join(' | ')}`);
  });

  test(`analyze recognises each of the ${phrases.length} phrases as its entry`, async () => {
    const misses: string[] = [];
    for (const { e, p } of phrases) {
      const report = await analyzeLine(asLine(p));
      const ids = recognisedIds(report);
      const byListing = [...ids].some((id) => id.startsWith('sapgenpse:'));
      if (!ids.has(e.id) && !byListing) misses.push(`${e.id}: "${p}"`);
    }
    assert.deepEqual(misses, []);
  });

  test('explain finds the entry for each phrase (the same compiled model)', () => {
    const misses: string[] = [];
    for (const { e, p } of phrases) {
      const r = lookup(asLine(p));
      if (!r.confident || !r.matches.slice(0, 5).some((m) => m.entry.id === e.id))
        misses.push(`${e.id}: "${p}"`);
    }
    assert.deepEqual(misses, []);
  });
});

interface Row {
  /** `file:line` of the row. */
  no: string;
  stack: string;
  entry: string;
  cause: string;
  line: string;
}

function readTable(): Row[] {
  const rows: Row[] = [];
  for (const table of TABLES) {
    const file = table.slice(TABLE_DIR.length + 1);
    readFileSync(table, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (text.trim() === '' || text.startsWith('#')) return;
        const cols = text.split('\t');
        if (i === 0 && cols[0] === 'stack') return;
        assert.equal(
          cols.length,
          4,
          `${file}:${i + 1}: four tab-separated columns (stack, entry, cause, line)`,
        );
        rows.push({
          no: `${file}:${i + 1}`,
          stack: cols[0]!,
          entry: cols[1]!,
          cause: cols[2]!,
          line: cols[3]!,
        });
      });
  }
  return rows;
}

describe('phrasings tables (test/recognition/phrasings*.tsv)', () => {
  const present = TABLES.length > 0;

  test('every row names a known stack, entry and cause', {
    skip: present ? false : 'no phrasings*.tsv written yet',
  }, () => {
    const ids = new Set(entries.map((e) => e.id));
    for (const r of readTable()) {
      assert.ok(ids.has(r.entry), `row ${r.no}: entry ${r.entry} has no kb file`);
      assert.ok((CAUSES as readonly string[]).includes(r.cause), `row ${r.no}: cause ${r.cause}`);
      const e = entries.find((x) => x.id === r.entry)!;
      assert.ok(
        e.causes.includes(r.cause as never),
        `row ${r.no}: ${r.entry} does not list cause ${r.cause}`,
      );
    }
  });

  test('every row: analyze recognises its entry, names its stack and gives its expected cause first', {
    skip: present ? false : 'no phrasings*.tsv written yet',
  }, async () => {
    const unrecognised: string[] = [];
    const wrong: string[] = [];
    const rows = readTable();
    for (const r of rows) {
      const report = await analyzeLine(r.line);
      const first = report.findings[0];
      const message = report.events.find((e) => e.kind === 'message' && e.entry === r.entry);
      // A line another reader takes whole (a sapgenpse listing) is judged by that reader's rules.
      const otherReader =
        report.inputs[0]?.format !== undefined && report.events.every((e) => e.kind !== 'message');
      if (!recognisedIds(report).has(r.entry) && !otherReader) unrecognised.push(`row ${r.no}: ${r.entry}`);
      const problems: string[] = [];
      if (first?.cause !== r.cause)
        problems.push(`first cause ${first?.cause ?? 'none'}, expected ${r.cause}`);
      if (message && message.kind === 'message' && message.stack !== r.stack)
        problems.push(`stack ${message.stack}, expected ${r.stack}`);
      if (problems.length > 0) wrong.push(`row ${r.no} (${r.line.slice(0, 60)}): ${problems.join('; ')}`);
    }
    assert.deepEqual(unrecognised, [], 'every row is recognised as its entry');
    assert.deepEqual(wrong, [], 'every row names its stack and gives its expected cause first');
  });

  test('every pattern of the model is exercised by a row of its entry', {
    skip: present ? false : 'no phrasings*.tsv written yet',
  }, () => {
    const rows = readTable();
    const model = loadRecognizer();
    const unexercised: string[] = [];
    for (const p of model.data.patterns) {
      const re = new RegExp(p.source, 'i');
      const id = model.entry(p.entry).id;
      if (!rows.some((r) => r.entry === id && re.test(r.line))) unexercised.push(`${id}: ${p.source}`);
    }
    assert.deepEqual(unexercised, [], 'patterns no table row exercises');
  });
});
