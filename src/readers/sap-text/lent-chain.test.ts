/** @module Lent chains and hosts: what an SAP-side trust failure takes from the rest of its paste. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceEvent } from '../../model/evidence.js';
import { lendToTrustFailures } from './lent-chain.js';

const noChain = { chain: [], host: undefined };

const failure = (line: number, host?: string, name = 'SSSLERR_PEER_CERT_UNTRUSTED') =>
  ({
    kind: 'ssl-failure',
    error: { name },
    source: { input: 0, line },
    ...(host ? { target: { host, port: 443 } } : {}),
  }) as Extract<EvidenceEvent, { kind: 'ssl-failure' }>;

test('a peer-trust failure without a host takes the one host the others name', () => {
  const named = failure(1, 'github.com');
  const bare = failure(9);
  lendToTrustFailures([named, bare], noChain);
  assert.deepEqual(bare.target, { host: 'github.com', port: 443 });
  // Two hosts named: the bare one could be either.
  const a = failure(1, 'a.example');
  const b = failure(2, 'b.example');
  const c = failure(9);
  lendToTrustFailures([a, b, c], noChain);
  assert.equal(c.target, undefined);
  // Another kind of failure lends nothing.
  const mismatch = failure(1, 'a.example', 'SSSLERR_SERVER_CERT_MISMATCH');
  const d = failure(9);
  lendToTrustFailures([mismatch, d], noChain);
  assert.equal(d.target, undefined);
});

test('a printed chain goes to the failures of its host, and to a bare one only when no other host is named', () => {
  const chain = [{ depth: 0, subject: 'CN=api.vendor.example', issuer: 'CN=Vendor CA 1', line: 20 }];
  const named = failure(1, 'api.vendor.example');
  const bare = failure(9);
  lendToTrustFailures([named, bare], { chain, host: 'api.vendor.example' });
  assert.equal(named.certificates?.[0]?.subject, 'CN=api.vendor.example');
  assert.equal(bare.certificates?.[0]?.issuer, 'CN=Vendor CA 1');
  // Printed for another host: nobody takes it.
  const other = failure(1, 'www.other.example');
  lendToTrustFailures([other], { chain, host: undefined });
  assert.equal(other.certificates, undefined);
  // A chain line without a subject is no chain to lend.
  const third = failure(1, 'api.vendor.example');
  lendToTrustFailures([third], { chain: [{ issuer: 'CN=X', line: 3 }], host: 'api.vendor.example' });
  assert.equal(third.certificates, undefined);
});
