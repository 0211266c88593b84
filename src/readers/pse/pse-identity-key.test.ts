/** @module The PSE's own identity for mutual TLS: the key rebuilt from SKnew belongs to the own certificate. */
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip } from '../../../test/helpers/fixtures.js';
import { generateChain } from '../../../test/pki/index.js';
import { writePse } from '../../../test/pse-writer/index.js';
import { isToolError } from '../../model/errors.js';
import { openPseIdentity } from './pse-identity-key.js';

const PIN = '1234567980';

describe('the real sapgenpse PSEs', fixturesOrSkip(), () => {
  for (const file of [
    'pse_v2_lps_off_pbes1_3des_sha1.pse',
    'pse_v4_lps_off_pbes1_3des_sha1.pse',
    'pse_v2_lps_off_pbes1_3des_sha1_plain.pse',
    'pse_v4_lps_off_pbes1_3des_sha1_plain.pse',
  ]) {
    test(`${file}: the rebuilt key matches the own certificate`, () => {
      const bytes = readFileSync(fixturePath('pse', file));
      const identity = openPseIdentity(bytes, { name: file, pin: file.includes('plain') ? undefined : PIN });
      const cert = new X509Certificate(identity.certificates[0]!);
      assert.equal(cert.subject, 'CN=PSEOwner');
      assert.ok(cert.checkPrivateKey(identity.key), 'key does not belong to the certificate');
    });
  }

  test('a wrong PIN is the wrong-PIN error, not a key problem', () => {
    const bytes = readFileSync(fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1.pse'));
    assert.throws(
      () => openPseIdentity(bytes, { name: 'x.pse', pin: '0000' }),
      (e: unknown) => isToolError(e) && e.code === 'wrong-pin',
    );
  });
});

test('a written PSE: own certificate first, then its chain, and a working key', async () => {
  const chain = await generateChain({ keyType: 'rsa', rsaBits: 2048 });
  const bytes = writePse({
    version: 4,
    pin: 'secret',
    iterations: 50,
    own: chain.leaf.der,
    keyPem: chain.leaf.keyPem,
    chain: [chain.intermediate.der],
  });
  const identity = openPseIdentity(bytes, { name: 'SAPSSLC.pse', pin: 'secret' });
  assert.deepEqual(
    identity.certificates.map((c) => c.toString('hex')),
    [chain.leaf.der.toString('hex'), chain.intermediate.der.toString('hex')],
  );
  assert.ok(new X509Certificate(chain.leaf.der).checkPrivateKey(identity.key));
});

test('a PSE without a key, or with a key of another certificate, is refused clearly', async () => {
  const a = await generateChain({ keyType: 'rsa', rsaBits: 2048 });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  const noKey = writePse({ version: 2, iterations: 50, own: a.leaf.der });
  assert.throws(
    () => openPseIdentity(noKey, { name: 'SAPSSLC.pse' }),
    (e: unknown) => isToolError(e) && /no SKnew key object/.test(e.message),
  );
  const mixed = writePse({ version: 2, iterations: 50, own: a.leaf.der, keyPem: otherKey });
  assert.throws(
    () => openPseIdentity(mixed, { name: 'SAPSSLC.pse' }),
    (e: unknown) => isToolError(e) && /does not belong to the own certificate/.test(e.message),
  );
});
