/** @module The IP tests without Node's IPv6 regex give net.isIP's answers, and the CLI's patch of net.isIP too. */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import { test } from 'node:test';
import { prng } from '../../test/helpers/prng.js';
import { ipVersion, isIPv6Address, useQuickIpCheckInNode } from './ip-address.js';

const TEXTS = [
  '127.0.0.1',
  '0.0.0.0',
  '255.255.255.255',
  '256.1.1.1',
  '1.2.3',
  '01.2.3.4',
  '::',
  '::1',
  '::ffff:10.0.0.1',
  'fe80::1%eth0',
  'fe80::1%',
  '2001:db8::',
  '2001:db8:0:0:0:0:2:1',
  '2001:db8:0:0:0:0:0:2:1',
  '1:2:3:4:5:6:7::',
  ':::',
  '[::1]',
  'api.example.test',
  's4h.corp.example.com',
  'localhost',
  'abcd',
  'abcd:',
  'a:b',
  '',
  ' ',
  '1.2.3.4 ',
  '1.2.3.4:443',
  'host:443',
];

function randomTexts(n: number): string[] {
  const next = prng(20261206);
  const alphabet = '0123456789abcdefABCDEF:.%xyz-';
  return Array.from({ length: n }, () => {
    const len = 1 + Math.floor(next() * 24);
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  });
}

test('ipVersion and isIPv6Address answer as net.isIP and net.isIPv6', () => {
  for (const t of [...TEXTS, ...randomTexts(20_000)]) {
    assert.equal(ipVersion(t), net.isIP(t), t);
    assert.equal(isIPv6Address(t), net.isIPv6(t), t);
  }
});

test("the CLI's quick net.isIP gives the same answers, also for what is no string", () => {
  const real = createRequire(import.meta.url)('node:net') as { isIP: (x: unknown) => number };
  const before = real.isIP;
  const inputs: unknown[] = [...TEXTS, ...randomTexts(5_000), undefined, null, 42, { toString: () => '::1' }];
  const expected = inputs.map((x) => before(x));
  useQuickIpCheckInNode();
  try {
    assert.notEqual(real.isIP, before, 'node:net.isIP is replaced');
    assert.deepEqual(
      inputs.map((x) => real.isIP(x)),
      expected,
    );
  } finally {
    real.isIP = before;
  }
});
