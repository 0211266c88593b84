/** @module Certificates the server sent (DER or PEM) → the shared certificate model, never throwing. */
import { createHash } from 'node:crypto';
import type { CertificateInfo } from '../model/certificate.js';
import { describeDer as describeCertificateDer } from './certificate-info.js';

/** Describe one DER certificate; a certificate the parser rejects is still listed by its fingerprint. */
export function describeDer(der: Buffer): CertificateInfo {
  try {
    return describeCertificateDer(der);
  } catch (err) {
    return {
      subject: `(certificate the parser rejects: ${err instanceof Error ? err.message.slice(0, 80) : 'unknown'})`,
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
