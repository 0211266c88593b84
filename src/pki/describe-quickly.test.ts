/**
 * @module `describeQuickly` (no X.509 library) gives exactly what `describeCertificate` (the library)
 * gives, field for field and in the same key order, wherever it answers: Node's whole root store and
 * generated RSA and EC chains; and it leaves the certificates it cannot read alike to the library.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { generateChain, generateSelfSigned } from '../../test/pki/index.js';
import { describeCertificate, describeDer, describeQuickly, parseCertificate } from './certificate-info.js';
import { scanCertificate, scanPublicKey } from './certificate-scan.js';

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
  // RSA leaves of other sizes (their key is read from the DER: their names differ from the issuer's).
  for (const rsaBits of [1024, 3072]) {
    const chain = await generateChain({ keyType: 'rsa', rsaBits, keySet: `describe-quickly-${rsaBits}` });
    assert.ok(compare(chain.leaf.pem), String(rsaBits));
  }
  // A self-signed EC certificate: OpenSSL reads its key and checks its signature.
  const other = await generateSelfSigned({ keyType: 'ec', name: 'CN=Quick Twin', keySet: 'quick-twin-a' });
  assert.ok(compare(other.pem));
});

/** The key as OpenSSL reads it, in the model's form (RSA size; EC on the NIST curves), else undefined. */
function keyByOpenSsl(der: Uint8Array) {
  const key = new X509Certificate(der).publicKey;
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') return { algorithm: 'RSA', size: details?.modulusLength };
  const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[details?.namedCurve ?? ''];
  if (key.asymmetricKeyType === 'ec' && curve)
    return { algorithm: 'EC', curve, size: Number(curve.slice(2)) };
  return undefined;
}

test('scanPublicKey reads RSA and NIST EC keys as OpenSSL does and leaves every other form to it', async () => {
  const ders: Uint8Array[] = rootCertificates.map((pem) => new Uint8Array(parseCertificate(pem).rawData));
  for (const rsaBits of [1024, 3072, 4096]) {
    const chain = await generateChain({ keyType: 'rsa', rsaBits, keySet: `scan-key-${rsaBits}` });
    ders.push(chain.leaf.der);
  }
  ders.push((await generateChain({ keyType: 'ec' })).leaf.der);
  let read = 0;
  for (const der of ders) {
    const spki = scanCertificate(der)?.spki;
    assert.ok(spki);
    const scanned = scanPublicKey(spki);
    if (scanned) read++;
    assert.deepEqual(scanned, keyByOpenSsl(der));
  }
  assert.ok(read >= ders.length * 0.9, `${read} of ${ders.length}`);
  // Odd forms: trailing bytes, a point of the wrong size, unused bits in the BIT STRING.
  const ec = scanCertificate((await generateChain({ keyType: 'ec' })).leaf.der)?.spki as Uint8Array;
  assert.ok(scanPublicKey(ec));
  assert.equal(scanPublicKey(Buffer.concat([ec, Buffer.from([0])])), undefined);
  // A P-256 point is 65 bytes (04, x, y) after the BIT STRING's unused-bits byte.
  const form = Buffer.from(ec);
  form[form.length - 65] = 0x05; // neither compressed nor uncompressed
  assert.equal(scanPublicKey(form), undefined);
  const unused = Buffer.from(ec);
  unused[unused.length - 66] = 0x01;
  assert.equal(scanPublicKey(unused), undefined);
  const cut = Buffer.from(ec.subarray(0, ec.length - 1));
  cut[1] = (cut[1] as number) - 1; // outer length
  const bitStringLength = ec.length - 67; // 03 <length> 00 04 x y
  assert.equal(cut[bitStringLength - 1], 0x03);
  cut[bitStringLength] = (cut[bitStringLength] as number) - 1;
  assert.equal(scanPublicKey(cut), undefined);
});

test('what the quick path cannot read goes to the library (and its errors)', () => {
  assert.equal(describeQuickly(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])), undefined);
  assert.throws(() => describeDer(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])));
});
