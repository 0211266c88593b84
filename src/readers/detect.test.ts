/** @module bestReader: the reader that fits best, found without sniffing readers that can no longer win. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixturesOrSkip, REPO_ROOT, SHARED_FIXTURES } from '../../test/helpers/fixtures.js';
import { generateChain } from '../../test/pki/index.js';
import { bestReader, sniffName } from './detect.js';
import { READERS } from './index.js';
import { HEAD_BYTES } from './source.js';
import type { Reader } from './types.js';

/** Every file under a folder, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** The first HEAD_BYTES of a file, as the registry sniffs them (every fixture is small). */
function headOf(path: string): Buffer {
  return readFileSync(path).subarray(0, HEAD_BYTES);
}

/** Every reader sniffed, best score first, ties in registry order: what bestReader must agree with. */
function naiveBest(
  readers: readonly Reader[],
  head: Buffer,
  name: string,
): { id: string; score: number } | undefined {
  let best: { id: string; score: number } | undefined;
  for (const reader of readers) {
    let score = 0;
    try {
      score = reader.sniff(head, sniffName(name));
    } catch {
      score = 0;
    }
    score = Number.isFinite(score) && score > 0 ? Math.min(score, 1) : 0;
    if (score > 0 && (!best || score > best.score)) best = { id: reader.id, score };
  }
  return best;
}

/** The evidence files of the repository and, when present, of ../shared/fixtures (PSEs, certificates, traces, listings). */
function evidenceFiles(): string[] {
  const local = ['examples', 'test/self-written', 'test/recognition/cases'].map((d) => join(REPO_ROOT, d));
  return [...(SHARED_FIXTURES ? [SHARED_FIXTURES] : []), ...local].flatMap(filesUnder);
}

describe('bestReader', () => {
  test(
    'no sniffer scores above the maxScore its reader declares, on any fixture',
    fixturesOrSkip(),
    async () => {
      const files = evidenceFiles();
      assert.ok(files.length > 100, `${files.length} files`);
      // The shared fixtures hold no PEM file: a generated chain stands in for one.
      const chain = await generateChain();
      const inputs = [
        ...files.map((file) => ({ name: file, head: headOf(file) })),
        { name: 'chain.pem', head: Buffer.from(chain.leaf.pem + chain.intermediate.pem + chain.root.pem) },
      ];
      const declared = READERS.filter((r) => r.maxScore !== undefined);
      assert.ok(declared.length > 0);
      const reached = new Set<string>();
      for (const { name, head } of inputs) {
        for (const reader of declared) {
          const score = reader.sniff(head, sniffName(name));
          assert.ok(score <= (reader.maxScore as number), `${reader.id} scored ${score} on ${name}`);
          if (score === reader.maxScore) reached.add(reader.id);
        }
      }
      // A bound no input reaches would skip the reader more often than needed: each is the real maximum.
      assert.deepEqual([...reached].sort(), declared.map((r) => r.id).sort());
    },
  );

  test('picks what sniffing every reader picks, on every fixture', fixturesOrSkip(), () => {
    let skippedSome = 0;
    for (const file of evidenceFiles()) {
      const head = headOf(file);
      const want = naiveBest(READERS, head, file);
      const got = bestReader(READERS, head, file);
      assert.deepEqual(got && { id: got.reader.id, score: got.score }, want, file);
      if (want && want.score >= 0.9) skippedSome++;
    }
    assert.ok(skippedSome > 10, `${skippedSome} inputs where a later reader could be skipped`);
  });

  test('does not sniff a reader that could only tie, and sniffs one that could still win', () => {
    const calls: string[] = [];
    const reader = (id: string, score: number, maxScore?: number): Reader => ({
      id,
      sniff: () => {
        calls.push(id);
        return score;
      },
      ...(maxScore === undefined ? {} : { maxScore }),
      read: async () => {
        throw new Error('not read here');
      },
    });
    const head = Buffer.from('text');
    const first = bestReader([reader('a', 0.9), reader('b', 0.9, 0.9), reader('c', 0.95, 0.95)], head, 'x');
    assert.equal(first?.reader.id, 'c');
    assert.deepEqual(calls, ['a', 'c']);
    calls.length = 0;
    const second = bestReader([reader('a', 0.8), reader('b', 0.85, 0.9)], head, 'x');
    assert.equal(second?.reader.id, 'b');
    assert.deepEqual(calls, ['a', 'b']);
    calls.length = 0;
    assert.equal(bestReader([reader('a', 0), reader('b', Number.NaN)], head, 'x'), undefined);
  });
});
