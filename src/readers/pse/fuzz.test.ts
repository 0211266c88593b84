/**
 * @module Fuzz: random and mutated PSE bytes (bit flips, cuts, huge length fields, deep nesting) with a
 * fixed seed. Every input must end in a PSE ToolError or a valid result: no crash, no hang, no runaway memory.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixturePath, SHARED_FIXTURES } from '../../../test/helpers/fixtures.js';
import { prng } from '../../../test/helpers/prng.js';
import { generateChain } from '../../../test/pki/index.js';
import { int, seq, set, writePse } from '../../../test/pse-writer/index.js';
import { openPse, pseProblemOf } from './open-pse.js';

type Mutation = (b: Buffer, r: () => number) => Buffer;
const pick = (r: () => number, n: number) => Math.floor(r() * n);

const MUTATIONS: Record<string, Mutation> = {
  bitFlips(b, r) {
    const out = Buffer.from(b);
    const flips = 1 + pick(r, 8);
    for (let i = 0; i < flips && out.length; i++) {
      const at = pick(r, out.length);
      out[at] = (out[at] as number) ^ (1 << pick(r, 8));
    }
    return out;
  },
  cut(b, r) {
    return Buffer.from(b.subarray(0, pick(r, b.length)));
  },
  hugeLength(b, r) {
    // Replace the length after a random tag byte by a 4-byte length near 2^31 or 2^32.
    const at = 1 + pick(r, Math.max(1, b.length - 2));
    const huge = [
      [0x84, 0x7f, 0xff, 0xff, 0xff],
      [0x84, 0xff, 0xff, 0xff, 0xff],
      [0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0x80],
    ][pick(r, 4)] as number[];
    return Buffer.concat([b.subarray(0, at), Buffer.from(huge), b.subarray(at + 1)]);
  },
  overwrite(b, r) {
    const out = Buffer.from(b);
    const at = pick(r, out.length);
    const n = 1 + pick(r, 32);
    for (let i = at; i < Math.min(out.length, at + n); i++) out[i] = pick(r, 256);
    return out;
  },
  insert(b, r) {
    const at = pick(r, b.length);
    const extra = Buffer.alloc(1 + pick(r, 16));
    for (let i = 0; i < extra.length; i++) extra[i] = pick(r, 256);
    return Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]);
  },
  duplicate(b, r) {
    const at = pick(r, b.length);
    const n = pick(r, 200);
    return Buffer.concat([b.subarray(0, at + n), b.subarray(at)]);
  },
  random(_b, r) {
    const out = Buffer.alloc(pick(r, 3000));
    for (let i = 0; i < out.length; i++) out[i] = pick(r, 256);
    if (out.length && r() < 0.7) out[0] = 0x30;
    return out;
  },
};

/** Open and classify; anything but a PSE ToolError or a result fails the test with the input. */
function judge(bytes: Buffer, pin: string | undefined, label: string): 'ok' | string {
  try {
    const pse = openPse(bytes, { name: 'fuzz.pse', pin });
    assert.ok(Array.isArray(pse.trusted) && Array.isArray(pse.warnings));
    return 'ok';
  } catch (err) {
    const problem = pseProblemOf(err);
    if (!problem) {
      assert.fail(
        `${label}: not a PSE ToolError: ${err instanceof Error ? err.stack : String(err)}\ninput ${bytes.toString('base64')}`,
      );
    }
    assert.ok(problem.message.length > 10 && !/\n\s+at /.test(problem.message));
    return problem.problem;
  }
}

test('3 000 seeded mutations of real and written PSEs end in a PSE error or a result', async () => {
  const chain = await generateChain({ keyType: 'ec' });
  const written = [
    {
      bytes: writePse({
        version: 2,
        own: chain.leaf.der,
        keyPem: chain.leaf.keyPem,
        chain: [chain.intermediate.der],
        root: chain.root.der,
        trusted: [chain.root.der],
      }),
      pin: undefined,
    },
    {
      bytes: writePse({
        version: 4,
        own: chain.leaf.der,
        root: chain.root.der,
        trusted: [chain.root.der, chain.intermediate.der],
      }),
      pin: undefined,
    },
    {
      bytes: writePse({
        version: 2,
        pin: 'fuzz',
        iterations: 1,
        own: chain.leaf.der,
        trusted: [chain.root.der],
      }),
      pin: 'fuzz',
    },
    {
      bytes: writePse({
        version: 4,
        pin: 'fuzz',
        iterations: 1,
        own: chain.leaf.der,
        trusted: [chain.root.der],
      }),
      pin: 'fuzz',
    },
  ];
  // The real files: plain ones in full; encrypted ones without PIN (their 10 000 iterations cost time).
  const real = SHARED_FIXTURES
    ? [
        'pse_v2_lps_off_pbes1_3des_sha1_plain.pse',
        'pse_v4_lps_off_pbes1_3des_sha1_plain.pse',
        'pse_v2_lps_off_pbes1_3des_sha1.pse',
        'pse_v4_lps_off_pbes1_3des_sha1.pse',
      ].map((f) => ({ bytes: readFileSync(fixturePath('pse', f)), pin: undefined }))
    : [];
  const bases = [...written, ...real];
  const r = prng(0x5e5d0c);
  const names = Object.keys(MUTATIONS);
  const outcomes = new Map<string, number>();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < 3000; i++) {
    const base = bases[pick(r, bases.length)] as (typeof bases)[number];
    const name = names[pick(r, names.length)] as string;
    let bytes = (MUTATIONS[name] as Mutation)(base.bytes, r);
    if (r() < 0.2) bytes = (MUTATIONS[names[pick(r, names.length)] as string] as Mutation)(bytes, r);
    const outcome = judge(bytes, base.pin, `#${i} ${name}`);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  // The mix must actually exercise both sides: results and each major kind of refusal.
  for (const kind of ['ok', 'corrupt', 'not-a-pse', 'wrong-pin'])
    assert.ok((outcomes.get(kind) ?? 0) > 0, `no "${kind}" outcome`);
  // No runaway allocation: 3 000 small inputs must not leave the heap hundreds of MB bigger.
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 256 * 1024 * 1024);
});

test('hostile shapes: 50 000-deep nesting, 2^32 lengths, 50 000 empty objects', () => {
  const deep = Buffer.alloc(100_000).fill(Buffer.from([0x30, 0x80]));
  assert.notEqual(judge(deep, undefined, 'deep'), 'ok');
  const nested = Buffer.concat([
    Buffer.from([0x30, 0x84, 0x00, 0x01, 0x86, 0xa4, 0x02, 0x01, 0x02]),
    Buffer.alloc(100_000, 0x30),
  ]);
  assert.notEqual(judge(nested, undefined, 'nested'), 'ok');
  const huge = Buffer.from([
    0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x02, 0x30, 0x84, 0xff, 0xff, 0xff, 0xf0,
  ]);
  assert.equal(judge(huge, undefined, 'huge'), 'corrupt');
  // 50 000 empty SEQUENCEs as "objects": the node cap or the object loop must stay bounded.
  const objects = Buffer.alloc(100_000);
  for (let i = 0; i < objects.length; i += 2) objects.set([0x30, 0x00], i);
  const file = seq(int(2), seq(set(objects)));
  assert.equal(judge(file, undefined, 'many objects'), 'ok');
  const pse = openPse(file, { name: 'many.pse' });
  assert.equal(pse.objects.length, 0);
  assert.equal(pse.warnings.length, 11);
  assert.match(pse.warnings[10] ?? '', /^49990 more unreadable objects skipped$/);
});
