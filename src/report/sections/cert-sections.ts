/**
 * @module The sections of `cert`: each input's certificates leaf first, in full (subject, issuer,
 * validity, key, extensions, fingerprints, Mozilla root status, PKCS#12 friendly names), then notes and
 * the findings.
 */
import type { CertificateInfo } from '../../model/certificate.js';
import type { EvidenceEvent, InputSummary } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';
import { chainPositions } from '../../readers/x509/chain-order.js';
import type { CertificateContainer } from '../../readers/x509/read-certificates.js';
import { CONTAINER_NAMES } from '../../readers/x509/reader.js';
import { certificateEntry, POSITION_LABEL } from './certificate-entry.js';
import type { CertificateEntry, Section } from './section-types.js';

/** One input as `cert` read it. */
export interface CertInput {
  name: string;
  summary: InputSummary;
  events: EvidenceEvent[];
  lines: Record<string, string>;
  container?: CertificateContainer;
}

function friendlyNames(
  container: CertificateContainer | undefined,
  ordered: CertificateInfo[],
): (string | undefined)[] {
  if (!container?.friendlyNames) return [];
  const bySha = new Map<string, string>();
  container.certificates.forEach((c, i) => {
    const name = container.friendlyNames?.[i];
    if (c.sha256 && name) bySha.set(c.sha256, name);
  });
  return ordered.map((c) => (c.sha256 ? bySha.get(c.sha256) : undefined));
}

const plural = (n: number) => `${n} certificate${n === 1 ? '' : 's'}`;

/** The sections of one input: one certificate list per event that carries certificates. */
function inputSections(input: CertInput, now: Date): Section[] {
  const { summary } = input;
  const format = input.container ? CONTAINER_NAMES[input.container.container] : 'sapgenpse listing';
  const full = (c: CertificateInfo, label: string, friendlyName?: string): CertificateEntry =>
    certificateEntry(c, label, now, { detail: 'full', ...(friendlyName ? { friendlyName } : {}) });
  const sections: Section[] = [];
  const warnings = summary.warnings;
  for (const event of input.events) {
    if (event.kind === 'certificates') {
      const n = event.certificates.length;
      const protection = input.container?.protection;
      const notes = protection?.encryption.length
        ? [
            `Protected with ${[...new Set(protection.encryption)].join(', ')}${protection.mac ? `; MAC ${protection.mac}` : ''}`,
          ]
        : [];
      const positions = chainPositions(event.certificates);
      const names = friendlyNames(input.container, event.certificates);
      sections.push({
        kind: 'certificate-list',
        title: `${summary.name} — ${format}, ${plural(n)}${n > 1 ? ', leaf first' : ''}`,
        entries: event.certificates.map((c, i) =>
          full(c, POSITION_LABEL[positions[i] ?? 'unknown'], names[i]),
        ),
        notes,
      });
    } else if (event.kind === 'trust-list') {
      const { list } = event;
      const where = list.node ? ` for ${list.basename ?? list.file} (STRUST: ${list.node})` : '';
      sections.push({
        kind: 'certificate-list',
        title: `${summary.name} — ${format}: trust list${where}, ${plural(list.certificates.length)}`,
        entries: list.certificates.map((c) => full(c, POSITION_LABEL.trusted)),
      });
    } else if (event.kind === 'sapgenpse') {
      const pse = event.pseNode?.node ? `${event.pseFile} (STRUST: ${event.pseNode.node})` : event.pseFile;
      if (event.error) {
        sections.push({
          kind: 'notes',
          lines: [
            `${summary.name} — sapgenpse ${event.command ?? ''} error${pse ? ` for ${pse}` : ''}: ${event.error.message}`,
          ],
        });
        continue;
      }
      if (event.request) {
        const fields = event.request.keyType
          ? [
              {
                name: 'Key',
                value: `${event.request.keyType}${event.request.keySize ? ` ${event.request.keySize}` : ''}`,
              },
            ]
          : [];
        sections.push({
          kind: 'certificate-list',
          title: `${summary.name} — sapgenpse ${event.command ?? 'get_pse'}: certificate REQUEST${pse ? ` for ${pse}` : ''} (not a certificate)`,
          entries: event.request.subject
            ? [{ label: 'request', subject: event.request.subject, fields }]
            : [],
        });
        continue;
      }
      const entries: CertificateEntry[] = [];
      if (event.own) entries.push(full(event.own, POSITION_LABEL.own));
      for (const c of event.chain ?? []) entries.push(full(c, c.selfSigned ? 'PKRoot' : 'FCPath'));
      sections.push({
        kind: 'certificate-list',
        title: `${summary.name} — sapgenpse ${event.command ?? 'get_my_name'}${pse ? ` for ${pse}` : ''}${event.ssoUser ? `, SSO user ${event.ssoUser}` : ''}`,
        entries,
      });
    }
  }
  // The input's warnings go with its last section (or alone, when it showed nothing).
  const last = sections.at(-1);
  if (warnings.length && last && (last.kind === 'certificate-list' || last.kind === 'chain'))
    last.notes = [...(last.notes ?? []), ...warnings];
  else if (warnings.length) sections.push({ kind: 'notes', lines: warnings.map((w) => `note: ${w}`) });
  return sections;
}

/** `cert`'s sections: every input's certificates, the run's notes, then the findings. */
export function certSections(
  inputs: readonly CertInput[],
  report: Report,
  now: Date,
  notes: readonly string[],
): Section[] {
  const sections = inputs.flatMap((input) => inputSections(input, now));
  if (notes.length) sections.push({ kind: 'notes', lines: notes.map((n) => `note: ${n}`) });
  sections.push({
    kind: 'findings',
    title: `Findings (${report.findings.length})`,
    empty: ['No problems found in these certificates.'],
  });
  return sections;
}
