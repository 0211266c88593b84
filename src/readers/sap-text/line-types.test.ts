/** @module Every `has` of the line-type table is text every match of its pattern contains. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixturesOrSkip, textFixtureLines } from '../../../test/helpers/fixtures.js';
import { regexFactors } from '../text/regex-factors.js';
import { holdsGuard, LINE_TYPES } from './line-types.js';

describe('the line-type guards', () => {
  test('each has is in every literal the pattern needs, spelt as in the pattern', () => {
    const guarded = LINE_TYPES.filter((t) => t.has !== undefined);
    assert.ok(guarded.length > 40, `${guarded.length} guarded types`);
    for (const type of guarded) {
      const guards = typeof type.has === 'string' ? [type.has] : [...(type.has ?? [])];
      assert.ok(guards.length > 0, type.name);
      // Case matters to the guard (a plain includes): the pattern must compare case too.
      assert.equal(type.re.flags.includes('i'), false, type.name);
      const factors = regexFactors(type.re);
      assert.ok(factors, `${type.name}: no literals read from the pattern`);
      const needed = [...factors.anywhere, ...factors.atStart];
      assert.ok(needed.length > 0, type.name);
      // Every match contains one of these (lower-cased); each holds a guard (one of a list).
      for (const literal of needed)
        assert.ok(
          guards.some((g) => literal.includes(g.toLowerCase())),
          `${type.name}: "${literal}" lacks ${JSON.stringify(type.has)}`,
        );
      // The pattern's text without group brackets and escapes spells each guard.
      const spelt = type.re.source.replace(/(?<!\\)\((?:\?:)?|(?<!\\)\)/g, '').replace(/\\(.)/g, '$1');
      for (const g of guards) assert.ok(spelt.includes(g), `${type.name}: "${g}" not in the pattern`);
    }
  });

  test('odd lines: a pattern matches only lines holding its guard', () => {
    const noise = ['', ' ', '\t', '\u00a0', '[Thr 1] ', '*** ERROR => ', 'x'.repeat(5000)];
    const pieces = [
      'Remote Peer has closed the network connection',
      "The peer's X.509 Certificate (chain) is untrusted",
      'role=2 (SERVER)',
      'role=1 (client)',
      'Forwarded Client certificate: none',
      'cert_len = <no cert>',
      'Trusted certificate: CN=x',
      'SSL::x',
      'ssl:x',
      'SAPCRYPTO:x',
      '=====',
      '--=-=',
      '= SSL Initialization',
      'WSS040',
      'Missing credential. Specify SSL client PSE',
      'SEC_ERROR_UNKNOWN_ISSUER',
      'err_cert_authority_invalid',
      'SSSLERR_PEER_CERT_UNTRUSTED',
    ];
    let matched = 0;
    for (const piece of pieces)
      for (const before of noise)
        for (const after of noise)
          for (const line of [`${before}${piece}${after}`, `${before}${piece.toUpperCase()}${after}`]) {
            for (const type of LINE_TYPES) {
              if (type.has === undefined || !type.re.test(line)) continue;
              matched++;
              assert.ok(
                holdsGuard(line, type.has),
                `${type.name} matched without ${JSON.stringify(type.has)}`,
              );
            }
          }
    assert.ok(matched > 200, `${matched} matched`);
  });

  test('holdsGuard: one string, any of a list, or no guard', () => {
    assert.equal(holdsGuard('x SSSLERR_X', 'SSSL'), true);
    assert.equal(holdsGuard('x SSLERR_X', 'SSSL'), false);
    assert.equal(holdsGuard('a role=1 (CLIENT)', ['SERVER', 'CLIENT']), true);
    assert.equal(holdsGuard('a role=1 (client)', ['SERVER', 'CLIENT']), false);
    assert.equal(holdsGuard('', []), false);
    assert.equal(holdsGuard('anything', undefined), true);
  });

  test(
    'on every line of the real traces and examples, a pattern matches only lines holding its guard',
    fixturesOrSkip(),
    () => {
      let matched = 0;
      for (const line of textFixtureLines({ encoding: 'latin1', keepCr: true })) {
        for (const type of LINE_TYPES) {
          if (type.has === undefined || !type.re.test(line)) continue;
          matched++;
          assert.ok(
            holdsGuard(line, type.has),
            `${type.name} matched without ${JSON.stringify(type.has)}: ${line}`,
          );
        }
      }
      assert.ok(matched > 100, `${matched} matched lines`);
    },
  );
});
