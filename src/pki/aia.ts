/**
 * @module Fetch a missing CA from its AIA caIssuers URL, only when the user asked (`--fetch-issuers`).
 *
 * The answer is used to NAME the missing certificate (and to offer it for import), never to trust
 * anything: SAP's ICM does not fetch, so a chain that needs fetching is broken for SAP. Only http and
 * https, a size limit, a time limit, few redirects. The body may be DER, PEM or PKCS#7 (DER or PEM).
 */
import type { CertificateInfo } from '../model/certificate.js';
import { isToolError } from '../model/errors.js';
import { readCertificatesSync } from '../readers/x509/read-certificates.js';
import { isSelfSigned, matchIssuer } from './chain.js';

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

/** Parse an AIA answer (DER certificate, PEM, PKCS#7 DER/PEM). Throws ToolError on junk. */
export function parseIssuerResponse(bytes: Uint8Array, url: string): CertificateInfo[] {
  return readCertificatesSync(bytes, url).certificates;
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
