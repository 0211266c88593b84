/** @module certificate-validity: expired / not-yet-valid / expiring certificates given as files; pass and not-applicable cases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import type { CertificateInfo } from '../../model/certificate.js';
import rule from './rule.js';

const NOW = new Date('2026-01-15T12:00:00Z');
const root: CertificateInfo = {
  subject: 'CN=Test Root, O=Example, C=DE',
  issuer: 'CN=Test Root, O=Example, C=DE',
  notBefore: '2000-01-01T00:00:00.000Z',
  notAfter: '2099-01-01T00:00:00.000Z',
  isCA: true,
  selfSigned: true,
  sha256: 'aa'.repeat(32),
};
const leaf = (notBefore: string, notAfter: string): CertificateInfo => ({
  subject: 'CN=api.example.test, O=Example, C=DE',
  issuer: root.subject,
  notBefore,
  notAfter,
  isCA: false,
  sha256: 'bb'.repeat(32),
});
const file = (certs: CertificateInfo[]) => event('certificates', { certificates: certs, container: 'pem' });

test('fail: an expired leaf is a certain error naming the leaf, with the report certificate object', () => {
  const { findings } = runRule(
    rule,
    [file([root, leaf('2001-01-01T00:00:00.000Z', '2002-01-01T00:00:00.000Z')])],
    NOW,
  );
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f?.cause, 'expired-peer-cert');
  assert.equal(f?.confidence, 'certain');
  assert.equal(f?.severity, 'error');
  assert.equal(f?.title, 'Certificate "api.example.test" expired on 2002-01-01');
  assert.match(
    f!.summary,
    /The leaf certificate CN=api\.example\.test, O=Example, C=DE was valid until 2002-01-01T00:00:00\.000Z \(8780 days ago\)/,
  );
  assert.equal(f?.certificates?.[0]?.position, 'leaf');
  assert.equal(f?.certificates?.[0]?.sha256, 'bb'.repeat(32));
});

test('fail: not yet valid, and expiring within 30 days (warning)', () => {
  const early = runRule(
    rule,
    [file([leaf('2026-03-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')])],
    NOW,
  ).findings;
  assert.equal(early[0]?.title, 'Certificate "api.example.test" is not valid before 2026-03-01');
  assert.equal(early[0]?.severity, 'error');
  const soon = runRule(
    rule,
    [file([leaf('2025-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')])],
    NOW,
  ).findings;
  assert.equal(soon[0]?.title, 'Certificate "api.example.test" expires in 16 days (2026-02-01)');
  assert.equal(soon[0]?.severity, 'warning');
});

test('pass: valid certificates give no finding', () => {
  const { findings, notApplicable } = runRule(
    rule,
    [file([root, leaf('2001-01-01T00:00:00.000Z', '2098-01-01T00:00:00.000Z')])],
    NOW,
  );
  assert.deepEqual(findings, []);
  assert.deepEqual(notApplicable, []);
});

test('not applicable: no certificate files (own certificates of listings belong to own-cert-expired)', () => {
  const listing = event('sapgenpse', { own: leaf('2001-01-01T00:00:00.000Z', '2002-01-01T00:00:00.000Z') });
  const { findings, notApplicable } = runRule(rule, [listing], NOW);
  assert.deepEqual(findings, []);
  assert.deepEqual(notApplicable, ['certificate-validity']);
});
