/**
 * @module What the server needs from the rest of pse-doctor (analysis, knowledge base, probe), as one
 * object: `default-services.ts` wires the real modules, tests may pass their own.
 */
import type { KbEntry, KbLookupResult } from '../kb/types.js';
import type { Report } from '../model/report.js';
import type { SecretProvider } from '../readers/types.js';

/** One uploaded input: small ones arrive whole, the large one streams straight from the request. */
export type UploadInput = { name: string; bytes: Buffer } | { name: string; stream: AsyncIterable<Buffer> };

/** What the probe form sends. */
export interface ProbeRequest {
  /** Host name, `host:port` or https URL. */
  target: string;
  port?: number;
  /** Send SNI (default true). */
  sni?: boolean;
  /** Trust list to judge the chain with, as SAP's ICM would: PSE files, sapgenpse listings, certificates. */
  trust?: { name: string; bytes: Buffer }[];
  /** PIN of PIN-protected trust PSEs (used for this request only). */
  trustPin?: string;
  /** Client identity for mutual TLS: PEM with key, PKCS#12 or a PSE. */
  clientCert?: { name: string; bytes: Buffer };
  /** Password (PKCS#12) or PIN (PSE) of the client identity. */
  clientSecret?: string;
  /** HTTP forward proxy, `http://[user[:password]@]host:port`. */
  proxy?: string;
}

export interface ServerServices {
  /** Runs the same analysis as `pse-doctor analyze`. ToolErrors are input problems (answered 422). */
  analyze(inputs: UploadInput[], options: { secrets?: SecretProvider }): Promise<Report>;
  /** The entry with this id or alias, or undefined. */
  getEntry(id: string): KbEntry | undefined;
  /** Ranked search. */
  lookup(query: string): KbLookupResult;
  /** Every entry (for the explain index). */
  listEntries(): KbEntry[];
  /**
   * The same Report as `analyze` (no secrets given), already serialised as `JSON.stringify` would, for
   * uploads held whole in memory; optional (default-services.ts runs it on a pool of worker threads).
   * The inputs' bytes are handed over: the Buffers must not be used afterwards.
   */
  analyzeToJson?(inputs: { name: string; bytes: Buffer }[]): Promise<Uint8Array>;
  /** With analysis workers: resolves true once one takes jobs, false when none can start. */
  workersReady?(): Promise<boolean>;
  /** Releases what the services hold (worker threads); called when the server stops. */
  close?(): Promise<void>;
  /** Probes a live endpoint and diagnoses it; absent when this build has no prober. */
  probe?(request: ProbeRequest): Promise<Report>;
}
