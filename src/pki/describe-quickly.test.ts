/**
 * @module `describeQuickly` (no X.509 library) gives exactly what `describeCertificate` (the library)
 * gives, field for field and in the same key order, wherever it answers: Node's whole root store and
 * generated RSA and EC chains; and it leaves the certificates it cannot read alike to the library.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { generateChain } from '../../test/pki/index.js';
import { describeCertificate, describeDer, describeQuickly, parseCertificate } from './certificate-info.js';

function compare(pem: string): boolean {
  const der = new Uint8Array(parseCertificate(pem).rawData);
  const full = describeCertificate(parseCertificate(pem), { pem });
  const quick = describeQuickly(der, { pem });
  assert.deepEqual(describeDer(pem, { pem }), full);
  if (!quick) return false;
  assert.deepEqual(quick, full, full.subject);
  assert.deepEqual(Object.keys(quick), Object.keys(full), full.subject);
  return true;
}

test("every root in Node's store: the quick description equals the library's", () => {
  const answered = rootCertificates.filter(compare).length;
  // Nearly all roots take the quick path (names in UTF8String/PrintableString, RSA or P-256/384 keys).
  assert.ok(answered >= rootCertificates.length * 0.9, `${answered} of ${rootCertificates.length}`);
});

test('generated RSA and EC chains: leaf, intermediate and root agree', async () => {
  for (const keyType of ['rsa', 'ec'] as const) {
    const chain = await generateChain({ keyType });
    for (const cert of [chain.leaf, chain.intermediate, chain.root]) assert.ok(compare(cert.pem), keyType);
  }
});

test('what the quick path cannot read goes to the library (and its errors)', () => {
  assert.equal(describeQuickly(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])), undefined);
  assert.throws(() => describeDer(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])));
});
