/** @module The fixed vocabularies of the Report: cause tags, confidence, severity, role. */

/** Cause tags, exactly as in the Report contract (docs/report.md). */
export const CAUSES = [
  'untrusted-root',
  'missing-intermediate',
  'own-cert-rejected',
  'client-cert-missing',
  'client-cert-rejected',
  'hostname-mismatch',
  'wrong-host',
  'expired-peer-cert',
  'expired-own-cert',
  'weak-signature',
  'sni-missing',
  'tls-version',
  'cipher-mismatch',
  'not-ssl-port',
  'proxy',
  'interception',
  'network',
  'pse-missing',
  'pse-credential',
  'lib-not-found',
  'snc-name',
  'snc-credentials',
  'unknown',
] as const;

export type Cause = (typeof CAUSES)[number];

export const CONFIDENCES = ['certain', 'likely', 'possible'] as const;
/** `certain` only when the evidence proves the cause; thin evidence gives `likely`/`possible`. */
export type Confidence = (typeof CONFIDENCES)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Role of the SAP side in the failing connection. */
export type Role = 'client' | 'server';

/** Rank used to order findings: lower sorts first. */
export const CONFIDENCE_RANK: Record<Confidence, number> = { certain: 0, likely: 1, possible: 2 };
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
