/**
 * @module The texts tried before the interceptor regex hold back no CA name the regex matches: checked on
 * each of its words (whole, cut, recased, glued, spread out, beside U+0130 and U+212A) and on random names.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorstackDns, INTERCEPTOR_NAMES, interceptorHint, mayNameInterceptor } from './peer-chain.js';

function agrees(name: string): void {
  const m = INTERCEPTOR_NAMES.exec(name);
  if (m) assert.ok(mayNameInterceptor(name.toLowerCase()), `texts miss ${JSON.stringify(name)}`);
  assert.equal(interceptorHint([undefined, name]), m?.[0], JSON.stringify(name));
}

test('the interceptor texts hold back no name the regex matches', () => {
  const words = INTERCEPTOR_NAMES.source.split('|');
  assert.ok(words.length > 30, `${words.length} words`);
  let hits = 0;
  for (const word of words) {
    for (const w of [word.replace(/ \?/g, ' '), word.replace(/ \?/g, '')]) {
      const names = [
        w,
        w.toUpperCase(),
        `CN=${w} Root CA, O=Example`,
        `a${w}b`,
        w.slice(1),
        w.slice(0, -1),
        `${w.slice(0, 2)} ${w.slice(2)}`,
        w.replace(/i/g, '\u0130'),
        w.replace(/k/g, '\u212a'),
      ];
      for (const name of names) {
        if (INTERCEPTOR_NAMES.test(name)) hits++;
        agrees(name);
      }
    }
  }
  assert.ok(hits > 100, `${hits} hits`);
  let s = 7;
  const letters = `${words.join('')} =,.-ABCXYZ\u0130\u212a`;
  for (let i = 0; i < 20000; i++) {
    let name = '';
    for (let n = 0; n < 12; n++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      name += letters[s % letters.length];
    }
    agrees(name);
  }
  // Nearly every CA name is ruled out by the texts alone.
  assert.equal(
    mayNameInterceptor('cn=digicert global root g2, ou=www.digicert.com, o=digicert inc, c=us'),
    false,
  );
  assert.equal(interceptorHint(['CN=Zscaler Intermediate Root CA (zscaler.net)']), 'Zscaler');
});

test('errorstackDns reads the CA names an errorstack quotes, in parentheses or after a colon', () => {
  const dns = errorstackDns({
    errorstack: [
      {
        text: 'ERROR in af_verify_Certificates: (524296/0x00080008) Unable to get issuer certificate (CN=Root A,O=A)',
      },
      { text: 'X509 | chain_verify | issuer certificate not found: CN=Root B, O=B, C=US | next' },
      { text: 'Certificate verification failed' },
      {},
    ],
  });
  assert.deepEqual(dns, ['CN=Root A,O=A', 'CN=Root B, O=B, C=US']);
  assert.deepEqual(errorstackDns({}), []);
});
