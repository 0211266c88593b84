#!/usr/bin/env node
/**
 * @module Scaffold a rule: `node scripts/new-rule.mjs <rule-id> --cause <tag> --needs <kind>[,<kind>]`
 * writes src/rules/<id>/rule.ts and rule.test.ts (tables: reports / stays silent / not applicable) and
 * registers the rule in src/rules/index.ts. Then: write the check, fill the tables, cite the SAP Note /
 * RFC / KBA it rests on, and regenerate docs/rules.md (UPDATE_DOCS=1 node scripts/run-tests.mjs rules-doc).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RULES_DIR = join(ROOT, 'src', 'rules');

function fail(message) {
  process.stderr.write(`new-rule: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { id: undefined, cause: 'unknown', needs: ['ssl-failure'], kb: 'ICM_HTTP_SSL_ERROR' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--cause') opts.cause = argv[++i];
    else if (a === '--needs') opts.needs = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--kb') opts.kb = argv[++i];
    else if (a.startsWith('-')) fail(`unknown option ${a}`);
    else if (!opts.id) opts.id = a;
    else fail(`unexpected argument ${a}`);
  }
  if (!opts.id)
    fail('usage: node scripts/new-rule.mjs <rule-id> [--cause <tag>] [--needs <kind>,…] [--kb <id>]');
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(opts.id)) fail(`rule id must be kebab-case: ${opts.id}`);
  return opts;
}

function camel(id) {
  return id.replace(/-([a-z0-9])/g, (_m, c) => c.toUpperCase());
}

const opts = parseArgs(process.argv.slice(2));
const dir = join(RULES_DIR, opts.id);
if (existsSync(dir)) fail(`src/rules/${opts.id} exists already`);

const ruleTs = `/** @module TODO: one line saying what this rule recognises. */
import { defineRule } from '../define.js';

export default defineRule({
  id: '${opts.id}',
  causes: ['${opts.cause}'],
  needs: [${opts.needs.map((k) => `'${k}'`).join(', ')}],
  kb: ['${opts.kb}'],
  // The SAP Note, RFC section or KBA this judgement rests on (e.g. 'SAP Note 510007', 'RFC 5280 §6').
  citation: [],
  // The words, built when the rule first reports (see defineRule): loading a rule that never reports
  // costs a call nothing for them.
  messages: () => ({
    found: {
      title: 'TODO: one line, with {placeholders} from the data',
      summary: 'TODO: a few sentences: what failed and why.',
      steps: ['TODO: the first fix step.'],
    },
  }),
  check({ events }, { report }) {
    for (const ev of events['${opts.needs[0]}']) {
      // TODO: decide; report message ids + data, never prose.
      void ev;
      void report;
    }
  },
});
`;

const testTs = `/** @module ${opts.id}: what it reports, where it stays silent, where it does not apply. */
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    // { name: 'TODO: the evidence in words', events: [event('${opts.needs[0]}', { … })], findings: [{ cause: '${opts.cause}', confidence: 'certain' }] },
  ],
  staysSilent: [
    // { name: 'TODO: evidence the rule reads but that is not its failure', events: [event('${opts.needs[0]}', { … })] },
  ],
  notApplicable: [{ name: 'no ${opts.needs.join(' or ')} evidence', events: [event('trace-info', {})] }],
});
`;

mkdirSync(dir);
writeFileSync(join(dir, 'rule.ts'), ruleTs);
writeFileSync(join(dir, 'rule.test.ts'), testTs);

const indexPath = join(RULES_DIR, 'index.ts');
let index = readFileSync(indexPath, 'utf8');
const name = camel(opts.id);
index = index.replace(
  "import type { Rule } from './define.js';",
  `import type { Rule } from './define.js';\nimport ${name} from './${opts.id}/rule.js';`,
);
index = index.replace(/\n\];\s*$/, `\n  ${name},\n];\n`);
writeFileSync(indexPath, index);
process.stdout.write(
  [
    `Created src/rules/${opts.id}/rule.ts and rule.test.ts; registered in src/rules/index.ts.`,
    'Next: write the check and its messages, fill the test tables, set the citation,',
    `run "npx biome check --write src/rules" and "UPDATE_DOCS=1 node scripts/run-tests.mjs rules-doc".`,
    '',
  ].join('\n'),
);
