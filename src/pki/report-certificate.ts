/**
 * @module The Report's certificate object, built once: from a certificate and from a verdict's path.
 */
import type { CertificateInfo } from '../model/certificate.js';
import type { ReportCertificate } from '../model/report.js';
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
