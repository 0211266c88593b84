/**
 * @module Finds PEM blocks in any text: one or many, with prose, CRLF, indentation or a trace prefix around
 * them. Linear in the input: lines are scanned once and only lines holding `-----BEGIN` are matched.
 */

/** One `-----BEGIN x-----` … `-----END x-----` block. */
export interface PemBlock {
  /** Upper-case label: `CERTIFICATE`, `PKCS7`, `PRIVATE KEY`, … */
  label: string;
  /** Decoded bytes. */
  der: Buffer;
  /** 1-based lines of the BEGIN and END markers. */
  line: number;
  endLine: number;
}

/** A PEM block that could not be decoded (invalid base64, missing END). */
export interface PemProblem {
  label: string;
  line: number;
  reason: string;
}

export interface PemScan {
  blocks: PemBlock[];
  problems: PemProblem[];
}

/** Labels whose content is a certificate (OpenSSL's TRUSTED CERTIFICATE carries trust settings after it). */
export const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
export const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS']);

const BEGIN = /-----BEGIN ([A-Z0-9 #]{1,64})-----/;
const END = /-----END ([A-Z0-9 #]{1,64})-----/;
const BASE64_LINE = /^[A-Za-z0-9+/=]*$/;
/** Encapsulated header lines of old encrypted PEM keys (`Proc-Type: 4,ENCRYPTED`). */
const HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]{0,40}:/;
/** Longest PEM body we decode: far above any real certificate bundle block. */
const MAX_BLOCK_CHARS = 8 * 1024 * 1024;

/** True when the text holds a PEM BEGIN marker (cheap check for sniffing). */
export function hasPemMarker(text: string): boolean {
  return text.includes('-----BEGIN ');
}

/**
 * Scan `text` for PEM blocks. Blocks with invalid base64 or without END are reported as problems (with
 * their line), never silently dropped; text outside blocks is ignored.
 */
export function scanPem(text: string): PemScan {
  const blocks: PemBlock[] = [];
  const problems: PemProblem[] = [];
  let lineNo = 0;
  let pos = 0;
  let open: OpenBlock | undefined;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const raw = text.slice(pos, nl);
    pos = nl + 1;
    lineNo++;
    let rest = raw;
    if (open && rest.includes('-----BEGIN ') && !rest.includes('-----END ')) {
      problems.push({
        label: open.label,
        line: open.line,
        reason: `no END line before the next BEGIN at line ${lineNo}`,
      });
      open = undefined;
    }
    if (!open) {
      if (!rest.includes('-----BEGIN ')) continue;
      const m = BEGIN.exec(rest);
      if (!m) continue;
      // Text before the marker (a trace prefix such as `[Thr 140] `) may repeat on every body line.
      open = { label: m[1]!.trim(), line: lineNo, prefix: rest.slice(0, m.index).trim(), parts: [], size: 0 };
      rest = rest.slice(m.index + m[0].length);
    }
    const end = rest.includes('-----END ') ? END.exec(rest) : null;
    if (!end) {
      addBody(open, rest);
      continue;
    }
    addBody(open, rest.slice(0, end.index));
    finish(open, lineNo, end[1]!.trim(), blocks, problems);
    open = undefined;
  }
  if (open)
    problems.push({
      label: open.label,
      line: open.line,
      reason: 'the END line is missing (file truncated?)',
    });
  return { blocks, problems };
}

interface OpenBlock {
  label: string;
  line: number;
  prefix: string;
  parts: string[];
  size: number;
  bad?: string;
}

function addBody(open: OpenBlock, raw: string): void {
  if (open.bad) return;
  let body = raw.trim();
  if (open.prefix && body.startsWith(open.prefix)) body = body.slice(open.prefix.length).trim();
  if (!body) return;
  if (HEADER_LINE.test(body) && open.parts.length === 0) return;
  const compact = body.replace(/\s+/g, '');
  if (!BASE64_LINE.test(compact)) {
    const badChar = /[^A-Za-z0-9+/=]/.exec(compact)?.[0] ?? '?';
    const shown =
      badChar.charCodeAt(0) < 32 || badChar.charCodeAt(0) > 126
        ? `byte 0x${badChar.charCodeAt(0).toString(16)}`
        : `"${badChar}"`;
    open.bad = `invalid base64 (${shown}) in the body`;
    return;
  }
  open.size += compact.length;
  if (open.size > MAX_BLOCK_CHARS) {
    open.bad = `block larger than ${MAX_BLOCK_CHARS} characters`;
    return;
  }
  open.parts.push(compact);
}

function finish(
  open: OpenBlock,
  endLine: number,
  endLabel: string,
  blocks: PemBlock[],
  problems: PemProblem[],
): void {
  if (open.bad) {
    problems.push({ label: open.label, line: open.line, reason: open.bad });
    return;
  }
  if (endLabel !== open.label) {
    problems.push({ label: open.label, line: open.line, reason: `ends with "-----END ${endLabel}-----"` });
    return;
  }
  const body = open.parts.join('');
  // Padding may only end the body; "=" inside means two blocks were glued or the text was altered.
  const firstPad = body.indexOf('=');
  if (firstPad >= 0 && !/^=*$/.test(body.slice(firstPad))) {
    problems.push({
      label: open.label,
      line: open.line,
      reason: 'invalid base64 ("=" before the end of the body)',
    });
    return;
  }
  if (body.replace(/=+$/, '').length % 4 === 1) {
    problems.push({ label: open.label, line: open.line, reason: 'invalid base64 (length is not possible)' });
    return;
  }
  if (body.length === 0) {
    problems.push({ label: open.label, line: open.line, reason: 'the block is empty' });
    return;
  }
  blocks.push({ label: open.label, der: Buffer.from(body, 'base64'), line: open.line, endLine });
}

/** PEM text of DER bytes, 64 characters a line. */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
