/** @module The key-material guard: finds every private-key form we generate, and no certificate trips it. */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { findKeyMaterial } from './key-material.js';

const KEYS: [string, 'rsa' | 'ec' | 'ed25519', object, string[]][] = [
  ['RSA 1024', 'rsa', { modulusLength: 1024 }, ['pkcs1', 'pkcs8']],
  ['RSA 2048', 'rsa', { modulusLength: 2048 }, ['pkcs1', 'pkcs8']],
  ['RSA 4096', 'rsa', { modulusLength: 4096 }, ['pkcs1', 'pkcs8']],
  ['EC P-256', 'ec', { namedCurve: 'P-256' }, ['sec1', 'pkcs8']],
  ['Ed25519', 'ed25519', {}, ['pkcs8']],
];

describe('findKeyMaterial', () => {
  for (const [label, type, options, encodings] of KEYS) {
    test(`${label}: PEM and bare base64 DER, also inside JSON`, () => {
      const { privateKey } = generateKeyPairSync(type as 'rsa', options as { modulusLength: number });
      for (const encoding of encodings) {
        const pem = privateKey.export({ format: 'pem', type: encoding as 'pkcs8' }) as string;
        assert.ok(findKeyMaterial(pem), `${label} ${encoding} PEM`);
        const der = (privateKey.export({ format: 'der', type: encoding as 'pkcs8' }) as Buffer).toString(
          'base64',
        );
        assert.ok(findKeyMaterial(JSON.stringify({ value: der })), `${label} ${encoding} base64 DER`);
      }
    });
  }

  test("no certificate of Node's root store is mistaken for a key", () => {
    assert.ok(rootCertificates.length > 100);
    for (const pem of rootCertificates) assert.equal(findKeyMaterial(JSON.stringify({ pem })), undefined);
  });

  test('the PIN or password the server holds is found from 6 characters on', () => {
    assert.equal(
      findKeyMaterial('line 1234 of dev_icm', ['1234']),
      undefined,
      'short secrets are not searched',
    );
    assert.match(
      findKeyMaterial('{"x":"pin is 1234567980"}', [undefined, '1234567980']) ?? '',
      /PIN or password/,
    );
  });
});
