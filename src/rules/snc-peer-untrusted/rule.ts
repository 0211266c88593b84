/** @module SNC with X.509: the partner's certificate (or its CA) is not in the own SNC PSE (A2200210 "Peer certificate verification failed"). */
import type { SncFailureEvent } from '../../model/evidence.js';
import { describePse } from '../../pki/pse-nodes.js';
import { defineRule } from '../define.js';
import { toReportPse } from '../failure-facts.js';

export default defineRule({
  id: 'snc-peer-untrusted',
  causes: ['untrusted-root'],
  needs: ['snc-failure'],
  kb: ['A2200210', 'SNCERR_GSSAPI', 'SAPSNCS.pse', 'STRUST'],
  rank: 7,
  messages: {
    untrusted: {
      title: "The SNC PSE does not trust the partner's certificate{targetClause}",
      summary:
        '"{text}": the partner\'s SNC certificate (or its CA) is not in the certificate list of SNC SAPCryptolib (SAPSNCS.pse){ownClause}.',
      steps: [
        "Export the partner's SNC certificate (its STRUST → SNC SAPCryptolib → own certificate → Export, or its CA) and import it here into SNC SAPCryptolib (STRUST → Import → Add to Certificate List → Save).",
        "Do the same the other way round: the partner needs this system's SNC certificate.",
        'For a front end / RFC client with its own PSE: "sapgenpse maintain_pk -p <client PSE> -a <server SNC certificate>".',
      ],
      confirm: ['The SNC connection is established; the trace no longer shows {code|A2200210}.'],
    },
  },
  check({ events }, { report }) {
    const pse = describePse('SAPSNCS.pse');
    for (const ev of events['snc-failure'] as SncFailureEvent[]) {
      const minor = ev.gssMinor?.code?.toUpperCase();
      const text = ev.gssMinor?.text ?? '';
      const own = minor === 'A2210210' || minor === 'A2210223';
      if (minor !== 'A2200210' && !own && !/peer certificate verification failed/i.test(text)) continue;
      report({
        message: 'untrusted',
        data: {
          text: text || 'Peer certificate verification failed',
          code: minor,
          targetClause: ev.sncTarget ? ` (${ev.sncTarget})` : undefined,
          ownClause: own
            ? "; here it is the partner that does not trust this system's certificate path"
            : undefined,
        },
        cause: 'untrusted-root',
        confidence: 'certain',
        severity: 'error',
        role: ev.role ?? 'client',
        pse: toReportPse(pse, true),
        ...(ev.error ? { errorCode: ev.error } : {}),
        events: [ev],
        ...(minor ? { kb: [minor] } : {}),
      });
    }
  },
});
