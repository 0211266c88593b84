/**
 * @module `pse --export-trusted <dir>`: every distinct trusted certificate as a PEM file named after its
 * CN. Never overwrites: an existing file with the same content is left alone, a different one gets a
 * numbered name.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateInfo } from '../../model/certificate.js';
import { ToolError } from '../../model/errors.js';
import { certificateFileName } from '../../rules/pse-trust-lists.js';

/** A certificate to export and the PSEs that trust it. */
export interface ExportItem {
  cert: CertificateInfo;
  pses: string[];
}

export interface ExportResult {
  file: string;
  status: 'written' | 'unchanged';
  subject: string;
  pses: string[];
}

/** Different certificates with the same CN get `-2`, `-3`, … up to this. */
const MAX_SUFFIX = 999;

function numbered(name: string, n: number): string {
  return n === 1 ? name : name.replace(/\.crt$/, `-${n}.crt`);
}

/** Write the certificates into `dir` (created when missing). Certificates without PEM are skipped. */
export function exportTrusted(dir: string, shownDir: string, items: readonly ExportItem[]): ExportResult[] {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new ToolError('not-readable', {
      path: shownDir,
      reason: (err as NodeJS.ErrnoException).code ?? 'cannot create',
    });
  }
  const results: ExportResult[] = [];
  const usedThisRun = new Set<string>();
  for (const { cert, pses } of items) {
    if (!cert.pem) continue;
    const base = certificateFileName(cert);
    for (let n = 1; n <= MAX_SUFFIX; n++) {
      const name = numbered(base, n);
      if (usedThisRun.has(name)) continue;
      const path = join(dir, name);
      try {
        writeFileSync(path, cert.pem, { flag: 'wx' });
        usedThisRun.add(name);
        results.push({ file: join(shownDir, name), status: 'written', subject: cert.subject, pses });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new ToolError('not-readable', {
            path: join(shownDir, name),
            reason: (err as NodeJS.ErrnoException).code ?? 'write failed',
          });
        }
        let existing = '';
        try {
          existing = readFileSync(path, 'utf8');
        } catch {
          // Unreadable existing file: treat as different and try the next name.
        }
        if (existing.replace(/\r\n/g, '\n').trim() === cert.pem.trim()) {
          usedThisRun.add(name);
          results.push({ file: join(shownDir, name), status: 'unchanged', subject: cert.subject, pses });
          break;
        }
      }
    }
  }
  return results;
}
