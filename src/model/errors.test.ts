/** @module Tool errors speak each surface's language: the terminal names options, the web names its fields. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatToolErrorWeb, TOOL_ERRORS, ToolError, type ToolErrorCode } from './errors.js';

const DATA = {
  name: 'SAPSSLC.pse',
  path: 'x',
  reason: 'r',
  limit: '1 MB',
  hint: 'h',
  message: 'm',
  query: 'q',
  target: 't',
};

test('no error reaches the web with a command-line option or an environment variable to set', () => {
  for (const code of Object.keys(TOOL_ERRORS) as ToolErrorCode[]) {
    const web = formatToolErrorWeb(code, DATA);
    assert.doesNotMatch(web, /(^|\s)--[a-z]/, code);
    assert.doesNotMatch(web, /PSE_DOCTOR_/, code);
    assert.doesNotMatch(web, /\{\w+\}/, `${code}: every placeholder filled`);
  }
});

test('a missing PIN asks for the PIN option in a terminal and the PIN field on the web', () => {
  const err = new ToolError('pin-required', { name: 'SAPSSLC.pse' });
  assert.match(err.message, /--pin-file/);
  assert.match(err.webMessage, /^SAPSSLC\.pse is PIN-protected: type its PIN in the PIN field/);
});

test('usage errors carry their web words when the thrower gives them, else the terminal words', () => {
  assert.equal(new ToolError('usage', { message: 'a --b', webMessage: 'a b' }).webMessage, 'a b');
  assert.equal(new ToolError('usage', { message: 'plain' }).webMessage, 'plain');
  assert.equal(
    new ToolError('unknown-format', { name: 'n', hint: 'use --x', webHint: 'use the field' }).webMessage,
    'Cannot tell what n is. use the field',
  );
});
