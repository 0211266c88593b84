/**
 * @module De-duplication of evidence: identical failures (same kind, error, role, target, PSE, chain, …)
 * become one event with `occurrences` (count, first/last timestamp as printed, capped extra sources).
 */
import type { EvidenceEvent, Occurrences, SourceRef } from '../model/evidence.js';

/** Event kinds that are merged when identical. Facts like trace headers or trust lists are kept apart. */
export const AGGREGATED_KINDS: ReadonlySet<EvidenceEvent['kind']> = new Set([
  'ssl-failure',
  'snc-failure',
  'lib-load-failure',
  'java-tls-failure',
  'client-error',
  'connection-failure',
  'inbound-cert',
  'kerberos-failure',
  'message',
  'snc-name',
]);

/** Fields that differ between repeats of the same failure and so are not part of its identity. */
const VOLATILE_KEYS = new Set([
  'source',
  'occurrences',
  'timestamp',
  'thread',
  'niHandle',
  'ssslHandle',
  'local',
  'line',
  'address',
  'counter',
  'truncated',
]);

export interface AggregateOptions {
  /** Extra sources kept per merged event (beyond the first). Default 20. */
  maxMore?: number;
  /** Distinct events kept; later distinct ones are dropped and counted. Default 5000. */
  maxDistinct?: number;
}

/** Identity key of an event: its stable fields, serialised with sorted keys. */
export function identityKey(event: EvidenceEvent): string {
  return `${event.kind}|${stableStringify(event, 0)}`;
}

function stableStringify(value: unknown, depth: number): string {
  if (depth > 8) return '"…"';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Plain loops, no intermediate arrays: every event is keyed once per input and once per folder.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += stableStringify(value[i], depth + 1);
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    let v = obj[k];
    if (v === undefined || VOLATILE_KEYS.has(k)) continue;
    // The peer's port is the client's ephemeral port when the SAP side is the server.
    if (k === 'peer' && typeof v === 'object' && v !== null) v = { ...(v as object), port: undefined };
    out += `${first ? '' : ','}${JSON.stringify(k)}:${stableStringify(v, depth + 1)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * Do two events have the same identity key? The same answer as comparing `identityKey`s, without
 * building the keys: the aggregator asks it only of events whose `bucketOf` agree.
 */
export function sameIdentity(a: EvidenceEvent, b: EvidenceEvent): boolean {
  return sameValue(a, b, 0);
}

/** Equal under stableStringify at this depth (deeper than 8 everything reads the same). */
function sameValue(a: unknown, b: unknown, depth: number): boolean {
  if (depth > 8 || a === b) return true;
  const aObj = a !== null && typeof a === 'object';
  const bObj = b !== null && typeof b === 'object';
  // An object serialises to `{…}` or `[…]`, never to a primitive's JSON.
  if (!aObj || !bObj)
    return !aObj && !bObj && (JSON.stringify(a) ?? 'null') === (JSON.stringify(b) ?? 'null');
  const aArr = Array.isArray(a);
  if (aArr !== Array.isArray(b)) return false;
  if (aArr) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i], depth + 1)) return false;
    return true;
  }
  return sameObject(a as Record<string, unknown>, b as Record<string, unknown>, depth, false);
}

/** Same stable fields (a `peer` object is read as a plain object without its port, as stableStringify does). */
function sameObject(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  depth: number,
  noPort: boolean,
): boolean {
  let count = 0;
  for (const k of Object.keys(a)) {
    const v = a[k];
    if (v === undefined || VOLATILE_KEYS.has(k) || (noPort && k === 'port')) continue;
    count++;
    if (!Object.hasOwn(b, k)) return false;
    const w = b[k];
    if (w === undefined) return false;
    if (k === 'peer' && typeof v === 'object' && v !== null) {
      // Read as stableStringify reads it: a plain copy without the port (and nothing deeper than 8).
      if (depth + 1 > 8) continue;
      if (typeof w !== 'object' || w === null) return false;
      if (!sameObject(v as Record<string, unknown>, w as Record<string, unknown>, depth + 1, true))
        return false;
    } else if (!sameValue(v, w, depth + 1)) return false;
  }
  for (const k of Object.keys(b))
    if (b[k] !== undefined && !VOLATILE_KEYS.has(k) && !(noPort && k === 'port')) count--;
  return count === 0;
}

/** A field of the bucket: a value's own text, or nothing for a missing or structured one. */
function part(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  return '';
}

/**
 * A few stable fields that tell most distinct failures apart (what failed, where, with which text):
 * events with the same identity always share it, so only events of one bucket are compared in full.
 */
export function bucketOf(event: EvidenceEvent): string {
  const e = event as unknown as Record<string, unknown>;
  const error = e.error as Record<string, unknown> | undefined;
  const target = e.target as Record<string, unknown> | undefined;
  const peer = e.peer as Record<string, unknown> | undefined;
  return `${event.kind}\u0001${part(error?.name)}\u0001${part(target?.host)}\u0001${part(target?.port)}\u0001${part(
    peer?.ip,
  )}\u0001${part(e.pseFile)}\u0001${part(e.role)}\u0001${part(e.errorText)}\u0001${part(e.message)}\u0001${part(
    e.text,
  )}\u0001${part(e.entry)}\u0001${part(e.name)}\u0001${part(e.problem)}\u0001${part(e.library)}\u0001${part(e.spn)}`;
}

/** Events of one bucket compared in full before the bucket keys its events by identityKey instead. */
const MAX_COMPARED = 16;

/** The distinct events of one bucket: compared in full while few, then keyed by identityKey. */
interface Bucket {
  events: EvidenceEvent[];
  byKey?: Map<string, EvidenceEvent>;
}

/**
 * Incremental aggregator: `add` events as they are found (memory stays bounded by the number of
 * distinct failures, not by the size of the trace), then take `events()` in first-seen order.
 * A new event is compared with the distinct events of its bucket (`bucketOf`), where the merged one is
 * as the reader handed it over (readers do not change an event once added).
 */
export class EventAggregator {
  private readonly buckets = new Map<string, Bucket>();
  private readonly order: EvidenceEvent[] = [];
  private readonly maxMore: number;
  private readonly maxDistinct: number;
  private distinct = 0;
  /** Distinct events dropped because `maxDistinct` was reached. */
  dropped = 0;

  constructor(opts: AggregateOptions = {}) {
    this.maxMore = opts.maxMore ?? 20;
    this.maxDistinct = opts.maxDistinct ?? 5000;
  }

  /** Add one event; returns true when it was new (its lines should be kept), false when merged or dropped. */
  add(event: EvidenceEvent): boolean {
    if (!AGGREGATED_KINDS.has(event.kind)) {
      this.order.push(event);
      return true;
    }
    const name = bucketOf(event);
    let bucket = this.buckets.get(name);
    let key: string | undefined;
    if (bucket?.byKey) {
      key = identityKey(event);
      const seen = bucket.byKey.get(key);
      if (seen) return this.merge(seen, event);
    } else if (bucket) {
      for (const seen of bucket.events) if (sameIdentity(seen, event)) return this.merge(seen, event);
    }
    if (this.distinct >= this.maxDistinct) {
      this.dropped++;
      return false;
    }
    if (!bucket) {
      bucket = { events: [] };
      this.buckets.set(name, bucket);
    }
    if (bucket.byKey) bucket.byKey.set(key ?? identityKey(event), event);
    else {
      bucket.events.push(event);
      // A bucket of many distinct events: keyed from now on, so a new event costs one key, not a compare each.
      if (bucket.events.length > MAX_COMPARED) {
        bucket.byKey = new Map();
        for (const e of bucket.events) bucket.byKey.set(identityKey(e), e);
        bucket.events = [];
      }
    }
    this.distinct++;
    this.order.push(event);
    return true;
  }

  private merge(seen: EvidenceEvent, event: EvidenceEvent): false {
    mergeInto(seen, event, this.maxMore);
    return false;
  }

  events(): EvidenceEvent[] {
    return this.order;
  }
}

function mergeInto(target: EvidenceEvent, extra: EvidenceEvent, maxMore: number): void {
  const occ: Occurrences = target.occurrences ?? {
    count: 1,
    ...(target.timestamp ? { first: target.timestamp, last: target.timestamp } : {}),
  };
  const add = extra.occurrences ?? {
    count: 1,
    ...(extra.timestamp ? { first: extra.timestamp, last: extra.timestamp } : {}),
  };
  occ.count += add.count;
  if (!occ.first && add.first) occ.first = add.first;
  if (add.last) occ.last = add.last;
  const more: SourceRef[] = occ.more ?? [];
  const incoming: SourceRef[] = [extra.source, ...(add.more ?? [])];
  for (const ref of incoming) {
    if (more.length < maxMore) more.push(ref);
    else occ.truncated = true;
  }
  if (add.truncated) occ.truncated = true;
  occ.more = more;
  target.occurrences = occ;
}

/** De-duplicate a list of events (see EventAggregator). */
export function aggregateEvents(
  events: readonly EvidenceEvent[],
  opts: AggregateOptions = {},
): EvidenceEvent[] {
  const agg = new EventAggregator(opts);
  for (const e of events) agg.add(e);
  return agg.events();
}
