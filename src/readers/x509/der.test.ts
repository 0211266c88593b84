/** @module The bounded DER walker: exact bounds, BER indefinite lengths, and fast refusal of hostile structures. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childrenOf, DerError, octetsOf, oidOf, smallIntOf, walkDer } from './der.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('walks a definite-length SEQUENCE and lists its children', () => {
  // SEQUENCE { INTEGER 3, OID 1.2.840.113549.1.7.1, OCTET STRING "ab" }
  const buf = hex('30 12 020103 06092a864886f70d010701 04026162');
  const top = walkDer(buf);
  assert.equal(top.end, buf.length);
  const [n, oid, octets] = childrenOf(buf, top);
  assert.equal(smallIntOf(buf, n!), 3);
  assert.equal(oidOf(buf, oid!), '1.2.840.113549.1.7.1');
  assert.equal(Buffer.from(octetsOf(buf, octets!)).toString(), 'ab');
});

test('resolves BER indefinite lengths and joins constructed OCTET STRINGs', () => {
  // SEQUENCE (indefinite) { OCTET STRING constructed (indefinite) { "ab", "cd" } } 00 00
  const buf = hex('3080 2480 04026162 04026364 0000 0000');
  const top = walkDer(buf);
  assert.equal(top.indefinite, true);
  assert.equal(top.end, buf.length);
  const [octets] = childrenOf(buf, top);
  assert.equal(Buffer.from(octetsOf(buf, octets!)).toString(), 'abcd');
});

test('a truncated element is refused with the byte offset', () => {
  const buf = hex('30 10 020103');
  assert.throws(
    () => walkDer(buf),
    (err: unknown) => err instanceof DerError && /claims 16 bytes but only 3 remain/.test(err.message),
  );
});

test('huge and absurd length fields are refused without allocating', () => {
  assert.throws(() => walkDer(hex('30 84 7fffffff 020100')), /claims 2147483647 bytes/);
  assert.throws(() => walkDer(hex('30 89 010000000000000000 00')), /length field of 9 bytes/);
  assert.throws(() => walkDer(hex('30')), /length missing/);
});

test('thousands of nested SEQUENCEs stop at the depth limit (definite and indefinite)', () => {
  const depth = 5000;
  // Indefinite: 30 80 … 00 00
  const indefinite = Buffer.concat([Buffer.alloc(depth * 2, 0), Buffer.alloc(depth * 2, 0)]);
  for (let i = 0; i < depth; i++) {
    indefinite[2 * i] = 0x30;
    indefinite[2 * i + 1] = 0x80;
  }
  assert.throws(() => walkDer(indefinite), /nesting deeper than 48 levels/);
  // Definite: build inside out with 4-byte length headers.
  let inner: Buffer = Buffer.alloc(0);
  for (let i = 0; i < depth; i++) {
    const head = Buffer.from([
      0x30,
      0x83,
      (inner.length >> 16) & 0xff,
      (inner.length >> 8) & 0xff,
      inner.length & 0xff,
    ]);
    inner = Buffer.concat([head, inner]);
  }
  assert.throws(() => walkDer(inner), /nesting deeper than 48 levels/);
});

test('element count is capped', () => {
  // SEQUENCE of length 0x030d40 = 200 000 zero bytes: 100 000 empty [UNIVERSAL 0] elements.
  const many = Buffer.concat([Buffer.from([0x30, 0x83, 0x03, 0x0d, 0x40]), Buffer.alloc(200_000)]);
  assert.throws(
    () => walkDer(many, 0, many.length, { maxDepth: 8, maxElements: 50_000 }),
    /more than 50000 ASN.1 elements/,
  );
});

test('an indefinite element that never ends is refused', () => {
  assert.throws(() => walkDer(hex('3080 020100')), /never ends/);
});
