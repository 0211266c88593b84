/** @module pse-unavailable: SSL credential not found, PSE errors, sapgenpse cannot open a PSE. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

const problems = [
  'pin-required',
  'wrong-pin',
  'lps',
  'cred-v2',
  'corrupt',
  'not-a-pse',
  'unsupported',
] as const;
/** Each PSE problem gets its own hint, naming the file. */
const HINT: Record<(typeof problems)[number], RegExp> = {
  'pin-required': /--pin-file .*PSE_DOCTOR_PIN/,
  'wrong-pin': /PIN given does not open SAPSSLC\.pse/,
  lps: /LPS.*maintain_pk -l -p SAPSSLC\.pse.*on that application server/,
  'cred-v2': /cred_v2, the SSO credential file, not a PSE/,
  corrupt: /binary mode/,
  'not-a-pse': /not a PSE/,
  unsupported: /cannot read this PSE layout.*maintain_pk -l -p SAPSSLC\.pse/,
};
const hints = new Map<string, string>();

testRule(rule, {
  reports: [
    {
      name: 'ICM 414 / CRED_NOT_FOUND → the chosen SSL client PSE is missing (certain)',
      events: [event('ssl-failure', { origin: 'abap-message', icm: { number: 414 } })],
      findings: [{ cause: 'pse-missing', confidence: 'certain' }],
    },
    {
      name: 'sapgenpse "Couldn\'t open PSE (Decoding error)" → a PIN/credential problem',
      events: [
        event('sapgenpse', {
          command: 'get_my_name',
          pseFile: '/x/local.pse',
          error: { message: 'Couldn\'t open PSE "/x/local.pse" (Decoding error)', reason: 'Decoding error' },
        }),
      ],
      findings: [{ cause: 'pse-credential' }],
      check: ([f]) => assert.equal(f?.pse?.file, '/x/local.pse'),
    },
    ...problems.map((problem) => ({
      name: `PSE problem ${problem} → one hint of its own, naming the file`,
      events: [
        event('pse-problem', {
          file: '/tmp/upload/SAPSSLC.pse',
          problem,
          message: `cannot open (${problem})`,
        }),
      ],
      findings: [
        {
          cause: ['corrupt', 'not-a-pse', 'unsupported'].includes(problem)
            ? ('pse-missing' as const)
            : ('pse-credential' as const),
        },
      ],
      check: ([f]: { steps: string[] }[]) => {
        assert.equal(f?.steps.length, 1, problem);
        assert.match(f?.steps[0] ?? '', HINT[problem], problem);
        const other = [...hints].find(([p, s]) => p !== problem && s === f?.steps[0]);
        assert.equal(other, undefined, `${problem} shares its hint with ${other?.[0]}`);
        hints.set(problem, f?.steps[0] ?? '');
      },
    })),
  ],
  staysSilent: [
    {
      name: 'a sapgenpse listing without error',
      events: [event('sapgenpse', { command: 'get_my_name', pseFile: '/x/local.pse' })],
    },
  ],
  notApplicable: [{ name: 'no SSL failure, PSE problem or sapgenpse output', events: [] }],
});
