/** @module A trust list that cannot be opened is an input error (CLI exit 2, web 422), never an empty list that makes every chain look untrusted. */

import { ToolError } from '../model/errors.js';
import type { EvidenceEvent } from '../model/evidence.js';

/**
 * Why the trust list `shown` cannot be used, when reading it ran into a PSE that could not be opened
 * (wrong or missing PIN, corrupt, LPS-protected, not a PSE); undefined when it was read. Judging a chain
 * against a list we could not read would give a confident wrong verdict ("not in x.pse, import it").
 */
export function unreadableTrust(shown: string, events: readonly EvidenceEvent[]): string | undefined {
  for (const e of events) {
    if (e.kind !== 'pse-problem') continue;
    return `The trust list ${shown} cannot be read, so no chain is judged against it: ${e.message}`;
  }
  return undefined;
}

/** Throw a ToolError (exit 2) when the `--trust` input `shown` could not be read (see {@link unreadableTrust}). */
export function assertTrustReadable(shown: string, events: readonly EvidenceEvent[]): void {
  const message = unreadableTrust(shown, events);
  if (message) throw new ToolError('usage', { message });
}
