/**
 * @module The sections of `analyze`: the overview, what a saved probe saw (its handshakes and the chain as
 * sent and the verification table, as `probe` shows them), then the findings or that there are none.
 */
import type { Report } from '../../model/report.js';
import { NO_FINDING_TEXT } from '../terminal-findings.js';
import { probeEvidenceSections } from './probe-sections.js';
import type { Section } from './section-types.js';

/** `analyze`'s sections for a Report (judged at its `generatedAt`). */
export function analyzeSections(report: Report): Section[] {
  const now = report.generatedAt ? new Date(report.generatedAt) : new Date();
  return [
    { kind: 'overview' },
    ...probeEvidenceSections(report, now),
    ...(report.verification?.length
      ? [{ kind: 'verification' as const, title: 'Verdicts', verdicts: report.verification }]
      : []),
    { kind: 'findings', empty: NO_FINDING_TEXT },
  ];
}
