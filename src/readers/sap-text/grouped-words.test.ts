/**
 * @module The word tests every head line runs, grouped by first letters for speed, match exactly the lines
 * their readable lists match: on every line of the real traces, cases and examples, on each listed word
 * (whole, cut, in other case, glued to letters) and on random lines built from the words' own letters.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixturesOrSkip, textFixtureLines } from '../../../test/helpers/fixtures.js';
import { CONTEXT_ANY, CONTEXT_ANY_GROUPED } from './message-lines.js';
import { ANY_HEAD_WORD, ANY_PLATFORM, mayNameHeadWord, PLATFORMS } from './platform.js';
import { ANY_MECHANISM, KERBEROS_NAME, KERBEROS_TEXT, SLC_TEXT } from './snc-mechanism.js';

/** Each grouped test beside the plain alternation it stands for. */
const PAIRS: ReadonlyArray<readonly [string, RegExp, RegExp]> = [
  ['context words', CONTEXT_ANY_GROUPED, CONTEXT_ANY],
  ['product words', ANY_PLATFORM, new RegExp(PLATFORMS.map(([, re]) => `(?:${re.source})`).join('|'), 'i')],
  [
    'mechanism words',
    ANY_MECHANISM,
    new RegExp([KERBEROS_NAME, KERBEROS_TEXT, SLC_TEXT].map((re) => `(?:${re.source})`).join('|'), 'i'),
  ],
];

/** The words of an alternation, its regex syntax dropped (`tests? ?>` → `tests >`, `\d` → `d`). */
function words(re: RegExp): string[] {
  return re.source
    .replace(/\[\^[^\]]*\]\{[^}]*\}/g, 'x')
    .replace(/\[[^\]]*\]\{[^}]*\}/g, 'EXAMPLE')
    .split('|')
    .map((w) => w.replace(/\\d/g, '4').replace(/\\b|\\|\(\?:|[()?]/g, ''))
    .filter((w) => w.length > 0);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function agree(name: string, grouped: RegExp, plain: RegExp, line: string): void {
  const hit = plain.test(line);
  assert.equal(grouped.test(line), hit, `${name}: ${JSON.stringify(line)}`);
  // The one test before all three never holds back a line one of them matches.
  if (hit) assert.ok(ANY_HEAD_WORD.test(line), `head words miss ${name}: ${JSON.stringify(line)}`);
}

describe('the grouped word tests', () => {
  test('match the plain alternation on each word, cut, recased, glued and spread out', () => {
    for (const [name, grouped, plain] of PAIRS) {
      assert.equal(grouped.flags, plain.flags, name);
      let hits = 0;
      for (const w of words(plain)) {
        const forms = [
          w,
          w.toUpperCase(),
          `x ${w} y`,
          `a${w}b`,
          `_${w}_`,
          `${w}1`,
          w.slice(1),
          w.slice(0, -1),
          `${w.slice(0, 1)} ${w.slice(1)}`,
          w.replace(/ /g, ''),
          w.replace(/ /g, '  '),
          `[Thr 140210540517120] ${w}: 443`,
          `p:${w}@EXAMPLE.COM`,
        ];
        for (const line of forms) {
          if (plain.test(line)) hits++;
          agree(name, grouped, plain, line);
        }
      }
      assert.ok(hits > 40, `${name}: ${hits} hits`);
    }
  });

  test('match the plain alternation on random lines of their words and letters', () => {
    for (const [name, grouped, plain] of PAIRS) {
      const r = rng(name.length * 7919);
      const pool = words(plain);
      const letters = `${pool.join('')} .:_-/@=>,'"0123456789ABCDEFXYZ`;
      let hits = 0;
      for (let i = 0; i < 20000; i++) {
        let line = '';
        for (let n = Math.floor(r() * 6); n > 0; n--) {
          if (r() < 0.5) {
            const w = pool[Math.floor(r() * pool.length)] as string;
            // A word, sometimes with one letter changed or dropped, or cut at either end.
            const at = Math.floor(r() * w.length);
            const k = r();
            line +=
              k < 0.5
                ? w
                : k < 0.7
                  ? w.slice(0, at) + w.slice(at + 1)
                  : k < 0.85
                    ? w.slice(0, at) + letters[Math.floor(r() * letters.length)] + w.slice(at + 1)
                    : w.slice(at);
          } else
            for (let c = Math.floor(r() * 5); c > 0; c--) line += letters[Math.floor(r() * letters.length)];
        }
        if (r() < 0.3) line = line.toUpperCase();
        if (plain.test(line)) hits++;
        agree(name, grouped, plain, line);
      }
      assert.ok(hits > 2000, `${name}: ${hits} random hits`);
    }
  });

  test(
    'match the plain alternation on every line of the real traces, cases and examples',
    fixturesOrSkip(),
    () => {
      let lines = 0;
      for (const line of textFixtureLines({ encoding: 'latin1', keepCr: true })) {
        lines++;
        for (const [name, grouped, plain] of PAIRS) agree(name, grouped, plain, line);
      }
      assert.ok(lines > 3000, `${lines} lines`);
    },
  );

  test('the head-word test gives each line its own answer, asked once or again', () => {
    assert.equal(ANY_HEAD_WORD.flags, 'i');
    const lines = ['x', 'Secure Login Client', 'Secure Login Client', 'y', 'proxy', `${'proxy'}`, 'z'];
    for (const line of lines) {
      assert.equal(mayNameHeadWord(line), ANY_HEAD_WORD.test(line), line);
      assert.equal(mayNameHeadWord(line), ANY_HEAD_WORD.test(line), line);
    }
    // It rules out plain lines (what makes it worth a test before the three).
    assert.equal(mayNameHeadWord('[Thr 140210540517120] IcmConnInitClientSSL: done'), false);
  });
});
