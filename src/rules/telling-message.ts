/** @module Whether a message of the same input names a failure more closely than an SAP code alone does. */
import { loadRecognizer } from '../kb/recognize/load.js';
import { OUTSIDE_CLIENT_STACKS, WRAPPER_CAUSES } from '../kb/types.js';
import type { Cause } from '../model/cause.js';
import type { EvidenceEvent, MessageEvent } from '../model/evidence.js';

/** A message event that says more about the failure than a bare SAP code: a chain, or a specific text. */
export function namesMore(m: MessageEvent): boolean {
  if (m.entry === 'ICM_HTTP_SSL_ERROR') return false;
  if (m.chain && m.chain.length > 0) return true;
  const causes = loadRecognizer().entryById(m.entry)?.causes.length ?? 0;
  return causes > 0 && causes < WRAPPER_CAUSES;
}

/**
 * Whether the input of `ev` holds a message event that names the failure more closely (namesMore);
 * with `outsideOnly`, only an outside client's (an s_client run, a verify error): an SAP text is the same
 * code again.
 */
export function tellingMessageBeside(
  ev: EvidenceEvent,
  messages: readonly EvidenceEvent[] | undefined,
  { outsideOnly = false } = {},
): boolean {
  return (messages ?? []).some(
    (m) =>
      m.kind === 'message' &&
      m.source.input === ev.source.input &&
      (!outsideOnly || OUTSIDE_CLIENT_STACKS.has((m as MessageEvent).stack)) &&
      namesMore(m as MessageEvent),
  );
}

/**
 * Whether the paste of `ev` states a context fact (KB_CONTEXT_FACTS: a cipher list naming legacy suites, a
 * stated TLS version), read from the event itself (an SSL failure) or from the input's message events,
 * which carry the facts of their input.
 */
export function inputStates(
  ev: EvidenceEvent,
  messages: readonly EvidenceEvent[] | undefined,
  fact: string,
): boolean {
  // A structured failure carries the facts of its input itself (an input may hold no message event).
  if (
    (ev.kind === 'ssl-failure' || ev.kind === 'java-tls-failure' || ev.kind === 'client-error') &&
    ev.context?.includes(fact)
  )
    return true;
  return (messages ?? []).some(
    (m) =>
      m.kind === 'message' &&
      m.source.input === ev.source.input &&
      (m as MessageEvent).context?.includes(fact) === true,
  );
}

/**
 * The cause a server's own log of the same input puts first (Schannel 36874: no shared cipher suite), when it
 * is one of `causes`: the side that ended a handshake says why, so that cause leads the client's refused
 * handshake. Only a message that names the failure closely (namesMore) counts.
 */
export function serverTells(
  ev: EvidenceEvent,
  messages: readonly EvidenceEvent[] | undefined,
  causes: readonly Cause[],
): Cause | undefined {
  for (const m of messages ?? []) {
    if (m.kind !== 'message' || m.source.input !== ev.source.input || m.side !== 'server') continue;
    if (!namesMore(m)) continue;
    const lead = loadRecognizer().entryById(m.entry)?.hypotheses[0]?.cause;
    if (lead && causes.includes(lead)) return lead;
  }
  return undefined;
}
