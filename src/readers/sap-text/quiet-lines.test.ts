/**
 * @module The quiet-line gate changes nothing the reader finds: every line of every fixture, recognition
 * case and kb phrase, put into a large kernel trace as a marker line (past the fully read head, between
 * routine lines), reads the same with the gate as without it — events, quoted lines, counts — while the
 * harmless ERROR lines of real traces are taken quiet.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { listFixtures, REPO_ROOT } from '../../../test/helpers/fixtures.js';
import { readKbDirectory } from '../../kb/index.js';
import { bytesSource } from '../source.js';
import { SapTextAssembler } from './assembler.js';
import { readSapText, type SapTextReadOptions } from './reader.js';

/** Routine kernel lines (no marker), about `bytes` long. */
function noise(bytes: number, seed: number): string[] {
  const out: string[] = [];
  let n = 0;
  let x = seed;
  while (n < bytes) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const line = `[Thr 1403395${x % 7}] IcmHandleNetRead(id=${x % 64}/${x % 99999}): read ${x % 16384} bytes`;
    out.push(line);
    n += line.length + 1;
  }
  return out;
}

/** Lines of every text fixture, recognition case, example and kb phrase (distinct, at most 600 chars). */
function sampleLines(): string[] {
  const texts: string[] = [];
  for (const sub of ['real/traces', 'real/cases']) for (const f of listFixtures(sub, '.txt')) texts.push(f);
  const cases = join(REPO_ROOT, 'test', 'recognition', 'cases');
  for (const f of readdirSync(cases)) if (f.endsWith('.txt')) texts.push(join(cases, f));
  texts.push(join(REPO_ROOT, 'examples', 'dev_icm'));
  const lines = new Set<string>();
  for (const f of texts) for (const l of readFileSync(f, 'utf8').split(/\r?\n/)) lines.add(l);
  for (const row of readFileSync(join(REPO_ROOT, 'test', 'recognition', 'phrasings.tsv'), 'utf8').split('\n'))
    lines.add(row.split('\t')[3] ?? '');
  for (const e of readKbDirectory()) for (const p of e.printed) lines.add(p);
  return [...lines].filter((l) => l.trim().length > 0 && l.length <= 600);
}

/** A trace: a head of routine lines, then each sample as a marker line of a kernel thread, spaced out. */
function traceOf(samples: string[], shape: (s: string) => string): Buffer {
  const out = ['trc file: "dev_icm", trc level: 2, release: "785"', '', ...noise(80 * 1024, 3)];
  samples.forEach((s, i) => {
    out.push(shape(s));
    // Enough routine lines (skipped, not read) that a block a sample opened closes before the next one.
    out.push(...noise(200 + (i % 7) * 40, i + 11).slice(0, 70));
  });
  return Buffer.from(`${out.join('\n')}\n`);
}

async function bothWays(bytes: Buffer, opts: SapTextReadOptions = {}): Promise<{ quiet: number }> {
  let quiet = 0;
  const proto = SapTextAssembler.prototype;
  const original = proto.takesQuietLine;
  proto.takesQuietLine = function (this: SapTextAssembler, ...args: Parameters<typeof original>) {
    const took = original.apply(this, args);
    if (took) quiet++;
    return took;
  };
  try {
    // The gate from the first line (a process builds it only after QUIET_GATE_AFTER lines).
    const withGate = await readSapText(
      bytesSource('dev_icm', bytes),
      { input: 0 },
      { quietGateAfter: 0, ...opts },
    );
    const without = await readSapText(
      bytesSource('dev_icm', bytes),
      { input: 0 },
      { ...opts, noQuietLines: true },
    );
    const diff = firstDifference(withGate, without);
    assert.equal(diff, undefined, diff);
  } finally {
    proto.takesQuietLine = original;
  }
  return { quiet };
}

/** Where two reader outputs differ first (short, unlike a deep-equal failure over 10,000 lines). */
function firstDifference(
  a: Awaited<ReturnType<typeof readSapText>>,
  b: Awaited<ReturnType<typeof readSapText>>,
): string | undefined {
  const show = (x: unknown) => JSON.stringify(x)?.slice(0, 800);
  if (show(a.summary) !== show(b.summary)) return `summary: ${show(a.summary)} vs ${show(b.summary)}`;
  for (const k of new Set([...Object.keys(a.lines), ...Object.keys(b.lines)]))
    if (a.lines[k] !== b.lines[k]) return `line ${k}: ${show(a.lines[k])} vs ${show(b.lines[k])}`;
  for (let i = 0; i < Math.max(a.events.length, b.events.length); i++)
    if (show(a.events[i]) !== show(b.events[i]))
      return `event ${i}: ${show(a.events[i])} vs ${show(b.events[i])}`;
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : 'outputs differ';
}

const samples = sampleLines();

test('every sample line as a kernel ERROR line reads the same with the quiet gate', async () => {
  assert.ok(samples.length > 1000, `${samples.length} sample lines`);
  const { quiet } = await bothWays(traceOf(samples, (s) => `[Thr 77] *** ERROR => ${s}`));
  // Most sample lines are failures; the rest (routine text among them) are taken quiet.
  assert.ok(quiet > 0 && quiet < samples.length, `${quiet} quiet`);
});

test('every sample line starting a kernel line (the marker after it) reads the same', async () => {
  await bothWays(traceOf(samples, (s) => `[Thr 77] ${s} ERROR`));
  await bothWays(traceOf(samples, (s) => `[Thr 77]   ${s} (ERROR)`));
});

test('read in full (no prefilter), blocks of other threads open: the same with the gate', async () => {
  // Every line of the samples, in several threads, one after the other: failures open blocks that stay
  // open while the next lines (other threads, routine text) are judged.
  const threads = ['11', '22', '33'];
  const mixed = samples.map((s, i) => `[Thr ${threads[i % 3]}] ${s}`);
  const trace = Buffer.from(`${[...noise(4096, 5), ...mixed].join('\n')}\n`);
  const { quiet } = await bothWays(trace, { noPrefilter: true });
  assert.ok(quiet > 0, `${quiet} quiet`);
  await bothWays(
    traceOf(samples, (s) => `[Thr 77] ${s}`),
    { noPrefilter: true },
  );
});

test('every fixture trace reads the same with the gate, read in full and prefiltered from the start', async () => {
  const files = [join(REPO_ROOT, 'examples', 'dev_icm'), ...listFixtures('real/traces', '.txt')];
  for (const f of files) {
    const bytes = readFileSync(f);
    await bothWays(bytes);
    await bothWays(bytes, { fullReadBytes: 0 });
  }
});

test('harmless kernel ERROR lines are taken quiet, real failures are not', async () => {
  // The routine lines of the fully read head (a trace file's first 4 KiB) are quiet too: count what the
  // samples add.
  const base = (await bothWays(traceOf([], (s) => s))).quiet;
  assert.ok(base > 30, `${base} routine head lines quiet`);
  const harmless = [
    '*** ERROR => NiIRead: SiRecv failed for hdl 12/sock 34 (SI_ECONN_BROKEN/104; I4; ST; 10.20.30.40:51234) [nixxi.cpp 5226]',
    '*** ERROR => IcmHandleNetRead: connection closed by peer (rc=-6) [icxxconn_mt.c 2540]',
  ];
  assert.equal((await bothWays(traceOf(harmless, (s) => `[Thr 77] ${s}`))).quiet - base, 2);
  const failure =
    '*** ERROR => SSL handshake with api.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)';
  assert.equal((await bothWays(traceOf([failure], (s) => `[Thr 77] ${s}`))).quiet - base, 0);
});
