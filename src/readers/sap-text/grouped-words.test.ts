/**
 * @module The word tests every head line runs, grouped by first letters for speed, match exactly the lines
 * their readable lists match: on every line of the real traces, cases and examples, on each listed word
 * (whole, cut, in other case, glued to letters) and on random lines built from the words' own letters.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixturesOrSkip, textFixtureLines } from '../../../test/helpers/fixtures.js';
import { CONTEXT_ANY, CONTEXT_ANY_GROUPED } from './context-facts.js';
import {
  ANY_HEAD_WORD,
  ANY_PLATFORM,
  anyHeadWord,
  headWordInText,
  mayNameHeadWord,
  PLATFORMS,
  platformWordsMayBeIn,
} from './platform.js';
import {
  ANY_MECHANISM,
  KERBEROS_NAME,
  KERBEROS_TEXT,
  mechanismWordsMayBeIn,
  SLC_TEXT,
} from './snc-mechanism.js';

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

/**
 * The alternatives of a grouped regex written out (`c(?:l(?:a|b)|d)` → `cla`, `clb`, `cd`), each still in
 * regex syntax; `(?:…)?` gives both.
 */
function alternatives(source: string): string[] {
  let i = 0;
  const list = (): string[] => {
    const done: string[] = [];
    let cur = [''];
    while (i < source.length && source[i] !== ')') {
      if (source[i] === '|') {
        done.push(...cur);
        cur = [''];
        i++;
      } else if (source.startsWith('(?:', i)) {
        i += 3;
        const inner = list();
        i++;
        const optional = source[i] === '?';
        if (optional) i++;
        cur = cur.flatMap((c) => [...(optional ? [c] : []), ...inner.map((x) => c + x)]);
      } else {
        const end = source[i] === '\\' ? i + 2 : source[i] === '[' ? source.indexOf(']', i) + 1 : i + 1;
        const quantifier = /^(?:[?*+]|\{\d+(?:,\d*)?\})/.exec(source.slice(end))?.[0] ?? '';
        const atom = source.slice(i, end + quantifier.length);
        i = end + quantifier.length;
        cur = cur.map((c) => c + atom);
      }
    }
    done.push(...cur);
    return done;
  };
  return list();
}

/**
 * The head-word test without the regex, and the regex without `/i` on the lower-cased line, give the
 * regex's answer (U+0130 and U+212A included), and the product and mechanism texts hold back no line
 * their regex matches.
 */
function headAgrees(line: string): void {
  const hit = ANY_HEAD_WORD.test(line);
  assert.equal(headWordInText(line), hit, `head words in text: ${JSON.stringify(line)}`);
  assert.equal(anyHeadWord(line), hit, `head words on the lower-cased line: ${JSON.stringify(line)}`);
  const low = line.toLowerCase();
  if (ANY_PLATFORM.test(line))
    assert.ok(platformWordsMayBeIn(low), `product texts miss ${JSON.stringify(line)}`);
  if (ANY_MECHANISM.test(line))
    assert.ok(mechanismWordsMayBeIn(low), `mechanism texts miss ${JSON.stringify(line)}`);
}

function agree(name: string, grouped: RegExp, plain: RegExp, line: string): void {
  const hit = plain.test(line);
  assert.equal(grouped.test(line), hit, `${name}: ${JSON.stringify(line)}`);
  // The one test before all three never holds back a line one of them matches.
  if (hit) assert.ok(ANY_HEAD_WORD.test(line), `head words miss ${name}: ${JSON.stringify(line)}`);
  headAgrees(line);
}

/** A word as lines: whole, cut, recased, glued, spread out, beside U+0130 and U+212A. */
function forms(w: string): string[] {
  return [
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
    `${w}\u0130`,
    `\u0130${w}`,
    `${w}\u212a`,
    w.replace(/i/gi, '\u0130'),
    w.replace(/k/gi, '\u212a'),
  ];
}

/**
 * A random line of up to five pieces: words of `pool` (kept whole as `whole` writes them, or with one
 * letter dropped or changed, or cut at the front) and runs of `letters`; upper-cased now and then.
 */
function randomLine(
  r: () => number,
  pool: readonly string[],
  letters: string,
  whole: (w: string) => string = (w) => w,
): string {
  let line = '';
  for (let n = Math.floor(r() * 6); n > 0; n--) {
    if (r() < 0.5) {
      const w = pool[Math.floor(r() * pool.length)] as string;
      const at = Math.floor(r() * w.length);
      const k = r();
      line +=
        k < 0.5
          ? whole(w)
          : k < 0.7
            ? w.slice(0, at) + w.slice(at + 1)
            : k < 0.85
              ? w.slice(0, at) + letters[Math.floor(r() * letters.length)] + w.slice(at + 1)
              : w.slice(at);
    } else for (let c = Math.floor(r() * 5); c > 0; c--) line += letters[Math.floor(r() * letters.length)];
  }
  return r() < 0.3 ? line.toUpperCase() : line;
}

describe('the grouped word tests', () => {
  test('match the plain alternation on each word, cut, recased, glued and spread out', () => {
    for (const [name, grouped, plain] of PAIRS) {
      assert.equal(grouped.flags, plain.flags, name);
      let hits = 0;
      for (const w of words(plain)) {
        for (const line of forms(w)) {
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
        const line = randomLine(r, pool, letters);
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

  test('the head-word test without the regex answers as the regex on its every word', () => {
    const all = alternatives(ANY_HEAD_WORD.source);
    assert.ok(all.length > 90, `${all.length} head words`);
    let hits = 0;
    for (const alt of all) {
      // Regex syntax as text a match would hold: `.?`, ` ?` and `v?` dropped, `\d` a digit, a class a letter.
      const w = alt
        .replace(/\[\^[^\]]*\]\{[^}]*\}/g, 'x')
        .replace(/\[[^\]]*\]\{[^}]*\}/g, 'example')
        .replace(/.\?/g, '')
        .replace(/\\d/g, '4')
        .replace(/\\b/g, '')
        .replace(/\\(.)/g, '$1');
      assert.ok(ANY_HEAD_WORD.test(w), `${alt} → ${w}`);
      for (const line of forms(w)) {
        if (ANY_HEAD_WORD.test(line)) hits++;
        headAgrees(line);
      }
    }
    assert.ok(hits > 800, `${hits} hits`);
  });

  test('the head-word test without the regex answers as the regex on random lines of its words', () => {
    const r = rng(4242);
    const pool = alternatives(ANY_HEAD_WORD.source).map((a) => a.replace(/\\(.)/g, '$1'));
    const letters = `${pool.join('')} .:_-/@=>,'"0123456789ABCDEFXYZ\u0130\u212a\u0131\u017f`;
    // A word kept whole is written out: its optional parts dropped, \d a digit, a bounded class two letters.
    const writtenOut = (w: string) =>
      w.replace(/\.\?|\?|\\d|\[[^\]]*\]\{[^}]*\}/g, (m) => (m === '\\d' ? '7' : m.length > 3 ? 'ab' : ''));
    let hits = 0;
    for (let i = 0; i < 30000; i++) {
      const line = randomLine(r, pool, letters, writtenOut);
      if (ANY_HEAD_WORD.test(line)) hits++;
      headAgrees(line);
    }
    assert.ok(hits > 3000, `${hits} random hits`);
  });

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
