/**
 * @module One certificate as every command lists it (cert, pse, verify, probe): label and subject, then
 * issuer, serial, validity with days left or EXPIRED, key and signature with WEAK marks, SHA-256; `full`
 * adds the extensions, SHA-1 and the Mozilla root store status.
 */
import type { CertificateInfo } from '../../model/certificate.js';
import { findRoot } from '../../pki/root-store.js';
import { weaknessOf } from '../../pki/weakness.js';
import type { CertificateEntry, CertificateField } from './section-types.js';

/** Days before expiry that a certificate counts as expiring soon. */
export const SOON_DAYS = 30;
const DAY = 86_400_000;

/** Colon-separated upper-case hex of a fingerprint, as SAP prints it. */
export function colonFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A certificate's validity at `now` in words: `EXPIRED 12 days ago`, `NOT YET VALID (starts in 3 days)`,
 * `expires in 20 days` (within {@link SOON_DAYS}), `400 days left`; `alarm` for the first three.
 */
export function validityMark(
  cert: Pick<CertificateInfo, 'notBefore' | 'notAfter'>,
  now: Date,
): { text: string; alarm: boolean } | undefined {
  if (cert.notAfter && Date.parse(cert.notAfter) < now.getTime()) {
    const ago = Math.floor((now.getTime() - Date.parse(cert.notAfter)) / DAY);
    return { text: `EXPIRED ${plural(ago, 'day')} ago`, alarm: true };
  }
  if (cert.notBefore && Date.parse(cert.notBefore) > now.getTime()) {
    const until = Math.ceil((Date.parse(cert.notBefore) - now.getTime()) / DAY);
    return { text: `NOT YET VALID (starts in ${plural(until, 'day')})`, alarm: true };
  }
  if (!cert.notAfter) return undefined;
  const left = Math.floor((Date.parse(cert.notAfter) - now.getTime()) / DAY);
  return left <= SOON_DAYS
    ? { text: `expires in ${plural(left, 'day')}`, alarm: true }
    : { text: `${left} days left`, alarm: false };
}

/** The expiry cell of a table row (PSE table, landscape inventory): `2026-01-01 (EXPIRED 12 days ago)`, or `-`. */
export function expiryCell(
  cert: Pick<CertificateInfo, 'notBefore' | 'notAfter'> | undefined,
  now: Date,
): string {
  if (!cert?.notAfter) return '-';
  const mark = validityMark(cert, now);
  return `${cert.notAfter.slice(0, 10)}${mark ? ` (${mark.text})` : ''}`;
}

/** The validity line: `2001-01-01 00:00:00 UTC → 2002-01-01 00:00:00 UTC  [EXPIRED 9 days ago]`. */
export function describeValidity(cert: CertificateInfo, now: Date): string {
  if (!cert.notAfter && !cert.notBefore) return 'not shown';
  const mark = validityMark(cert, now);
  return `${validitySpan(cert)}${mark ? `  [${mark.text}]` : ''}`;
}

function validitySpan(cert: Pick<CertificateInfo, 'notBefore' | 'notAfter'>): string {
  return `${cert.notBefore ? formatTime(cert.notBefore) : '?'} → ${cert.notAfter ? formatTime(cert.notAfter) : '?'}`;
}

/** What Node's bundled Mozilla store says about a certificate. */
export function mozillaStatus(cert: CertificateInfo): string {
  try {
    if (cert.sha256 && findRoot({ sha256: cert.sha256 }))
      return 'yes: this exact certificate is a bundled root';
    if (cert.selfSigned) {
      const same = findRoot({ dn: cert.subject });
      if (!same) return 'no';
      if (cert.sha256) return 'no (a bundled root has the same name but is a different certificate)';
      if (cert.sha1) {
        return same.sha1 === cert.sha1
          ? 'yes: same SHA-1 fingerprint as a bundled root'
          : 'no (a bundled root has the same name but another fingerprint)';
      }
      // Listings often print no fingerprint: name and serial are the best match available.
      return same.serial === cert.serial
        ? 'yes: a bundled root has the same name and serial'
        : 'a bundled root has the same name, but another serial';
    }
    if (cert.issuer) {
      const query = cert.authorityKeyId
        ? { dn: cert.issuer, keyId: cert.authorityKeyId }
        : { dn: cert.issuer };
      const root = findRoot(query);
      if (root) return `no; its issuer is the bundled root "${root.subject}"`;
    }
  } catch {
    // An unparsable DN only means we cannot say.
  }
  return 'no';
}

export interface EntryOptions {
  /** `brief` (chains, PSE lists) or `full` (the `cert` command: extensions, SHA-1, Mozilla store). */
  detail?: 'brief' | 'full';
  /** The name a PKCS#12 file gives the certificate. */
  friendlyName?: string;
}

/** One certificate entry, judged at `now`. */
export function certificateEntry(
  cert: CertificateInfo,
  label: string,
  now: Date,
  options: EntryOptions = {},
): CertificateEntry {
  const full = options.detail === 'full';
  const fields: CertificateField[] = [];
  const add = (name: string, value: string | undefined, mark?: string, alarm?: boolean) => {
    if (value) fields.push({ name, value, ...(mark ? { mark } : {}), ...(alarm ? { alarm } : {}) });
  };
  add('Name in file', options.friendlyName);
  add('Issuer', cert.issuer);
  add('Serial', cert.serial);
  if (cert.notAfter || cert.notBefore) {
    const mark = validityMark(cert, now);
    add('Valid', validitySpan(cert), mark?.text, mark?.alarm);
  } else if (full) add('Valid', 'not shown');
  if (cert.key) {
    const weak = weaknessOf({ key: cert.key }).length > 0;
    const size = cert.key.curve ? cert.key.curve : cert.key.size ? String(cert.key.size) : '';
    add(
      'Key',
      `${cert.key.algorithm}${size ? ` ${size}` : ''}`,
      weak ? 'WEAK: below 2048-bit RSA / P-256' : '',
      weak,
    );
  }
  if (cert.signatureAlgorithm) {
    const weak = weaknessOf({
      signatureAlgorithm: cert.signatureAlgorithm,
      ...(cert.selfSigned !== undefined ? { selfSigned: cert.selfSigned } : {}),
    }).find((w) => w.kind === 'md5' || w.kind === 'sha1');
    add(
      'Signature',
      cert.signatureAlgorithm,
      weak ? `WEAK: ${weak.kind === 'md5' ? 'MD5' : 'SHA-1'}` : '',
      !!weak,
    );
  }
  if (full) {
    add('SAN', cert.subjectAltNames?.join(', '));
    add('SKI', cert.subjectKeyId);
    add('AKI', cert.authorityKeyId);
    add('AIA issuers', cert.aiaIssuers?.join(', '));
    if (cert.isCA !== undefined) add('CA', cert.isCA ? 'yes' : 'no (end entity)');
  }
  if (cert.selfSigned) add('Self-signed', 'yes');
  add('SHA-256', cert.sha256 ? colonFingerprint(cert.sha256) : undefined);
  if (full) {
    add('SHA-1', cert.sha1 ? colonFingerprint(cert.sha1) : undefined);
    if (cert.sha256 || cert.issuer) add('Mozilla store', mozillaStatus(cert));
  }
  return { label, subject: cert.subject, fields };
}

/** How a certificate's place in a chain or list is labelled. */
export const POSITION_LABEL: Record<
  'leaf' | 'intermediate' | 'root' | 'unknown' | 'trusted' | 'own',
  string
> = {
  leaf: 'leaf',
  intermediate: 'intermediate CA',
  root: 'root CA',
  unknown: 'certificate',
  trusted: 'trusted',
  own: 'own certificate',
};
