/** @module RC2 against the RFC 2268 §5 test vectors and a CBC round trip through OpenSSL when it has RC2. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { decryptRc2Block, decryptRc2Cbc } from './rc2.js';

const hex = (s: string) => Buffer.from(s, 'hex');

// RFC 2268 section 5: key, effective key bits, plaintext, ciphertext.
const VECTORS: [string, number, string, string][] = [
  ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
  ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
  ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
  ['88', 64, '0000000000000000', '61a8a244adacccf0'],
  ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
  ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
  ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
];

test('RC2 decrypts the RFC 2268 test vectors', () => {
  for (const [key, bits, plain, cipher] of VECTORS) {
    assert.equal(
      Buffer.from(decryptRc2Block(hex(key), bits, hex(cipher))).toString('hex'),
      plain,
      `key ${key}/${bits}`,
    );
  }
});

test('RC2-CBC rejects bad lengths and bad padding', () => {
  assert.throws(
    () => decryptRc2Cbc(hex('0102030405'), 40, hex('0001020304050607'), hex('00112233')),
    /multiple of 8/,
  );
  // Decrypting random bytes almost never ends in valid PKCS#7 padding of 0x01..0x08 repeated.
  const bad = hex('ffffffffffffffffffffffffffffffff');
  assert.throws(() => decryptRc2Cbc(hex('0102030405'), 40, hex('0001020304050607'), bad), /padding/);
});

function opensslHasRc2(): boolean {
  try {
    execFileSync(
      'openssl',
      [
        'enc',
        '-rc2-40-cbc',
        '-K',
        '0102030405',
        '-iv',
        '0001020304050607',
        '-provider',
        'legacy',
        '-provider',
        'default',
      ],
      {
        input: 'x',
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    return true;
  } catch {
    return false;
  }
}

test('RC2-40-CBC matches OpenSSL (as legacy PKCS#12 files use it)', {
  skip: opensslHasRc2() ? false : 'openssl has no legacy RC2 provider here',
}, () => {
  const plain = 'certificates are public; RC2 only guards them in legacy .p12 files';
  for (const [cipher, key, bits] of [
    ['rc2-40-cbc', '0102030405', 40],
    ['rc2-cbc', '000102030405060708090a0b0c0d0e0f', 128],
  ] as const) {
    const encrypted = execFileSync(
      'openssl',
      [
        'enc',
        `-${cipher}`,
        '-K',
        key,
        '-iv',
        '0001020304050607',
        '-provider',
        'legacy',
        '-provider',
        'default',
      ],
      { input: plain },
    );
    assert.equal(decryptRc2Cbc(hex(key), bits, hex('0001020304050607'), encrypted).toString(), plain);
  }
});
