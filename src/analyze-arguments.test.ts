/** @module The library rejects bad arguments with ToolError (exit-2 kind), never a raw TypeError/RangeError. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../test/helpers/fixtures.js';
import { analyze, diagnose } from './analyze.js';
import { isToolError } from './model/errors.js';

const SAMPLE = join(REPO_ROOT, 'examples', 'dev_icm');

test('analyze() with bad arguments rejects with a ToolError that says what is wrong', async () => {
  const cases: [unknown, unknown, RegExp][] = [
    [null, {}, /array of inputs/],
    [SAMPLE, {}, /array of inputs.*not the text/],
    [[''], {}, /empty path/],
    [[], {}, /at least one input/],
    [[42], {}, /path or \{ name, bytes \}/],
    [[{ name: 'x' }], {}, /"bytes".*"stream"/],
    [[{ name: 'x', bytes: 'text' }], {}, /Uint8Array/],
    [[SAMPLE], { now: new Date('nope') }, /valid Date/],
    [[SAMPLE], { secrets: 'pin' }, /get\(kind, inputName\)/],
    [[SAMPLE], null, /options must be an object/],
  ];
  for (const [specs, opts, message] of cases) {
    await assert.rejects(
      analyze(specs as never, opts as never),
      (e: unknown) => isToolError(e) && message.test(e.message),
      `${JSON.stringify(specs)} ${String(opts)}`,
    );
  }
});

test('a secret provider returning a number is a ToolError naming the input', async () => {
  const { writePse } = await import('../test/pse-writer/index.js');
  const { generateChain } = await import('../test/pki/index.js');
  const chain = await generateChain();
  const pse = writePse({
    version: 2,
    pin: '4711',
    iterations: 50,
    own: chain.leaf.der,
    trusted: [chain.root.der],
  });
  await assert.rejects(
    analyze([{ name: 'SAPSSLC.pse', bytes: pse }], {
      secrets: { get: async () => 4711 as unknown as string },
    }),
    (e: unknown) => isToolError(e) && /PIN provider returned number for SAPSSLC\.pse/.test(e.message),
  );
});

test('diagnose() with something that is not Evidence is a ToolError', () => {
  assert.throws(
    () => diagnose(null as never),
    (e: unknown) => isToolError(e),
  );
  assert.throws(
    () => diagnose({ inputs: [], events: [], lines: {} }, { now: new Date(Number.NaN) }),
    (e: unknown) => isToolError(e),
  );
});
