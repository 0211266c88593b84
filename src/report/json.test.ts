/** @module JSON pieces: the exact text of `renderJson`, in pieces small enough to be short-lived, however the report nests. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Report } from '../model/report.js';
import { renderJson, renderJsonChunks } from './json.js';

test('one huge element (a PSE of 5,000 certificates) comes in pieces of about 64 KiB, text unchanged', () => {
  const cert = (i: number) => ({
    subject: `CN=CA ${i}, O="Quoted, Inc.", C=DE`,
    sha256: i.toString(16).padStart(64, '0'),
    pem: `-----BEGIN CERTIFICATE-----\n${'A'.repeat(1200)}\n-----END CERTIFICATE-----\n`,
    isCA: true,
    missing: undefined,
    list: [1, undefined, 'x\ny', null, { deep: [[], {}] }],
  });
  const report = {
    tool: 'pse-doctor',
    schemaVersion: 1,
    inputs: [{ name: 'ä "quoted"', warnings: [] }],
    events: [{ kind: 'trust-list', list: { certificates: Array.from({ length: 5000 }, (_, i) => cert(i)) } }],
    findings: [],
    ruleErrors: undefined,
    landscape: { pses: [], nested: { a: [1, { b: null }], empty: [], none: {} } },
  } as unknown as Report;
  const chunks = [...renderJsonChunks(report)];
  assert.equal(chunks.join(''), renderJson(report));
  const largest = Math.max(...chunks.map((c) => c.length));
  assert.ok(chunks.length > 50, `${chunks.length} pieces`);
  assert.ok(largest < 80 * 1024, `largest piece ${largest} characters`);
});

test('small and empty reports: the same text in one piece', () => {
  for (const report of [
    { tool: 'pse-doctor', schemaVersion: 1, inputs: [], events: [], findings: [] },
    { tool: 'pse-doctor', schemaVersion: 1, inputs: [], events: [], findings: [], landscape: undefined },
  ] as unknown as Report[]) {
    const chunks = [...renderJsonChunks(report)];
    assert.equal(chunks.length, 1);
    assert.equal(chunks.join(''), renderJson(report));
  }
});
