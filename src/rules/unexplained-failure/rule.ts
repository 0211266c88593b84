/** @module Fallback: a failure no other rule explains gets an honest `unknown` finding that says what to collect next. */
import type { EvidenceEvent, SslFailureEvent } from '../../model/evidence.js';
import { COLLECT_ICM_TRACE } from '../common-steps.js';
import { defineRule } from '../define.js';
import { failureData, failureParts } from '../failure-facts.js';

function describeEvent(ev: EvidenceEvent): string | undefined {
  switch (ev.kind) {
    case 'snc-failure':
      return ev.gssMinor?.text ?? ev.gssMajor ?? ev.error?.name;
    case 'java-tls-failure':
    case 'client-error':
    case 'connection-failure':
    case 'inbound-cert':
      return ev.message;
    case 'lib-load-failure':
      return ev.error?.name ?? ev.library;
    default:
      return undefined;
  }
}

export default defineRule({
  id: 'unexplained-failure',
  causes: ['unknown'],
  needs: [
    'ssl-failure',
    'snc-failure',
    'java-tls-failure',
    'client-error',
    'connection-failure',
    'inbound-cert',
    'lib-load-failure',
  ],
  kb: ['SMICM'],
  rank: 1000,
  fallback: true,
  messages: () => ({
    ssl: {
      title: 'TLS failure{hostClause} that the evidence does not explain ({code|no error code shown})',
      summary:
        'The evidence shows a failure{hostClause} but not enough to name its cause{textClause}. More detail is needed.',
      steps: [
        'Collect the evidence below and run pse-doctor again with all of it (several files can be given at once).',
      ],
      collect: [
        ...COLLECT_ICM_TRACE,
        {
          text: 'For a live endpoint: "pse-doctor probe {hostPort|<host>:<port>}" shows the server\'s chain, versions and ciphers.',
          web: "For a live endpoint: a probe of {hostPort|the server} (Probe page) shows the server's chain, versions and ciphers.",
          action: { kind: 'field', page: 'probe', value: '{hostPort|}' },
        },
      ],
    },
    other: {
      title: 'Failure the evidence does not explain: {text|see the quoted lines}',
      summary: 'pse-doctor recognised a failure but no rule could name its cause from this evidence.',
      steps: [
        "Collect more evidence (full trace around the error, the client's complete error message) and analyze it again.",
      ],
      collect: COLLECT_ICM_TRACE,
    },
  }),
  check({ events }, { report, explained }) {
    const all: EvidenceEvent[] = Object.values(events).flat() as EvidenceEvent[];
    for (const ev of all) {
      if (explained?.has(ev)) continue;
      // Informational inbound lines ("Trusted certificate: …") and unclassified client notes are not failures.
      if ((ev.kind === 'inbound-cert' || ev.kind === 'java-tls-failure') && ev.problem === 'other') continue;
      if (ev.kind === 'ssl-failure') {
        const parts = failureParts(ev as SslFailureEvent);
        const data = failureData(ev as SslFailureEvent);
        const text = (ev as SslFailureEvent).errorText ?? (ev as SslFailureEvent).alert?.text;
        report({
          message: 'ssl',
          data: {
            ...data,
            hostClause: data.hostPort ? ` with ${data.hostPort}` : undefined,
            textClause: text ? ` ("${text}")` : undefined,
          },
          cause: 'unknown',
          confidence: 'possible',
          severity: 'warning',
          ...parts,
        });
      } else {
        report({
          message: 'other',
          data: { text: describeEvent(ev) },
          cause: 'unknown',
          confidence: 'possible',
          severity: 'warning',
          events: [ev],
        });
      }
    }
  },
});
