/**
 * @module One trust-failure × the trust lists given: the cross-check both `trust-list-cross-check` and the
 * chain rules consult, so that only one of them speaks when a list of the PSE the call used is at hand.
 */
import type { SslFailureEvent, TrustListEvent } from '../model/evidence.js';
import { type CrossCheck, crossCheckTrustLists, traceChainToCertificates } from '../pki/cross-check.js';
import { failureRole } from './failure-facts.js';

/** `missing certificate of <CN>` in the newest CCL wording of -102. */
const MISSING_OF = /missing certificate of\s+"?([^"\n]{1,200}?)"?\s*(?:\)|$|\n)/i;

/** The CA the error text names when the trace shows no chain (`missing certificate of <CN>`). */
export function missingCaName(ev: SslFailureEvent): string | undefined {
  if (ev.certificates?.length) return undefined;
  const text = [ev.errorText, ...(ev.details ?? []), ...(ev.errorstack ?? []).map((e) => e.text ?? '')].join(
    '\n',
  );
  if (!text.toLowerCase().includes('missing certificate of')) return undefined;
  return MISSING_OF.exec(text)?.[1]?.trim() || undefined;
}

/** Judge the given trust lists against one failure's chain; undefined when there is nothing to compare. */
export function crossCheckFailure(
  ev: SslFailureEvent,
  lists: readonly TrustListEvent[],
): CrossCheck | undefined {
  if (lists.length === 0) return undefined;
  const role = failureRole(ev);
  const missingOf = missingCaName(ev);
  return crossCheckTrustLists({
    chain: traceChainToCertificates(ev.certificates),
    lists: lists.map((l) => l.list),
    ...(ev.pseFile ? { usedPse: ev.pseFile } : {}),
    ...(role ? { role } : {}),
    ...(missingOf ? { missingOf } : {}),
  });
}

/**
 * Does `trust-list-cross-check` decide this failure? Yes when a given list is the PSE the call used (its
 * file or STRUST node matches the failure's PSE): then it proves the gap (or the presence), and the
 * chain rules, which can only infer it, step aside so each failure and cause gets one finding.
 */
export function crossCheckDecides(ev: SslFailureEvent, lists: readonly TrustListEvent[]): boolean {
  return crossCheckFailure(ev, lists)?.used !== undefined;
}
