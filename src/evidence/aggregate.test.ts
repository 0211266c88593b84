/** @module Tests of failure de-duplication. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvidenceEvent, SslFailureEvent, TraceInfoEvent } from '../model/evidence.js';
import { aggregateEvents, bucketOf, EventAggregator, identityKey, sameIdentity } from './aggregate.js';

function failure(line: number, extra: Partial<SslFailureEvent> = {}): SslFailureEvent {
  return {
    kind: 'ssl-failure',
    origin: 'trace',
    role: 'client',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    target: { host: 'api.example.com', port: 443 },
    pseFile: '/usr/sap/ABC/D00/sec/SAPSSLC.pse',
    source: { input: 0, line },
    ...extra,
  };
}

describe('aggregateEvents', () => {
  test('identical failures merge: count, first/last timestamp as printed, extra sources', () => {
    const out = aggregateEvents([
      failure(10, { timestamp: 'Mon Jan 16 10:00:00:001 2023', thread: '1', niHandle: 5 }),
      failure(50, {
        timestamp: 'Mon Jan 16 10:05:00:001 2023',
        thread: '2',
        niHandle: 9,
        local: { ip: '10.0.0.1', port: 40001 },
      }),
      failure(90, { timestamp: 'Mon Jan 16 11:00:00:001 2023', thread: '3', peer: { ip: '198.51.100.1' } }),
    ]);
    assert.equal(out.length, 2, 'another peer IP is another failure; thread, handle and local port are not');
    const merged = out[0]!;
    assert.equal(merged.source.line, 10);
    assert.deepEqual(merged.occurrences, {
      count: 2,
      first: 'Mon Jan 16 10:00:00:001 2023',
      last: 'Mon Jan 16 10:05:00:001 2023',
      more: [{ input: 0, line: 50 }],
    });
  });

  test('a different target, PSE, error or chain is a different failure', () => {
    const base = failure(1);
    const others: SslFailureEvent[] = [
      failure(2, { target: { host: 'other.example.com', port: 443 } }),
      failure(3, { pseFile: '/usr/sap/ABC/D00/sec/SAPSSLA.pse' }),
      failure(4, { error: { name: 'SSSLERR_SERVER_CERT_MISMATCH', number: -30 } }),
      failure(5, { certificates: [{ depth: 0, subject: 'CN=a' }] }),
      failure(6, { role: 'server' }),
      failure(7, { peer: { ip: '198.51.100.9', port: 443 } }),
    ];
    assert.equal(aggregateEvents([base, ...others]).length, 7);
  });

  test('the peer port (ephemeral in server role), handles and line numbers do not split a failure', () => {
    const a = failure(1, {
      peer: { ip: '203.0.113.7', port: 51234 },
      ssslHandle: '7f01',
      certificates: [{ depth: 0, subject: 'CN=a', line: 3 }],
    });
    const b = failure(9, {
      peer: { ip: '203.0.113.7', port: 51999 },
      ssslHandle: '7f02',
      certificates: [{ depth: 0, subject: 'CN=a', line: 11 }],
    });
    assert.equal(identityKey(a), identityKey(b));
  });

  test('the identity key is the stable fields with sorted keys, volatile ones and the peer port left out', () => {
    // Pinned text: a faster serialisation must key every event exactly as before (saved merges match).
    const e = failure(4, {
      role: 'server',
      peer: { ip: '203.0.113.7', port: 51234 },
      certificates: [
        { depth: 0, subject: 'CN=a "quoted"', line: 3 },
        { depth: 1, subject: 'CN=b' },
      ],
      thread: 'T7',
      timestamp: 'x',
    });
    assert.equal(
      identityKey(e),
      'ssl-failure|{"certificates":[{"depth":0,"subject":"CN=a \\"quoted\\""},{"depth":1,"subject":"CN=b"}],' +
        '"error":{"name":"SSSLERR_PEER_CERT_UNTRUSTED","number":-102},"kind":"ssl-failure","origin":"trace",' +
        '"peer":{"ip":"203.0.113.7"},"pseFile":"/usr/sap/ABC/D00/sec/SAPSSLC.pse","role":"server",' +
        '"target":{"host":"api.example.com","port":443}}',
    );
  });

  test('facts that are not failures are kept as they are', () => {
    const info: TraceInfoEvent = { kind: 'trace-info', traceLevel: 2, source: { input: 0, line: 1 } };
    const out = aggregateEvents([info, { ...info, source: { input: 1, line: 1 } }]);
    assert.equal(out.length, 2);
  });

  test('extra sources are capped and the cap is flagged; merged counts add up', () => {
    const events: EvidenceEvent[] = Array.from({ length: 30 }, (_, i) => failure(i + 1));
    const out = aggregateEvents(events, { maxMore: 5 });
    assert.equal(out[0]!.occurrences?.count, 30);
    assert.equal(out[0]!.occurrences?.more?.length, 5);
    assert.equal(out[0]!.occurrences?.truncated, true);
    // Merging already-merged events (per input, then across inputs) keeps the total.
    const twice = aggregateEvents([out[0]!, { ...failure(100), occurrences: { count: 4 } }]);
    assert.equal(twice[0]!.occurrences?.count, 34);
  });

  test('distinct failures beyond the limit are dropped and counted, so memory stays bounded', () => {
    const agg = new EventAggregator({ maxDistinct: 3 });
    for (let i = 0; i < 10; i++) agg.add(failure(i, { target: { host: `h${i}`, port: 443 } }));
    assert.equal(agg.events().length, 3);
    assert.equal(agg.dropped, 7);
  });

  test('many distinct failures of one bucket are still told apart and merged (keyed past the compare limit)', () => {
    const agg = new EventAggregator();
    // One error, target and PSE: only the chain differs, so all share a bucket.
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 40; i++)
        agg.add(failure(100 * round + i, { certificates: [{ depth: 0, subject: `CN=c${i}` }] }));
    const out = agg.events();
    assert.equal(out.length, 40);
    assert.ok(out.every((e) => e.occurrences?.count === 2));
  });
});

/** A small seeded generator (the property test is the same on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const KEYS = [
  'peer',
  'port',
  'ip',
  'line',
  'source',
  'thread',
  'name',
  'host',
  'text',
  'a',
  'b',
  '"q"',
  'kind',
];
const LEAVES: unknown[] = [
  undefined,
  null,
  0,
  -0,
  1,
  443,
  '443',
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'null',
  'x',
  'a"b',
  '…',
  true,
  false,
];

function randomValue(r: () => number, depth: number): unknown {
  const p = r();
  if (depth > 10 || p < 0.45) return LEAVES[Math.floor(r() * LEAVES.length)];
  if (p < 0.6) return Array.from({ length: Math.floor(r() * 3) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 4); i > 0; i--)
    o[KEYS[Math.floor(r() * KEYS.length)]!] = randomValue(r, depth + 1);
  return o;
}

/** A copy with the keys in another order, and maybe one change that may or may not touch the identity. */
function variant(value: unknown, r: () => number): unknown {
  if (value === null || typeof value !== 'object')
    return r() < 0.05 ? LEAVES[Math.floor(r() * LEAVES.length)] : value;
  if (Array.isArray(value)) return value.map((v) => variant(v, r));
  const entries = Object.entries(value).map(([k, v]) => [k, variant(v, r)] as [string, unknown]);
  if (r() < 0.5) entries.reverse();
  const o = Object.fromEntries(entries) as Record<string, unknown>;
  if (r() < 0.1) o[KEYS[Math.floor(r() * KEYS.length)]!] = randomValue(r, 5);
  return o;
}

function randomEvent(r: () => number): EvidenceEvent {
  const e = randomValue(r, 0);
  const base = e !== null && typeof e === 'object' && !Array.isArray(e) ? e : { v: e };
  const fields: Record<string, unknown> = { ...base, kind: 'ssl-failure' };
  // The fields the bucket reads, at times present (structured or not).
  if (r() < 0.5) fields.error = r() < 0.8 ? { name: r() < 0.5 ? 'E1' : 'E2', number: -1 } : 'E1';
  if (r() < 0.5) fields.target = { host: r() < 0.5 ? 'h' : undefined, port: r() < 0.5 ? 443 : '443' };
  if (r() < 0.5) fields.peer = { ip: '192.0.2.1', port: Math.floor(r() * 3) };
  if (r() < 0.3) fields.text = randomValue(r, 8);
  return fields as unknown as EvidenceEvent;
}

describe('sameIdentity and bucketOf', () => {
  test('agree with comparing identity keys on random and hostile events (depth, NaN, undefined, peer port)', () => {
    const r = rng(13);
    let same = 0;
    for (let i = 0; i < 20000; i++) {
      const a = randomEvent(r);
      const b = r() < 0.7 ? (variant(a, r) as EvidenceEvent) : randomEvent(r);
      const equal = identityKey(a) === identityKey(b);
      if (equal) same++;
      assert.equal(sameIdentity(a, b), equal, `${identityKey(a)}\n${identityKey(b)}`);
      assert.equal(sameIdentity(b, a), equal);
      if (equal) assert.equal(bucketOf(a), bucketOf(b), identityKey(a));
    }
    assert.ok(same > 2000 && same < 18000, `both outcomes are exercised (${same} equal)`);
  });

  test('the aggregator merges exactly the events whose identity keys agree', () => {
    const r = rng(7);
    const events: EvidenceEvent[] = [];
    for (let i = 0; i < 600; i++) {
      const e =
        i > 0 && r() < 0.5
          ? (variant(events[Math.floor(r() * events.length)], r) as EvidenceEvent)
          : randomEvent(r);
      // Every one of an aggregated kind (a variant may have changed it).
      events.push({ ...e, kind: 'ssl-failure', source: { input: 0, line: i } } as EvidenceEvent);
    }
    const keys = new Set(events.map(identityKey));
    const out = aggregateEvents(events);
    assert.equal(out.length, keys.size);
    assert.deepEqual(new Set(out.map(identityKey)).size, keys.size);
  });
});
