/** @module Hypotheses a paste's facts put first (kb `when:`), and the facts read from its lines. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KbHypothesis } from '../../kb/types.js';
import { byContext } from './evidence-ranking.js';

const h = (cause: KbHypothesis['cause'], when?: KbHypothesis['when']): KbHypothesis => ({
  cause,
  why: 'w',
  tellsApart: 't',
  collectNext: 'c',
  ...(when ? { when } : {}),
});

test('a hypothesis comes first only when the input states all its facts, the most specific first', () => {
  const list = [
    h('unknown'),
    h('client-cert-rejected', ['client-cert-auth']),
    h('client-cert-missing', ['client-cert-auth', 'anonymous-client']),
  ];
  assert.deepEqual(
    byContext(list, undefined).map((x) => x.cause),
    ['unknown', 'client-cert-rejected', 'client-cert-missing'],
  );
  assert.deepEqual(
    byContext(list, ['client-cert-auth']).map((x) => x.cause),
    ['client-cert-rejected', 'unknown', 'client-cert-missing'],
  );
  assert.deepEqual(
    byContext(list, ['anonymous-client', 'client-cert-auth']).map((x) => x.cause),
    ['client-cert-missing', 'client-cert-rejected', 'unknown'],
  );
  // One fact of two is not enough.
  assert.equal(byContext(list, ['anonymous-client'])[0]!.cause, 'unknown');
});
