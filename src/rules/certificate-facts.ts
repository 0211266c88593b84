/**
 * @module Certificates as the certificate rules see them: every certificate of `certificates` events (leaf
 * first, with its position) and the own certificate + chain of `sapgenpse` events, with a display name.
 */

import type { CertificateInfo } from '../model/certificate.js';
import { escapeControlChars } from '../model/escape-controls.js';
import type { CertificateFileEvent, SapgenpseEvent } from '../model/evidence.js';
import type { ReportCertificate, ReportPse } from '../model/report.js';
import { dnValue } from '../pki/dn.js';
import { describePse } from '../pki/pse-nodes.js';
import { toReportCertificate } from '../pki/report-certificate.js';
import { chainPositions, orderLeafFirst } from '../readers/x509/chain-order.js';

/** One certificate to judge, with where it came from. */
export interface JudgedCertificate {
  cert: CertificateInfo;
  position: ReportCertificate['position'];
  event: CertificateFileEvent | SapgenpseEvent;
  /** True for the own certificate (or its chain) of a PSE listing. */
  own: boolean;
  pse?: ReportPse;
}

/** Short name for titles: the CN, else the whole DN, else the serial. */
export function certificateName(cert: CertificateInfo): string {
  let cn: string | undefined;
  try {
    cn = dnValue(cert.subject, 'CN');
  } catch {
    cn = undefined;
  }
  return escapeControlChars(
    cn || cert.subject || (cert.serial ? `serial ${cert.serial}` : 'certificate without a name'),
  );
}

/** The Report's certificate object (one mapping for every command). */
export const reportCertificate = toReportCertificate;

function pseOf(ev: SapgenpseEvent): ReportPse | undefined {
  if (!ev.pseFile) return undefined;
  const d = describePse(ev.pseFile);
  const pse: ReportPse = { file: ev.pseFile };
  if (d.basename) pse.basename = d.basename;
  if (d.node) pse.node = d.node;
  if (d.context) pse.context = d.context;
  if (d.application) pse.application = d.application;
  return pse;
}

/** Every certificate the rules judge, leaf first per event. */
export function judgedCertificates(
  files: readonly CertificateFileEvent[],
  listings: readonly SapgenpseEvent[],
): JudgedCertificate[] {
  const out: JudgedCertificate[] = [];
  for (const event of files) {
    const ordered = orderLeafFirst(event.certificates);
    const positions = chainPositions(ordered);
    ordered.forEach((cert, i) => {
      out.push({ cert, position: positions[i] ?? 'unknown', event, own: false });
    });
  }
  for (const event of listings) {
    const pse = pseOf(event);
    const add = (cert: CertificateInfo, position: ReportCertificate['position']) =>
      out.push({ cert, position, event, own: true, ...(pse ? { pse } : {}) });
    if (event.own) add(event.own, 'own');
    for (const c of event.chain ?? []) add(c, c.selfSigned ? 'root' : 'intermediate');
  }
  return out;
}

/** Words for a position: `leaf certificate`, `intermediate CA certificate`, … */
export function describePosition(position: ReportCertificate['position']): string {
  switch (position) {
    case 'leaf':
      return 'leaf certificate';
    case 'intermediate':
      return 'intermediate CA certificate';
    case 'root':
      return 'root CA certificate';
    case 'own':
      return 'own certificate';
    case 'trusted':
      return 'trusted certificate';
    default:
      return 'certificate';
  }
}

/** Whole days from `now` to `iso` (negative when in the past). */
export function daysUntil(iso: string, now: Date): number {
  return Math.floor((Date.parse(iso) - now.getTime()) / 86_400_000);
}

/** `2026-01-15` from an ISO time. */
export function dateOf(iso: string): string {
  return iso.slice(0, 10);
}
