/**
 * @module Any certificate container → certificates: PEM (one or many blocks, text around them), DER,
 * PKCS#7 (PEM or DER), PKCS#12 and STRUST exports (Base64 with or without armour, or binary DER).
 * Content decides the format; the file name is only a hint. Hostile bytes give a ToolError fast.
 */
import type { CertificateInfo } from '../../model/certificate.js';
import { ToolError } from '../../model/errors.js';
import { describeDer, plainParseReason } from '../../pki/certificate-info.js';

export { plainParseReason } from '../../pki/certificate-info.js';

import { childrenOf, DerError, isUniversal, TAG, walkDer } from './der.js';
import { CERTIFICATE_LABELS, PKCS7_LABELS, scanPem } from './pem.js';
import { readPkcs7Certificates } from './pkcs7.js';
import { readPkcs12 } from './pkcs12.js';
import { type ContainerKind, decodeText, detectContainer, looksLikePkcs7 } from './sniff.js';

export {
  type ContainerKind,
  decodeText,
  detectContainer,
  looksLikeDerCertificate,
} from './sniff.js';

/** Largest certificate container read (the Mozilla bundle is ~0.2 MB; a big JKS-export PEM a few MB). */
export const MAX_CONTAINER_BYTES = 16 * 1024 * 1024;
/** Most certificates taken from one container. */
export const MAX_CERTIFICATES = 5000;

/** What `readCertificates` found. Certificates are in file order (see `orderLeafFirst` for chain order). */
export interface CertificateContainer {
  container: ContainerKind;
  certificates: CertificateInfo[];
  warnings: string[];
  /** For text containers: the 1-based line of each certificate's BEGIN marker, parallel to `certificates`. */
  lines?: number[];
  /** For text containers: number of lines and of non-blank lines outside any PEM block. */
  textLines?: number;
  outsideLines?: number[];
  /** PKCS#12 facts: how it was protected (never the password). */
  protection?: { encryption: string[]; mac?: string };
  /** PKCS#12 friendly names, parallel to `certificates` (empty string when none). */
  friendlyNames?: string[];
}

export interface ReadCertificatesOptions {
  /** PKCS#12 password. Never logged or stored. */
  password?: string;
}

/**
 * Parse one DER certificate: vet the structure (lengths, depth) first, then hand it to the X.509 parser.
 * `where` labels errors (`block at line 12`). Trailing bytes after the certificate (OpenSSL's TRUSTED
 * CERTIFICATE aux data) are ignored.
 */
export function parseDerCertificate(der: Uint8Array, name: string, where?: string): CertificateInfo {
  const at = where ? ` (${where})` : '';
  let top: ReturnType<typeof walkDer>;
  try {
    top = walkDer(der, 0, der.length, { maxDepth: 32, maxElements: 100_000 });
  } catch (err) {
    const reason = err instanceof DerError ? err.message : String(err);
    throw new ToolError('bad-certificate', { name, reason: `${reason}${at}` }, { cause: err });
  }
  const kids = isUniversal(top, TAG.SEQUENCE) ? childrenOf(der, top) : [];
  if (!isUniversal(kids[0], TAG.SEQUENCE)) {
    const hint = isUniversal(kids[0], TAG.INTEGER)
      ? 'it looks like a private key or a PSE, not a certificate'
      : 'it is not an X.509 certificate';
    throw new ToolError('bad-certificate', { name, reason: `${hint}${at}` });
  }
  const tbsKids = childrenOf(der, kids[0]);
  if (isUniversal(tbsKids[0], TAG.INTEGER) && isUniversal(tbsKids[1], TAG.SEQUENCE) && tbsKids.length <= 4) {
    throw new ToolError('bad-certificate', {
      name,
      reason: `it is a certificate request (CSR), not a certificate${at}`,
    });
  }
  try {
    return describeDer(der.subarray(0, top.end));
  } catch (err) {
    const reason = plainParseReason(err instanceof Error ? err.message : String(err));
    throw new ToolError('bad-certificate', { name, reason: `${reason}${at}` }, { cause: err });
  }
}

/**
 * Read every certificate of a container. Throws ToolError for input problems (`unknown-format`,
 * `bad-certificate`, `password-required`, `wrong-password`, `too-large`, `empty-input`); a bad block among
 * good ones becomes a warning. Certificates come in file order; duplicates (same SHA-256) are dropped with
 * a warning.
 */
export async function readCertificates(
  bytes: Buffer,
  name: string,
  opts: ReadCertificatesOptions = {},
): Promise<CertificateContainer> {
  return readCertificatesSync(bytes, name, opts);
}

/** Synchronous core of `readCertificates`. */
export function readCertificatesSync(
  bytes: Uint8Array,
  name: string,
  opts: ReadCertificatesOptions = {},
): CertificateContainer {
  if (bytes.length === 0) throw new ToolError('empty-input', { name });
  if (bytes.length > MAX_CONTAINER_BYTES) {
    throw new ToolError('too-large', { name, limit: `${MAX_CONTAINER_BYTES / 1024 / 1024} MiB` });
  }
  const kind = detectContainer(bytes);
  let result: CertificateContainer;
  switch (kind) {
    case 'pkcs12': {
      const p12 = readPkcs12(bytes, opts.password, name);
      const certs = p12.certificates.map((c, i) =>
        parseDerCertificate(c.der, name, `certificate bag ${i + 1}`),
      );
      result = {
        container: 'pkcs12',
        certificates: certs,
        warnings: p12.warnings,
        protection: { encryption: p12.encryption, ...(p12.mac ? { mac: p12.mac } : {}) },
        friendlyNames: p12.certificates.map((c) => c.friendlyName ?? ''),
      };
      break;
    }
    case 'pkcs7':
      result = { container: 'pkcs7', ...readPkcs7(bytes, name) };
      break;
    case 'der':
      result = { container: 'der', certificates: [parseDerCertificate(bytes, name)], warnings: [] };
      break;
    case 'pem':
      result = readPemText(decodeText(bytes), name);
      break;
    case 'strust-export':
      result = readBase64Export(decodeText(bytes), name);
      break;
    default:
      throw new ToolError('unknown-format', {
        name,
        hint: 'Expected a certificate as PEM, DER, PKCS#7 (.p7b/.p7c), PKCS#12 (.p12/.pfx) or a STRUST export.',
      });
  }
  return dedupe(result);
}

function readPkcs7(
  bytes: Uint8Array,
  name: string,
  where?: string,
): { certificates: CertificateInfo[]; warnings: string[] } {
  let parsed: ReturnType<typeof readPkcs7Certificates>;
  try {
    parsed = readPkcs7Certificates(bytes);
  } catch (err) {
    const reason = err instanceof DerError ? `PKCS#7: ${err.message}` : String(err);
    throw new ToolError(
      'bad-certificate',
      { name, reason: where ? `${reason} (${where})` : reason },
      { cause: err },
    );
  }
  const warnings: string[] = [];
  if (parsed.skipped > 0)
    warnings.push(`${parsed.skipped} non-X.509 certificate entries in the PKCS#7 were skipped.`);
  if (parsed.certificates.length === 0) {
    throw new ToolError('bad-certificate', { name, reason: 'the PKCS#7 holds no certificates' });
  }
  const certificates = parsed.certificates
    .slice(0, MAX_CERTIFICATES)
    .map((der, i) => parseDerCertificate(der, name, `${where ? `${where}, ` : ''}PKCS#7 entry ${i + 1}`));
  return { certificates, warnings };
}

const KEY_LABEL = /PRIVATE KEY$/;

function readPemText(text: string, name: string): CertificateContainer {
  const scan = scanPem(text);
  const certificates: CertificateInfo[] = [];
  const lines: number[] = [];
  const warnings: string[] = [];
  const failures: string[] = [];
  let onlyPkcs7 = scan.blocks.length > 0;
  for (const block of scan.blocks) {
    const where = `block at line ${block.line}`;
    if (certificates.length >= MAX_CERTIFICATES) {
      warnings.push(`Only the first ${MAX_CERTIFICATES} certificates were read.`);
      break;
    }
    try {
      if (CERTIFICATE_LABELS.has(block.label)) {
        onlyPkcs7 = false;
        certificates.push(parseDerCertificate(block.der, name, where));
        lines.push(block.line);
      } else if (PKCS7_LABELS.has(block.label)) {
        const p7 = readPkcs7(block.der, name, where);
        certificates.push(...p7.certificates);
        lines.push(...p7.certificates.map(() => block.line));
        warnings.push(...p7.warnings);
      } else {
        onlyPkcs7 = false;
        if (KEY_LABEL.test(block.label)) {
          warnings.push(`A private key at line ${block.line} was skipped: pse-doctor never reads keys.`);
        } else if (/REQUEST/.test(block.label)) {
          warnings.push(
            `A certificate request (CSR) at line ${block.line} is not a certificate and was skipped.`,
          );
        } else {
          warnings.push(
            `A "${block.label}" block at line ${block.line} is not a certificate and was skipped.`,
          );
        }
      }
    } catch (err) {
      if (!(err instanceof ToolError)) throw err;
      failures.push(String(err.data.reason ?? err.message));
    }
  }
  for (const p of scan.problems) failures.push(`${p.label} block at line ${p.line}: ${p.reason}`);
  if (certificates.length === 0) {
    const reasons = [...failures, ...warnings.map((w) => w.replace(/\.$/, ''))];
    const reason = reasons.length > 0 ? reasons.join('; ') : 'no certificate block in the text';
    throw new ToolError('bad-certificate', { name, reason: truncateReason(reason) });
  }
  for (const f of failures) warnings.push(`Skipped: ${f}.`);
  const { total, outside } = countOutsideLines(text, scan.blocks);
  return {
    container: onlyPkcs7 ? 'pkcs7' : 'pem',
    certificates,
    warnings,
    lines,
    textLines: total,
    outsideLines: outside,
  };
}

function countOutsideLines(
  text: string,
  blocks: { line: number; endLine: number }[],
): { total: number; outside: number[] } {
  const outside: number[] = [];
  let lineNo = 0;
  let b = 0;
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    lineNo++;
    while (b < blocks.length && blocks[b]!.endLine < lineNo) b++;
    const inBlock = b < blocks.length && blocks[b]!.line <= lineNo;
    if (!inBlock && nl > pos && text.slice(pos, nl).trim() !== '' && outside.length < 100_000)
      outside.push(lineNo);
    pos = nl + 1;
  }
  return { total: lineNo, outside };
}

function readBase64Export(text: string, name: string): CertificateContainer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw new ToolError('bad-certificate', { name, reason: 'the Base64 text is not valid' });
  }
  const der = Buffer.from(compact, 'base64');
  if (looksLikePkcs7(der)) return { container: 'strust-export', ...readPkcs7(der, name) };
  return { container: 'strust-export', certificates: [parseDerCertificate(der, name)], warnings: [] };
}

function truncateReason(reason: string): string {
  return reason.length > 600 ? `${reason.slice(0, 600)}…` : reason;
}

function dedupe(result: CertificateContainer): CertificateContainer {
  const seen = new Set<string>();
  const keep: number[] = [];
  result.certificates.forEach((c, i) => {
    const key = c.sha256 ?? `${i}`;
    if (seen.has(key)) return;
    seen.add(key);
    keep.push(i);
  });
  if (keep.length === result.certificates.length) return result;
  const dropped = result.certificates.length - keep.length;
  const out: CertificateContainer = {
    ...result,
    certificates: keep.map((i) => result.certificates[i]!),
    warnings: [
      ...result.warnings,
      `${dropped} duplicate certificate${dropped === 1 ? '' : 's'} (same SHA-256) ignored.`,
    ],
  };
  if (result.lines) out.lines = keep.map((i) => result.lines![i]!);
  if (result.friendlyNames) out.friendlyNames = keep.map((i) => result.friendlyNames![i]!);
  return out;
}
