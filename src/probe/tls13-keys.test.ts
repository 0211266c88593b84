/** @module TLS 1.3 key schedule pieces the probe uses, checked against RFC 8448 and a round trip. */
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createRecordDecrypter, deriveRecordKeys, readKeyLog } from './tls13-keys.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('record key and IV match RFC 8448 §3 (server handshake traffic, AES-128-GCM)', () => {
  const secret = hex(
    'b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38',
  );
  const keys = deriveRecordKeys(0x1301, secret);
  assert.deepEqual(keys?.key, hex('3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc'));
  assert.deepEqual(keys?.iv, hex('5d 31 3e b2 67 12 76 ee 13 00 0b 30'));
});

test('records sealed with the derived keys open in sequence; tampering or a wrong key fails', () => {
  for (const suite of [0x1301, 0x1302, 0x1303]) {
    const secret = randomBytes(suite === 0x1302 ? 48 : 32);
    const keys = deriveRecordKeys(suite, secret);
    assert.ok(keys);
    const seal = (seq: number, inner: Buffer) => {
      const nonce = Buffer.from(keys.iv);
      nonce[11] = (nonce[11] ?? 0) ^ seq;
      const header = Buffer.from([23, 3, 3, 0, inner.length + 16]);
      const algorithm =
        suite === 0x1303 ? 'chacha20-poly1305' : suite === 0x1302 ? 'aes-256-gcm' : 'aes-128-gcm';
      const c = createCipheriv(algorithm as 'aes-128-gcm', keys.key, nonce, { authTagLength: 16 });
      c.setAAD(header, { plaintextLength: inner.length });
      const body = Buffer.concat([c.update(inner), c.final(), c.getAuthTag()]);
      return { header, body };
    };
    const d = createRecordDecrypter(suite, secret);
    assert.ok(d);
    const first = seal(0, Buffer.from([1, 2, 3, 22, 0, 0]));
    assert.deepEqual(d.open(first.header, first.body), { type: 22, content: Buffer.from([1, 2, 3]) });
    const second = seal(1, Buffer.from([9, 21]));
    const tampered = Buffer.from(second.body);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    assert.equal(d.open(second.header, tampered), undefined);
    const other = createRecordDecrypter(suite, randomBytes(32));
    assert.equal(other?.open(first.header, first.body), undefined);
  }
  assert.equal(createRecordDecrypter(0x1304, randomBytes(32)), undefined, 'CCM is not handled');
});

test('key-log lines are read by label; junk is ignored', () => {
  const random = 'ab'.repeat(32);
  const secrets = readKeyLog([
    `SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} ${'11'.repeat(32)}\n`,
    `CLIENT_RANDOM ${random} ${'22'.repeat(48)}`,
    'garbage line',
    `SERVER_TRAFFIC_SECRET_0 nothex ${'33'.repeat(32)}`,
  ]);
  assert.deepEqual([...secrets.keys()], ['SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_RANDOM']);
  assert.equal(secrets.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')?.length, 32);
});
