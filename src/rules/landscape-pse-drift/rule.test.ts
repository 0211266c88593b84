/** @module landscape-pse-drift: instances of one system whose copies of a PSE differ. */
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import rule from './rule.js';

const at = (system: string, instance: string) => ({ landscape: { system, instance } });
const rootA = cert('CN=Root A');
const rootB = cert('CN=Root B');
const own1 = cert('CN=ABC SSL client', { isCA: false, selfSigned: false });
const own2 = cert('CN=ABC SSL client', { isCA: false, selfSigned: false, notAfter: '2031-01-01T00:00:00Z' });

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'a CA on one instance only is named with where it is and where not',
      events: [
        pseList('ABC/app1/SAPSSLC.pse', [rootA, rootB], { ...at('ABC', 'app1'), own: own1 }),
        pseList('ABC/app2/SAPSSLC.pse', [rootA], { ...at('ABC', 'app2'), own: own1 }),
        pseList('XYZ/app1/SAPSSLC.pse', [rootA], { ...at('XYZ', 'app1'), own: own1 }),
      ],
      findings: [
        {
          mentions: [
            'SAPSSLC.pse (SSL client Standard) differs between the instances of ABC: 1 certificate',
            '"Root B", until 2030-01-01 is on app1 but not on app2',
          ],
        },
      ],
    },
    {
      name: 'different own certificates of a system-wide PSE; SSL server PSEs may differ per instance',
      events: [
        pseList('ABC/app1/SAPSSLC.pse', [rootA], { ...at('ABC', 'app1'), own: own1 }),
        pseList('ABC/app2/SAPSSLC.pse', [rootA], { ...at('ABC', 'app2'), own: own2 }),
        pseList('ABC/app1/SAPSSLS.pse', [rootA], { ...at('ABC', 'app1'), own: own1 }),
        pseList('ABC/app2/SAPSSLS.pse', [rootA], { ...at('ABC', 'app2'), own: own2 }),
      ],
      findings: [
        {
          title:
            'SAPSSLC.pse (SSL client Standard) has 2 different own certificates across the instances of ABC',
        },
      ],
    },
  ],
  staysSilent: [
    {
      name: 'identical copies',
      events: [
        pseList('ABC/app1/SAPSSLC.pse', [rootA], { ...at('ABC', 'app1'), own: own1 }),
        pseList('ABC/app2/SAPSSLC.pse', [rootA], { ...at('ABC', 'app2'), own: own1 }),
      ],
    },
    {
      name: 'PSEs without a landscape location',
      events: [pseList('/a/SAPSSLC.pse', [rootA]), pseList('/b/SAPSSLC.pse', [rootB])],
    },
  ],
  notApplicable: [{ name: 'no trust list', events: [] }],
});
