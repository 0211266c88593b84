/** @module The cheap tests before the prefix regexes of splitLine: never false where the regex matches. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixturesOrSkip, textFixtureLines } from '../../../test/helpers/fixtures.js';
import { TRACE_FILE_LABEL, WP_PREFIX } from './line-prefix.js';

/** What parsePrefix tests before each regex (see line-prefix.ts). */
const GUARDS: ReadonlyArray<readonly [string, RegExp, (line: string) => boolean]> = [
  ['component letter', WP_PREFIX, (line) => line.charCodeAt(1) === 0x20],
  ['trace file label', TRACE_FILE_LABEL, (line) => line.includes('dev_')],
];

test(
  'each guard holds on every fixture line its regex matches, and spares the regex most lines',
  fixturesOrSkip(),
  () => {
    const all = textFixtureLines();
    for (const [name, re, guard] of GUARDS) {
      let matched = 0;
      let spared = 0;
      for (const line of all) {
        if (re.test(line)) {
          matched++;
          assert.ok(guard(line), `${name}: guard said no to ${JSON.stringify(line.slice(0, 200))}`);
        } else if (!guard(line)) spared++;
      }
      assert.ok(matched > 0, `${name}: no fixture line matches`);
      assert.ok(spared > all.length / 2, `${name}: spares ${spared} of ${all.length}`);
    }
  },
);

test('each guard holds on odd lines its regex matches', () => {
  const odd = [
    'M  *** ERROR => x',
    'N SncInit',
    'A  Mon Jan',
    'X\u00a0 ***',
    'M\t***',
    ' M  ***',
    'MM ***',
    'dev_icm: x',
    '        dev_w12 :   x',
    '\u00a0dev_icm: x',
    'dev_icm:x',
    'DEV_ICM: x',
    'dev_rfc: y',
    '',
    ' ',
    'M',
    'M ',
    'dev_',
    `${' '.repeat(9)}dev_icm: x`,
    `M  ${'*'.repeat(100000)}`,
  ];
  let matched = 0;
  for (const line of odd)
    for (const [name, re, guard] of GUARDS)
      if (re.test(line)) {
        matched++;
        assert.ok(guard(line), `${name}: ${JSON.stringify(line.slice(0, 80))}`);
      }
  assert.ok(matched >= 5, `${matched} matched`);
});
