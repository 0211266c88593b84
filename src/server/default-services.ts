/** @module Wires the server to the real pse-doctor: the same analysis as the CLI, the knowledge base, the prober. */
import { analyze } from '../analyze.js';
import { getEntry, listEntries, lookup } from '../kb/index.js';
import { createAnalysisPool, PoolUnavailableError } from './analysis-pool.js';
import type { Resolver } from './probe-guard.js';
import { probeFromForm } from './probe-service.js';
import type { ServerServices } from './services.js';

/**
 * The services `pse-doctor serve` uses; the prober only when `probe` is set (`--enable-probe`), and
 * then only towards public addresses (private ones too with `probePrivate`), see probe-guard.ts. With
 * `workers` > 0, uploads held in memory are analysed on that many worker threads (analysis-pool.ts);
 * uploads with a PIN or password, and the large one that streams, are analysed on the server's thread.
 */
export function createDefaultServices(
  options: {
    probe?: boolean;
    probePrivate?: boolean;
    probeLoopback?: boolean;
    resolver?: Resolver;
    workers?: number;
  } = {},
): ServerServices {
  const services: ServerServices = {
    // Every uploaded PSE is listed with its state, a wrong PIN too (the PSE page shows it per file).
    analyze: (inputs, { secrets }) =>
      analyze(inputs, { unopenedPse: 'report', ...(secrets ? { secrets } : {}) }),
    getEntry: (id) => getEntry(id),
    lookup: (query) => lookup(query),
    listEntries: () => listEntries(),
  };
  if (options.workers && options.workers > 0) {
    const pool = createAnalysisPool(options.workers);
    services.analyzeToJson = async (inputs) => {
      try {
        return await pool.analyze(inputs);
      } catch (err) {
        if (!(err instanceof PoolUnavailableError)) throw err;
        // No worker could start: the same analysis on this thread.
        const report = await services.analyze(inputs, {});
        return new TextEncoder().encode(JSON.stringify(report));
      }
    };
    services.workersReady = () => pool.whenReady();
    services.close = () => pool.close();
  }
  if (options.probe) {
    const reach = {
      allowPrivate: Boolean(options.probePrivate),
      allowLoopback: Boolean(options.probeLoopback),
      ...(options.resolver ? { resolver: options.resolver } : {}),
    };
    services.probe = (request) => probeFromForm(request, new Date(), reach);
  }
  return services;
}
