/** @module Key material in text to be stored: every key encoding is found, certificates are not keys, and no number of other blocks hides a key. */
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { holdsPrivateKey } from './key-material.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
const ed = generateKeyPairSync('ed25519').privateKey;
const b64 = (der: Buffer | string) => (typeof der === 'string' ? der : der.toString('base64'));
const KEYS: Record<string, string> = {
  'RSA PKCS#1': b64(rsa.export({ format: 'der', type: 'pkcs1' })),
  'RSA PKCS#8': b64(rsa.export({ format: 'der', type: 'pkcs8' })),
  'EC SEC1': b64(ec.export({ format: 'der', type: 'sec1' })),
  'EC PKCS#8': b64(ec.export({ format: 'der', type: 'pkcs8' })),
  'Ed25519 PKCS#8 (64 characters)': b64(ed.export({ format: 'der', type: 'pkcs8' })),
  'encrypted PKCS#8': b64(
    ec.export({ format: 'der', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'x' }) as Buffer,
  ),
};
const certs = rootCertificates.slice(0, 40).map((pem) => new X509Certificate(pem).raw.toString('base64'));

test('every key encoding is found bare, wrapped, and with letters glued in front', () => {
  for (const [label, key] of Object.entries(KEYS)) {
    assert.ok(holdsPrivateKey(`note: ${key}`), `${label} bare`);
    assert.ok(holdsPrivateKey(key.replace(/.{64}/g, '$&\n')), `${label} wrapped`);
    assert.ok(holdsPrivateKey(`INC-9${key}`), `${label} glued`);
  }
});

test('certificates are not keys', () => {
  for (const c of certs) assert.equal(holdsPrivateKey(`"pem": "${c}"`), false);
});

test('a key after thousands of other base64 blocks is still found', () => {
  const many = Array.from({ length: 2100 }, (_, i) => `"${certs[i % certs.length]}"`).join(',');
  assert.equal(holdsPrivateKey(many), false);
  assert.equal(holdsPrivateKey(`${many},"${KEYS['RSA PKCS#8']}"`), true);
  assert.equal(holdsPrivateKey(`${many},"${KEYS['EC SEC1']}"`), true);
});
