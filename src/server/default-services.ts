/** @module Wires the server to the real pse-doctor: the same analysis as the CLI, the knowledge base, the prober. */
import { analyze } from '../analyze.js';
import { getEntry, listEntries, lookup } from '../kb/index.js';
import { buildProbeReport, parseProbeTarget, probeEndpoint } from '../probe/index.js';
import type { ProbeRequest, ServerServices } from './services.js';

/** `host` + `port` from the form, or the target as typed (`host:port`, `https://…`). */
function targetText(request: ProbeRequest): string {
  if (request.port === undefined || request.target.includes('://')) return request.target;
  const host = request.target.replace(/:\d{1,5}$/, '');
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${request.port}`;
}

/** The services `pse-doctor serve` uses; the prober only when `probe` is set (`--enable-probe`). */
export function createDefaultServices(options: { probe?: boolean } = {}): ServerServices {
  const services: ServerServices = {
    analyze: (inputs, { secrets }) => analyze(inputs, secrets ? { secrets } : {}),
    getEntry: (id) => getEntry(id),
    lookup: (query) => lookup(query),
    listEntries: () => listEntries(),
  };
  if (options.probe) {
    services.probe = async (request) => {
      const target = parseProbeTarget(targetText(request));
      const { result } = await probeEndpoint(target, { sni: request.sni !== false });
      return buildProbeReport({ result }).report;
    };
  }
  return services;
}
