/** @module Stored landscape runs: each trusted certificate once, a landscape of 4,800 PSEs fits the store, trend across old and new forms. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LandscapeCertificate, LandscapePse, LandscapeSnapshot } from '../model/landscape.js';
import type { Report } from '../model/report.js';
import { prepareLandscapeRun } from '../store/prepare-report.js';
import { DEFAULT_EXPIRY } from './build-report.js';
import { compareRuns, snapshotOf, trustedOf } from './trend.js';

const ca = (i: number): LandscapeCertificate => ({
  subject: `CN=Pool CA ${i}, O=PSE Doctor Test, C=DE`,
  issuer: `CN=Pool CA ${i}, O=PSE Doctor Test, C=DE`,
  serial: `01:${String(i).padStart(2, '0')}`,
  sha256: i.toString(16).padStart(64, '0'),
  notBefore: '2020-01-01T00:00:00.000Z',
  notAfter: '2040-01-01T00:00:00.000Z',
  daysLeft: 4000,
  lifetimeLeft: 0.7,
  key: 'RSA 2048',
  signatureAlgorithm: 'sha256WithRSAEncryption',
  isCA: true,
  selfSigned: true,
});

function landscapeReport(systems: number, trustedPerPse: number): Report {
  const pses: LandscapePse[] = [];
  for (let s = 0; s < systems; s++)
    for (let i = 0; i < 6; i++)
      for (let p = 0; p < 8; p++)
        pses.push({
          system: `S${s}`,
          instance: `app${i}`,
          file: `S${s}/app${i}/sec/SAPSSL${p}.pse`,
          basename: `SAPSSL${p}.pse`,
          source: 'pse',
          trusted: Array.from({ length: trustedPerPse }, (_, k) => ca((s + p + k) % 48)),
        });
  return {
    tool: 'pse-doctor',
    schemaVersion: 1,
    generatedAt: '2026-06-01T12:00:00.000Z',
    inputs: [],
    events: [],
    findings: [],
    landscape: {
      systems: [],
      pses,
      baselines: [],
      targets: [],
      plan: [],
      expiry: DEFAULT_EXPIRY,
    },
  };
}

test('a run of 4,800 PSEs with 40 CAs each is stored: each certificate kept once, referenced by index', () => {
  const report = landscapeReport(100, 40);
  const snapshot = snapshotOf(report);
  assert.equal(snapshot.certificates?.length, 48);
  const stored = prepareLandscapeRun(snapshot);
  assert.equal(stored.pses, 4800);
  assert.ok(stored.json.length < 4 * 1024 * 1024, `${stored.json.length} bytes`);
  // Every PSE's list comes back, in order, with what the trend and the page use.
  const back = JSON.parse(stored.json) as LandscapeSnapshot;
  const first = back.landscape.pses[0];
  assert.ok(first);
  assert.deepEqual(
    trustedOf(back, first).map((c) => c.subject),
    report.landscape?.pses[0]?.trusted.map((c) => c.subject),
  );
  assert.deepEqual(Object.keys(trustedOf(back, first)[0] ?? {}).sort(), ['notAfter', 'sha256', 'subject']);
});

test('trend between a run stored inline (older form) and one stored by reference', () => {
  const before = landscapeReport(1, 3);
  const after = landscapeReport(1, 3);
  const changed = after.landscape?.pses[0];
  assert.ok(changed);
  changed.trusted = [...changed.trusted.slice(1), ca(47)];
  const old = snapshotOf(before);
  // An older stored run: trusted certificates inline, no table.
  const inline: LandscapeSnapshot = {
    ...old,
    landscape: {
      ...old.landscape,
      pses: old.landscape.pses.map(({ trustedRefs: _r, ...p }, i) => ({
        ...p,
        trusted: before.landscape?.pses[i]?.trusted ?? [],
      })),
    },
  };
  delete inline.certificates;
  const trend = compareRuns(inline, snapshotOf(after));
  assert.deepEqual(
    trend.added.map((c) => [c.pse, c.subject]),
    [['S0/app0/SAPSSL0.pse', 'CN=Pool CA 47, O=PSE Doctor Test, C=DE']],
  );
  assert.deepEqual(
    trend.removed.map((c) => [c.pse, c.subject]),
    [['S0/app0/SAPSSL0.pse', 'CN=Pool CA 0, O=PSE Doctor Test, C=DE']],
  );
});
