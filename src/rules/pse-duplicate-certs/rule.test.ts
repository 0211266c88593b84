/** @module pse-duplicate-certs: the same certificate twice, and different certificates with one subject. */
import assert from 'node:assert/strict';
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import rule from './rule.js';

const root = cert('CN=Root X, O=Example');
const old = cert('CN=Issuing CA, O=Example', { notAfter: '2024-01-01T00:00:00.000Z' });
const renewed = cert('O=Example, CN=Issuing CA'.split(', ').reverse().join(', '));

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'an entry listed twice (reader-reported duplicates) is a certain info finding',
      events: [
        pseList('/sec/SAPSSLC.pse', [root], {
          duplicates: [{ sha256: root.sha256 ?? '', subject: root.subject, count: 2 }],
        }),
      ],
      findings: [
        {
          title: '"Root X" is in the certificate list of SAPSSLC.pse (SSL client Standard) 2 times',
          confidence: 'certain',
          severity: 'info',
        },
      ],
    },
    {
      name: 'two certificates with the same subject (one expired) are a possible cause, warning',
      events: [pseList('/sec/SAPSSLA.pse', [old, renewed, cert('CN=Other')])],
      findings: [
        {
          title: '2 different certificates named "Issuing CA" in SAPSSLA.pse (SSL client Anonymous)',
          cause: 'untrusted-root',
          confidence: 'possible',
          severity: 'warning',
        },
      ],
      check: ([f]) => {
        assert.match(f?.summary ?? '', /\(1 of them expired\)/);
        assert.equal(f?.certificates?.length, 2);
      },
    },
  ],
  staysSilent: [
    {
      name: 'distinct subjects, no duplicates',
      events: [pseList('/sec/SAPSSLC.pse', [cert('CN=A'), cert('CN=B')])],
    },
  ],
  notApplicable: [{ name: 'no trust list', events: [] }],
});
