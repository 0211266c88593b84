/** @module pse-pinned-leaf: end-entity certificates in a certificate list. */
import assert from 'node:assert/strict';
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import rule from './rule.js';

const SEC = '/usr/sap/ABC/D00/sec';
const unknown = cert('CN=listed.example.com', { selfSigned: false });
delete (unknown as { isCA?: boolean }).isCA;

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'a CA-issued leaf in the list is a warning telling to trust its root instead',
      events: [
        pseList(`${SEC}/SAPSSLC.pse`, [
          cert('CN=Root'),
          cert('CN=partner.example.com', { isCA: false, selfSigned: false, issuer: 'CN=Partner CA' }),
        ]),
      ],
      findings: [{ severity: 'warning', mentions: ['sapgenpse maintain_pk -p SAPSSLC.pse -a'] }],
      check: ([f]) => {
        assert.match(f?.title ?? '', /trusts the server certificate "partner\.example\.com" itself/);
        assert.ok(f?.steps.some((s) => s.includes('sapgenpse maintain_pk -p SAPSSLC.pse -a')));
        assert.equal(f?.certificates?.[0]?.subject, 'CN=partner.example.com');
      },
    },
    {
      name: 'a self-signed leaf says there is no CA to trust instead',
      events: [
        pseList(`${SEC}/SAPSSLA.pse`, [cert('CN=self.example.com', { isCA: false, selfSigned: true })]),
      ],
      findings: [{}],
      check: ([f]) => assert.match(f?.summary ?? '', /self-signed, so there is no CA/),
    },
  ],
  staysSilent: [
    {
      name: 'CAs, unknown CA flags (listings) and expired leaves are not reported here',
      events: [
        pseList(`${SEC}/SAPSSLC.pse`, [
          cert('CN=Root'),
          unknown,
          cert('CN=old.example.com', { isCA: false, selfSigned: false, notAfter: '2021-01-01T00:00:00Z' }),
        ]),
      ],
    },
  ],
  notApplicable: [{ name: 'no trust list', events: [] }],
});
