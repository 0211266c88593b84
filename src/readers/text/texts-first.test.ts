/** @module The texts-first test: the regex runs only where a text occurs, for the first calls only. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdsAny, textsFirst } from './texts-first.js';

test('holdsAny: one of the texts anywhere in the lower-cased text', () => {
  assert.equal(holdsAny('ssl handshake with host:443 failed', ['proxy', 'host:']), true);
  assert.equal(holdsAny('ssl handshake failed', ['proxy', 'host:']), false);
  assert.equal(holdsAny('anything', []), false);
});

test('textsFirst: the first calls skip the test where no text occurs, later calls always run it', () => {
  const ran: string[] = [];
  const re = /zscaler|proxy ca/i;
  const check = textsFirst(
    ['zscaler', 'proxy ca'],
    (text) => {
      ran.push(text);
      return re.test(text);
    },
    2,
  );
  assert.equal(check('CN=DigiCert Global Root G2'), false);
  assert.equal(check('CN=Zscaler Root CA'), true, 'upper case in the text still finds its lower-cased word');
  assert.deepEqual(ran, ['CN=Zscaler Root CA'], 'the test did not run for the name without a text');
  assert.equal(check('CN=DigiCert Global Root G2'), false);
  assert.deepEqual(
    ran,
    ['CN=Zscaler Root CA', 'CN=DigiCert Global Root G2'],
    'after two calls the test runs alone',
  );
});
