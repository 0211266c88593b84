/**
 * @module `--fetch-issuers` for a probe: when the chain the server sent stops short of any known root, fetch
 * the missing CA from the AIA caIssuers URL (http/https only, size and time limits, see `pki/aia.ts`).
 * The fetched certificates NAME the missing CA and give its PEM for the import plan; nothing is trusted
 * because of them.
 */
import { type FetchIssuerOptions, fetchIssuerChain } from '../pki/aia.js';
import { verifyWithProfile } from '../pki/verify.js';
import type { FetchedIssuer, ProbeResult } from './types.js';

/**
 * Fetch the issuers the probed chain lacks and record them in `result.fetchedIssuers`. Does nothing when
 * the chain closes with a sent or bundled root. Never throws for network problems (they are recorded).
 */
export async function fetchMissingIssuers(
  result: ProbeResult,
  opts: FetchIssuerOptions = {},
): Promise<FetchedIssuer[]> {
  const certs = result.certificates ?? [];
  if (certs.length === 0) return [];
  const browser = verifyWithProfile('browser', { chain: certs });
  const gap = browser.chain.end === 'issuer-missing' ? browser.chain.missing : undefined;
  const out: FetchedIssuer[] = [];
  if (!gap) return out;
  if (!gap.below.aiaIssuers?.some((u) => /^https?:/i.test(u))) {
    result.notes.push(
      `--fetch-issuers: "${gap.below.subject}" names no http(s) caIssuers URL (AIA); the missing CA "${gap.subject}" cannot be fetched.`,
    );
    return out;
  }
  if (result.proxy) {
    result.notes.push('--fetch-issuers fetched the AIA URL directly, not through the proxy.');
  }
  const { fetches } = await fetchIssuerChain(gap.below, opts);
  for (const f of fetches) {
    const entry: FetchedIssuer = { url: f.url };
    const pems = f.certificates.map((c) => c.pem).filter((p): p is string => Boolean(p));
    if (pems.length) entry.pem = pems;
    if (f.error) entry.error = f.error;
    out.push(entry);
  }
  result.fetchedIssuers = out;
  return out;
}
