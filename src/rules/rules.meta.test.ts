/** @module Meta-test over every rule: id = folder, registered, tested, valid causes/needs/messages, kb ids resolve. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyze } from '../analyze.js';
import { getEntry } from '../kb/index.js';
import { CAUSES } from '../model/cause.js';
import { ALERT_NAMES } from './failure-facts.js';
import { RULES } from './index.js';
import { ICM_CODES, SSSL_CODES } from './sap-codes.js';

const RULES_DIR = fileURLToPath(new URL('.', import.meta.url));
const KINDS = [
  'ssl-failure',
  'snc-failure',
  'lib-load-failure',
  'java-tls-failure',
  'client-error',
  'connection-failure',
  'inbound-cert',
  'kerberos-failure',
  'message',
  'snc-name',
  'trace-info',
  'trust-list',
  'certificates',
  'sapgenpse',
  'pse-problem',
  'probe',
  'landscape-target',
  'chain-check',
];

const folders = readdirSync(RULES_DIR)
  .filter((name) => statSync(join(RULES_DIR, name)).isDirectory())
  .filter((name) => existsSync(join(RULES_DIR, name, 'rule.ts')))
  .sort();

test('every rule builds its words when they are first read, not when it loads (start-up: see defineRule)', () => {
  // Checked in a process of its own: the other tests of this file read the words of every rule.
  const script = `import { RULES } from ${JSON.stringify(new URL('./index.js', import.meta.url).href)};
    const eager = RULES.filter((r) => typeof Object.getOwnPropertyDescriptor(r, 'messages')?.get !== 'function');
    process.stdout.write(JSON.stringify(eager.map((r) => r.id)));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  assert.deepEqual(
    JSON.parse(out),
    [],
    'rules whose messages are a plain object (give them as () => ({ … }))',
  );
});

test('every rule folder is registered once, under its folder name', () => {
  assert.deepEqual([...RULES.map((r) => r.id)].sort(), folders);
  assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
});

/** A command-line option or a pse-doctor command line. */
const CLI_WORDS = /(^|[\s"(])--[a-z]|pse-doctor (analyze|probe|pse|cert|verify|explain|serve)\b/;

for (const rule of RULES) {
  test(`${rule.id}: has tests, valid causes, needs, kb ids and message templates`, () => {
    assert.ok(existsSync(join(RULES_DIR, rule.id, 'rule.test.ts')), 'rule.test.ts beside rule.ts');
    assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(rule.causes.length > 0);
    for (const c of rule.causes) assert.ok((CAUSES as readonly string[]).includes(c), `cause ${c}`);
    assert.ok(rule.needs.length > 0);
    for (const k of [...rule.needs, ...(rule.uses ?? [])]) assert.ok(KINDS.includes(k), `evidence kind ${k}`);
    // A rule whose kb ids come from its evidence (the entry each message was recognised as) declares
    // none of its own; its findings are checked to cite a real entry below.
    assert.ok(rule.kb.length > 0 || rule.kbFromEvidence === true, 'cites at least one kb id');
    if (rule.kbFromEvidence) assert.equal(rule.kb.length, 0, 'a data-driven rule declares no fixed kb ids');
    for (const c of rule.citation ?? [])
      assert.match(c, /^(?:SAP Note \d{6,7}|SAP KBA \d{6,7}|RFC \d{3,5})(?: §[\d.]+)?$/, `citation "${c}"`);
    for (const id of rule.kb) assert.ok(getEntry(id), `kb id ${id} has an entry in kb/`);
    assert.ok(Object.keys(rule.messages).length > 0, 'has messages');
    for (const [key, m] of Object.entries(rule.messages)) {
      const summary = typeof m.summary === 'string' ? [m.summary] : [...m.summary];
      assert.ok(m.title.trim() && summary.join('').trim(), `${key}: title and summary`);
      const stepTemplates = [...(m.steps ?? []), ...(m.confirm ?? []), ...(m.collect ?? [])];
      const stepTexts = stepTemplates.flatMap((t) =>
        typeof t === 'string' ? [t] : [t.text, t.web, ...Object.values(t.action ?? {}).map((v) => String(v))],
      );
      for (const t of stepTemplates) {
        // The web wording speaks web: no command-line option, no pse-doctor command. Plain-string
        // steps are shown on every surface, so a step that names one has web wording of its own.
        const web = typeof t === 'string' ? t : t.web;
        assert.doesNotMatch(web, CLI_WORDS, `${key}: step shown in the web UI speaks command line: "${web}"`);
      }
      for (const t of [m.title, ...summary, ...stepTexts, m.distinguish ?? '']) {
        // The rule owns its words: no placeholder carries a title, summary or step worded elsewhere.
        assert.doesNotMatch(
          t,
          /\{\??(?:title|summary|steps?|confirm|collect|distinguish)\b/,
          `${key}: "${t}" passes prose worded outside the rule's templates through`,
        );
        // Every brace belongs to a well-formed placeholder.
        assert.equal(
          t.replace(/\{\??[A-Za-z0-9_]+(\|[^{}]*)?\}|\[\[|\]\]/g, '').match(/[{}]/),
          null,
          `${key}: malformed placeholder in "${t}"`,
        );
      }
    }
  });
}

test('a rule whose kb ids come from its evidence cites a real kb entry in every finding', async () => {
  const dataDriven = new Set(RULES.filter((r) => r.kbFromEvidence).map((r) => r.id));
  assert.ok(dataDriven.size > 0, 'the kb-message rule is data-driven');
  const lines = [
    'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
    "Error: unable to verify the first certificate\n  code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'",
    'x509: certificate signed by unknown authority',
  ];
  let seen = 0;
  for (const line of lines) {
    const report = await analyze([{ name: '-', bytes: Buffer.from(`${line}\n`) }]);
    for (const f of report.findings.filter((x) => dataDriven.has(x.rule))) {
      seen++;
      assert.ok(f.kb.length > 0, `${f.rule}: finding "${f.title}" cites no kb entry`);
      for (const id of f.kb) assert.ok(getEntry(id), `${f.rule}: kb id ${id} has an entry in kb/`);
    }
  }
  assert.ok(seen > 0, 'the sample messages give data-driven findings');
});

test('every SapSSL code, ICM code and TLS alert a finding can cite has a kb entry', () => {
  const ids = [
    ...Object.values(SSSL_CODES).map((c) => `SSSLERR_${c}`),
    ...Object.values(ICM_CODES),
    ...ALERT_NAMES.map((a) => `TLS_ALERT_${a.toUpperCase()}`),
  ];
  const missing = ids.filter((id) => !getEntry(id));
  assert.deepEqual(missing, []);
});

test('every message id the probe judgement reports is a message of the rule that reports it', () => {
  const dir = join(RULES_DIR, 'probe-judgement');
  const byId = new Map(RULES.map((r) => [r.id, r]));
  const missing: string[] = [];
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/['"](probe[A-Z]\w+)['"]/g)) {
      const id = m[1] as string;
      if (!RULES.some((r) => Object.hasOwn(r.messages, id))) missing.push(`${file}: ${id}`);
    }
    for (const m of text.matchAll(/rule: ['"]([a-z-]+)['"]/g))
      if (!byId.has(m[1] as string)) missing.push(`${file}: rule ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});

test("every rule folder's rule.test.ts states the rule's behaviour as rule-tester tables", () => {
  const offenders: string[] = [];
  for (const id of folders) {
    const text = readFileSync(join(RULES_DIR, id, 'rule.test.ts'), 'utf8');
    if (!/from '\.\.\/\.\.\/\.\.\/test\/helpers\/rule-tester\.js'/.test(text) || !/\btestRule\(/.test(text))
      offenders.push(`${id}: does not declare its tables with testRule`);
    // The rule run alone by hand (outside the tables): the free-form harness the tester replaced.
    if (/\brunRule\(\s*rule\b|\brunOn\(|\brunRules\([^;]*\[\s*rule\s*\]/.test(text))
      offenders.push(`${id}: runs the rule by hand instead of through a table row`);
    // The old prefixes meant "reports" in one rule and "stays silent" in another.
    if (/\b(?:test|it)\(\s*['"`](?:pass|fail|not applicable):/.test(text))
      offenders.push(`${id}: free-form "pass:"/"fail:" test`);
  }
  assert.deepEqual(offenders, []);
});
