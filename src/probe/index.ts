/** @module The probe's public surface: run a probe, judge it, wrap it in a Report. */
export { loadClientIdentity } from './client-identity.js';
export { diagnoseProbe, type ProbeDiagnosis, type ProbeDiagnosisInput } from './diagnose-probe.js';
export { fetchMissingIssuers } from './fetch-issuers.js';
export { DEFAULT_TIMEOUT_MS, type ProbeRun, probeEndpoint } from './probe.js';
export { buildProbeReport, type ProbeReportInput } from './probe-report.js';
export { parseProbeTarget, parseProxy } from './target.js';
export { type ProbeTranscript, writeTranscript } from './transcript.js';
export type * from './types.js';
