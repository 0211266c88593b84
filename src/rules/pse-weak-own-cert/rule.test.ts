/** @module pse-weak-own-cert: MD5/SHA-1 signatures and small keys on own certificates and their chain. */
import assert from 'node:assert/strict';
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import rule from './rule.js';

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'a SHA-1 signed own certificate with an RSA 1024 key gives two findings',
      events: [
        pseList('/sec/SAPSSLS.pse', [], {
          own: cert('CN=abc.example.com', {
            signatureAlgorithm: 'sha1WithRSAEncryption',
            key: { algorithm: 'RSA', size: 1024 },
            selfSigned: false,
            isCA: false,
          }),
        }),
      ],
      findings: [{}, {}],
      check: (findings) =>
        assert.deepEqual(findings.map((f) => [f.title, f.severity, f.cause]).sort(), [
          [
            'The own certificate of SAPSSLS.pse (SSL server Standard) has a small key (RSA 1024)',
            'warning',
            'weak-signature',
          ],
          [
            'The own certificate of SAPSSLS.pse (SSL server Standard) is signed with sha1WithRSAEncryption',
            'warning',
            'weak-signature',
          ],
        ]),
    },
    {
      name: 'an MD5-signed intermediate in the own chain is an error; a SHA-1 self-signed root is fine',
      events: [
        pseList('/sec/SAPSSLC.pse', [], {
          own: cert('CN=abc', { selfSigned: false, isCA: false }),
          ownChain: [
            cert('CN=Old Issuing CA', { signatureAlgorithm: 'md5WithRSAEncryption', selfSigned: false }),
            cert('CN=Old Root', { signatureAlgorithm: 'sha1WithRSAEncryption' }),
          ],
        }),
      ],
      findings: [{ severity: 'error' }],
      check: ([f]) => assert.equal(f?.certificates?.[0]?.subject, 'CN=Old Issuing CA'),
    },
  ],
  staysSilent: [
    {
      name: 'SHA-256 / RSA 2048, and SSL client Anonymous (never sent) is not judged',
      events: [
        pseList('/sec/SAPSSLC.pse', [], { own: cert('CN=ok', { selfSigned: false }) }),
        pseList('/sec/SAPSSLA.pse', [], {
          own: cert('CN=anonymous', { signatureAlgorithm: 'md5WithRSAEncryption', selfSigned: false }),
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no trust list', events: [] }],
});
