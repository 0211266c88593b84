/**
 * @module One folder tree (hidden entries, nested folders, a link loop, a dangling link, an unreadable
 * file) gives every command that walks folders the same files, each through its own filter.
 */
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expandTrustPaths } from '../src/cli/commands/probe.js';
import { collectPseFiles } from '../src/cli/pse/collect-pse-files.js';
import { readBaseline } from '../src/landscape/baselines.js';
import { collectLayout } from '../src/landscape/layout.js';
import { AllowedFolders } from '../src/mcp/allowed-folders.js';
import type { Report } from '../src/model/report.js';
import { readInputs } from '../src/readers/index.js';
import { walkFolder } from '../src/readers/walk-folder.js';
import { fakeIo, runCli } from './helpers/fake-io.js';
import { fixturePath, fixturesOrSkip, SHARED_FIXTURES } from './helpers/fixtures.js';

const ROOT_USER = process.getuid?.() === 0;
/** Every file the one rule takes, in its order (relative to the named folder). */
const ALL = ['cert-a.der', 'nested/deeper/cert-b.der', 'nested/SAPSSLA.pse', 'SAPSSLC.pse', 'unreadable.pse'];
const PSES = ALL.filter((f) => f.endsWith('.pse'));
const CERTS = ALL.filter((f) => f.endsWith('.der'));

let base: string;
/** The tree: collected/ABC/app1 is the folder every command is given (landscape: its parent). */
let tree: string;
let collected: string;

before(() => {
  if (!SHARED_FIXTURES) return;
  base = mkdtempSync(join(tmpdir(), 'pse-doctor-same-walk-'));
  collected = join(base, 'collected');
  tree = join(collected, 'ABC', 'app1');
  const pse = (v: number) => fixturePath('pse', `pse_v${v}_lps_off_pbes1_3des_sha1_plain.pse`);
  const der = (v: number) => fixturePath('pse', `pse_v${v}_lps_off_pbes1_3des_sha1_cert.der`);
  mkdirSync(join(tree, 'nested', 'deeper'), { recursive: true });
  mkdirSync(join(tree, '.hidden-dir'));
  copyFileSync(der(2), join(tree, 'cert-a.der'));
  copyFileSync(pse(2), join(tree, 'SAPSSLC.pse'));
  copyFileSync(pse(4), join(tree, 'nested', 'SAPSSLA.pse'));
  copyFileSync(der(4), join(tree, 'nested', 'deeper', 'cert-b.der'));
  copyFileSync(pse(2), join(tree, '.hidden.pse'));
  copyFileSync(der(2), join(tree, '.hidden-dir', 'cert.der'));
  copyFileSync(pse(4), join(tree, 'unreadable.pse'));
  chmodSync(join(tree, 'unreadable.pse'), 0o000);
  symlinkSync(tree, join(tree, 'nested', 'loop'));
});
after(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

const rel = (name: string) => relative(tree, name).split(/[\\/]/).join('/');
const LOOP = /nested[\\/]loop: a link to a folder that is already read \(a link loop/;

describe('the same folder tree, every command that walks', fixturesOrSkip(), () => {
  test('the walker: the files of the rule, the loop reported', () => {
    const walk = walkFolder(tree, tree);
    assert.deepEqual(
      walk.files.map((f) => f.relative),
      ALL,
    );
    assert.equal(walk.hidden, 2);
    assert.deepEqual(
      walk.problems.map((p) => rel(p.shown)),
      ['nested/loop'],
    );
  });

  test('analyze (readInputs): every file, then the loop as a skipped input', async () => {
    const ev = await readInputs([tree]);
    assert.deepEqual(
      ev.inputs.map((i) => rel(i.name)),
      [...ALL, 'nested/loop'],
    );
    assert.match(ev.inputs.at(-1)?.warnings[0] ?? '', /link loop/);
    if (!ROOT_USER) assert.match(ev.inputs[4]?.warnings.join(' ') ?? '', /permission denied/);
  });

  test('analyze and verify --trust on the command line list the same inputs', async () => {
    const a = await runCli(['analyze', tree, '--json']);
    const names = (JSON.parse(a.stdout) as Report).inputs.map((i) => rel(i.name));
    assert.deepEqual(names, [...ALL, 'nested/loop']);
    const v = await runCli(['verify', join(tree, 'cert-a.der'), '--trust', tree, '--json']);
    const trust = (JSON.parse(v.stdout) as Report).inputs.slice(1).map((i) => rel(i.name));
    assert.deepEqual(trust, [...ALL, 'nested/loop']);
  });

  test('pse: the PSE files of the same walk, the loop in a note', async () => {
    const collectedPses = collectPseFiles([tree], '/');
    assert.deepEqual(
      collectedPses.files.map((f) => rel(f.path)),
      PSES,
    );
    assert.equal(collectedPses.notes.length, 1);
    assert.match(collectedPses.notes[0] ?? '', LOOP);
    const r = await runCli(['pse', tree, '--json']);
    assert.deepEqual(
      (JSON.parse(r.stdout) as Report).inputs.map((i) => rel(i.name)),
      PSES,
    );
    assert.match(r.stderr, LOOP);
  });

  test('cert: the certificate files of the same walk; the PSEs skipped, the loop in a note', async () => {
    const r = await runCli(['cert', tree, '--json']);
    const names = (JSON.parse(r.stdout) as Report).inputs.map((i) => rel(i.name));
    assert.deepEqual(names, CERTS);
    assert.match(r.stderr, LOOP);
    assert.match(r.stderr, /3 files skipped \(not a certificate/);
  });

  test('probe --trust: the same files (cred_v2 aside)', () => {
    const io = fakeIo();
    const files = expandTrustPaths([tree], io);
    assert.deepEqual(
      files.map((f) => rel(f.abs)),
      ALL,
    );
    assert.match(io.err.join(''), LOOP);
  });

  test('landscape: the instance folder is walked by the same rule', async () => {
    const layout = collectLayout(collected, 'collected');
    assert.deepEqual(
      layout.files.map((f) => f.display),
      ALL.map((f) => `ABC/app1/${f}`),
    );
    assert.deepEqual(
      layout.problems.map((p) => p.shown.split(/[\\/]/).join('/')),
      ['collected/ABC/app1/nested/loop'],
    );
    const baseline = await readBaseline(tree, '/', 0, { get: async () => undefined });
    assert.match(baseline.summary.warnings.join('\n'), LOOP);
    // All five files hold the one CN=PSEOwner certificate: read from every file, kept once.
    assert.equal(baseline.event.list.certificates.length, 1);
  });

  test('the MCP check walks the same files (their sizes are the folder size)', () => {
    const folders = AllowedFolders.resolve([base], base);
    const checked = folders.check(tree);
    const walk = walkFolder(tree, tree);
    assert.equal(
      checked.bytes,
      walk.files.reduce((sum, f) => sum + f.size, 0),
    );
  });
});
