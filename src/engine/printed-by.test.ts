/** @module Structured findings name the software that printed their evidence. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceEvent, InputSummary } from '../model/evidence.js';
import { printedByOf } from './printed-by.js';

const input = (format: string): InputSummary => ({
  name: 'x',
  format,
  bytes: 1,
  lines: 1,
  unrecognizedLines: 0,
  warnings: [],
});
const ssl = (origin: 'trace' | 'abap-message'): EvidenceEvent => ({
  kind: 'ssl-failure',
  source: { input: 0, line: 1 },
  origin,
  role: 'client',
});

test('an ICM trace, an ABAP message and a Web Dispatcher trace name their own stack', () => {
  assert.deepEqual(printedByOf([ssl('trace')], [input('icm-trace')]), { stack: 'icm', side: 'client' });
  assert.deepEqual(printedByOf([ssl('abap-message')], [input('abap-message')]), {
    stack: 'abap',
    side: 'client',
  });
  assert.deepEqual(printedByOf([ssl('trace')], [input('webdisp-trace')]), {
    stack: 'webdispatcher',
    side: 'client',
  });
  const inbound: EvidenceEvent = {
    kind: 'inbound-cert',
    source: { input: 0, line: 1 },
    problem: 'no-client-cert',
    message: 'TLSv1.2 connection with anonymous client',
  };
  assert.deepEqual(printedByOf([inbound], [input('icm-trace')]), { stack: 'icm', side: 'server' });
  assert.equal(printedByOf([], [input('icm-trace')]), undefined);
});
