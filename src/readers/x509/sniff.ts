/**
 * @module Telling certificate containers apart from their first bytes (PEM, DER, PKCS#7, PKCS#12, STRUST
 * export) and the readers' sniffers: light on purpose (no parser, no X.509 library), so the reader
 * registry can ask every reader "is this yours?" and load only the one that answers.
 */

import { hasPemMarker } from './pem.js';

export type ContainerKind = 'pem' | 'der' | 'pkcs7' | 'pkcs12' | 'strust-export';

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/** Which container the bytes hold, by content (`undefined` = not a certificate container). */
export function detectContainer(bytes: Uint8Array): ContainerKind | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes[0] === 0x30) {
    if (looksLikePkcs12(bytes)) return 'pkcs12';
    if (looksLikePkcs7(bytes)) return 'pkcs7';
    return looksLikeDerCertificate(bytes) ? 'der' : undefined;
  }
  const text = decodeText(bytes.subarray(0, 64 * 1024));
  if (text.includes('-----BEGIN ')) return 'pem';
  const trimmed = text.trim();
  if (trimmed.length >= 64 && /^MI[A-Za-z0-9+/]/.test(trimmed) && BASE64_TEXT.test(trimmed))
    return 'strust-export';
  return undefined;
}

/**
 * True when the bytes begin like an X.509 certificate: SEQUENCE { SEQUENCE { [0] version | INTEGER serial …
 * (checks headers only).
 */
export function looksLikeDerCertificate(bytes: Uint8Array): boolean {
  try {
    const outer = headerAt(bytes, 0);
    if (outer?.tag !== 0x30) return false;
    const tbs = headerAt(bytes, outer.contentStart);
    if (tbs?.tag !== 0x30) return false;
    const first = bytes[tbs.contentStart];
    if (first === 0xa0) return true;
    // v1 certificates start with the serial INTEGER, followed by the signature AlgorithmIdentifier.
    const serial = headerAt(bytes, tbs.contentStart);
    return first === 0x02 && serial !== undefined && bytes[serial.contentEnd] === 0x30;
  } catch {
    return false;
  }
}

function headerAt(
  bytes: Uint8Array,
  off: number,
): { tag: number; contentStart: number; contentEnd: number } | undefined {
  if (off + 2 > bytes.length) return undefined;
  const tag = bytes[off]!;
  const l = bytes[off + 1]!;
  if (l < 0x80) return { tag, contentStart: off + 2, contentEnd: off + 2 + l };
  const n = l & 0x7f;
  if (n === 0 || n > 4 || off + 2 + n > bytes.length) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[off + 2 + i]!;
  return { tag, contentStart: off + 2 + n, contentEnd: off + 2 + n + len };
}

/**
 * Text of a file: UTF-16 with a BOM (Windows exports), UTF-8 with a BOM, else `fallback` (latin1 never
 * fails on binary bytes; use utf8 when typographic quotes matter).
 */
export function decodeText(bytes: Uint8Array, fallback: 'latin1' | 'utf8' = 'latin1'): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    return Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)))
      .swap16()
      .toString('utf16le');
  }
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  return buf.toString(fallback);
}

/** True when `bytes` start like a ContentInfo of SignedData (cheap, for sniffing). */
export function looksLikePkcs7(bytes: Uint8Array): boolean {
  // SEQUENCE { OID 1.2.840.113549.1.7.2 … }: the OID bytes sit within the first 8 bytes.
  const oid = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
  const head = Buffer.from(bytes.subarray(0, 16));
  return bytes[0] === 0x30 && head.indexOf(oid) > 0 && head.indexOf(oid) <= 6;
}

/** True when `bytes` start like a PFX: SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data | signedData …. */
export function looksLikePkcs12(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x30) return false;
  const head = Buffer.from(bytes.subarray(0, 32));
  // INTEGER 3 directly after the outer SEQUENCE header (2–6 bytes, or indefinite length).
  for (let off = 2; off <= 6; off++) {
    if (head[off] === 0x02 && head[off + 1] === 0x01 && head[off + 2] === 0x03 && head[off + 3] === 0x30) {
      const oid = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07]);
      return head.indexOf(oid, off + 4) > 0;
    }
  }
  return false;
}

/** Text signs of an ICM / work-process trace: PEM dumps inside those belong to the trace reader. */
const TRACE_SIGNS = /\[Thr \d|trc file:|SSSL(?:ERR|RC)_|SapSSL|IcmConn|Secu(?:de)?-?SSL|dev_icm|\*\*\* ERROR/;

function textHead(head: Buffer): string {
  return decodeText(head.subarray(0, 64 * 1024));
}

/** Whether the head is UTF-16 (a BOM): its text is not its bytes, so byte-level pre-checks do not apply. */
function isUtf16(head: Uint8Array): boolean {
  return (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
}

/**
 * Whether the decoded sniffing head can hold a PEM marker, answered on the bytes (every trace and
 * paste is sniffed by these readers; most hold no marker, and decoding 64 KiB three times cost more
 * than the rest of a small upload's sniffing). Exact: outside UTF-16, `-----BEGIN ` is ASCII, which
 * latin1 and UTF-8 decode byte for byte.
 */
function mayHoldPemMarker(head: Buffer): boolean {
  return isUtf16(head) || head.subarray(0, 64 * 1024).indexOf('-----BEGIN ', 0, 'latin1') >= 0;
}

/**
 * Whether the head can be a STRUST Base64 export: its first character after blanks (and a UTF-8 BOM)
 * must be `M` (`MI…`), a byte test. Non-ASCII blanks, which `trim()` also removes, send it the full way.
 */
function mayBeBase64Export(head: Uint8Array): boolean {
  if (isUtf16(head)) return true;
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || (head[i]! >= 0x09 && head[i]! <= 0x0d))) i++;
  return i >= head.length || head[i] === 0x4d || head[i]! >= 0x80;
}

/**
 * Output of a client tool around its PEM blocks (openssl s_client, a Java debug dump): the verify
 * result and the chain names are the evidence, and pasted PEM bodies are often cut, so the text reader
 * reads it.
 */
const TOOL_OUTPUT_SIGNS =
  /CONNECTED\(0|verify error:num=|Verify return code: |SSL handshake has read|^depth=\d|javax\.net\.ssl\||Certificate chain\s*\n\s{0,3}0 s:/m;

/**
 * Signs of an error report that has a certificate pasted beside it (a traceback, an exception, a
 * verify failure): the message is the evidence, so the text reader must win. All literal (base64 never
 * holds `:`, `(` or a space, so PEM bodies cannot match).
 */
const ERROR_REPORT_SIGNS =
  /Traceback \(most recent call last\)|Exception[:(]|error[:(]|certificate verify failed|handshake failed|curl: \(\d|certificate problem|verify error|fatal alert|x509: |tls: |_ssl\.c|\bcode: '|\bERR_[A-Z_]{4}|NET::ERR|SEC_E_|SEC_ERROR_|SSL_ERROR_|EPROTO|PKIX path/i;

function looksLikeTrace(text: string): boolean {
  return TRACE_SIGNS.test(text);
}

function nameScore(name: string, exts: RegExp): number {
  return exts.test(name) ? 0.3 : 0;
}

/** The highest score sniffPem gives (see Reader.maxScore). */
export const PEM_MAX_SCORE = 0.9;

/** PEM text: one or many `-----BEGIN CERTIFICATE-----` blocks, possibly with text around them. */
export function sniffPem(head: Buffer, _name: string): number {
  if (head[0] === 0x30 || !mayHoldPemMarker(head)) return 0;
  const text = textHead(head);
  if (!hasPemMarker(text)) return 0;
  // The text reader reads client tool output (its PEM bodies are often cut in pastes) and error reports
  // with a certificate, a key or a request pasted beside them (`head -1 client.key` under a traceback):
  // the message is the evidence.
  if (TOOL_OUTPUT_SIGNS.test(text) || ERROR_REPORT_SIGNS.test(text)) return 0;
  if (!/-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----/.test(text)) {
    return /-----BEGIN [A-Z ]*PRIVATE KEY-----|-----BEGIN [A-Z ]*REQUEST-----/.test(text) ? 0.4 : 0;
  }
  // Traces at level 3 dump certificates as PEM; the trace reader must win those.
  return looksLikeTrace(text) ? 0.2 : PEM_MAX_SCORE;
}

/** DER: a single binary X.509 certificate (also STRUST's binary export). */
export function sniffDer(head: Buffer, name: string): number {
  if (head[0] !== 0x30) return 0;
  if (looksLikePkcs12(head) || looksLikePkcs7(head)) return 0;
  return looksLikeDerCertificate(head) ? 0.9 : nameScore(name, /\.(der|cer|crt)$/i);
}

/** PKCS#7 SignedData with certificates (`.p7b`, `.p7c`), DER or PEM. */
export function sniffPkcs7(head: Buffer, _name: string): number {
  if (head[0] === 0x30) return looksLikePkcs7(head) ? 0.95 : 0;
  if (!mayHoldPemMarker(head)) return 0;
  const text = textHead(head);
  if (!/-----BEGIN (?:PKCS7|PKCS #7 SIGNED DATA|CMS)-----/.test(text)) return 0;
  return looksLikeTrace(text) ? 0.2 : 0.95;
}

/** PKCS#12 (`.p12`, `.pfx`): certificate bags only; keys are skipped. */
export function sniffPkcs12(head: Buffer, name: string): number {
  if (head[0] !== 0x30) return 0;
  if (looksLikePkcs12(head)) return 0.95;
  return nameScore(name, /\.(p12|pfx)$/i);
}

/** STRUST "export certificate" in Base64 without PEM armour (binary exports are read as DER). */
export function sniffStrustExport(head: Buffer, _name: string): number {
  if (head[0] === 0x30 || !mayBeBase64Export(head)) return 0;
  return detectContainer(head) === 'strust-export' ? 0.85 : 0;
}
