/**
 * @module Wires the server to the real pse-doctor: the same analysis as the CLI, the knowledge base, the prober.
 * The analysis and the prober are imported when first used: with analysis workers the server's own
 * thread seldom analyses (uploads with a PIN, the large one that streams), and without their modules its
 * heap keeps less after a full collection (about 7.5 MB instead of 9 under the serve benchmark), so every
 * collection the request bodies cause on it costs less.
 */
import { getEntry, listEntries, lookup } from '../kb/index.js';
import { createAnalysisPool, PoolUnavailableError } from './analysis-pool.js';
import type { Resolver } from './probe-guard.js';
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
    analyze: async (inputs, { secrets }) => {
      const { analyze } = await import('../analyze.js');
      return analyze(inputs, { unopenedPse: 'report', ...(secrets ? { secrets } : {}) });
    },
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
    services.probe = async (request) => {
      const now = new Date();
      const { probeFromForm } = await import('./probe-service.js');
      return probeFromForm(request, now, reach);
    };
  }
  return services;
}
