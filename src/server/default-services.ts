/** @module Wires the server to the real pse-doctor: the same analysis as the CLI, the knowledge base, the prober. */
import { analyze } from '../analyze.js';
import { getEntry, listEntries, lookup } from '../kb/index.js';
import { buildProbeReport, parseProbeTarget, probeEndpoint } from '../probe/index.js';
import type { HandshakeAttempt, ProbeResult } from '../probe/types.js';
import { allowedProbeAddress, type Resolver } from './probe-guard.js';
import type { ProbeRequest, ServerServices } from './services.js';

/** `host` + `port` from the form, or the target as typed (`host:port`, `https://…`). */
function targetText(request: ProbeRequest): string {
  if (request.port === undefined || request.target.includes('://')) return request.target;
  const host = request.target.replace(/:\d{1,5}$/, '');
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${request.port}`;
}

/** The web probe never shows what a non-TLS service sent: it would make the server a banner-grabbing oracle. */
function withoutNonTlsBytes(result: ProbeResult): ProbeResult {
  const scrub = (a: HandshakeAttempt | undefined): HandshakeAttempt | undefined =>
    a?.nonTls ? { ...a, nonTls: { kind: a.nonTls.kind, firstLine: '(not shown by the web probe)' } } : a;
  const main = scrub(result.main) as HandshakeAttempt;
  const sniCompare = scrub(result.sniCompare);
  return {
    ...result,
    main,
    ...(sniCompare ? { sniCompare } : {}),
    attempts: result.attempts.map((a) => scrub(a) as HandshakeAttempt),
  };
}

/**
 * The services `pse-doctor serve` uses; the prober only when `probe` is set (`--enable-probe`), and
 * then only towards public addresses (private ones too with `probePrivate`), see probe-guard.ts.
 */
export function createDefaultServices(
  options: { probe?: boolean; probePrivate?: boolean; probeLoopback?: boolean; resolver?: Resolver } = {},
): ServerServices {
  const services: ServerServices = {
    analyze: (inputs, { secrets }) => analyze(inputs, secrets ? { secrets } : {}),
    getEntry: (id) => getEntry(id),
    lookup: (query) => lookup(query),
    listEntries: () => listEntries(),
  };
  if (options.probe) {
    services.probe = async (request) => {
      const target = parseProbeTarget(targetText(request));
      // Resolve once, check every address, and connect to the checked one (no rebinding in between).
      target.address = await allowedProbeAddress(
        target.host,
        Boolean(options.probePrivate),
        options.resolver,
        Boolean(options.probeLoopback),
      );
      const { result } = await probeEndpoint(target, { sni: request.sni !== false });
      return buildProbeReport({ result: withoutNonTlsBytes(result) }).report;
    };
  }
  return services;
}
