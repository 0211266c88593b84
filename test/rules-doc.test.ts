/** @module docs/rules.md is generated from the rule registry; this test fails when they drift (UPDATE_DOCS=1 rewrites it). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../src/rules/index.js';
import { REPO_ROOT } from './helpers/fixtures.js';

const DOC = join(REPO_ROOT, 'docs', 'rules.md');

/** The @module line of a rule file: what the rule is about. */
function aboutOf(id: string): string {
  const src = readFileSync(join(REPO_ROOT, 'src', 'rules', id, 'rule.ts'), 'utf8');
  const m = /@module\s+([^\n]*?)(?:\s*\*\/)?\n/.exec(src);
  return (m?.[1] ?? '').trim();
}

function renderRulesDoc(): string {
  const out = [
    '# Rules',
    '',
    '<!-- Generated from src/rules/index.ts by test/rules-doc.test.ts (UPDATE_DOCS=1 npm run test:only -- rules-doc). Do not edit by hand. -->',
    '',
    'Each rule lives in `src/rules/<id>/` (`rule.ts` + `rule.test.ts`) and is listed once in `src/rules/index.ts`.',
    'A rule declares the evidence kinds it **needs** (any one present makes it applicable) and may **use**',
    'more when present; it reports message ids + data, and its words live in its message templates and in',
    '`kb/`. The templates are given as a function (`messages: () => ({ … })`) that runs when the rule first',
    'reports: a call loads a whole group of rules and most never report, so their words cost it nothing.',
    'Findings are ordered by severity (errors first, across all inputs), then confidence, then the rule rank (lower first).',
    'Every command (`analyze`, `verify`, `probe`, `pse`, `cert`) prints findings of these rules only.',
    '',
    'A new rule starts with `node scripts/new-rule.mjs <id> --cause <tag> --needs <kind>`; its tests are',
    'tables (`test/helpers/rule-tester.ts`): evidence it **reports** on, evidence on which it **stays',
    'silent**, evidence it is **not applicable** to. "Rests on" names the SAP Note, KBA or RFC section.',
    '',
    '| rule | causes | needs (uses) | rank | kb | rests on |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of RULES) {
    const needs = `${r.needs.join(', ')}${r.uses?.length ? ` (${r.uses.join(', ')})` : ''}`;
    out.push(
      `| [\`${r.id}\`](#${r.id}) | ${r.causes.join(', ')} | ${needs} | ${r.rank ?? 100} | ${r.kb.join(', ')} | ${r.citation?.join(', ') || '—'} |`,
    );
  }
  for (const r of RULES) {
    out.push('', `## ${r.id}`, '', aboutOf(r.id), '');
    if (r.citation?.length) out.push(`Rests on: ${r.citation.join('; ')}.`, '');
    const outcomes = Object.keys(r.messages).map((k) => `\`${k}\``);
    out.push(
      `Outcomes (message ids; the words live in the rule's templates): ${outcomes.join(', ') || '—'}.`,
    );
    if (r.fallback)
      out.push('', 'Runs after all other rules and only covers failures none of them explained.');
  }
  return `${out.join('\n')}\n`;
}

/**
 * Biome formats Markdown (table padding, emphasis marks); compare the words, not that layout: only
 * letters, digits and a few meaningful signs are kept.
 */
function normalizeTables(text: string): string {
  return text
    .replace(/[^A-Za-z0-9./<>#()-]+/g, ' ')
    .replace(/-{3,}/g, '')
    .replace(/\s+/g, ' ');
}

test('docs/rules.md lists every rule with its causes, needs, kb ids and messages', () => {
  const expected = renderRulesDoc();
  if (process.env.UPDATE_DOCS === '1') {
    writeFileSync(DOC, expected);
    spawnSync(process.execPath, [
      join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome'),
      'format',
      '--write',
      DOC,
    ]);
  }
  assert.equal(
    normalizeTables(readFileSync(DOC, 'utf8')),
    normalizeTables(expected),
    'docs/rules.md is stale: run UPDATE_DOCS=1 node scripts/run-tests.mjs rules-doc',
  );
});
