/**
 * @module Invariants on every finding of every real fixture: no finding contradicts its own evidence
 * (a printed chain means a named CA to import; "interception" only when the chain does not lead to a
 * public root), no empty names, `undefined` or doubled codes in any text, `certain` never on a guess, and
 * each finding says which input it concerns.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../src/analyze.js';
import type { EvidenceEvent } from '../src/model/evidence.js';
import type { Finding, Report } from '../src/model/report.js';
import { findRoot } from '../src/pki/root-store.js';
import { fixturesOrSkip, listFixtures } from './helpers/fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');

/** Every piece of text a finding shows users. */
function textsOf(f: Finding): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['title', f.title],
    ['summary', f.summary],
  ];
  f.steps.forEach((s, i) => {
    out.push([`steps[${i}]`, s]);
  });
  (f.confirm ?? []).forEach((s, i) => {
    out.push([`confirm[${i}]`, s]);
  });
  (f.collect ?? []).forEach((s, i) => {
    out.push([`collect[${i}]`, s]);
  });
  if (f.distinguish !== undefined) out.push(['distinguish', f.distinguish]);
  if (f.import) {
    out.push(['import.subject', f.import.subject]);
    f.import.commands.forEach((s, i) => {
      out.push([`import.commands[${i}]`, s]);
    });
    (f.import.howToObtain ?? []).forEach((s, i) => {
      out.push([`import.howToObtain[${i}]`, s]);
    });
    if (f.import.reason !== undefined) out.push(['import.reason', f.import.reason]);
  }
  if (f.pse?.node !== undefined) out.push(['pse.node', f.pse.node]);
  for (const c of f.certificates ?? []) out.push(['certificate.subject', c.subject]);
  if (f.errorCode) out.push(['errorCode.name', f.errorCode.name]);
  return out;
}

/** The problems of one finding; `events` are the report's events (to see what the evidence shows). */
export function findingProblems(f: Finding, report: Report): string[] {
  const problems: string[] = [];
  for (const [field, text] of textsOf(f)) {
    if (text.trim() === '') problems.push(`${field} is empty`);
    if (/\bundefined\b|\bNaN\b|\[object Object\]|\bnull\b(?! cipher)/.test(text))
      problems.push(`${field} shows a missing value: "${text.slice(0, 120)}"`);
    if (/\{[A-Za-z0-9_]+(?:\|[^{}]*)?\}/.test(text)) problems.push(`${field} keeps a template placeholder`);
    const doubled = /\b([A-Z][A-Z0-9]*_[A-Z0-9_]{3,})\b[\s(:,-]{0,4}\1\b/.exec(text);
    if (doubled) problems.push(`${field} doubles the code ${doubled[1]}`);
    if (/\((-?\d{1,6})\)\s*\(\1\)/.test(text)) problems.push(`${field} doubles a code number`);
    if (/""|''|\(\s*\)|\s,\s|\s{3,}/.test(text.replace(/ {3,}(?=\S)/g, ' ')))
      problems.push(`${field} has an empty name: "${text.slice(0, 120)}"`);
  }
  const codes = [f.errorCode?.name, ...(f.relatedCodes ?? []).map((c) => c.name)].filter(Boolean);
  if (new Set(codes).size !== codes.length) problems.push(`codes repeat: ${codes.join(', ')}`);
  if (f.confidence === 'certain' && f.cause === 'unknown') problems.push('certain about an unknown cause');
  if (f.rule === 'kb-message' && f.confidence === 'certain') problems.push('a message alone made certain');
  if (!f.inputs || f.inputs.length === 0) problems.push('does not say which input it concerns');

  // The evidence behind the finding: events whose lines it quotes.
  const quoted = new Set(f.evidence.map((l) => `${l.input}:${l.line}`));
  const events = report.events.filter((e: EvidenceEvent) => {
    const s = e.source;
    for (let n = s.line; n <= (s.endLine ?? s.line); n++) if (quoted.has(`${s.input}:${n}`)) return true;
    return false;
  });
  const chain = events.flatMap((e) => (e.kind === 'ssl-failure' ? (e.certificates ?? []) : []));
  if (f.import && chain.length > 0 && f.import.subjectKnown === false && f.cause !== 'interception') {
    problems.push(`import names no certificate although the evidence prints a chain of ${chain.length}`);
  }
  if (f.import && chain.length > 0 && /not (?:shown|named) in the evidence/.test(f.import.subject))
    problems.push('import says "not shown in the evidence" next to a printed chain');
  if (f.cause === 'interception' && chain.length > 0) {
    const top = chain[chain.length - 1]!;
    const publicRoot = (top.issuer && findRoot({ dn: top.issuer })) || findRoot({ dn: top.subject });
    if (publicRoot)
      problems.push(`"interception" although the chain leads to the public root ${publicRoot.subject}`);
  }
  return problems;
}

describe('invariants on every finding of every real fixture', fixturesOrSkip(), () => {
  const files = [...listFixtures('real/cases', '.txt'), ...listFixtures('real/traces', '.txt')];

  test('there are fixtures to check', () => {
    assert.ok(files.length >= 20, `${files.length} fixtures`);
  });

  for (const file of files) {
    test(file.replace(/^.*\/fixtures\//, ''), async () => {
      const report = await analyze([file], { now: NOW });
      const problems = report.findings.flatMap((f, i) =>
        findingProblems(f, report).map((p) => `finding ${i + 1} (${f.rule}, ${f.cause}): ${p}`),
      );
      assert.deepEqual(problems, []);
    });
  }

  test('the checks catch what they promise (a broken finding fails each of them)', async () => {
    const [file] = listFixtures('real/cases', '.txt');
    const report = await analyze([file!], { now: NOW });
    const f = report.findings[0]!;
    const broken: Finding = {
      ...f,
      title: 'Import undefined into STRUST',
      summary: 'SSSLERR_PEER_CERT_UNTRUSTED (SSSLERR_PEER_CERT_UNTRUSTED) failed',
      steps: ['', 'Use {pse}'],
      errorCode: { name: 'X_CODE' },
      relatedCodes: [{ name: 'X_CODE' }],
      confidence: 'certain',
      cause: 'unknown',
    };
    delete broken.inputs;
    const p = findingProblems(broken, report).join('\n');
    for (const re of [
      /missing value/,
      /doubles the code/,
      /steps\[0\] is empty/,
      /placeholder/,
      /codes repeat/,
      /certain about/,
      /which input/,
    ])
      assert.match(p, re);
  });
});
