/** @module Certificates the server sent (DER or PEM) → the shared certificate model, never throwing. */
import { createHash } from 'node:crypto';
import type { CertificateInfo } from '../model/certificate.js';
import { describeDer as describeCertificateDer, plainParseReason } from './certificate-info.js';

/** Describe one DER certificate; a certificate the parser rejects is still listed by its fingerprint. */
export function describeDer(der: Buffer): CertificateInfo {
  try {
    return describeCertificateDer(der);
  } catch (err) {
    return {
      subject: `(a certificate pse-doctor cannot read: ${plainParseReason(err instanceof Error ? err.message : 'unknown').slice(0, 120)})`,
      sha256: createHash('sha256').update(der).digest('hex'),
    };
  }
}

/** DER bytes of one PEM certificate block. */
export function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** Describe one PEM certificate (as kept in probe results). */
export function describePem(pem: string): CertificateInfo {
  return describeDer(pemToDer(pem));
}
