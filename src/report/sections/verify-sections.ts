/**
 * @module The sections of `verify`, from its Report: the chain as given, the trust list and host it was
 * judged with, the verification table, the findings to fix, the files written.
 */
import type { ChainCheckEvent } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';
import { chainPositions } from '../../readers/x509/chain-order.js';
import { certificateEntry, POSITION_LABEL } from './certificate-entry.js';
import type { Section } from './section-types.js';

export interface VerifySectionOptions {
  /** Say that java was not judged and how to add it (the default profiles were used, no --java-store). */
  javaHint?: boolean;
  /** Files `--out` wrote, as shown to the user. */
  written?: readonly string[];
}

/** `verify`'s sections, drawn from the Report's `chain-check` event and `verification`. */
export function verifySections(report: Report, now: Date, options: VerifySectionOptions = {}): Section[] {
  const check = report.events.find((e): e is ChainCheckEvent => e.kind === 'chain-check');
  const sections: Section[] = [];
  if (check) {
    const name = report.inputs[check.source.input]?.name ?? 'the chain';
    const n = check.chain.length;
    const positions = chainPositions(check.chain);
    sections.push({
      kind: 'chain',
      title: `Chain ${name} (${n} certificate${n === 1 ? '' : 's'}, in the order given)`,
      entries: check.chain.map((c, i) => certificateEntry(c, POSITION_LABEL[positions[i] ?? 'unknown'], now)),
    });
    sections.push({
      kind: 'facts',
      rows: [
        { label: 'Trust list (sap-icm)', value: check.trustName },
        { label: 'Host', value: check.host ?? '(none given: no name check; pass --host)' },
      ],
    });
  }
  if (report.verification?.length)
    sections.push({
      kind: 'verification',
      title: 'Verdicts',
      verdicts: report.verification,
      ...(options.javaHint
        ? { notes: ['(java not judged: pass --java-store <cacerts.pem> to add it)'] }
        : {}),
    });
  const notes = report.inputs.flatMap((i) => i.warnings.map((w) => `note (${i.name}): ${w}`));
  if (notes.length) sections.push({ kind: 'notes', lines: notes });
  sections.push({
    kind: 'findings',
    title: 'What to do',
    fixesOnly: true,
  });
  if (options.written?.length)
    sections.push({ kind: 'notes', title: 'Written', lines: [...options.written] });
  return sections;
}
