/**
 * @module The Report's certificate object, built once: from a certificate, from a verdict's path, and
 * the side-by-side verdict summary (`Report.verification`) every command shows as a table.
 */
import type { CertificateInfo } from '../model/certificate.js';
import type { ProfileVerdictSummary, ReportCertificate } from '../model/report.js';
import { isSelfSigned } from './chain.js';
import type { ChainProblem, ProfileVerdict } from './verify.js';

/** The position a chain problem names, as a Report position. */
export function reportPosition(p: ChainProblem['position'] | undefined): ReportCertificate['position'] {
  return p ?? 'unknown';
}

/** The Report's certificate object. */
export function toReportCertificate(
  cert: CertificateInfo,
  position: ReportCertificate['position'],
): ReportCertificate {
  const out: ReportCertificate = { subject: cert.subject, position };
  if (cert.issuer) out.issuer = cert.issuer;
  if (cert.serial) out.serial = cert.serial;
  if (cert.notBefore) out.notBefore = cert.notBefore;
  if (cert.notAfter) out.notAfter = cert.notAfter;
  if (cert.sha256) out.sha256 = cert.sha256;
  return out;
}

/** The certificates of a verdict's path, leaf first, with their positions. */
export function pathCertificates(v: ProfileVerdict): ReportCertificate[] {
  const last = v.chain.path.length - 1;
  return v.chain.path.map((link, i) => {
    let position: ReportCertificate['position'] = 'intermediate';
    if (i === 0) position = 'leaf';
    else if (link.source === 'anchor' || (link.trusted && i === last)) position = 'trusted';
    else if (isSelfSigned(link.cert)) position = 'root';
    return toReportCertificate(link.cert, position);
  });
}

/** Summarise one verdict for `Report.verification`. */
export function summarizeVerdict(v: ProfileVerdict): ProfileVerdictSummary {
  const out: ProfileVerdictSummary = {
    profile: v.profile,
    label: v.label,
    ok: v.ok,
    verdict: v.kind,
    trustList: v.listName,
    path: pathCertificates(v),
    problems: [...v.problems, ...v.warnings].map((p) => ({
      kind: p.kind,
      level: p.level,
      message: p.message,
    })),
  };
  if (v.first) out.message = v.first.message;
  if (v.sap) {
    out.cause = v.sap.cause;
    if (v.profile === 'sap-icm') {
      if (v.sap.error) out.errorCode = v.sap.error;
      if (v.sap.icm) out.icm = v.sap.icm;
    }
  }
  if (v.nativeCode && v.profile !== 'sap-icm') out.nativeCode = v.nativeCode;
  if (v.anchor) {
    out.anchor = { subject: v.anchor.cert.subject };
    if (v.anchor.cert.sha256) out.anchor.sha256 = v.anchor.cert.sha256;
    if (v.anchor.matchedBy) out.anchor.matchedBy = v.anchor.matchedBy;
  }
  if (v.host) {
    out.host = { host: v.host.host, ok: v.host.ok, names: v.host.names };
    if (v.host.matched) out.host.matched = v.host.matched;
  }
  return out;
}
