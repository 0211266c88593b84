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
