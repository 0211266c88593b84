/** @module The PKCS#12 key derivation agrees with an independent implementation and with OpenSSL. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { children, contentBytes, pkcs12Derive } from '../../../test/pse-writer/index.js';
import { derivePkcs12Key, encodeBmpPassword } from './pkcs12-kdf.js';

test('the password is a big-endian BMPString with two zero bytes at the end', () => {
  assert.equal(encodeBmpPassword('Ab').toString('hex'), '004100620000');
  assert.equal(encodeBmpPassword('').toString('hex'), '0000');
  assert.equal(encodeBmpPassword('€').toString('hex'), '20ac0000');
});

test('matches the test writer’s separate implementation for odd PINs, salts and lengths', () => {
  const cases: [string, string, number, 1 | 2 | 3, number][] = [
    ['1234567980', '77cb6908be860865', 10, 1, 24],
    ['', '00', 3, 2, 8],
    ['päßwörd €', 'a4e5d94c81aea2fa0011', 7, 1, 60],
    ['x'.repeat(100), 'ff'.repeat(70), 2, 3, 41],
  ];
  for (const [pin, salt, iterations, id, length] of cases) {
    const s = Buffer.from(salt, 'hex');
    assert.equal(
      derivePkcs12Key(pin, s, iterations, id, length).toString('hex'),
      pkcs12Derive(pin, s, iterations, id, length).toString('hex'),
      `${pin} / ${salt}`,
    );
  }
});

test('decrypts what OpenSSL encrypts with pbeWithSHA1And3-KeyTripleDES-CBC (PKCS#12 key bag)', () => {
  // OpenSSL's PKCS#12 export uses the same KDF; reading its shrouded key proves the derivation.
  const dir = mkdtempSync(join(tmpdir(), 'kdf-'));
  try {
    const key = join(dir, 'k.pem');
    execFileSync(
      'openssl',
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key],
      { stdio: 'pipe' },
    );
    const p8 = execFileSync(
      'openssl',
      [
        'pkcs8',
        '-topk8',
        '-in',
        key,
        '-v1',
        'PBE-SHA1-3DES',
        '-passout',
        'pass:top secret',
        '-outform',
        'DER',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const plain = execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', key, '-outform', 'DER'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // EncryptedPrivateKeyInfo: SEQUENCE { SEQUENCE { OID, SEQUENCE { OCTET STRING salt, INTEGER n } }, OCTET STRING }
    const [alg, ct] = children(p8) as [Buffer, Buffer];
    const [, params] = children(alg) as [Buffer, Buffer];
    const [saltNode, iterNode] = children(params) as [Buffer, Buffer];
    const salt = contentBytes(saltNode);
    const iterations = Number.parseInt(contentBytes(iterNode).toString('hex'), 16);
    const d = createDecipheriv(
      'des-ede3-cbc',
      derivePkcs12Key('top secret', salt, iterations, 1, 24),
      derivePkcs12Key('top secret', salt, iterations, 2, 8),
    );
    assert.deepEqual(Buffer.concat([d.update(contentBytes(ct)), d.final()]), Buffer.from(plain));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
