/** @module Which lines an event covers, and which message events an explained failure settles. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceEvent } from '../model/evidence.js';
import { linesOf, settledEvents } from './settled.js';

const ssl = (line: number, keyLines: number[]): EvidenceEvent =>
  ({
    kind: 'ssl-failure',
    source: { input: 0, line, endLine: keyLines[keyLines.length - 1], keyLines },
  }) as EvidenceEvent;
const message = (line: number): EvidenceEvent =>
  ({ kind: 'message', source: { input: 0, line }, entry: 'X', stack: 'icm', text: 't' }) as EvidenceEvent;

test('an event covers its key lines and the short stretches between them, not a long one', () => {
  const lines = linesOf(ssl(2, [2, 4, 5, 30]));
  assert.deepEqual(lines, ['0:2', '0:4', '0:5', '0:30', '0:3']);
  // Without key lines (or with as many as a reader keeps), the span counts.
  const span = linesOf({ kind: 'ssl-failure', source: { input: 0, line: 10, endLine: 13 } } as EvidenceEvent);
  assert.deepEqual(span, ['0:10', '0:11', '0:12', '0:13']);
});

test('a message between close key lines of an explained failure is settled; one far between them is not', () => {
  const failure = ssl(3, [3, 5, 19]);
  const inside = message(4);
  const between = message(12);
  const settled = settledEvents([failure, inside, between], new Set([failure]));
  assert.ok(settled.has(inside));
  assert.ok(!settled.has(between));
});
