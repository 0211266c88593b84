/**
 * @module Fetch a missing CA from its AIA caIssuers URL, only when the user asked (`--fetch-issuers`).
 *
 * The answer is used to NAME the missing certificate (and to offer it for import), never to trust
 * anything: SAP's ICM does not fetch, so a chain that needs fetching is broken for SAP. Only http and
 * https, a size limit, a time limit, few redirects. The body may be DER, PEM or PKCS#7 (DER or PEM).
 */
import type { CertificateInfo } from '../model/certificate.js';
import { isToolError, ToolError } from '../model/errors.js';
import { describeCertificate, parseCertificate } from './certificate-info.js';
import { isSelfSigned, matchIssuer } from './chain.js';
import { type X509Certificate, x509 } from './x509.js';

/** Largest answer accepted (a CA certificate is 1–2 KiB; a PKCS#7 bundle a few). */
export const AIA_MAX_BYTES = 64 * 1024;
/** Time limit for one fetch, redirects included. */
export const AIA_TIMEOUT_MS = 5000;
const MAX_REDIRECTS = 3;
/** How many issuers are chased upward from one certificate. */
export const AIA_MAX_HOPS = 3;

/** What one caIssuers URL gave. */
export interface FetchedIssuer {
  url: string;
  certificates: CertificateInfo[];
  /** Why nothing (usable) came back. */
  error?: string;
}

/** The HTTP client used: global `fetch` by default; tests and callers may pass their own. */
export type FetchLike = (url: string, init: { signal: AbortSignal; redirect: 'manual' }) => Promise<Response>;

export interface FetchIssuerOptions {
  timeoutMs?: number;
  maxBytes?: number;
  fetch?: FetchLike;
}

/** Most certificates taken from one answer (a caIssuers bundle holds the issuer and perhaps its CAs). */
const MAX_ANSWER_CERTIFICATES = 16;
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS']);
/** A PEM block; the body class has no `-`, so each BEGIN is matched in one bounded forward scan. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 #]{1,64})-----([A-Za-z0-9+/=\s]{0,100000})-----END \1-----/g;
/** `SEQUENCE { OID 1.2.840.113549.1.7.2 (signedData) …`: the OID sits within the first bytes. */
const SIGNED_DATA_OID = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);

/**
 * Parse an AIA answer: a DER certificate (RFC 5280 asks for this), a DER "certs-only" PKCS#7, or the
 * same as PEM, which some CAs serve. Throws ToolError on junk. Kept inside pki (not the container
 * readers) so that pki does not depend on the readers built on it.
 */
export function parseIssuerResponse(bytes: Uint8Array, url: string): CertificateInfo[] {
  if (bytes.length === 0) throw new ToolError('empty-input', { name: url });
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let certs: X509Certificate[] = [];
  try {
    if (buf[0] === 0x30) certs = readDer(buf);
    else {
      for (const m of buf.toString('latin1').matchAll(PEM_BLOCK)) {
        const der = Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64');
        if (CERTIFICATE_LABELS.has(m[1]!)) certs.push(parseCertificate(firstElement(der)));
        else if (PKCS7_LABELS.has(m[1]!)) certs.push(...readDer(der));
        if (certs.length >= MAX_ANSWER_CERTIFICATES) break;
      }
    }
  } catch (err) {
    if (isToolError(err)) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new ToolError('bad-certificate', { name: url, reason }, { cause: err });
  }
  if (certs.length === 0)
    throw new ToolError('unknown-format', {
      name: url,
      hint: 'The answer is not a certificate (DER, PEM or PKCS#7).',
    });
  return certs.slice(0, MAX_ANSWER_CERTIFICATES).map((c) => describeCertificate(c));
}

/** A DER certificate or PKCS#7 SignedData → its certificates. */
function readDer(der: Buffer): X509Certificate[] {
  const oidAt = der.subarray(0, 16).indexOf(SIGNED_DATA_OID);
  if (oidAt > 0 && oidAt <= 6) return [...new (x509().X509Certificates)(new Uint8Array(der))];
  return [parseCertificate(firstElement(der))];
}

/** The first DER element (OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate). */
function firstElement(der: Buffer): Buffer {
  if (der.length < 2 || der[0] !== 0x30) return der;
  const l = der[1]!;
  if (l < 0x80) return der.subarray(0, 2 + l);
  const n = l & 0x7f;
  if (n === 0 || n > 4 || der.length < 2 + n) return der;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
  return der.subarray(0, Math.min(der.length, 2 + n + len));
}

async function readLimited(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes)
    throw new Error(`answer larger than ${maxBytes} bytes`);
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`answer larger than ${maxBytes} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${url.protocol} URLs are not fetched`);
  return url;
}

/**
 * Fetch one caIssuers URL. Never throws: network, size, time and format problems come back in `error`.
 */
export async function fetchIssuer(rawUrl: string, opts: FetchIssuerOptions = {}): Promise<FetchedIssuer> {
  const maxBytes = opts.maxBytes ?? AIA_MAX_BYTES;
  const doFetch: FetchLike = opts.fetch ?? ((u, init) => fetch(u, init));
  const signal = AbortSignal.timeout(opts.timeoutMs ?? AIA_TIMEOUT_MS);
  try {
    let url = checkUrl(rawUrl);
    for (let hop = 0; ; hop++) {
      const res = await doFetch(url.href, { signal, redirect: 'manual' });
      if (res.status >= 300 && res.status < 400) {
        const location = res.headers.get('location');
        await res.body?.cancel().catch(() => undefined);
        if (!location || hop >= MAX_REDIRECTS) throw new Error(`too many redirects (HTTP ${res.status})`);
        url = checkUrl(new URL(location, url).href);
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(`HTTP ${res.status}`);
      }
      const body = await readLimited(res, maxBytes);
      return { url: rawUrl, certificates: parseIssuerResponse(body, rawUrl) };
    }
  } catch (err) {
    let error: string;
    if (isToolError(err)) error = err.message;
    else if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
      error = `no answer within ${opts.timeoutMs ?? AIA_TIMEOUT_MS} ms`;
    else error = err instanceof Error ? err.message : String(err);
    return { url: rawUrl, certificates: [], error };
  }
}

/**
 * Chase caIssuers upward from `start` (the certificate whose issuer is missing): fetch its issuer, then
 * that one's issuer while it is not self-signed, at most `AIA_MAX_HOPS` times. Returns every fetch made;
 * the usable certificates are those whose `matchIssuer` ties them to the certificate below.
 */
export async function fetchIssuerChain(
  start: CertificateInfo,
  opts: FetchIssuerOptions = {},
): Promise<{ fetches: FetchedIssuer[]; issuers: CertificateInfo[] }> {
  const fetches: FetchedIssuer[] = [];
  const issuers: CertificateInfo[] = [];
  const seen = new Set<string>();
  let below = start;
  for (let hop = 0; hop < AIA_MAX_HOPS; hop++) {
    const url = below.aiaIssuers?.find((u) => /^https?:/i.test(u) && !seen.has(u));
    if (!url) break;
    seen.add(url);
    const got = await fetchIssuer(url, opts);
    fetches.push(got);
    const issuer = got.certificates.find((c) => {
      const m = matchIssuer(below, c);
      return m !== undefined && m !== 'mismatch';
    });
    if (!issuer) {
      if (!got.error && got.certificates.length > 0)
        got.error = 'the answer is not the issuer of the certificate';
      break;
    }
    issuers.push(issuer);
    if (isSelfSigned(issuer)) break;
    below = issuer;
  }
  return { fetches, issuers };
}
