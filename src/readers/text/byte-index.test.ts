/** @module byteIndexOf and byteLastIndexOf answer as Buffer#indexOf and #lastIndexOf do for one byte. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteIndexOf, byteLastIndexOf } from './byte-index.js';

test('every byte value and start position of a random buffer, and a view into a larger one', () => {
  let seed = 11;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const big = Buffer.alloc(600);
  for (let i = 0; i < big.length; i++) big[i] = rnd() < 0.3 ? 10 : (rnd() * 256) | 0;
  const buf = big.subarray(37, 537); // a view: positions are the view's own
  for (const byte of [0, 10, 13, 93, 255]) {
    for (let from = 0; from <= buf.length + 2; from++) {
      assert.equal(byteIndexOf(buf, byte, from), buf.indexOf(byte, from), `indexOf ${byte} ${from}`);
      if (from < buf.length)
        assert.equal(
          byteLastIndexOf(buf, byte, from),
          buf.lastIndexOf(byte, from),
          `lastIndexOf ${byte} ${from}`,
        );
    }
    assert.equal(byteIndexOf(buf, byte), buf.indexOf(byte));
    assert.equal(byteLastIndexOf(buf, byte), buf.lastIndexOf(byte));
  }
});

test('empty buffers and a negative start find nothing', () => {
  assert.equal(byteIndexOf(Buffer.alloc(0), 10), -1);
  assert.equal(byteLastIndexOf(Buffer.alloc(0), 10), -1);
  assert.equal(byteLastIndexOf(Buffer.from('a\nb'), 10, -1), -1);
  assert.equal(byteLastIndexOf(Buffer.from('a\nb'), 10, 0), -1);
  assert.equal(byteLastIndexOf(Buffer.from('a\nb'), 10, 1), 1);
});
