/** @module pse-trusted-cert-expired: expired and not-yet-valid certificates in a PSE's list, one finding per PSE. */
import assert from 'node:assert/strict';
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import rule from './rule.js';

const nonPse = pseList('/etc/ssl/ca.pem', [cert('CN=Old', { notAfter: '2020-06-01T00:00:00.000Z' })]);
nonPse.list.storeKind = 'file-list';

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'two expired roots in SAPSSLA.pse give one info finding listing both',
      events: [
        pseList('/sec/SAPSSLA.pse', [
          cert('CN=Good Root'),
          cert('CN=Old Root 1', { notAfter: '2021-05-30T10:48:38.000Z' }),
          cert('CN=Old Root 2', { notAfter: '2024-01-01T00:00:00.000Z' }),
        ]),
      ],
      findings: [
        {
          title: '2 expired certificate(s) in the certificate list of SAPSSLA.pse (SSL client Anonymous)',
          severity: 'info',
          cause: 'expired-own-cert',
          mentions: ['sapgenpse maintain_pk -p SAPSSLA.pse -d'],
        },
      ],
      check: ([f]) => {
        assert.deepEqual(
          f?.certificates?.map((c) => [c.subject, c.position]),
          [
            ['CN=Old Root 1', 'trusted'],
            ['CN=Old Root 2', 'trusted'],
          ],
        );
        assert.match(f?.summary ?? '', /"Old Root 1", expired 2021-05-30/);
        assert.ok(f?.steps.some((s) => s.includes('sapgenpse maintain_pk -p SAPSSLA.pse -d')));
      },
    },
    {
      name: 'a not-yet-valid certificate is reported apart',
      events: [pseList('/sec/SAPSSLC.pse', [cert('CN=Future', { notBefore: '2027-01-01T00:00:00.000Z' })])],
      findings: [{}],
      check: ([f]) => assert.match(f?.title ?? '', /not valid yet/),
    },
  ],
  staysSilent: [
    { name: 'only valid certificates', events: [pseList('/sec/SAPSSLC.pse', [cert('CN=A'), cert('CN=B')])] },
    { name: 'trust lists that are not SAP PSEs are ignored', events: [nonPse] },
  ],
  notApplicable: [{ name: 'no trust list', events: [] }],
});
