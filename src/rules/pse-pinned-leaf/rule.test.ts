/** @module pse-pinned-leaf: end-entity certificates in a certificate list. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cert, pseList, runOn } from '../../../test/helpers/trust-list-evidence.js';
import rule from './rule.js';

const SEC = '/usr/sap/ABC/D00/sec';

test('fail: a CA-issued leaf in the list is a warning telling to trust its root instead', () => {
  const leaf = cert('CN=partner.example.com', { isCA: false, selfSigned: false, issuer: 'CN=Partner CA' });
  const [f, ...rest] = runOn(rule, [pseList(`${SEC}/SAPSSLC.pse`, [cert('CN=Root'), leaf])]);
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'warning');
  assert.match(f?.title ?? '', /trusts the server certificate "partner\.example\.com" itself/);
  assert.ok(f?.steps.some((s) => s.includes('sapgenpse maintain_pk -p SAPSSLC.pse -a')));
  assert.equal(f?.certificates?.[0]?.subject, 'CN=partner.example.com');
});

test('fail: a self-signed leaf says there is no CA to trust instead', () => {
  const leaf = cert('CN=self.example.com', { isCA: false, selfSigned: true });
  const [f] = runOn(rule, [pseList(`${SEC}/SAPSSLA.pse`, [leaf])]);
  assert.match(f?.summary ?? '', /self-signed, so there is no CA/);
});

test('pass / not applicable: CAs, unknown CA flags (listings) and expired leaves are not reported here', () => {
  const unknown = cert('CN=listed.example.com', { selfSigned: false });
  delete (unknown as { isCA?: boolean }).isCA;
  const expired = cert('CN=old.example.com', {
    isCA: false,
    selfSigned: false,
    notAfter: '2021-01-01T00:00:00Z',
  });
  assert.deepEqual(runOn(rule, [pseList(`${SEC}/SAPSSLC.pse`, [cert('CN=Root'), unknown, expired])]), []);
});
