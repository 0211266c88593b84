/**
 * @module A chain a client tool printed beside an SAP-side trust failure for the same host — `openssl
 * s_client -connect <host>:443` run on the application server, as the usual advice goes — is the chain
 * that server sends. An SSL failure that printed no chain of its own takes it, so the rules judge the
 * chain (a lone leaf under an intermediate, an inspecting proxy's CA, the root to import) instead of
 * saying the evidence shows none.
 */
import type { EvidenceEvent, PrintedCertificate, TraceCertificate } from '../../model/evidence.js';

/** Error names of a failure to trust the peer's chain (SM59, dev_icm, the ICM's HTTP code). */
const PEER_UNTRUSTED = /PEER_CERT_UNTRUSTED$/;

/** Whether the printed leaf is the host's: the tool was called for it, or the leaf's CN names it. */
function forHost(leaf: PrintedCertificate, printedHost: string | undefined, host: string): boolean {
  if (printedHost?.toLowerCase() === host) return true;
  const cn = /(?:^|,\s?)CN=([^,]{1,255})/i
    .exec(leaf.subject ?? '')?.[1]
    ?.trim()
    .toLowerCase();
  if (!cn) return false;
  return (
    cn === host ||
    (cn.startsWith('*.') && host.endsWith(cn.slice(1)) && !host.slice(0, -cn.length + 1).includes('.'))
  );
}

/**
 * Lend what the rest of a paste shows to its peer-trust SSL failures. First the host: a failure that names
 * none (a trace block without its handshake line) is the call of the one host the other peer-trust
 * failures name (an SM59 text, a popup). Then the chain: every such failure of the host the client tool
 * was called for (or its leaf's CN names) that printed none takes it; so does the paste's only such
 * failure when it names no host at all.
 */
export function lendToTrustFailures(
  events: readonly EvidenceEvent[],
  printed: { chain: readonly PrintedCertificate[]; host: string | undefined },
): void {
  const failures = events.filter(
    (ev): ev is Extract<EvidenceEvent, { kind: 'ssl-failure' }> =>
      ev.kind === 'ssl-failure' && PEER_UNTRUSTED.test(ev.error?.name ?? ''),
  );
  if (failures.length === 0) return;
  const named = failures.filter((ev) => ev.target?.host);
  if (new Set(named.map((ev) => ev.target!.host!.toLowerCase())).size === 1) {
    const target = named[0]!.target!;
    for (const ev of failures) if (!ev.target?.host && !ev.targetHostname) ev.target = { ...target };
  }
  const chain = printed.chain;
  if (chain.length === 0 || chain.some((c) => !c.subject)) return;
  const certificates: TraceCertificate[] = chain.map((c, i) => ({
    depth: c.depth ?? i,
    subject: c.subject!,
    ...(c.issuer ? { issuer: c.issuer } : {}),
    ...(c.notBefore ? { notBefore: c.notBefore } : {}),
    ...(c.notAfter ? { notAfter: c.notAfter } : {}),
    line: c.line,
  }));
  // The paste's only peer-trust failure names no host (a Web Dispatcher or ICM block that printed the peer
  // address alone): the chain a client tool printed beside it is the server the user checked.
  const lone = failures.length === 1 && !failures[0]!.target?.host;
  for (const ev of failures) {
    if ((ev.certificates?.length ?? 0) > 0) continue;
    const host = ev.target?.host?.toLowerCase();
    if (!(lone || (host && forHost(chain[0]!, printed.host, host)))) continue;
    ev.certificates = certificates.map((c) => ({ ...c }));
  }
}
