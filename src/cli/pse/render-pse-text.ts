/**
 * @module Text views of the `pse` command: one PSE in detail (node, own certificate and chain, trusted
 * certificates), a sec folder as one line per PSE, and the findings. Public certificate data only.
 */
import type { CertificateInfo, TrustList } from '../../model/certificate.js';
import type { PseProblemEvent } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';
import type { PseContents } from '../../readers/pse/pse-types.js';
import { renderFindingsSection } from '../../report/terminal.js';

/** One PSE as the command read it. */
export interface PseView {
  display: string;
  list?: TrustList;
  contents?: PseContents;
  problem?: PseProblemEvent;
  warnings: string[];
}

const DAY = 86_400_000;

/** `2019-02-18 18:48 UTC`. */
function when(iso: string | undefined): string {
  if (!iso) return '?';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `in 45 days`, `expired 12 days ago`, `not valid for 3 more days`. */
export function validityWords(cert: Pick<CertificateInfo, 'notBefore' | 'notAfter'>, now: Date): string {
  if (cert.notBefore && Date.parse(cert.notBefore) > now.getTime()) {
    return `not valid yet, starts in ${Math.ceil((Date.parse(cert.notBefore) - now.getTime()) / DAY)} days`;
  }
  if (!cert.notAfter) return 'validity unknown';
  const days = Math.floor((Date.parse(cert.notAfter) - now.getTime()) / DAY);
  return days < 0 ? `EXPIRED ${-days} days ago` : `${days} days left`;
}

function keyWords(cert: CertificateInfo): string | undefined {
  const key = cert.key
    ? `${cert.key.algorithm}${cert.key.size ? ` ${cert.key.size}` : ''}${cert.key.curve ? ` (${cert.key.curve})` : ''}`
    : undefined;
  return [key, cert.signatureAlgorithm].filter(Boolean).join(', ') || undefined;
}

function certificateLines(cert: CertificateInfo, now: Date, indent: string): string[] {
  const lines = [`${indent}Subject:  ${cert.subject}`];
  if (cert.issuer) lines.push(`${indent}Issuer:   ${cert.issuer}${cert.selfSigned ? '  (self-signed)' : ''}`);
  if (cert.serial) lines.push(`${indent}Serial:   ${cert.serial}`);
  lines.push(
    `${indent}Valid:    ${when(cert.notBefore)} → ${when(cert.notAfter)}  (${validityWords(cert, now)})`,
  );
  const key = keyWords(cert);
  if (key) lines.push(`${indent}Key:      ${key}${cert.isCA ? ', CA' : ''}`);
  if (cert.sha256) lines.push(`${indent}SHA-256:  ${cert.sha256}`);
  return lines;
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

/** One PSE in detail. */
export function renderPseDetail(view: PseView, now: Date): string {
  const out: string[] = [];
  const list = view.list;
  out.push(`${view.display}`);
  if (view.problem) {
    out.push(`  Cannot open: ${view.problem.message}`);
    return `${out.join('\n')}\n`;
  }
  if (!list) return `${out.join('\n')}\n`;
  out.push(`  STRUST node: ${nodeWords(list)}`);
  if (view.contents) {
    out.push(`  Format:      ${formatWords(view.contents)}`);
    out.push(`  Objects:     ${objectWords(view.contents) || '(none)'}`);
  }
  out.push('');
  if (list.own) {
    out.push('Own certificate');
    out.push(...certificateLines(list.own, now, '  '));
  } else out.push('Own certificate: none');
  const chain = list.ownChain ?? [];
  if (chain.length) {
    out.push('', `Own chain (${chain.length}, issuer first)`);
    chain.forEach((c, i) => {
      out.push(`  ${i + 1}. ${c.subject}`);
      out.push(...certificateLines(c, now, '     ').slice(1));
    });
  }
  out.push('', `Trusted certificates (${list.certificates.length})`);
  if (list.certificates.length === 0) out.push('  none: this PSE trusts no certificate');
  list.certificates.forEach((c, i) => {
    out.push(`  ${i + 1}. ${c.subject}`);
    out.push(...certificateLines(c, now, '     ').slice(1));
  });
  if (view.warnings.length) {
    out.push('', 'Notes');
    for (const w of view.warnings) out.push(`  - ${w}`);
  }
  return `${out.join('\n')}\n`;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;
}

/** Short words for a problem in the folder table. */
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

/** A folder: one line per PSE (node, own certificate, expiry, trusted count, problems). */
export function renderPseTable(views: readonly PseView[], now: Date): string {
  const header = ['PSE', 'STRUST NODE', 'OWN CERTIFICATE', 'EXPIRES', 'TRUSTED', 'PROBLEMS / NOTES'];
  const rows = views.map((v) => {
    const list = v.list;
    const name = list?.basename ?? v.display.split(/[\\/]/).pop() ?? v.display;
    if (!list) return [name, '-', '-', '-', '-', v.problem ? problemWords(v.problem) : ''];
    const own = list.own;
    const expires = own?.notAfter ? `${own.notAfter.slice(0, 10)} (${validityWords(own, now)})` : '-';
    const notes = v.warnings.length ? `${v.warnings.length} note(s)` : '';
    return [
      name,
      list.node ?? '?',
      own ? clip(own.subject, 48) : '(none)',
      expires,
      String(list.certificates.length),
      notes,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** The findings section (the one every command prints), or that there is none. */
export function renderFindings(report: Report): string {
  if (report.findings.length === 0) return 'No findings.\n';
  return `${[`Findings (${report.findings.length})`, ...renderFindingsSection(report)].join('\n')}\n`;
}
