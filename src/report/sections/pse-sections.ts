/**
 * @module The sections of `pse`: one PSE in detail (node, format, own certificate and chain, trusted
 * certificates) or a sec folder as the PSE table, then notes and the findings. Public certificate data only.
 */
import type { TrustList } from '../../model/certificate.js';
import type { PseProblemEvent } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';
import type { PseContents } from '../../readers/pse/pse-types.js';
import { certificateEntry, expiryCell, POSITION_LABEL, validityMark } from './certificate-entry.js';
import type { PseRow, Section } from './section-types.js';

/** One PSE as the command read it. */
export interface PseView {
  display: string;
  list?: TrustList;
  /** Container facts, for the one-PSE view (a folder view shows none). */
  contents?: PseContents;
  problem?: PseProblemEvent;
  warnings: string[];
}

function nodeWords(list: Pick<TrustList, 'node' | 'context' | 'application'>): string {
  if (!list.node) return 'unknown (the file name is not a STRUST PSE name)';
  const where = list.context ? ` (${list.context}${list.application ? `/${list.application}` : ''})` : '';
  return `${list.node}${where}`;
}

function formatWords(contents: PseContents): string {
  const protection =
    contents.protection === 'pin'
      ? `PIN-protected (${contents.encryption?.name ?? contents.encryption?.oid ?? 'PBE'}, ${contents.encryption?.iterations ?? '?'} iterations)`
      : 'no PIN';
  return `PSE v${contents.version}, ${protection}`;
}

function objectWords(contents: PseContents): string {
  return contents.objects
    .map((o) => {
      if (o.kind === 'private-key') return `${o.name} (private key, not read)`;
      const count = o.certificates === 1 ? '' : ` (${o.certificates} certificates)`;
      return `${o.name}${o.recognised ? '' : ' [unknown]'}${o.kind === 'trusted-list' || o.certificates > 1 ? count : ''}`;
    })
    .join(', ');
}

/** Short words for a problem in the PSE table. */
function problemWords(problem: PseProblemEvent): string {
  switch (problem.problem) {
    case 'pin-required':
      return 'PIN required (--pin-file or PSE_DOCTOR_PIN)';
    case 'wrong-pin':
      return 'wrong PIN';
    case 'lps':
      return 'LPS-protected: run sapgenpse maintain_pk -l on its host';
    case 'cred-v2':
      return 'cred_v2: SSO credentials, not a PSE';
    case 'not-a-pse':
      return 'not a PSE';
    case 'unsupported':
      return 'format not supported yet';
    default:
      return 'damaged or cut short';
  }
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

/** One row of the PSE table. */
function pseRow(v: PseView, now: Date): PseRow {
  const list = v.list;
  const pse = list?.basename ?? v.display.split(/[\\/]/).pop() ?? v.display;
  if (!list)
    return {
      pse,
      node: '-',
      own: '-',
      expires: '-',
      trusted: '-',
      notes: v.problem ? problemWords(v.problem) : '',
    };
  const own = list.own;
  const mark = own ? validityMark(own, now) : undefined;
  return {
    pse,
    node: list.node ?? '?',
    own: own ? clip(own.subject, 48) : '(none)',
    expires: expiryCell(own, now),
    ...(mark?.alarm ? { alarm: true } : {}),
    trusted: String(list.certificates.length),
    notes: v.warnings.length ? `${v.warnings.length} note(s)` : '',
  };
}

/** The findings section of `pse`. */
function findingsSection(report: Report): Section {
  return { kind: 'findings', title: `Findings (${report.findings.length})`, empty: ['No findings.'] };
}

/** One PSE in detail: node, format, objects, own certificate and chain, trusted certificates, notes, findings. */
export function pseDetailSections(view: PseView, report: Report, now: Date): Section[] {
  const list = view.list;
  if (view.problem || !list)
    return [
      {
        kind: 'facts',
        title: view.display,
        rows: view.problem ? [{ label: 'Cannot open', value: view.problem.message }] : [],
      },
      findingsSection(report),
    ];
  const rows = [{ label: 'STRUST node', value: nodeWords(list) }];
  if (view.contents) {
    rows.push({ label: 'Format', value: formatWords(view.contents) });
    rows.push({ label: 'Objects', value: objectWords(view.contents) || '(none)' });
  }
  const sections: Section[] = [{ kind: 'facts', title: view.display, rows }];
  sections.push({
    kind: 'certificate-list',
    title: 'Own certificate',
    entries: list.own ? [certificateEntry(list.own, POSITION_LABEL.own, now)] : [],
    empty: 'none',
  });
  const chain = list.ownChain ?? [];
  if (chain.length)
    sections.push({
      kind: 'chain',
      title: `Own chain (${chain.length}, issuer first)`,
      entries: chain.map((c) => certificateEntry(c, c.selfSigned ? POSITION_LABEL.root : 'CA', now)),
    });
  sections.push({
    kind: 'certificate-list',
    title: `Trusted certificates (${list.certificates.length})`,
    entries: list.certificates.map((c) => certificateEntry(c, POSITION_LABEL.trusted, now)),
    empty: 'none: this PSE trusts no certificate',
  });
  if (view.warnings.length)
    sections.push({ kind: 'notes', title: 'Notes', lines: view.warnings.map((w) => `- ${w}`) });
  sections.push(findingsSection(report));
  return sections;
}

/** A folder of PSEs: the PSE table, skipped files, notes, the hint to look at one, the findings. */
export function pseFolderSections(
  views: readonly PseView[],
  report: Report,
  now: Date,
  context: {
    paths: readonly string[];
    ignored: readonly { folder: string; count: number }[];
    /** Folder entries the walk could not use (unreadable, link loops, too deep), one sentence each. */
    walkNotes?: readonly string[];
  },
): Section[] {
  const sections: Section[] = [
    {
      kind: 'pse-table',
      title: `${views.length} file(s) in ${context.paths.join(', ')}`,
      rows: views.map((v) => pseRow(v, now)),
    },
  ];
  if (context.ignored.length)
    sections.push({
      kind: 'notes',
      lines: context.ignored.map(
        ({ folder, count }) => `(${count} other file(s) in ${folder} are not PSEs and were skipped)`,
      ),
    });
  const notes = views.flatMap((v) => v.warnings.map((w) => `${v.display}: ${w}`));
  notes.push(...(context.walkNotes ?? []));
  if (notes.length) sections.push({ kind: 'notes', title: 'Notes', lines: notes });
  sections.push({ kind: 'notes', lines: ['Run "pse-doctor pse <file>" for one PSE in detail.'] });
  sections.push(findingsSection(report));
  return sections;
}
