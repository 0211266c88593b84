/**
 * @module Which events are settled before the fallback rules run: those another rule explained, and the
 * message events printed on the lines of an explained structured event (the knowledge base recognised
 * text a structured reader already read, and a rule judged that reading).
 *
 * Fallback rules (`fallback: true`: kb-message, unexplained-failure) judge only events of their `needs`
 * kinds that are not settled, so a fallback rule whose kinds hold no unsettled event cannot report
 * anything: `diagnoseOnDemand` does not even load it.
 */
import type { EvidenceEvent, EvidenceKind } from '../model/evidence.js';

/** Structured failure kinds a message event may sit on (the same lines). */
export const STRUCTURED = [
  'ssl-failure',
  'snc-failure',
  'lib-load-failure',
  'java-tls-failure',
  'client-error',
  'connection-failure',
  'inbound-cert',
  'kerberos-failure',
  'sapgenpse',
  'pse-problem',
] as const satisfies readonly EvidenceKind[];

const STRUCTURED_SET: ReadonlySet<EvidenceKind> = new Set(STRUCTURED);

/** The lines an event covers, as `input:line` keys (its key lines and its span, at most 401 lines). */
export function linesOf(e: EvidenceEvent): string[] {
  const s = e.source;
  const keys = new Set<string>((s.keyLines ?? []).map((n) => `${s.input}:${n}`));
  const end = Math.min(s.endLine ?? s.line, s.line + 400);
  for (let n = s.line; n <= end; n++) keys.add(`${s.input}:${n}`);
  return [...keys];
}

/** `explained`, plus every message event that shares a line with an explained structured event. */
export function settledEvents(
  events: readonly EvidenceEvent[],
  explained: ReadonlySet<EvidenceEvent>,
): Set<EvidenceEvent> {
  const settled = new Set(explained);
  const messages = events.filter((e) => e.kind === 'message' && !explained.has(e));
  if (messages.length === 0) return settled;
  const judged = new Set<string>();
  for (const e of explained) if (STRUCTURED_SET.has(e.kind)) for (const key of linesOf(e)) judged.add(key);
  if (judged.size === 0) return settled;
  for (const m of messages) if (linesOf(m).some((key) => judged.has(key))) settled.add(m);
  return settled;
}
