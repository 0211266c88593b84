/** @module A trust list that cannot be opened is an input error (exit 2), never an empty list that makes every chain look untrusted. */

import { ToolError } from '../model/errors.js';
import type { EvidenceEvent } from '../model/evidence.js';

/**
 * Throw a ToolError (exit 2) when reading the `--trust` input `shown` ran into a PSE that could not be
 * opened (wrong or missing PIN, corrupt, LPS-protected, not a PSE): judging a chain against a list we
 * could not read would give a confident wrong verdict ("not in x.pse, import it").
 */
export function assertTrustReadable(shown: string, events: readonly EvidenceEvent[]): void {
  for (const e of events) {
    if (e.kind !== 'pse-problem') continue;
    throw new ToolError('usage', {
      message: `The trust list ${shown} cannot be read, so no chain is judged against it: ${e.message}`,
    });
  }
}
