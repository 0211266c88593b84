/**
 * @module scripts/new-rule.mjs, run as a contributor would in a copy of the tree: it writes the rule and
 * its table test, registers the rule, and the result type-checks, passes the rule tester and refuses a
 * second run or a bad id.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT } from './helpers/fixtures.js';

let tree: string;

before(() => {
  tree = mkdtempSync(join(tmpdir(), 'pse-doctor-new-rule-'));
  for (const part of ['src', 'scripts', join('test', 'helpers'), join('test', 'pki'), 'kb', 'package.json'])
    cpSync(join(REPO_ROOT, part), join(tree, part), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
});
after(() => rmSync(tree, { recursive: true, force: true }));

function scaffold(...args: string[]) {
  return spawnSync(process.execPath, [join(tree, 'scripts', 'new-rule.mjs'), ...args], {
    cwd: tree,
    encoding: 'utf8',
  });
}

test('new-rule writes rule.ts and a table test, registers the rule, and the scaffold type-checks and runs', () => {
  const r = scaffold('sample-check', '--cause', 'untrusted-root', '--needs', 'ssl-failure,probe');
  assert.equal(r.status, 0, r.stderr);
  const dir = join(tree, 'src', 'rules', 'sample-check');
  const rule = readFileSync(join(dir, 'rule.ts'), 'utf8');
  const table = readFileSync(join(dir, 'rule.test.ts'), 'utf8');
  assert.match(rule, /^\/\*\* @module /);
  assert.match(rule, /id: 'sample-check'/);
  assert.match(rule, /causes: \['untrusted-root'\]/);
  assert.match(rule, /needs: \['ssl-failure', 'probe'\]/);
  assert.match(rule, /citation: \[\]/);
  assert.match(table, /testRule\(rule, \{/);
  for (const section of ['reports', 'staysSilent', 'notApplicable'])
    assert.match(table, new RegExp(`${section}:`));
  const index = readFileSync(join(tree, 'src', 'rules', 'index.ts'), 'utf8');
  assert.match(index, /import sampleCheck from '\.\/sample-check\/rule\.js';/);
  assert.match(index, /\n {2}sampleCheck,\n\];/);

  // The scaffold type-checks with the project's settings (only the files it touches and what they import).
  writeFileSync(
    join(tree, 'tsconfig.scaffold.json'),
    JSON.stringify({
      extends: join(REPO_ROOT, 'tsconfig.json'),
      compilerOptions: { noEmit: true },
      include: [],
      files: ['src/rules/index.ts', 'src/rules/sample-check/rule.ts', 'src/rules/sample-check/rule.test.ts'],
    }),
  );
  const tsc = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.scaffold.json'],
    { cwd: tree, encoding: 'utf8' },
  );
  assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);

  // Its table test runs green through the rule tester (the not-applicable row holds as written).
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=dot', join(dir, 'rule.test.ts')],
    { cwd: tree, encoding: 'utf8' },
  );
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
});

test('new-rule refuses an existing rule and an id that is not kebab-case, and changes nothing', () => {
  const index = readFileSync(join(tree, 'src', 'rules', 'index.ts'), 'utf8');
  const again = scaffold('untrusted-peer-chain');
  assert.equal(again.status, 2);
  assert.match(again.stderr, /exists already/);
  const bad = scaffold('Sample_Check');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /kebab-case/);
  assert.ok(!existsSync(join(tree, 'src', 'rules', 'Sample_Check')));
  assert.equal(readFileSync(join(tree, 'src', 'rules', 'index.ts'), 'utf8'), index);
});
