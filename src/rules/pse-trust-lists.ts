/**
 * @module Trust lists read from SAP PSE files, as the PSE hygiene rules see them: which lists, how to name
 * the PSE in a finding, and which certificates are CAs worth comparing.
 */
import type { CertificateInfo, TrustList } from '../model/certificate.js';
import type { TrustListEvent } from '../model/evidence.js';
import type { ReportPse } from '../model/report.js';
import { certificateName } from './certificate-facts.js';
import { toReportPse } from './failure-facts.js';

/** The trust-list events that come from SAP PSEs (files or STRUST exports); baselines are not PSEs in use. */
export function pseListEvents(events: readonly TrustListEvent[]): TrustListEvent[] {
  return events.filter((e) => e.list.storeKind === 'sap-pse' && e.list.baseline === undefined);
}

/** The Report's PSE object for a list. */
export function reportPseOf(list: TrustList): ReportPse {
  return toReportPse(list);
}

/** `SAPSSLC.pse (SSL client Standard)`, or whatever part is known; `… on ABC/app1` in a landscape. */
export function pseLabel(list: TrustList): string {
  const name = list.basename ?? list.file ?? 'the PSE';
  const label = list.node ? `${name} (${list.node})` : name;
  return list.landscape ? `${label} on ${list.landscape.system}/${list.landscape.instance}` : label;
}

/** The PSE file name for sapgenpse commands. */
export function pseFileArg(list: TrustList): string {
  return list.basename ?? list.file ?? '<PSE file>';
}

/** SSL client Anonymous never sends its own certificate, so its own certificate's state does not matter. */
export function ownCertIsSent(list: TrustList): boolean {
  return !(list.context === 'SSLC' && list.application === 'ANONYM');
}

/** A CA certificate (CA flag or self-signed): what a trust list needs to verify peers. */
export function isCaCertificate(cert: CertificateInfo): boolean {
  return cert.isCA === true || cert.selfSigned === true;
}

/**
 * `Date.parse` of validity dates, remembered: the hygiene rules judge every certificate of every list,
 * and the same CAs (so the same few dates) recur in every PSE of a folder. Bounded.
 */
const PARSED_DATES = new Map<string, number>();
const MAX_PARSED_DATES = 4096;

function parsedDate(text: string): number {
  let time = PARSED_DATES.get(text);
  if (time === undefined) {
    time = Date.parse(text);
    if (PARSED_DATES.size >= MAX_PARSED_DATES) PARSED_DATES.clear();
    PARSED_DATES.set(text, time);
  }
  return time;
}

/** Expired or not yet valid at `now`. */
export function validityProblem(cert: CertificateInfo, now: Date): 'expired' | 'not-yet-valid' | undefined {
  if (cert.notAfter && parsedDate(cert.notAfter) < now.getTime()) return 'expired';
  if (cert.notBefore && parsedDate(cert.notBefore) > now.getTime()) return 'not-yet-valid';
  return undefined;
}

/**
 * A file name for a certificate: its CN (else DN) with only `A-Z a-z 0-9 . _ -`, no leading dots, `.crt`.
 * `pse --export-trusted` writes these names and the sapgenpse commands in findings use them.
 */
export function certificateFileName(cert: CertificateInfo): string {
  const base = certificateName(cert)
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+|_+$/g, '')
    .slice(0, 60);
  return `${base || 'certificate'}.crt`;
}
