/** @module Per-pass memos: one computation per event within a pass, a fresh one in every other pass and outside. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SslFailureEvent } from '../model/evidence.js';
import { failureText } from './failure-facts.js';
import { duringRun, memoPerRun } from './run-memo.js';
import { sslCodeOf } from './sap-codes.js';

test('a memo computes once per object within a pass, afresh in the next pass and outside any pass', () => {
  let calls = 0;
  const lengthOf = memoPerRun((o: { s: string }) => {
    calls++;
    return o.s.length;
  });
  const a = { s: 'abc' };
  const b = { s: 'de' };
  duringRun(() => {
    assert.equal(lengthOf(a), 3);
    assert.equal(lengthOf(a), 3);
    assert.equal(lengthOf(b), 2);
    assert.equal(calls, 2);
    // A nested pass is a pass of its own (it computes again, and so does the outer one after it).
    duringRun(() => assert.equal(lengthOf(a), 3));
    assert.equal(lengthOf(a), 3);
  });
  assert.equal(calls, 4);
  // The evidence changed between two passes: the next pass reads it anew, and so does a call outside.
  a.s = 'abcdef';
  assert.equal(lengthOf(a), 6);
  duringRun(() => assert.equal(lengthOf(a), 6));
  assert.equal(calls, 6);
});

test('a pass that throws ends all the same', () => {
  const seen = memoPerRun((o: { n: number }) => o.n);
  const o = { n: 1 };
  assert.throws(() =>
    duringRun(() => {
      seen(o);
      throw new Error('rule failed');
    }),
  );
  o.n = 2;
  assert.equal(seen(o), 2);
});

test('the failure text and SapSSL code of an event changed between diagnoses are read anew', () => {
  const ev = {
    kind: 'ssl-failure',
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    errorText: 'Peer not trusted',
    source: { input: 0, line: 1 },
  } as SslFailureEvent;
  duringRun(() => {
    assert.equal(sslCodeOf(ev), 'PEER_CERT_UNTRUSTED');
    assert.equal(failureText(ev), 'peer not trusted');
  });
  ev.error = { name: 'SSSLERR_SERVER_CERT_MISMATCH', number: -30 };
  ev.errorText = 'Server certificate does not match';
  duringRun(() => {
    assert.equal(sslCodeOf(ev), 'SERVER_CERT_MISMATCH');
    assert.equal(failureText(ev), 'server certificate does not match');
  });
});
