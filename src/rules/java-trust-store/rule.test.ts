/** @module java-trust-store: PKIX → the JVM trust store (not STRUST); expired and host name problems. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: PKIX path building failed → untrusted root in the JVM store, never STRUST', () => {
  const ev = event('java-tls-failure', {
    message: 'unable to find valid certification path to requested target',
    problem: 'pkix-path',
    exception: 'SunCertPathBuilderException',
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'untrusted-root');
  assert.equal(f?.import?.into[0]?.store, 'java-keystore');
  assert.equal(f?.import?.strustPath, undefined);
  assert.match(f?.summary ?? '', /not an SAP PSE/);
});

test('pass: Cloud Connector messages point to its trust store', () => {
  const ev = event('java-tls-failure', {
    message: 'PKIX path building failed',
    problem: 'pkix-path',
    product: 'Cloud Connector',
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.import?.into[0]?.store, 'cloud-connector');
});

test('pass: expired and host name problems get their own causes', () => {
  const r = runRule(rule, [
    event('java-tls-failure', { message: 'NotAfter: …', problem: 'cert-expired' }),
    event('java-tls-failure', {
      message: 'No subject alternative DNS name matching x found',
      problem: 'hostname',
    }),
  ]);
  assert.deepEqual(r.findings.map((f) => f.cause).sort(), ['expired-peer-cert', 'hostname-mismatch']);
});

test("fail: handshake failures are the handshake rule's", () => {
  assert.equal(
    runRule(rule, [
      event('java-tls-failure', {
        message: 'Received fatal alert: handshake_failure',
        problem: 'handshake-failure',
      }),
    ]).findings.length,
    0,
  );
});

test('not applicable: no Java failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['java-trust-store']);
});
