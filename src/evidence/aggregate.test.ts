/** @module Tests of failure de-duplication. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvidenceEvent, SslFailureEvent, TraceInfoEvent } from '../model/evidence.js';
import { aggregateEvents, EventAggregator, identityKey } from './aggregate.js';

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
});
