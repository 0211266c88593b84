/** @module Wires the server to the real pse-doctor: the same analysis as the CLI, the knowledge base, the prober. */
import { analyze } from '../analyze.js';
import { getEntry, listEntries, lookup } from '../kb/index.js';
import { probeFromForm } from './probe-service.js';
import type { ServerServices } from './services.js';

/** The services `pse-doctor serve` uses; the prober only when `probe` is set (`--enable-probe`). */
export function createDefaultServices(options: { probe?: boolean } = {}): ServerServices {
  const services: ServerServices = {
    analyze: (inputs, { secrets }) => analyze(inputs, secrets ? { secrets } : {}),
    getEntry: (id) => getEntry(id),
    lookup: (query) => lookup(query),
    listEntries: () => listEntries(),
  };
  if (options.probe) {
    services.probe = (request) => probeFromForm(request);
  }
  return services;
}
