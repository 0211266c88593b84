/**
 * @module The same SSL failure read twice: an SM59 or SOAMANAGER text (or a popup) and the ICM trace block
 * of that call, pasted or uploaded together; a block whose last lines a pasted message took apart; a trace
 * block at level 1 (no PSE line) beside one of the same call at level 2; the ICM's closing
 * `client request failed: ICM_HTTP_SSL_ERROR` line after the block that names the SapSSL error. The thinner
 * event says less (no PSE, no chain); judged on its own it would repeat the richer one's finding as a vaguer
 * one beside it, with second guesses the richer one already rules out. It is covered: the rules judge the
 * richer event, whose findings quote the thinner one's lines too (docs/report.md, "Ordering").
 */
import type { EvidenceEvent, SslFailureEvent } from '../model/evidence.js';

const isSsl = (e: EvidenceEvent): e is SslFailureEvent => e.kind === 'ssl-failure';

/** SSL failures compared pairwise at most (250,000 comparisons, a few milliseconds). */
const MAX_COMPARED = 500;

export interface Covered {
  /** Every covered event (the rules do not judge them). */
  all: Set<EvidenceEvent>;
  /** The covered events by the richer event of their call, whose findings quote them. */
  byRicher: Map<EvidenceEvent, SslFailureEvent[]>;
}

/** Fields of what the handshake said, which a covered event must not hold unless the richer one says the same. */
const TELLING_FIELDS = ['alert', 'cryptoRc', 'openSslError', 'operation'] as const;

/**
 * How much an event tells of its call: the PSE it used, then its SapSSL error (beside which the ICM's
 * ICM_HTTP_SSL_ERROR alone is only the wrapper), then whether the ICM trace printed it.
 */
const richness = (e: SslFailureEvent) =>
  (e.pseFile ? 4 : 0) + (e.error?.name ? 2 : 0) + (e.origin === 'trace' ? 1 : 0);

/**
 * Whether `thin` may be the failure `rich` tells more of: nothing `thin` names (host, port, SapSSL error, PSE,
 * role, its own chain, a TLS alert or CommonCryptoLib code) differs from `rich`'s. One without a SapSSL
 * error (SM59's ICM_HTTP_SSL_ERROR alone) takes `rich`'s; one without a host, any host of its input.
 */
function mayCover(rich: SslFailureEvent, thin: SslFailureEvent): boolean {
  if (richness(rich) <= richness(thin)) return false;
  const host = thin.target?.host?.toLowerCase();
  if (!rich.target?.host) return false;
  if (host) {
    if (host !== rich.target.host.toLowerCase()) return false;
  } else if (thin.source.input !== rich.source.input) return false;
  if (thin.target?.port !== undefined && thin.target.port !== rich.target.port) return false;
  if (thin.error?.name && thin.error.name !== rich.error?.name) return false;
  if (thin.pseFile && thin.pseFile !== rich.pseFile) return false;
  if ((thin.role ?? 'client') !== (rich.role ?? 'client')) return false;
  if ((thin.certificates?.length ?? 0) > 0 && !rich.certificates?.length) return false;
  // What the handshake itself said (a TLS alert, a CommonCryptoLib code) is never dropped for a richer event
  // that does not say it.
  for (const k of TELLING_FIELDS)
    if (thin[k] !== undefined && JSON.stringify(thin[k]) !== JSON.stringify(rich[k])) return false;
  return true;
}

/**
 * The SSL failures a richer one of the same call covers (mayCover). One that a single host's failures cover
 * is quoted by them; one that several hosts' failures could be (an SM59 text without a host beside a trace
 * of two calls) is covered without being quoted, as its call is not known.
 */
export function coveredFailures(events: readonly EvidenceEvent[]): Covered {
  const covered: Covered = { all: new Set(), byRicher: new Map() };
  const ssl = events.filter(isSsl);
  // Every pair is compared: a paste holds a few failures; a trace with hundreds of distinct ones is left
  // as it is (no pair of them is a message beside its block), so the cost stays bounded.
  if (ssl.length < 2 || ssl.length > MAX_COMPARED) return covered;
  for (const thin of ssl) {
    const richer = ssl.filter((rich) => mayCover(rich, thin));
    if (richer.length === 0) continue;
    covered.all.add(thin);
    if (new Set(richer.map((r) => r.target?.host?.toLowerCase())).size > 1) continue;
    for (const rich of richer) {
      const list = covered.byRicher.get(rich);
      if (list) list.push(thin);
      else covered.byRicher.set(rich, [thin]);
    }
  }
  // A covered event that covers others hands them on to what covers it (richness only grows, so no loop).
  for (const [rich, thins] of [...covered.byRicher]) {
    if (!covered.all.has(rich)) continue;
    for (const [top, list] of covered.byRicher)
      if (!covered.all.has(top) && list.includes(rich as SslFailureEvent)) list.push(...thins);
    covered.byRicher.delete(rich);
  }
  return covered;
}
