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
 * Incremental aggregator: `add` events as they are found (memory stays bounded by the number of
 * distinct failures, not by the size of the trace), then take `events()` in first-seen order.
 */
export class EventAggregator {
  private readonly byKey = new Map<string, EvidenceEvent>();
  private readonly order: EvidenceEvent[] = [];
  private readonly maxMore: number;
  private readonly maxDistinct: number;
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
    const key = identityKey(event);
    const seen = this.byKey.get(key);
    if (!seen) {
      if (this.byKey.size >= this.maxDistinct) {
        this.dropped++;
        return false;
      }
      this.byKey.set(key, event);
      this.order.push(event);
      return true;
    }
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
