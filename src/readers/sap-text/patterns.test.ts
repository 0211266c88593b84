/** @module The cheap test before the timestamp regexes: never false where they match. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixturesOrSkip, textFixtureLines } from '../../../test/helpers/fixtures.js';
import { splitLine } from './line-prefix.js';
import { mayLeadWithDay, TIMESTAMP } from './patterns.js';

/** What every regex mayLeadWithDay stands before starts with (TIMESTAMP, ssl-block's TIMESTAMP_LEAD). */
const DAY_LEAD = /^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)/;

function check(t: string): boolean {
  const leads = DAY_LEAD.test(t);
  if (leads || TIMESTAMP.test(t))
    assert.ok(mayLeadWithDay(t), `guard said no: ${JSON.stringify(t.slice(0, 200))}`);
  // Exact on ASCII: where the blanks end in ASCII, the guard says yes only before a day name.
  if (!/^\s*[^\x00-\x7f]/.test(t)) assert.equal(mayLeadWithDay(t), leads, JSON.stringify(t.slice(0, 200)));
  return leads;
}

test(
  'mayLeadWithDay is true on every fixture line and segment a timestamp regex can match',
  fixturesOrSkip(),
  () => {
    let leading = 0;
    let skipped = 0;
    for (const raw of textFixtureLines()) {
      for (const t of [raw, ...splitLine(raw).map((s) => s.text)]) {
        if (check(t)) leading++;
        else if (!mayLeadWithDay(t)) skipped++;
      }
    }
    assert.ok(leading >= 10, 'the fixtures hold timestamp lines');
    assert.ok(skipped > 1000, 'and lines the guard spares the regex');
  },
);

test('mayLeadWithDay on blanks of every kind, short and odd input', () => {
  const odd = [
    '',
    'M',
    'Mo',
    'Mon',
    ' Mon',
    '\t\n\v\f\rTue May 24 13:51:07:344 2022',
    'Tue May 24 13:51:07:344 2022',
    '\u00a0Wed x',
    '\u2028Thu',
    '\ufeffFri',
    '\u3000Sat',
    '\u0085Sun',
    'mon',
    'MON',
    'Monday',
    'xMon',
    '*Sun',
    'SSSLERR_PEER_CERT_UNTRUSTED',
    'Sat'.padStart(100000, ' '),
    ' '.repeat(100000),
    '\u00e9Mon',
  ];
  for (const t of odd) check(t);
  for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])
    for (const blank of ['', ' ', '\t', '\r\n ', '\u00a0', '\u2009'])
      assert.ok(check(`${blank}${day} Dec  1 01:02:03:456 2025`), `${JSON.stringify(blank)}${day}`);
  assert.equal(mayLeadWithDay('SSSLERR_PEER_CERT_UNTRUSTED'), false);
  assert.equal(mayLeadWithDay('  Sat May 24'), true);
  assert.equal(mayLeadWithDay('\u00a0Wed'), true, 'a Unicode blank: the regex decides');
});
