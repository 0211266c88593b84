/** @module pse-own-cert-expiry: own certificates (and own-chain CAs) expiring within the 30/90-day windows. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cert, NOW, pseList, runOn } from '../../../test/helpers/trust-list-evidence.js';
import rule, { createPseOwnCertExpiryRule } from './rule.js';

const SEC = '/usr/sap/ABC/D00/sec';
const inDays = (n: number) => new Date(NOW.getTime() + n * 86_400_000 + 3_600_000).toISOString();
const own = (notAfter: string, notBefore = '2020-01-01T00:00:00.000Z') =>
  cert('CN=abc.example.com, O=Example', { notAfter, notBefore, isCA: false, selfSigned: false });

test('fail: 20 days left is a warning with renewal steps, 60 an info, 200 nothing (default 30/90)', () => {
  const findings = runOn(rule, [
    pseList(`${SEC}/SAPSSLC.pse`, [], { own: own(inDays(20)) }),
    pseList(`${SEC}/SAPSNCS.pse`, [], { own: own(inDays(60)) }),
    pseList(`${SEC}/SAPSYS.pse`, [], { own: own(inDays(200)) }),
  ]);
  assert.deepEqual(
    findings.map((f) => [f.pse?.basename, f.severity, f.cause, f.title.replace(/ \(\d{4}-\d\d-\d\d\)$/, '')]),
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
});

test('fail: the windows are configurable (pse --warn-days 7,14)', () => {
  const narrow = createPseOwnCertExpiryRule({ warningDays: 7, noticeDays: 14 });
  assert.deepEqual(runOn(narrow, [pseList(`${SEC}/SAPSSLC.pse`, [], { own: own(inDays(20)) })]), []);
  const [f] = runOn(narrow, [pseList(`${SEC}/SAPSSLC.pse`, [], { own: own(inDays(5)) })]);
  assert.equal(f?.severity, 'warning');
});

test('fail: an own-chain CA expiring soon is reported; the self-signed root of the chain is not judged', () => {
  const inter = cert('CN=Issuing CA', { notAfter: inDays(10), selfSigned: false });
  const root = cert('CN=Root CA', { notAfter: inDays(10) });
  const [f, ...rest] = runOn(rule, [
    pseList(`${SEC}/SAPSSLS.pse`, [], { own: own(inDays(900)), ownChain: [inter, root] }),
  ]);
  assert.equal(rest.length, 0);
  assert.match(
    f?.title ?? '',
    /^The CA certificate in the own chain of SAPSSLS\.pse \(SSL server Standard\) expires in 10 days/,
  );
  assert.equal(f?.certificates?.[0]?.position, 'intermediate');
});

test('pass: SSL client Anonymous expiring soon is info only (its certificate is never sent)', () => {
  const [f] = runOn(rule, [
    pseList(`${SEC}/SAPSSLA.pse`, [], { own: cert('CN=anonymous', { notAfter: inDays(3) }) }),
  ]);
  assert.equal(f?.severity, 'info');
  assert.match(f?.summary ?? '', /never sends this certificate/);
});

test('pass: already expired or not yet valid is left to own-cert-expired (no duplicate finding)', () => {
  assert.deepEqual(
    runOn(rule, [pseList(`${SEC}/SAPSSLS.pse`, [], { own: own('2025-12-01T00:00:00.000Z') })]),
    [],
  );
  assert.deepEqual(
    runOn(rule, [pseList(`${SEC}/SAPSSLS.pse`, [], { own: own(inDays(30), inDays(10)) })]),
    [],
  );
});

test('not applicable: no trust lists, or lists without an own certificate', () => {
  assert.deepEqual(runOn(rule, []), []);
  assert.deepEqual(
    runOn(rule, [pseList(`${SEC}/SAPSSLC.pse`, [cert('CN=Root', { notAfter: inDays(5) })])]),
    [],
  );
});

test('fail: lifetime-relative windows (landscape) judge short-lived certificates by the share left', () => {
  const relative = createPseOwnCertExpiryRule({
    warningDays: 7,
    noticeDays: 90,
    lifetimeShare: 0.1,
    lifetimeDays: 30,
    noticeShare: 0.25,
  });
  const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
  const run = (notAfter: string, notBefore: string) =>
    runOn(relative, [pseList(`${SEC}/SAPSSLS.pse`, [], { own: own(notAfter, notBefore) })]).map((f) => [
      f.severity,
      /(\d+)% of its (\d+)-day lifetime left/.exec(f.summary)?.slice(1).join('/'),
    ]);
  // A 47-day certificate with 25 days left: more than half its life left, nothing to say.
  assert.deepEqual(run(inDays(25), daysAgo(22)), []);
  // The same certificate with 4 days left: below 10% of its lifetime and within 7 days.
  assert.deepEqual(run(inDays(4), daysAgo(43)), [['warning', '9/47']]);
  // A two-year certificate with 25 days left: 3% of its lifetime and fewer than 30 days.
  assert.deepEqual(run(inDays(25), daysAgo(705)), [['warning', '3/730']]);
  // A two-year certificate with 60 days left: info (under 25% and within 90 days).
  assert.deepEqual(run(inDays(60), daysAgo(670)), [['info', '8/730']]);
  // A 100-day certificate with 60 days left: 60% left, no notice.
  assert.deepEqual(run(inDays(60), daysAgo(40)), []);
});
