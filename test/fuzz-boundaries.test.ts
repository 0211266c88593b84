/**
 * @module Fuzz at the boundaries (issue 10): mutated saved evidence, mutated reports posted for storage,
 * and random bytes through FIFOs. Each must end in a ToolError / 4xx or a rendered result: no crash, no hang.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { diagnose, readEvidence } from '../src/analyze.js';
import { parseSavedEvidence, serializeEvidence } from '../src/evidence/saved-evidence.js';
import { isToolError } from '../src/model/errors.js';
import type { Report } from '../src/model/report.js';
import { readInputs } from '../src/readers/index.js';
import { renderHtml } from '../src/report/html.js';
import { renderTerminal } from '../src/report/terminal.js';
import { createApp } from '../src/server/app.js';
import { createDefaultServices } from '../src/server/default-services.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { REPO_ROOT } from './helpers/fixtures.js';
import { prng } from './helpers/prng.js';

const SAMPLE = join(REPO_ROOT, 'examples', 'dev_icm');
const NOW = new Date('2026-01-01T00:00:00Z');
const work = mkdtempSync(join(tmpdir(), 'pse-doctor-fuzz-'));
after(() => rmSync(work, { recursive: true, force: true }));

const pick = (r: () => number, n: number) => Math.floor(r() * n);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const ODD_VALUES: Json[] = [null, 0, -1, 1e308, '', 'x', '\u001b[2J', [], {}, true, [null], { kind: 'x' }];

/** Every (container, key) pair in a JSON tree, to pick one to mutate. */
function slots(node: Json, out: [Json[] | { [k: string]: Json }, string | number][] = []) {
  if (Array.isArray(node))
    node.forEach((v, i) => {
      out.push([node, i]);
      slots(v, out);
    });
  else if (node && typeof node === 'object')
    for (const k of Object.keys(node)) {
      out.push([node, k]);
      slots(node[k] as Json, out);
    }
  return out;
}

/** One to three mutations: delete a key/element, replace a value with an odd one, or duplicate one. */
function mutate(doc: Json, r: () => number): Json {
  const copy = structuredClone(doc);
  const n = 1 + pick(r, 3);
  for (let i = 0; i < n; i++) {
    const all = slots(copy);
    const [container, key] = all[pick(r, all.length)] ?? [];
    if (!container || key === undefined) break;
    const what = pick(r, 3);
    if (what === 0) {
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key as string];
    } else if (what === 1)
      (container as Record<string | number, Json>)[key] = ODD_VALUES[pick(r, ODD_VALUES.length)] ?? null;
    else
      (container as Record<string | number, Json>)[key] = structuredClone(
        (container as Record<string | number, Json>)[key] ?? null,
      );
  }
  return copy;
}

test('fuzz: 400 mutated saved-evidence files load as ToolErrors or render in every format', async () => {
  const evidence = await readEvidence([SAMPLE], { now: NOW });
  const saved = JSON.parse(serializeEvidence(evidence, { savedAt: NOW })) as Json;
  const r = prng(0x5eed10);
  let rejected = 0;
  for (let i = 0; i < 400; i++) {
    const text = JSON.stringify(mutate(saved, r));
    try {
      const report = diagnose(parseSavedEvidence(text, `case-${i}.json`), { now: NOW });
      renderTerminal(report);
      renderHtml(report);
      JSON.stringify(report);
    } catch (err) {
      assert.ok(isToolError(err), `case ${i}: ${(err as Error).stack}\n${text.slice(0, 400)}`);
      rejected++;
    }
  }
  assert.ok(rejected > 0, 'some mutations are refused');
});

test('fuzz: 300 mutated reports posted for storage answer 201 or 4xx, and what is stored renders', async () => {
  const app = createApp({
    store: openSqliteStore(':memory:'),
    services: createDefaultServices(),
    maxUploadBytes: 1024 * 1024,
    web: { index: { body: Buffer.from(''), type: 'text/html', immutable: false }, files: new Map() },
    log: () => {},
  });
  const report = diagnose(await readEvidence([SAMPLE], { now: NOW }), { now: NOW });
  const r = prng(0x5eed11);
  const statuses = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    const mutated = mutate(report as unknown as Json, r);
    const res = await app.request('/api/reports', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ report: mutated }),
    });
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const answer = await res.text();
    assert.ok(
      res.status === 201 || (res.status >= 400 && res.status < 500),
      `case ${i}: ${res.status} ${answer}`,
    );
    if (res.status !== 201) continue;
    const { id } = JSON.parse(answer) as { id: string };
    const got = await app.request(`/api/reports/${id}`);
    assert.equal(got.status, 200);
    const stored = ((await got.json()) as { report: Report }).report;
    renderHtml(stored);
    renderTerminal(stored);
  }
  assert.ok((statuses.get(422) ?? 0) > 0, `statuses: ${JSON.stringify([...statuses])}`);
});

test('fuzz: random and cut bytes through a FIFO end in a ToolError or evidence, never a hang', async () => {
  const r = prng(0x5eed12);
  const seeds = [
    Buffer.from(execFileSync('cat', [SAMPLE])),
    Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n'),
    Buffer.alloc(0),
  ];
  for (let i = 0; i < 40; i++) {
    const base = seeds[i % seeds.length] as Buffer;
    const bytes =
      i % 4 === 3
        ? Buffer.from(Array.from({ length: pick(r, 5000) }, () => pick(r, 256)))
        : base.subarray(0, pick(r, base.length + 1));
    const file = join(work, `in-${i}.bin`);
    writeFileSync(file, bytes);
    const fifo = join(work, `fifo-${i}`);
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat "${file}" > "${fifo}"`]);
    try {
      const ev = await readInputs([fifo], { now: NOW });
      diagnose(ev, { now: NOW });
    } catch (err) {
      assert.ok(isToolError(err), `case ${i}: ${(err as Error).stack}`);
    } finally {
      writer.kill();
    }
  }
});

test('fuzz: 30 certificate names of random control characters, quotes and separators keep every verdict on one line', async () => {
  const { generateChain } = await import('./pki/index.js');
  const { runCli } = await import('./helpers/fake-io.js');
  const r = prng(0x5eed13);
  const ALPHABET = [
    ...'abcXYZ 01.-',
    '\n',
    '\r',
    '\t',
    '\u0000',
    '\u0007',
    '\u001b',
    '\u001b]0;',
    '\u001b[2J',
    '\u009b',
    '\u0085',
    '\u2028',
    '\u202e',
    '\u2066',
    '"',
    '\\',
    ',',
    '+',
    ';',
  ];
  const name = () =>
    Array.from({ length: 3 + pick(r, 14) }, () => ALPHABET[pick(r, ALPHABET.length)]).join('');
  const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  for (let i = 0; i < 30; i++) {
    const names = { root: `R${name()}`, intermediate: `I${name()}`, leaf: `L${name()}` };
    const chain = await generateChain({ names, keySet: 'fuzz-names', keyType: 'ec' });
    writeFileSync(join(work, 'fuzz-chain.pem'), chain.leaf.pem + chain.intermediate.pem);
    const text = await runCli(['verify', 'fuzz-chain.pem', '--host', 'other.test'], { cwd: work, now: NOW });
    assert.equal(text.code, 1, `case ${i}: ${text.stderr}`);
    // Every verdict line ("… → code") starts with a profile label, never with a piece of a name.
    for (const line of text.stdout.split('\n'))
      assert.doesNotMatch(
        line,
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
        `case ${i}`,
      );
    const json = await runCli(['verify', 'fuzz-chain.pem', '--host', 'other.test', '--json'], {
      cwd: work,
      now: NOW,
    });
    const report = JSON.parse(json.stdout) as Report;
    for (const f of report.findings)
      for (const t of [f.title, f.summary, ...f.evidence.map((e) => e.text)])
        assert.doesNotMatch(t ?? '', ANY_CONTROL, `case ${i}: ${JSON.stringify(t)}`);
    for (const v of report.verification ?? []) {
      assert.doesNotMatch(v.message ?? '', ANY_CONTROL, `case ${i}: ${JSON.stringify(v.message)}`);
      for (const p of v.problems ?? [])
        assert.doesNotMatch(p.message, ANY_CONTROL, `case ${i}: ${JSON.stringify(p.message)}`);
    }
  }
});
