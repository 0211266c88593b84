/** @module Compiled JSON written as ASCII parses to the same value. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asciiJson } from './ranged-json.js';

test('asciiJson escapes every character beyond ASCII and parses back to the same value', () => {
  const value = {
    'Főtanúsítvány — CA': ['á', 'NetLock Arany (Class Gold) Főtanúsítvány', '😀', 'plain "q"\n\\'],
  };
  const text = asciiJson(value);
  assert.match(text, /^[\x00-\x7f]*$/);
  assert.deepEqual(JSON.parse(text), value);
  assert.equal(asciiJson('á—😀'), '"\\u00e1\\u2014\\ud83d\\ude00"');
  // ASCII text is written exactly as JSON.stringify writes it.
  assert.equal(asciiJson({ a: 'b "c"\n' }), JSON.stringify({ a: 'b "c"\n' }));
});
