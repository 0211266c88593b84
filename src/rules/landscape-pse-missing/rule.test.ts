/** @module landscape-pse-missing: a PSE that some instances of a system hold and another lacks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cert, NOW, pseList, runOn } from '../../../test/helpers/trust-list-evidence.js';
import { runRules } from '../../engine/run-rules.js';
import type { PseProblemEvent } from '../../model/evidence.js';
import rule from './rule.js';

const at = (system: string, instance: string) => ({ landscape: { system, instance } });
const root = cert('CN=Root');

test('fail: SAPSSLA.pse on app1 and app2 but not on app3', () => {
  const findings = runOn(rule, [
    pseList('ABC/app1/SAPSSLA.pse', [root], at('ABC', 'app1')),
    pseList('ABC/app2/SAPSSLA.pse', [root], at('ABC', 'app2')),
    pseList('ABC/app1/SAPSSLC.pse', [root], at('ABC', 'app1')),
    pseList('ABC/app2/SAPSSLC.pse', [root], at('ABC', 'app2')),
    pseList('ABC/app3/SAPSSLC.pse', [root], at('ABC', 'app3')),
  ]);
  assert.deepEqual(
    findings.map((f) => [f.title, f.severity, f.cause]),
    [['SAPSSLA.pse (SSL client Anonymous) is missing on app3 of ABC', 'warning', 'pse-missing']],
  );
});

test('pass: an unreadable PSE (wrong PIN) still counts as present', () => {
  const problem: PseProblemEvent = {
    kind: 'pse-problem',
    source: { input: 0, line: 1 },
    file: 'ABC/app2/SAPSSLC.pse',
    problem: 'wrong-pin',
    message: 'wrong PIN',
    landscape: { system: 'ABC', instance: 'app2' },
  };
  const { findings } = runRules(
    { inputs: [], events: [pseList('ABC/app1/SAPSSLC.pse', [root], at('ABC', 'app1')), problem], lines: {} },
    [rule],
    { now: NOW },
  );
  assert.deepEqual(findings, []);
});

test('not applicable: one instance only', () => {
  assert.deepEqual(runOn(rule, [pseList('ABC/app1/SAPSSLC.pse', [root], at('ABC', 'app1'))]), []);
});
