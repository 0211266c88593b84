/**
 * @module countByte, and each of its two ways (one search per byte found, and the WebAssembly loop), agree
 * with a byte-by-byte count on every range, alignment and both line-break bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countBySearch, countByte, countInBulk } from './count-newlines.js';

const WAYS = { countByte, countBySearch, countInBulk };

function slow(buf: Uint8Array, byte: number, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === byte) n++;
  return n;
}

test('random text: every start alignment, short and long ranges, LF and CR', () => {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const buf = Buffer.alloc(3 * (1 << 20) + 37);
  for (let i = 0; i < buf.length; i++)
    buf[i] = rnd() < 0.02 ? 10 : rnd() < 0.01 ? 13 : 32 + ((rnd() * 90) | 0);
  for (const [name, count] of Object.entries(WAYS)) {
    for (const byte of [10, 13]) {
      for (let from = 0; from < 40; from++) {
        for (const len of [0, 1, 15, 16, 17, 1023, 1024, 4079, 4080, 4081, 65536 + 3]) {
          assert.equal(
            count(buf, byte, from, from + len),
            slow(buf, byte, from, from + len),
            `${name} ${byte} ${from}+${len}`,
          );
        }
      }
      // Across the 1 MiB copy window, and the whole buffer (countByte passes to the WebAssembly loop
      // once the process has counted 4 MiB by search: this test counts far more).
      assert.equal(count(buf, byte, 5, buf.length), slow(buf, byte, 5, buf.length), name);
    }
  }
});

test('a block of only line breaks: 255-vector blocks never overflow a lane', () => {
  const buf = Buffer.alloc(100_000, 10);
  for (const count of Object.values(WAYS)) {
    assert.equal(count(buf, 10, 0, buf.length), 100_000);
    assert.equal(count(buf, 10, 3, 99_999), 99_996);
    assert.equal(count(buf, 13, 0, buf.length), 0);
  }
});

test('a subarray view of a larger buffer counts only its own range', () => {
  const big = Buffer.alloc(10_000, 10);
  const view = big.subarray(1000, 6000);
  for (const count of Object.values(WAYS)) {
    assert.equal(count(view, 10, 0, view.length), 5000);
    assert.equal(count(view, 10, 100, 2100), 2000);
  }
});
