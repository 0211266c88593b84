/**
 * @module LiteralGate answers exactly as a plain search would: a line holds one of the literals (case
 * folded, ASCII) or a byte outside printable ASCII. Checked on random literal sets and random lines, with
 * literals at the line's edges and overlapping, and on the reader's own quiet-gate literals. A gate
 * unpacked from its packed tables (as the build ships the quiet gate's) has the same tables and answers
 * the same.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { prng } from '../../../test/helpers/prng.js';
import { quietGateLiterals } from '../sap-text/quiet-lines.js';
import { LiteralGate } from './literal-gate.js';

/** The answer by definition: some literal occurs in the lower-cased line, or a byte is 0x00 or 0x80+. */
function reference(literals: readonly string[], line: Buffer): boolean {
  for (const b of line) if (b === 0 || b >= 0x80) return true;
  const low = line.toString('latin1').toLowerCase();
  return literals.some((l) => low.includes(l.toLowerCase()));
}

test('the gate finds exactly the lines holding a literal (random literals and lines)', () => {
  const r = prng(13);
  const alphabet = 'abcAB:=- 01._/';
  const pick = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  for (let round = 0; round < 40; round++) {
    const literals: string[] = [];
    const count = 1 + Math.floor(r() * 12);
    // Two, three, four and longer characters; pairs that start literals of several lengths.
    for (let k = 0; k < count; k++) literals.push(pick(2 + Math.floor(r() * 7)));
    const gate = LiteralGate.of(literals);
    // Through JSON, as the build writes the tables and a run reads them.
    const unpacked = LiteralGate.unpack(JSON.parse(JSON.stringify(gate.pack())));
    assert.deepEqual(unpacked.tables(), gate.tables());
    let hits = 0;
    for (let n = 0; n < 1500; n++) {
      let s = pick(Math.floor(r() * 12));
      if (r() < 0.4) s += literals[Math.floor(r() * literals.length)]!;
      s += pick(Math.floor(r() * 6));
      if (r() < 0.3) s = s.toUpperCase();
      const b = Buffer.from(s, 'latin1');
      const want = reference(literals, b);
      if (want) hits++;
      assert.equal(gate.has(b, 0, b.length), want, `${JSON.stringify(literals)} in ${JSON.stringify(s)}`);
      assert.equal(unpacked.has(b, 0, b.length), want, `unpacked: ${JSON.stringify(s)}`);
      // The same line inside a larger buffer: only [s, e) counts.
      const framed = Buffer.concat([Buffer.from(literals[0]!), b, Buffer.from(literals[0]!)]);
      const s0 = literals[0]!.length;
      assert.equal(gate.has(framed, s0, s0 + b.length), want, `framed ${JSON.stringify(s)}`);
    }
    assert.ok(hits > 100, `round ${round}: ${hits} lines hold a literal`);
  }
});

test("the reader's quiet-gate literals: the gate agrees with a plain search on every fixture line", () => {
  const lit = quietGateLiterals();
  assert.ok(lit, 'the quiet gate has literals');
  const gate = LiteralGate.of(lit.anywhere);
  const lines = [
    ...readFileSync(new URL('../../../examples/dev_icm', import.meta.url), 'latin1').split('\n'),
    '[Thr 140339535062784] *** ERROR => NiIRead: SiRecv failed for hdl 12/sock 34 (SI_ECONN_BROKEN/104; I4; ST; 10.20.30.40:51234) [nixxi.cpp 5226]',
    '[Thr 140339535062784] *** ERROR => IcmHandleNetRead: connection closed by peer (rc=-6) [icxxconn_mt.c 2540]',
  ];
  let hits = 0;
  for (const line of lines) {
    const b = Buffer.from(line, 'latin1');
    const want = reference(lit.anywhere, b);
    if (want) hits++;
    assert.equal(gate.has(b, 0, b.length), want, line);
  }
  assert.ok(hits > 20 && hits < lines.length, `${hits} of ${lines.length} lines hold a literal`);
});

test('packed tables: a gate unpacked from them has the same tables and answers as the gate packed', () => {
  const r = prng(29);
  const alphabet = 'abcAB:=- 01._/';
  const pick = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  for (let round = 0; round < 20; round++) {
    const anywhere = Array.from({ length: 1 + Math.floor(r() * 10) }, () => pick(2 + Math.floor(r() * 7)));
    const atStart = Array.from({ length: Math.floor(r() * 6) }, () => pick(1 + Math.floor(r() * 5)));
    const gate = LiteralGate.of(anywhere, atStart);
    const packed = JSON.parse(JSON.stringify(gate.pack()));
    const unpacked = LiteralGate.unpack(packed);
    assert.deepEqual(unpacked.tables(), gate.tables());
    assert.deepEqual(unpacked.pack(), packed);
    for (let n = 0; n < 500; n++) {
      const s = (r() < 0.5 ? ' \t'.slice(0, Math.floor(r() * 3)) : '') + pick(Math.floor(r() * 14));
      const b = Buffer.from(r() < 0.3 ? s.toUpperCase() : s, 'latin1');
      assert.equal(unpacked.startsWith(b, 0, b.length), gate.startsWith(b, 0, b.length), JSON.stringify(s));
      assert.equal(unpacked.has(b, 0, b.length), gate.has(b, 0, b.length), JSON.stringify(s));
    }
  }
  // Empty tables pack to empty bitmaps and unpack to zeroed ones of full size.
  const empty = LiteralGate.of([], ['x']).pack();
  assert.equal(empty.pairs, '');
  assert.equal(empty.fourHash, '');
  assert.equal(LiteralGate.unpack(empty).tables().pairs.length, 1 << 14);
  // A bitmap of the wrong size is refused, not read past its end.
  assert.throws(() => LiteralGate.unpack({ ...empty, pairs: 'AAAA' }), /packed gate table/);
});
