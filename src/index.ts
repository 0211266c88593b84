/**
 * @module Public library API (re-exports only): analyze inputs into a Report, render it, look up the
 * knowledge base, open PSEs and certificate files, verify chains, plan imports, probe endpoints.
 *
 * The CLI does not import this file (each command loads only what it needs, so `explain` stays quick);
 * library users get everything from here.
 */
export {
  type AnalyzeOptions,
  analyze,
  type DiagnoseOptions,
  diagnose,
  type InputSpec,
  readEvidence,
} from './analyze.js';
export { getEntry, listEntries, lookup } from './kb/index.js';
export type { KbEntry, KbKind, KbLookupOptions, KbLookupResult } from './kb/types.js';
export * from './model/cause.js';
export type * from './model/certificate.js';
export * from './model/errors.js';
export type * from './model/evidence.js';
export type * from './model/report.js';
export { type DnAttribute, type DnFlavor, type ParsedDn, parseDn, sameDn } from './pki/dn.js';
export type { ImportPlanInput } from './pki/import-plan.js';
export { describePse, type PseDescription } from './pki/pse-nodes.js';
export {
  type ProfileId,
  type ProfileVerdict,
  type VerifyInput,
  verifyChain,
} from './pki/verify.js';
export {
  buildProbeReport,
  type ProbeReportInput,
  type ProbeRun,
  parseProbeTarget,
  probeEndpoint,
} from './probe/index.js';
export type { ProbeOptions, ProbeResult, ProbeTarget } from './probe/types.js';
export { type OpenPseOptions, openPse } from './readers/pse/open-pse.js';
export type { PseContents } from './readers/pse/pse-types.js';
export {
  type ListingOptions,
  type ListingParse,
  parseSapgenpseListing,
} from './readers/sapgenpse/listing.js';
export type * from './readers/types.js';
export {
  type CertificateContainer,
  type ReadCertificatesOptions,
  readCertificates,
} from './readers/x509/read-certificates.js';
export { renderHtml } from './report/html.js';
export { renderJson } from './report/json.js';
export type { CertificateEntry, ReportView, Section } from './report/sections/section-types.js';
export { renderTerminal, renderTextView, type TerminalOptions } from './report/terminal.js';
export { buildImportPlan } from './rules/import-wording.js';
export { TOOL_VERSION } from './version.js';
