/**
 * @module regexFactors reads the literals every match contains, and the LiteralGate built from them
 * never rules out a line the regex matches (tried on random text built from each regex's own literals).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiteralGate } from './literal-gate.js';
import { regexFactors } from './regex-factors.js';

test('literals of alternations, groups, classes, repeats and anchors', () => {
  assert.deepEqual(regexFactors(/foo|Bar(?:baz|qux)/), {
    anywhere: ['foo', 'barbaz', 'barqux'],
    atStart: [],
  });
  assert.deepEqual(regexFactors(/x\d{2}y/)?.anywhere.length, 100);
  assert.deepEqual(regexFactors(/={5}/)?.anywhere, ['=====']);
  assert.deepEqual(regexFactors(/^\s*=>|^\s*at /), { anywhere: [], atStart: ['=>', 'at '] });
  // Blanks the branch requires after its leading white space are skipped like the line's own.
  assert.deepEqual(regexFactors(/^\s{0,4} foo/)?.atStart, ['foo']);
  assert.deepEqual(regexFactors(/\bCPI\b/i)?.anywhere, ['cpi']);
  assert.deepEqual(regexFactors(/ab(?=cd)ef/)?.anywhere, ['abef']);
  assert.deepEqual(regexFactors(/conn(?:ection)? to/)?.anywhere.sort(), ['conn to', 'connection to']);
});

test('nothing usable: a one-character literal, any text, or an unreadable source', () => {
  assert.equal(regexFactors(/a|bc/), undefined);
  assert.equal(regexFactors(/.*/), undefined);
  assert.equal(regexFactors(/\w+:/), undefined);
  assert.equal(
    regexFactors(/[^x]yz|ab/)
      ?.anywhere.sort()
      .join(),
    'ab,yz',
  );
  // A control escape, a code point escape and an octal escape (built from a string: TypeScript refuses them).
  const odd = ['\\cJ', '\\u{41}', '\\012'].join('|');
  assert.equal(regexFactors(new RegExp(odd)), undefined);
});

/** Small deterministic PRNG (a linear congruential generator). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

const SAMPLES: RegExp[] = [
  /S(?:SL|APCRYPTO|nc)|A(?:lso check|2[0-9A-F]{6}:)|E(?:rror \d|RROR during)|^\s*=>|\/0x|\(no error\)|^\s*at |\.\.\. \d|\[MSG:/,
  /^\s*(?:Mon|Tue|Wed) (?:Jan|Feb) {1,2}\d{1,2} \d{1,2}:\d{2}:\d{2}(?:[:.]\d{1,6})? \d{4}\s*$/,
  /^\s*(LOCATION|ERROR|TIME|RC)(?:\s+(\S.*))?$/,
  /[si]:|depth=|"(?:issuer|subject)|Subject: |chain|trust/,
  /client.?certificate|--cert\b|auth_type=|x\.509|cert_len = /i,
  /com\.sap\.it\.|\bMPL ID\b|connectivity tests? ?>|\bCPI\b/i,
  /\[\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?\]\[\d{1,2}\]\[/,
  /SSSL(?:ERR|RC)_|SapSSL|ICM_HTTP_|SSL handshake with/,
];

test('a line a regex matches always passes the gate built from its literals', () => {
  const r = rng(5);
  const alphabet = 'aAsSiI:=>-. 0123456789[]()\t/"xX';
  for (const re of SAMPLES) {
    const f = regexFactors(re);
    assert.ok(f, `${re} has literals`);
    const gate = LiteralGate.of(f.anywhere, f.atStart);
    const pieces = [
      ...f.anywhere,
      ...f.atStart,
      'Tue Jan  5 1:02:03 2024',
      '[2020.05.26 14:21:28.668325][4][',
      'LOCATION  x',
      ' at x',
      '=> y',
    ];
    let matched = 0;
    for (let n = 0; n < 20000; n++) {
      let s = '';
      const parts = 1 + Math.floor(r() * 4);
      for (let k = 0; k < parts; k++) {
        if (r() < 0.5) s += pieces[Math.floor(r() * pieces.length)]!;
        const noise = Math.floor(r() * 4);
        for (let j = 0; j < noise; j++) s += alphabet[Math.floor(r() * alphabet.length)];
      }
      if (r() < 0.3) s = s.toUpperCase();
      if (!re.test(s)) continue;
      matched++;
      const b = Buffer.from(s, 'latin1');
      assert.ok(
        gate.has(b, 0, b.length) || gate.startsWith(b, 0, b.length),
        `${re} matches ${JSON.stringify(s)}`,
      );
    }
    assert.ok(matched > 30, `${re}: ${matched} matching samples`);
  }
});

test('a byte outside printable ASCII always passes the gate', () => {
  const gate = LiteralGate.of(['needle']);
  const b = Buffer.from('plain text \u00e9 here');
  assert.equal(gate.has(b, 0, 11), false);
  assert.equal(gate.has(b, 0, b.length), true);
  assert.equal(gate.has(Buffer.from([0x61, 0x00, 0x62]), 0, 3), true);
});
