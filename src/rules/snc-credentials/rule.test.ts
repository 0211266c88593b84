/** @module snc-credentials: "No credentials were supplied", with the Kerberos SPN when the sectrace shows it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

const noCreds = () =>
  event('snc-failure', {
    role: 'client',
    error: { name: 'SNCERR_GSSAPI' },
    gssMajor: 'No credentials were supplied',
    sncTarget: 'p:CN=BW5',
  });

test('pass: with a failed Kerberos ticket request → register the SPN (certain)', () => {
  const krb = event('kerberos-failure', { spn: 'SAP/BW5', user: 'u@EXAMPLE.COM', status: 'C000018B' });
  const f = runRule(rule, [noCreds(), krb]).findings[0];
  assert.equal(f?.cause, 'snc-credentials');
  assert.equal(f?.confidence, 'certain');
  assert.match(f?.steps[0] ?? '', /setspn -S SAP\/BW5/);
});

test('pass: without a sectrace → cred_v2 / Secure Login Client (likely)', () => {
  const f = runRule(rule, [noCreds()]).findings[0];
  assert.equal(f?.confidence, 'likely');
  assert.equal(f?.pse?.node, 'SNC SAPCryptolib');
});

test('pass: without a sectrace the other causes of the same text follow as possible (SECUDIR, stale cred_v2, SNC name)', () => {
  const fs = runRule(rule, [noCreds()]).findings;
  assert.deepEqual(
    fs.map((f) => `${f.cause}/${f.confidence}`),
    ['snc-credentials/likely', 'pse-missing/possible', 'pse-credential/possible', 'snc-name/possible'],
  );
  assert.match(fs[1]?.steps.join(' ') ?? '', /SECUDIR/);
  assert.match(fs[2]?.steps.join(' ') ?? '', /seclogin/);
});

test("pass: Secure Login Client aborted (A2200019) stays the user's credential", () => {
  const slc = event('snc-failure', {
    gssMajor: 'No credentials were supplied',
    gssMinor: { code: 'A2200019', text: 'Operation aborted by user or application' },
  });
  assert.deepEqual(
    runRule(rule, [slc]).findings.map((f) => f.cause),
    ['snc-credentials'],
  );
});

test('fail: other SNC errors', () => {
  assert.equal(
    runRule(rule, [
      event('snc-failure', { gssMinor: { code: 'A2200210', text: 'Peer certificate verification failed' } }),
    ]).findings.length,
    0,
  );
});

test('not applicable: no SNC or Kerberos evidence', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['snc-credentials']);
});
