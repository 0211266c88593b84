/**
 * @module `--probe`: one handshake per target (as the ICM would make it: SNI on, TLS 1.2–1.3), run with a
 * bounded number at a time and a per-target time limit, recording the chain each server sends today.
 */
import { describeOutcome } from '../evidence/probe-transcript.js';
import type { LandscapeTargetEvent } from '../model/evidence.js';
import { ipVersion } from '../model/ip-address.js';
import { probeEndpoint } from '../probe/probe.js';
import type { TargetLine } from './targets.js';

export interface ProbeTargetsOptions {
  /** Handshakes at the same time (default 16). */
  concurrency?: number;
  /** Per-step time limit of one target in ms (default 5000). */
  timeoutMs?: number;
}

export const DEFAULT_PROBE_CONCURRENCY = 16;
export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

/** Probe each target once; results in the order given. Never throws for network problems. */
export async function probeTargets(
  targets: readonly TargetLine[],
  opts: ProbeTargetsOptions = {},
): Promise<NonNullable<LandscapeTargetEvent['probe']>[]> {
  const limit = Math.max(1, Math.min(opts.concurrency ?? DEFAULT_PROBE_CONCURRENCY, 256));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const results = new Array<NonNullable<LandscapeTargetEvent['probe']>>(targets.length);
  // One handshake per distinct endpoint: several systems often call the same server.
  const byEndpoint = new Map<string, Promise<NonNullable<LandscapeTargetEvent['probe']>>>();
  let next = 0;
  const one = async (t: TargetLine): Promise<NonNullable<LandscapeTargetEvent['probe']>> => {
    const started = Date.now();
    const run = await probeEndpoint(
      { host: t.host, port: t.port, path: '/', isIp: ipVersion(t.host) !== 0 },
      { timeoutMs, versionScan: false, sniCompare: false, settleMs: 0 },
    );
    const main = run.result.main;
    const certificates = run.result.certificates ?? [];
    const durationMs = Date.now() - started;
    if (certificates.length) return { ok: true, certificates, durationMs };
    return { ok: false, error: describeOutcome(main), durationMs };
  };
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const t = targets[i] as TargetLine;
      const key = `${t.host.toLowerCase()}:${t.port}`;
      let p = byEndpoint.get(key);
      if (!p) {
        p = one(t);
        byEndpoint.set(key, p);
      }
      results[i] = await p;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, Math.max(1, targets.length)) }, worker));
  return results;
}
