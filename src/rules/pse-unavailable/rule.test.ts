/** @module pse-unavailable: SSL credential not found, PSE errors, sapgenpse cannot open a PSE. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: ICM 414 / CRED_NOT_FOUND → the chosen SSL client PSE is missing', () => {
  const f = runRule(rule, [event('ssl-failure', { origin: 'abap-message', icm: { number: 414 } })])
    .findings[0];
  assert.equal(f?.cause, 'pse-missing');
  assert.equal(f?.confidence, 'certain');
});

test('pass: sapgenpse "Couldn\'t open PSE (Decoding error)" → a PIN/credential problem', () => {
  const ev = event('sapgenpse', {
    command: 'get_my_name',
    pseFile: '/x/local.pse',
    error: { message: 'Couldn\'t open PSE "/x/local.pse" (Decoding error)', reason: 'Decoding error' },
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'pse-credential');
  assert.equal(f?.pse?.file, '/x/local.pse');
});

test('fail: a sapgenpse listing without error', () => {
  assert.equal(
    runRule(rule, [event('sapgenpse', { command: 'get_my_name', pseFile: '/x/local.pse' })]).findings.length,
    0,
  );
});

test('not applicable: no SSL failure, PSE problem or sapgenpse output', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['pse-unavailable']);
});

test('each PSE problem gets its own hint, naming the file', () => {
  const problems = [
    'pin-required',
    'wrong-pin',
    'lps',
    'cred-v2',
    'corrupt',
    'not-a-pse',
    'unsupported',
  ] as const;
  const expected: Record<(typeof problems)[number], RegExp> = {
    'pin-required': /--pin-file .*PSE_DOCTOR_PIN/,
    'wrong-pin': /PIN given does not open SAPSSLC\.pse/,
    lps: /LPS.*maintain_pk -l -p SAPSSLC\.pse.*on that application server/,
    'cred-v2': /cred_v2, the SSO credential file, not a PSE/,
    corrupt: /binary mode/,
    'not-a-pse': /not a PSE/,
    unsupported: /cannot read this PSE layout.*maintain_pk -l -p SAPSSLC\.pse/,
  };
  const steps = new Set<string>();
  for (const problem of problems) {
    const ev = event('pse-problem', {
      file: '/tmp/upload/SAPSSLC.pse',
      problem,
      message: `cannot open (${problem})`,
    });
    const f = runRule(rule, [ev]).findings[0];
    assert.ok(f, problem);
    assert.equal(f.steps.length, 1, problem);
    assert.match(f.steps[0] ?? '', expected[problem], problem);
    assert.equal(
      f.cause,
      ['corrupt', 'not-a-pse', 'unsupported'].includes(problem) ? 'pse-missing' : 'pse-credential',
    );
    steps.add(f.steps[0] ?? '');
  }
  assert.equal(steps.size, problems.length, 'no two problems share a hint');
});
