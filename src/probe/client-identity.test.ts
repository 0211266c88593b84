/** @module Client identities from PEM and PKCS#12 files; clear errors for broken PSEs, missing keys, wrong passwords. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  generateChain,
  type PkiFixtureFiles,
  TEST_P12_PASSWORD,
  writePkiFixtures,
} from '../../test/pki/index.js';
import { isToolError } from '../model/errors.js';
import { loadClientIdentity } from './client-identity.js';

let dir: string;
let files: PkiFixtureFiles;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-identity-'));
  files = await writePkiFixtures(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string) => readFileSync(files.files[name] ?? join(dir, name));

test('PKCS#12 (AES and 3DES) with the password: usable identity, described without its key', () => {
  for (const name of ['store-aes.p12', 'store-3des.p12']) {
    const id = loadClientIdentity({ name, bytes: read(name), password: TEST_P12_PASSWORD });
    assert.ok(id.pfx);
    assert.equal(id.describe.subject, files.chain.leaf.subject);
    assert.equal(id.describe.sha256, files.chain.leaf.sha256);
    assert.doesNotMatch(JSON.stringify(id.describe), /PRIVATE|pse-doctor-test/);
  }
});

test('PKCS#12 without or with a wrong password: password-required / wrong-password', () => {
  assert.throws(
    () => loadClientIdentity({ name: 'store-aes.p12', bytes: read('store-aes.p12') }),
    (e) => isToolError(e) && e.code === 'password-required',
  );
  assert.throws(
    () => loadClientIdentity({ name: 'store-aes.p12', bytes: read('store-aes.p12'), password: 'nope' }),
    (e) => isToolError(e) && e.code === 'wrong-password' && !e.message.includes('nope'),
  );
});

test('PEM certificate + key, or a separate key file; the leaf comes first whatever the file order', () => {
  const { leaf, intermediate } = files.chain;
  const oneFile = loadClientIdentity({
    name: 'id.pem',
    bytes: Buffer.from(intermediate.pem + leaf.keyPem + leaf.pem),
  });
  assert.equal(oneFile.describe.subject, leaf.subject);
  assert.ok(oneFile.certPem?.startsWith(leaf.pem.trim().split('\n')[0] ?? 'x'));
  assert.equal(oneFile.describe.issuer, intermediate.subject);
  const twoFiles = loadClientIdentity({
    name: 'leaf.pem',
    bytes: read('leaf.pem'),
    keyBytes: read('leaf.key.pem'),
  });
  assert.equal(twoFiles.describe.sha256, leaf.sha256);
});

test('no key, a key of another certificate, a PSE file: clear usage errors', async () => {
  assert.throws(
    () => loadClientIdentity({ name: 'leaf.pem', bytes: read('leaf.pem') }),
    (e) => isToolError(e) && /holds no private key/.test(e.message),
  );
  const other = await generateChain({ keyType: 'ec' });
  assert.throws(
    () =>
      loadClientIdentity({
        name: 'leaf.pem',
        bytes: read('leaf.pem'),
        keyBytes: Buffer.from(other.leaf.keyPem),
      }),
    (e) => isToolError(e) && /does not belong to the certificate/.test(e.message),
  );
  assert.throws(
    () =>
      loadClientIdentity({
        name: '/usr/sap/X/D00/sec/SAPSSLC.pse',
        bytes: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x02]),
      }),
    (e) => isToolError(e) && /not a readable PSE/.test(e.message),
  );
});
