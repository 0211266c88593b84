/**
 * @module The PEM certificate blocks a text paste holds (collected by `pem-lines.ts`), parsed into one
 * `certificates` event per input. This module loads the X.509 reader, so the text reader imports it
 * only when a block was found (`await import`): a paste without PEM never pays for it. A block that does
 * not parse (garbage base64, a key, a CSR, a truncated body) becomes a note with its line, never an error.
 */
import type { CertificateInfo } from '../../model/certificate.js';
import { ToolError } from '../../model/errors.js';
import type { CertificateFileEvent } from '../../model/evidence.js';
import { orderLeafFirst } from '../x509/chain-order.js';
import { readCertificatesSync } from '../x509/read-certificates.js';
import type { PastedPem } from './pem-lines.js';

/** What the pasted blocks gave: the event (when any certificate parsed) and notes about the others. */
export interface PastedCertificates {
  event?: CertificateFileEvent;
  notes: string[];
}

/** Parse the pasted blocks of input `input` (named `name` in notes). */
export function readPastedCertificates(
  blocks: readonly PastedPem[],
  name: string,
  input: number,
): PastedCertificates {
  const certs: CertificateInfo[] = [];
  const lines: number[] = [];
  const notes: string[] = [];
  for (const b of blocks) {
    try {
      const read = readCertificatesSync(Buffer.from(b.text), name);
      const cert = read.certificates[0];
      if (!cert) continue;
      // The same certificate pasted twice (s_client prints the server certificate again) counts once.
      if (cert.sha256 && certs.some((c) => c.sha256 === cert.sha256)) continue;
      certs.push(cert);
      lines.push(b.line);
    } catch (err) {
      const reason = err instanceof ToolError ? String(err.data.reason ?? err.message) : String(err);
      notes.push(`The PEM certificate block at line ${b.line} could not be read: ${reason.slice(0, 200)}.`);
    }
  }
  if (certs.length === 0) return { notes };
  const first = Math.min(...lines);
  const last = blocks.reduce((m, b) => Math.max(m, b.endLine), first);
  const event: CertificateFileEvent = {
    kind: 'certificates',
    source: { input, line: first, ...(last !== first ? { endLine: last } : {}), keyLines: lines },
    certificates: orderLeafFirst(certs),
    container: 'pem',
    pasted: true,
  };
  return { event, notes };
}
