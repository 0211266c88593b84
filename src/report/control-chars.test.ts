/** @module The shared output filter: escapes, newlines, C1 and bidi controls never pass. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasControlChars, stripControlChars, stripControlCharsKeepLines } from './control-chars.js';

const HOSTILE = 'CN=Evil\u001b]0;owned\u0007\u001b[2J\u009b31m\r\ntouch PWNED\u202eabc\u2028x';

test('stripControlChars leaves one printable line', () => {
  const out = stripControlChars(HOSTILE);
  assert.doesNotMatch(out, /[\u0000-\u001f\u007f-\u009f\u2028\u202e]/);
  assert.equal(out.includes('\n'), false);
  assert.ok(out.startsWith('CN=Evil?]0;owned??[2J?31m??touch PWNED?abc?x'));
  assert.equal(stripControlChars('a\tb'), 'a b');
  assert.equal(stripControlChars('CN=Grüße, O=例'), 'CN=Grüße, O=例');
});

test('stripControlCharsKeepLines keeps LF and TAB, nothing else', () => {
  const out = stripControlCharsKeepLines(`line 1\r\n\tline 2 ${HOSTILE}\n`);
  assert.ok(out.startsWith('line 1\n\tline 2 CN=Evil?]0;owned'));
  assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  assert.ok(out.includes('?31m\ntouch PWNED'), 'a CRLF becomes LF');
});

test('hasControlChars', () => {
  assert.equal(hasControlChars('plain'), false);
  assert.equal(hasControlChars('a\nb'), true);
  assert.equal(hasControlChars('a\u009bb'), true);
});
