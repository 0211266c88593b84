/** @module landscape-baseline-gap: SSL client PSEs lacking roots of a baseline. */
import assert from 'node:assert/strict';
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
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
const target: LandscapeTargetEvent = {
  kind: 'landscape-target',
  source: { input: 0, line: 2 },
  system: 'ABC',
  host: 'api.example.com',
  port: 443,
  pse: 'SAPSSLC.pse',
};
/** A target naming the system PSE brings it in (a call made through it). */
const viaSys: LandscapeTargetEvent = {
  kind: 'landscape-target',
  source: { input: 0, line: 3 },
  system: 'ABC',
  host: 'h.example.com',
  port: 443,
  pse: 'SAPSYS.pse',
};
const empty = ['SAPSSLA', 'SAPSSLC', 'SAPSSLCPARTN', 'SAPSSLS', 'SAPSYS', 'SAPSNCS'].map((n) =>
  pseList(`ABC/app1/${n}.pse`, [], at('ABC', 'app1')),
);
/** Six empty PSEs of one instance and the baseline with `scope`: which PSEs lack its roots. */
const scopeRow = (name: string, gaps: string[], scope?: string[], extra: EvidenceEvent[] = []) => ({
  name,
  events: [
    ...empty,
    { ...baseline, list: { ...baseline.list, ...(scope ? { baselineScope: scope } : {}) } },
    ...extra,
  ],
  findings: gaps.map(() => ({ cause: 'untrusted-root' as const })),
  check: (findings: { pse?: { file?: string } }[]) =>
    assert.deepEqual(findings.map((f) => f.pse?.file).sort(), gaps),
});
const ALL = ['SAPSNCS.pse', 'SAPSSLA.pse', 'SAPSSLC.pse', 'SAPSSLCPARTN.pse', 'SAPSSLS.pse', 'SAPSYS.pse'];

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'the missing root is named, with the calls that use the PSE and an import plan',
      events: [
        pseList('ABC/app1/SAPSSLC.pse', [g1], at('ABC', 'app1')),
        pseList('ABC/app2/SAPSSLC.pse', [g1, g2], at('ABC', 'app2')),
        pseList('ABC/app1/SAPSSLS.pse', [], at('ABC', 'app1')),
        baseline,
        target,
      ],
      findings: [
        { title: 'SAPSSLC.pse (SSL client Standard) on ABC lacks 1 root(s) of the baseline btp.pem' },
      ],
      check: ([f]) => {
        assert.match(f?.summary ?? '', /"Global Root G2" \(on app1\)/);
        assert.match(f?.summary ?? '', /Calls of ABC through this PSE: api\.example\.com:443/);
        assert.equal(f?.import?.subject, 'CN=Global Root G2');
      },
    },
    // Scope: by default the PSEs of outbound calls (every SSL client PSE, target PSEs);
    // --baseline-scope widens or names.
    scopeRow('default scope: every SSL client PSE', ['SAPSSLA.pse', 'SAPSSLC.pse', 'SAPSSLCPARTN.pse']),
    scopeRow(
      'default scope: a target naming the system PSE brings it in',
      ['SAPSSLA.pse', 'SAPSSLC.pse', 'SAPSSLCPARTN.pse', 'SAPSYS.pse'],
      undefined,
      [viaSys],
    ),
    scopeRow('--baseline-scope server: the SSL server PSEs', ['SAPSSLS.pse'], ['server']),
    scopeRow(
      '--baseline-scope client,server',
      ['SAPSSLA.pse', 'SAPSSLC.pse', 'SAPSSLCPARTN.pse', 'SAPSSLS.pse'],
      ['client', 'server'],
    ),
    scopeRow('--baseline-scope names one PSE (any case)', ['SAPSNCS.pse'], ['SAPSNCS.PSE']),
    scopeRow('--baseline-scope all', ALL, ['all']),
  ],
  staysSilent: [
    {
      name: 'every root held (by SHA-256)',
      events: [pseList('ABC/app1/SAPSSLA.pse', [g1, g2], at('ABC', 'app1')), baseline],
    },
    {
      name: 'no baseline among the trust lists',
      events: [pseList('ABC/app1/SAPSSLA.pse', [], at('ABC', 'app1'))],
    },
  ],
  notApplicable: [{ name: 'no trust list (a target alone)', events: [target] }],
});
