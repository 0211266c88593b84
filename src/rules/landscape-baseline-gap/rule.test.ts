/** @module landscape-baseline-gap: SSL client PSEs lacking roots of a baseline. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import { runRules } from '../../engine/run-rules.js';
import type { EvidenceEvent, LandscapeTargetEvent, TrustListEvent } from '../../model/evidence.js';
import rule from './rule.js';

const at = (system: string, instance: string) => ({ landscape: { system, instance } });
const g1 = cert('CN=Global Root G1');
const g2 = cert('CN=Global Root G2');
const baseline: TrustListEvent = {
  kind: 'trust-list',
  source: { input: 0, line: 1 },
  list: { storeKind: 'file-list', file: 'btp.pem', baseline: 'btp.pem', certificates: [g1, g2] },
};
const run = (events: EvidenceEvent[]) =>
  runRules({ inputs: [], events, lines: {} }, [rule], { now: NOW }).findings;

test('fail: the missing root is named, with the calls that use the PSE and an import plan', () => {
  const target: LandscapeTargetEvent = {
    kind: 'landscape-target',
    source: { input: 0, line: 2 },
    system: 'ABC',
    host: 'api.example.com',
    port: 443,
    pse: 'SAPSSLC.pse',
  };
  const findings = run([
    pseList('ABC/app1/SAPSSLC.pse', [g1], at('ABC', 'app1')),
    pseList('ABC/app2/SAPSSLC.pse', [g1, g2], at('ABC', 'app2')),
    pseList('ABC/app1/SAPSSLS.pse', [], at('ABC', 'app1')),
    baseline,
    target,
  ]);
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f?.title, 'SAPSSLC.pse (SSL client Standard) on ABC lacks 1 root(s) of the baseline btp.pem');
  assert.match(f?.summary ?? '', /"Global Root G2" \(on app1\)/);
  assert.match(f?.summary ?? '', /Calls of ABC through this PSE: api\.example\.com:443/);
  assert.equal(f?.import?.subject, 'CN=Global Root G2');
});

test('pass: every root held (by SHA-256); not applicable without a baseline', () => {
  assert.deepEqual(run([pseList('ABC/app1/SAPSSLA.pse', [g1, g2], at('ABC', 'app1')), baseline]), []);
  assert.deepEqual(run([pseList('ABC/app1/SAPSSLA.pse', [], at('ABC', 'app1'))]), []);
});

test('scope: by default the PSEs of outbound calls (every SSL client PSE, target PSEs); --baseline-scope widens or names', () => {
  const lists = [
    pseList('ABC/app1/SAPSSLA.pse', [], at('ABC', 'app1')),
    pseList('ABC/app1/SAPSSLC.pse', [], at('ABC', 'app1')),
    pseList('ABC/app1/SAPSSLCPARTN.pse', [], at('ABC', 'app1')),
    pseList('ABC/app1/SAPSSLS.pse', [], at('ABC', 'app1')),
    pseList('ABC/app1/SAPSYS.pse', [], at('ABC', 'app1')),
    pseList('ABC/app1/SAPSNCS.pse', [], at('ABC', 'app1')),
  ];
  const gapsWith = (scope?: string[], extra: EvidenceEvent[] = []) =>
    run([
      ...lists,
      { ...baseline, list: { ...baseline.list, ...(scope ? { baselineScope: scope } : {}) } },
      ...extra,
    ])
      .map((f) => f.pse?.file)
      .sort();
  assert.deepEqual(gapsWith(), ['SAPSSLA.pse', 'SAPSSLC.pse', 'SAPSSLCPARTN.pse']);
  // A target naming the system PSE brings it in (a call made through it).
  const viaSys: LandscapeTargetEvent = {
    kind: 'landscape-target',
    source: { input: 0, line: 3 },
    system: 'ABC',
    host: 'h.example.com',
    port: 443,
    pse: 'SAPSYS.pse',
  };
  assert.deepEqual(gapsWith(undefined, [viaSys]), [
    'SAPSSLA.pse',
    'SAPSSLC.pse',
    'SAPSSLCPARTN.pse',
    'SAPSYS.pse',
  ]);
  assert.deepEqual(gapsWith(['server']), ['SAPSSLS.pse']);
  assert.deepEqual(gapsWith(['client', 'server']), [
    'SAPSSLA.pse',
    'SAPSSLC.pse',
    'SAPSSLCPARTN.pse',
    'SAPSSLS.pse',
  ]);
  assert.deepEqual(gapsWith(['SAPSNCS.PSE']), ['SAPSNCS.pse']);
  assert.equal(gapsWith(['all']).length, 6);
});
