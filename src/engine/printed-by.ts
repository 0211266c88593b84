/**
 * @module Which software printed the structured evidence a finding rests on (an ICM or Web Dispatcher
 * trace, an ABAP message, an SNC block, sapgenpse output …), for findings whose rule does not say it
 * itself: every finding names the stack and side it concerns, not only the knowledge-model ones.
 */
import type { EvidenceEvent, InputSummary } from '../model/evidence.js';

export interface PrintedBy {
  stack: string;
  side?: 'client' | 'server' | 'either';
}

/** The stack of one structured event, or undefined for evidence that is not printed output. */
function stackOfEvent(e: EvidenceEvent, inputs: readonly InputSummary[]): PrintedBy | undefined {
  const format = inputs[e.source.input]?.format;
  const webdisp = format === 'webdisp-trace';
  const side = (role: string | undefined) =>
    role === 'client' || role === 'server' ? { side: role as 'client' | 'server' } : {};
  switch (e.kind) {
    case 'ssl-failure':
      if (webdisp) return { stack: 'webdispatcher', ...side(e.role) };
      return { stack: e.origin === 'trace' ? 'icm' : 'abap', ...side(e.role) };
    case 'inbound-cert':
      return { stack: webdisp ? 'webdispatcher' : 'icm', side: 'server' };
    case 'connection-failure':
      return { stack: webdisp ? 'webdispatcher' : 'icm', side: 'client' };
    case 'snc-failure':
      return { stack: e.mechanism ?? 'snc', ...side(e.role) };
    case 'lib-load-failure':
      return { stack: e.purpose === 'snc' ? 'snc' : 'commoncryptolib' };
    case 'kerberos-failure':
      return { stack: 'kerberos' };
    case 'sapgenpse':
      return { stack: 'sapgenpse' };
    case 'client-error':
      if (e.client === 'hana-client' || e.client === 'browser' || e.client === 'curl')
        return { stack: e.client, side: 'client' };
      return undefined;
    default:
      return undefined;
  }
}

/** The printing stack of the first event of a finding that names one. */
export function printedByOf(
  events: readonly EvidenceEvent[],
  inputs: readonly InputSummary[],
): PrintedBy | undefined {
  for (const e of events) {
    const p = stackOfEvent(e, inputs);
    if (p) return p;
  }
  return undefined;
}
