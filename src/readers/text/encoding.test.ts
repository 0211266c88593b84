/**
 * @module looksBinary counts NULs and control bytes as a byte-by-byte count does, at every alignment;
 * decodeLine reads valid UTF-8 as UTF-8 and anything else as Windows-1252, as isUtf8 tells them apart.
 */
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { test } from 'node:test';
import { decodeLine, looksBinary } from './encoding.js';

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

test('decodeLine reads valid UTF-8 (a U+FFFD written in it too) as UTF-8, anything else as Windows-1252', () => {
  const line = (...parts: Array<string | number[]>) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
  const cases: Array<[Buffer, string, boolean]> = [
    [line('SSSLERR_PEER_CERT_UNTRUSTED (-102)'), 'SSSLERR_PEER_CERT_UNTRUSTED (-102)', true],
    [line('Zertifikat für CN=ä.example ✓'), 'Zertifikat für CN=ä.example ✓', true],
    [line('replacement \ufffd written in the trace'), 'replacement \ufffd written in the trace', true],
    // Latin-1 / cp1252 bytes in a UTF-8 file: 0xFC is ü, 0x80 the euro sign, 0x9D unassigned (kept as C1).
    [line('f', [0xfc], 'r ', [0x80], [0x9d]), 'für €\u009d', false],
    // An overlong '/' and an encoded surrogate are no UTF-8 either.
    [line('a', [0xc0, 0xaf], 'b'), 'aÀ¯b', false],
    [line([0xed, 0xa0, 0x80]), 'í\u00a0€', false],
  ];
  for (const [bytes, text, utf8] of cases) {
    // Inside a larger buffer, as the scanner calls it.
    const buf = Buffer.concat([Buffer.from('[Thr 1] '), bytes, Buffer.from('\nnext')]);
    assert.deepEqual(decodeLine(buf, 8, 8 + bytes.length), { text, utf8 }, JSON.stringify(text));
  }
  // Random bytes, mostly text with some of every kind of byte: the verdict is isUtf8's, the text UTF-8's
  // decoding when valid.
  let seed = 7;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  let invalid = 0;
  for (let n = 0; n < 2000; n++) {
    const bytes = Buffer.from(
      Array.from({ length: Math.floor(rnd() * 40) }, () =>
        rnd() < 0.9 ? 0x20 + Math.floor(rnd() * 95) : Math.floor(rnd() * 256),
      ),
    );
    const got = decodeLine(bytes, 0, bytes.length);
    assert.equal(got.utf8, isUtf8(bytes), bytes.toString('hex'));
    if (got.utf8) assert.equal(got.text, bytes.toString('utf8'));
    else invalid++;
  }
  assert.ok(invalid > 100 && invalid < 1900, `${invalid} invalid`);
});
