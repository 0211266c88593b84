/** @module A malformed certificate is described in our words, never with the ASN.1 library's message. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateChain } from '../../../test/pki/index.js';
import { isToolError } from '../../model/errors.js';
import { parseDerCertificate, plainParseReason } from './read-certificates.js';

test('a certificate whose extension is malformed says so in plain words, naming the file', async () => {
  const { root } = await generateChain();
  const der = Buffer.from(root.der);
  // basicConstraints (2.5.29.19): turn its extnValue OCTET STRING into a UTF8String.
  const oid = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x13]);
  let at = der.indexOf(oid) + oid.length;
  if (der[at] === 0x01) at += 3;
  assert.equal(der[at], 0x04);
  der[at] = 0x0c;
  assert.throws(
    () => parseDerCertificate(der, 'partner-root.pem', 'block at line 1'),
    (e: unknown) =>
      isToolError(e) &&
      /partner-root\.pem: one of its extensions is malformed/.test(e.message) &&
      /block at line 1/.test(e.message) &&
      !/ASN1|schema/.test(e.message),
  );
});

test('plainParseReason leaves other messages alone', () => {
  assert.match(
    plainParseReason('Data does not match to TBSCertificate ASN1 schema.'),
    /^its tbscertificate structure does not match X\.509/,
  );
  assert.equal(plainParseReason('unexpected end'), 'unexpected end');
});

/** A root whose basicConstraints extension value is a UTF8String instead of an OCTET STRING. */
async function malformedRoot(): Promise<{
  der: Buffer;
  pem: string;
  leaf: { pem: string; der: Buffer; keyPem: string };
}> {
  const { root, leaf } = await generateChain();
  const der = Buffer.from(root.der);
  const oid = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x13]);
  let at = der.indexOf(oid) + oid.length;
  if (der[at] === 0x01) at += 3;
  der[at] = 0x0c;
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  return { der, pem, leaf: { pem: leaf.pem, der: Buffer.from(leaf.der), keyPem: leaf.keyPem } };
}

test('no command shows the ASN.1 library message: a PEM, a PEM among good ones, a PSE entry, a server chain', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { runCli } = await import('../../../test/helpers/fake-io.js');
  const { writePse } = await import('../../../test/pse-writer/index.js');
  const { describeDer } = await import('../../pki/describe-pem.js');
  const { der, pem, leaf } = await malformedRoot();
  const work = mkdtempSync(join(tmpdir(), 'pse-doctor-asn1-'));
  try {
    writeFileSync(join(work, 'bad.pem'), pem);
    writeFileSync(join(work, 'mixed.pem'), leaf.pem + pem);
    writeFileSync(join(work, 'leaf.pem'), leaf.pem);
    writeFileSync(
      join(work, 'bad.pse'),
      writePse({ version: 2, own: leaf.der, keyPem: leaf.keyPem, trusted: [der] }),
    );
    for (const argv of [
      ['cert', 'bad.pem'],
      ['cert', 'mixed.pem'],
      ['analyze', 'mixed.pem'],
      ['verify', 'leaf.pem', '--trust', 'bad.pem'],
      ['pse', 'bad.pse'],
      ['analyze', 'bad.pse'],
      ['verify', 'leaf.pem', '--trust', 'bad.pse'],
    ]) {
      const r = await runCli(argv, { cwd: work });
      const all = r.stdout + r.stderr;
      assert.doesNotMatch(all, /ASN\.?1|does not match to|internal error/i, `${argv.join(' ')}: ${all}`);
      assert.match(all, /extensions is malformed/, `${argv.join(' ')} says what is wrong`);
    }
    // A server that sends such a certificate: the probe lists it by fingerprint, in plain words.
    const info = describeDer(der);
    assert.match(info.subject, /cannot read: one of its extensions is malformed/);
    assert.doesNotMatch(info.subject, /ASN1|schema/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
