/** @module looksBinary counts NULs and control bytes as a byte-by-byte count does, at every alignment. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksBinary } from './encoding.js';

/** The plain count the word-at-a-time loop must agree with. */
function slow(head: Buffer): boolean {
  const n = Math.min(head.length, 65536);
  if (n === 0) return false;
  let nul = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) nul++;
    else if (b < 0x20 && ![0x09, 0x0a, 0x0d, 0x0c, 0x0b, 0x1b].includes(b)) control++;
  }
  return nul > n * 0.01 || nul + control > n * 0.05;
}

test('looksBinary agrees with a byte count near both thresholds, at every offset and length', () => {
  let seed = 11;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const big = Buffer.alloc(70_000 + 8);
  let checked = 0;
  let binary = 0;
  for (const rate of [0, 0.005, 0.009, 0.011, 0.02, 0.04, 0.06, 0.3]) {
    for (let i = 0; i < big.length; i++) {
      const r = rnd();
      // Mostly text with line breaks and high bytes; `rate` of the bytes NUL or another control byte.
      big[i] =
        r < rate / 2
          ? 0
          : r < rate
            ? 1 + Math.floor(rnd() * 31)
            : r < 0.05
              ? 10
              : 32 + Math.floor(rnd() * 223);
    }
    for (const offset of [0, 1, 2, 3, 5]) {
      for (const length of [0, 1, 3, 7, 100, 4097, 65536, 70_000]) {
        const head = big.subarray(offset, offset + length);
        assert.equal(looksBinary(head), slow(head), `rate ${rate}, offset ${offset}, length ${length}`);
        checked++;
        if (slow(head)) binary++;
      }
    }
  }
  assert.ok(binary > 10 && binary < checked - 10, `${binary} of ${checked} binary`);
});
