/** @module isoTimestamp: the text toISOString gives, for every date it formats itself and for those it hands on. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoTimestamp } from './report-envelope.js';

test('isoTimestamp equals toISOString (years 0 to 9999 formatted here, any other date handed on)', () => {
  const dates = [
    0,
    1,
    -1,
    999,
    Date.UTC(2026, 11, 6, 21, 5, 9, 7),
    Date.UTC(0, 0, 1),
    Date.UTC(9999, 11, 31, 23, 59, 59, 999),
  ];
  dates.push(Date.UTC(-1, 0, 1), Date.UTC(10000, 0, 1), 8.64e15, -8.64e15);
  let x = 11;
  for (let i = 0; i < 5000; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    dates.push((x / 0x7fffffff) * 2 * 2.6e14 - 2.6e14); // about -6000 to +10200
  }
  for (const t of dates) {
    const d = new Date(t);
    assert.equal(isoTimestamp(d), d.toISOString(), String(t));
  }
  assert.throws(() => isoTimestamp(new Date(Number.NaN)), RangeError);
});
