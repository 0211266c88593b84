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

/** Key lines a reader keeps of an event; an event with fewer names every line it holds. */
const MAX_KEY_LINES = 64;
/** Lines between two key lines that still belong to the failure (its own lines no reader claimed). */
const MAX_INNER_GAP = 8;

/**
 * The lines an event covers, as `input:line` keys: its key lines and its span (at most 401 lines) —
 * except, when the key lines are all of its lines (fewer than MAX_KEY_LINES), a stretch of more than
 * MAX_INNER_GAP lines between two of them: a block that holds two lines far apart (a code named in
 * prose, then the trace line of the same failure) does not hold the lines between them, so a proxy's
 * answer printed there is a failure of its own.
 */
export function linesOf(e: EvidenceEvent): string[] {
  const s = e.source;
  const keys = new Set<string>((s.keyLines ?? []).map((n) => `${s.input}:${n}`));
  const key = s.keyLines;
  if (key && key.length > 1 && key.length < MAX_KEY_LINES) {
    for (let i = 1; i < key.length; i++) {
      const from = key[i - 1]!;
      const to = key[i]!;
      if (to - from - 1 > MAX_INNER_GAP) continue;
      for (let n = from + 1; n < to; n++) keys.add(`${s.input}:${n}`);
    }
    return [...keys];
  }
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
