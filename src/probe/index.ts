/** @module The probe's public surface: run a probe, judge it, wrap it in a Report. */

export { type ProbeTranscript, writeTranscript } from '../evidence/probe-transcript.js';
export { loadClientIdentity } from './client-identity.js';
export { fetchMissingIssuers } from './fetch-issuers.js';
export { DEFAULT_TIMEOUT_MS, type ProbeRun, probeEndpoint } from './probe.js';
export {
  buildProbeEvidence,
  buildProbeReport,
  diagnoseProbe,
  type ProbeReportInput,
  type ProbeReportResult,
} from './probe-report.js';
export { parseProbeTarget, parseProxy } from './target.js';
export type * from './types.js';
