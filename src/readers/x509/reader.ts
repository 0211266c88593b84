/**
 * @module The certificate-container readers (PEM, DER, PKCS#7, PKCS#12, STRUST export) as pipeline Readers:
 * sniff by content, read into a CertificateFileEvent, or a TrustListEvent when the file is a trust list.
 */
import type { CertificateInfo, TrustList } from '../../model/certificate.js';
import { ToolError } from '../../model/errors.js';
import type { CertificateFileEvent, EvidenceEvent, TrustListEvent } from '../../model/evidence.js';
import { describePse } from '../../pki/pse-nodes.js';
import { collectBytes, formatBytes } from '../source.js';
import type { InputSource, ReadContext, Reader, ReaderOutput } from '../types.js';
import { orderLeafFirst } from './chain-order.js';
import {
  type CertificateContainer,
  type ContainerKind,
  detectContainer,
  MAX_CONTAINER_BYTES,
  readCertificatesSync,
} from './read-certificates.js';
import { PEM_MAX_SCORE, sniffDer, sniffPem, sniffPkcs7, sniffPkcs12, sniffStrustExport } from './sniff.js';

/** Words in a file name that say "this is a trust list", not a chain to judge. */
const TRUST_NAME =
  /(?:^|[^a-z])(?:trust|cacerts|ca[-_ ]?bundle|ca[-_ ]?certs|root[-_ ]?certs|roots?(?:$|[^a-z])|cert[-_ ]?list)/i;

/** Strip a certificate-file extension: `SAPSSLA.pem` → `SAPSSLA`. */
function stemOf(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? name;
  return base.replace(/\.(pem|crt|cer|der|p7b|p7c|p12|pfx|txt|b64|cert)$/i, '');
}

/**
 * Decide whether certificates from a file form a trust list, and which PSE it stands for. A file named
 * after a PSE (`SAPSSLA.pem`, `sapsslc_list.txt`) or a store (`truststore.pem`, `ca-bundle.crt`) is one;
 * so is a bundle of only CA certificates with at least two self-signed roots.
 */
export function trustListFor(name: string, certs: readonly CertificateInfo[]): TrustList | undefined {
  const stem = stemOf(name);
  // `sapssla_list`, `SAPSSLC-export` → the PSE name at the front.
  const pseStem = /^(SAP[A-Z0-9_]*?)(?:[-_ .](?:list|export|certs?|trust\w*))?$/i.exec(stem)?.[1];
  const pse = pseStem ? describePse(`${pseStem.toUpperCase()}.pse`) : undefined;
  if (pse?.node) {
    const list: TrustList = { storeKind: 'sap-pse', file: name, certificates: [...certs] };
    if (pse.basename) list.basename = pse.basename;
    list.node = pse.node;
    if (pse.context) list.context = pse.context;
    if (pse.application) list.application = pse.application;
    return list;
  }
  const allCa = certs.length >= 2 && certs.every((c) => c.isCA);
  const roots = certs.filter((c) => c.selfSigned).length;
  if (TRUST_NAME.test(stem) || (allCa && roots >= 2)) {
    const storeKind = /cacerts|java|jks/i.test(stem) ? 'java' : 'file-list';
    return { storeKind, file: name, certificates: [...certs] };
  }
  return undefined;
}

/** Build the evidence events for one container read from input `input`. */
export function certificateEvents(
  name: string,
  result: CertificateContainer,
  input: number,
): { events: EvidenceEvent[]; lines: Record<string, string> } {
  const firstLine = result.lines?.[0] ?? 1;
  const lastLine = result.lines?.[result.lines.length - 1] ?? firstLine;
  const source = {
    input,
    line: firstLine,
    ...(lastLine !== firstLine ? { endLine: lastLine } : {}),
    ...(result.lines ? { keyLines: [...new Set(result.lines)].slice(0, 50) } : {}),
  };
  const list = trustListFor(name, result.certificates);
  if (list) {
    const event: TrustListEvent = { kind: 'trust-list', source, list };
    return { events: [event], lines: {} };
  }
  const event: CertificateFileEvent = {
    kind: 'certificates',
    source,
    certificates: orderLeafFirst(result.certificates),
    container: result.container,
  };
  return { events: [event], lines: {} };
}

async function readContainer(id: string, source: InputSource, ctx: ReadContext): Promise<ReaderOutput> {
  if (source.size !== undefined && source.size > MAX_CONTAINER_BYTES) {
    throw new ToolError('too-large', { name: source.name, limit: formatBytes(MAX_CONTAINER_BYTES) });
  }
  const bytes = await collectBytes(source, MAX_CONTAINER_BYTES);
  const kind = detectContainer(bytes);
  const password = kind === 'pkcs12' ? await ctx.secrets?.get('password', source.name) : undefined;
  const result = readCertificatesSync(bytes, source.name, password === undefined ? {} : { password });
  const { events, lines } = certificateEvents(source.name, result, ctx.input);
  const warnings = [...result.warnings];
  if (result.protection) {
    const parts = [...new Set(result.protection.encryption)];
    if (parts.length) warnings.push(`Certificates encrypted with ${parts.join(', ')}.`);
  }
  const outside = result.outsideLines ?? [];
  return {
    summary: {
      name: source.name,
      format: id,
      bytes: bytes.length,
      lines: result.textLines ?? 0,
      unrecognizedLines: outside.length,
      ...(outside.length ? { unrecognizedSample: outside.slice(0, 10) } : {}),
      warnings,
    },
    events,
    lines,
  };
}

/** PEM text: one or many `-----BEGIN CERTIFICATE-----` blocks, possibly with text around them. */
export const pemReader: Reader = {
  id: 'pem',
  sniff: sniffPem,
  maxScore: PEM_MAX_SCORE,
  read: (source, ctx) => readContainer('pem', source, ctx),
};

/** DER: a single binary X.509 certificate (also STRUST's binary export). */
export const derReader: Reader = {
  id: 'der',
  sniff: sniffDer,
  read: (source, ctx) => readContainer('der', source, ctx),
};

/** PKCS#7 SignedData with certificates (`.p7b`, `.p7c`), DER or PEM. */
export const pkcs7Reader: Reader = {
  id: 'pkcs7',
  sniff: sniffPkcs7,
  read: (source, ctx) => readContainer('pkcs7', source, ctx),
};

/** PKCS#12 (`.p12`, `.pfx`): certificate bags only; keys are skipped. */
export const pkcs12Reader: Reader = {
  id: 'pkcs12',
  sniff: sniffPkcs12,
  read: (source, ctx) => readContainer('pkcs12', source, ctx),
};

/** STRUST "export certificate" in Base64 without PEM armour (binary exports are read as DER). */
export const strustExportReader: Reader = {
  id: 'strust-export',
  sniff: sniffStrustExport,
  read: (source, ctx) => readContainer('strust-export', source, ctx),
};

/** All certificate-container readers, for the registry. */
export const X509_READERS: readonly Reader[] = [
  pemReader,
  derReader,
  pkcs7Reader,
  pkcs12Reader,
  strustExportReader,
];

/** Container kinds each reader id stands for (used by `cert` to print a format name). */
export const CONTAINER_NAMES: Record<ContainerKind, string> = {
  pem: 'PEM',
  der: 'DER',
  pkcs7: 'PKCS#7',
  pkcs12: 'PKCS#12',
  'strust-export': 'STRUST export (Base64)',
};
