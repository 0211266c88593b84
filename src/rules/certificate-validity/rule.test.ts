/** @module certificate-validity: expired / not-yet-valid / expiring certificates given as files. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
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

testRule(rule, {
  reports: [
    {
      name: 'an expired leaf → one certain error naming the leaf, with the report certificate object',
      now: NOW,
      events: () => [file([root, leaf('2001-01-01T00:00:00.000Z', '2002-01-01T00:00:00.000Z')])],
      findings: [
        {
          cause: 'expired-peer-cert',
          confidence: 'certain',
          severity: 'error',
          title: 'Certificate "api.example.test" expired on 2002-01-01',
        },
      ],
      check: ([f]) => {
        assert.match(
          f?.summary ?? '',
          /The leaf certificate CN=api\.example\.test, O=Example, C=DE was valid until 2002-01-01T00:00:00\.000Z \(8780 days ago\)/,
        );
        assert.equal(f?.certificates?.[0]?.position, 'leaf');
        assert.equal(f?.certificates?.[0]?.sha256, 'bb'.repeat(32));
      },
    },
    {
      name: 'not yet valid → an error',
      now: NOW,
      events: () => [file([leaf('2026-03-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')])],
      findings: [
        { title: 'Certificate "api.example.test" is not valid before 2026-03-01', severity: 'error' },
      ],
    },
    {
      name: 'expiring within 30 days → a warning',
      now: NOW,
      events: () => [file([leaf('2025-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')])],
      findings: [
        { title: 'Certificate "api.example.test" expires in 16 days (2026-02-01)', severity: 'warning' },
      ],
    },
  ],
  staysSilent: [
    {
      name: 'valid certificates',
      now: NOW,
      events: () => [file([root, leaf('2001-01-01T00:00:00.000Z', '2098-01-01T00:00:00.000Z')])],
    },
  ],
  notApplicable: [
    {
      name: 'no certificate files (own certificates of listings belong to own-cert-expired)',
      now: NOW,
      events: () => [
        event('sapgenpse', { own: leaf('2001-01-01T00:00:00.000Z', '2002-01-01T00:00:00.000Z') }),
      ],
    },
  ],
});
