/** @module landscape-pse-missing: a PSE that some instances of a system hold and another lacks. */
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import type { PseProblemEvent } from '../../model/evidence.js';
import rule from './rule.js';

const at = (system: string, instance: string) => ({ landscape: { system, instance } });
const root = cert('CN=Root');
const wrongPin: PseProblemEvent = {
  kind: 'pse-problem',
  source: { input: 0, line: 1 },
  file: 'ABC/app2/SAPSSLC.pse',
  problem: 'wrong-pin',
  message: 'wrong PIN',
  landscape: { system: 'ABC', instance: 'app2' },
};

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'SAPSSLA.pse on app1 and app2 but not on app3',
      events: [
        pseList('ABC/app1/SAPSSLA.pse', [root], at('ABC', 'app1')),
        pseList('ABC/app2/SAPSSLA.pse', [root], at('ABC', 'app2')),
        pseList('ABC/app1/SAPSSLC.pse', [root], at('ABC', 'app1')),
        pseList('ABC/app2/SAPSSLC.pse', [root], at('ABC', 'app2')),
        pseList('ABC/app3/SAPSSLC.pse', [root], at('ABC', 'app3')),
      ],
      findings: [
        {
          title: 'SAPSSLA.pse (SSL client Anonymous) is missing on app3 of ABC',
          severity: 'warning',
          cause: 'pse-missing',
        },
      ],
    },
  ],
  staysSilent: [
    {
      name: 'an unreadable PSE (wrong PIN) still counts as present',
      events: [pseList('ABC/app1/SAPSSLC.pse', [root], at('ABC', 'app1')), wrongPin],
    },
    { name: 'one instance only', events: [pseList('ABC/app1/SAPSSLC.pse', [root], at('ABC', 'app1'))] },
  ],
  notApplicable: [{ name: 'no trust list and no PSE problem', events: [] }],
});
