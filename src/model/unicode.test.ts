/** @module normalizeText: the same text as String.prototype.normalize, ASCII or not. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeText } from './unicode.js';

test('normalizeText gives what normalize gives, for ASCII and for text beyond it', () => {
  const samples = [
    '',
    'CN=DigiCert Global Root G2',
    'abc\u007f',
    'ﬁle',
    'Ä',
    'A\u0308',
    'ＳＳＬ',
    'Ⅸ',
    'Straße',
    'ﬀ\u00a0x',
  ];
  let x = 7;
  for (let i = 0; i < 2000; i++) {
    let s = '';
    for (let k = 0; k < 12; k++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      // Mostly ASCII, sometimes a character beyond (compatibility forms, combining marks, wide letters).
      s += x % 9 === 0 ? String.fromCharCode(0x80 + (x % 0xff80)) : String.fromCharCode(x % 0x80);
    }
    samples.push(s);
  }
  for (const s of samples)
    for (const form of ['NFC', 'NFD', 'NFKC', 'NFKD'] as const)
      assert.equal(normalizeText(s, form), s.normalize(form), `${form} ${JSON.stringify(s)}`);
});
