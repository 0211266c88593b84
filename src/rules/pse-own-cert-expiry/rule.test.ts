/** @module pse-own-cert-expiry: own certificates (and own-chain CAs) expiring within the 30/90-day windows. */
import assert from 'node:assert/strict';
import type { ReportsRow } from '../../../test/helpers/rule-tester.js';
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import rule, { createPseOwnCertExpiryRule } from './rule.js';

const SEC = '/usr/sap/ABC/D00/sec';
const inDays = (n: number) => new Date(NOW.getTime() + n * 86_400_000 + 3_600_000).toISOString();
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const own = (notAfter: string, notBefore = '2020-01-01T00:00:00.000Z') =>
  cert('CN=abc.example.com, O=Example', { notAfter, notBefore, isCA: false, selfSigned: false });

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: '20 days left is a warning with renewal steps, 60 an info, 200 nothing (default 30/90)',
      events: [
        pseList(`${SEC}/SAPSSLC.pse`, [], { own: own(inDays(20)) }),
        pseList(`${SEC}/SAPSNCS.pse`, [], { own: own(inDays(60)) }),
        pseList(`${SEC}/SAPSYS.pse`, [], { own: own(inDays(200)) }),
      ],
      findings: [
        { severity: 'warning', cause: 'expired-own-cert' },
        { severity: 'info', cause: 'expired-own-cert' },
      ],
      check: (findings) => {
        assert.deepEqual(
          findings.map((f) => [
            f.pse?.basename,
            f.severity,
            f.cause,
            f.title.replace(/ \(\d{4}-\d\d-\d\d\)$/, ''),
          ]),
          [
            [
              'SAPSSLC.pse',
              'warning',
              'expired-own-cert',
              'The own certificate of SAPSSLC.pse (SSL client Standard) expires in 20 days',
            ],
            [
              'SAPSNCS.pse',
              'info',
              'expired-own-cert',
              'The own certificate of SAPSNCS.pse (SNC SAPCryptolib) expires in 60 days',
            ],
          ],
        );
        const [first] = findings;
        assert.match(first?.summary ?? '', /"CN=abc\.example\.com, O=Example" of SAPSSLC\.pse/);
        assert.ok(first?.steps.some((s) => s.includes('sapgenpse import_own_cert -p SAPSSLC.pse')));
        assert.equal(first?.certificates?.[0]?.position, 'own');
      },
    },
    {
      name: 'an own-chain CA expiring soon is reported; the self-signed root of the chain is not judged',
      events: [
        pseList(`${SEC}/SAPSSLS.pse`, [], {
          own: own(inDays(900)),
          ownChain: [
            cert('CN=Issuing CA', { notAfter: inDays(10), selfSigned: false }),
            cert('CN=Root CA', { notAfter: inDays(10) }),
          ],
        }),
      ],
      findings: [{}],
      check: ([f]) => {
        assert.match(
          f?.title ?? '',
          /^The CA certificate in the own chain of SAPSSLS\.pse \(SSL server Standard\) expires in 10 days/,
        );
        assert.equal(f?.certificates?.[0]?.position, 'intermediate');
      },
    },
    {
      name: 'SSL client Anonymous expiring soon is info only (its certificate is never sent)',
      events: [pseList(`${SEC}/SAPSSLA.pse`, [], { own: cert('CN=anonymous', { notAfter: inDays(3) }) })],
      findings: [{ severity: 'info', mentions: ['never sends this certificate'] }],
    },
  ],
  staysSilent: [
    {
      name: 'already expired is left to own-cert-expired (no duplicate finding)',
      events: [pseList(`${SEC}/SAPSSLS.pse`, [], { own: own('2025-12-01T00:00:00.000Z') })],
    },
    {
      name: 'not yet valid is left to own-cert-expired (no duplicate finding)',
      events: [pseList(`${SEC}/SAPSSLS.pse`, [], { own: own(inDays(30), inDays(10)) })],
    },
    {
      name: 'a list without an own certificate (an expiring trusted root is not this rule)',
      events: [pseList(`${SEC}/SAPSSLC.pse`, [cert('CN=Root', { notAfter: inDays(5) })])],
    },
  ],
  notApplicable: [{ name: 'no trust lists', events: [] }],
});

// The windows are configurable (pse --warn-days 7,14).
testRule(createPseOwnCertExpiryRule({ warningDays: 7, noticeDays: 14 }), {
  title: 'pse --warn-days 7,14',
  now: NOW,
  reports: [
    {
      name: 'warn-days 7,14: 5 days left is a warning',
      events: [pseList(`${SEC}/SAPSSLC.pse`, [], { own: own(inDays(5)) })],
      findings: [{ severity: 'warning' }],
    },
  ],
  staysSilent: [
    {
      name: 'warn-days 7,14: 20 days left is outside both windows',
      events: [pseList(`${SEC}/SAPSSLC.pse`, [], { own: own(inDays(20)) })],
    },
  ],
});

// Lifetime-relative windows (landscape) judge short-lived certificates by the share left.
const share = (summary: string) => /(\d+)% of its (\d+)-day lifetime left/.exec(summary)?.slice(1).join('/');
const serverPse = (notAfter: string, notBefore: string) => [
  pseList(`${SEC}/SAPSSLS.pse`, [], { own: own(notAfter, notBefore) }),
];
const relativeReport = (
  name: string,
  notAfter: string,
  notBefore: string,
  severity: 'warning' | 'info',
  left: string,
): ReportsRow => ({
  name,
  events: serverPse(notAfter, notBefore),
  findings: [{ severity }],
  check: ([f]) => assert.equal(share(f?.summary ?? ''), left),
});
testRule(
  createPseOwnCertExpiryRule({
    warningDays: 7,
    noticeDays: 90,
    lifetimeShare: 0.1,
    lifetimeDays: 30,
    noticeShare: 0.25,
  }),
  {
    title: 'lifetime-relative windows',
    now: NOW,
    reports: [
      relativeReport(
        'a 47-day certificate with 4 days left: below 10% and within 7 days',
        inDays(4),
        daysAgo(43),
        'warning',
        '9/47',
      ),
      relativeReport(
        'a two-year certificate with 25 days left: 3% and fewer than 30 days',
        inDays(25),
        daysAgo(705),
        'warning',
        '3/730',
      ),
      relativeReport(
        'a two-year certificate with 60 days left: under 25% and within 90 days',
        inDays(60),
        daysAgo(670),
        'info',
        '8/730',
      ),
    ],
    staysSilent: [
      {
        name: 'a 47-day certificate with 25 days left: more than half its life left',
        events: serverPse(inDays(25), daysAgo(22)),
      },
      {
        name: 'a 100-day certificate with 60 days left: 60% left',
        events: serverPse(inDays(60), daysAgo(40)),
      },
    ],
  },
);
