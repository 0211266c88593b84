/**
 * @module SNC with X.509: the partner's certificate (or its CA) is not in the own SNC PSE (A2200210 "Peer
 * certificate verification failed"), or the partner does not trust this system's path (A2210223).
 */
import type { SncFailureEvent } from '../../model/evidence.js';
import { describePse } from '../../pki/pse-nodes.js';
import { defineRule } from '../define.js';
import { toReportPse } from '../failure-facts.js';

export default defineRule({
  id: 'snc-peer-untrusted',
  causes: ['untrusted-root', 'client-cert-rejected'],
  needs: ['snc-failure'],
  kb: ['A2200210', 'SNCERR_GSSAPI', 'SAPSNCS.pse', 'STRUST'],
  rank: 7,
  messages: () => ({
    untrusted: {
      title: "The SNC PSE does not trust the partner's certificate{targetClause}",
      summary:
        '"{text}": the partner\'s SNC certificate (or its CA) is not in the certificate list of SNC SAPCryptolib (SAPSNCS.pse).',
      steps: [
        "Export the partner's SNC certificate (its STRUST → SNC SAPCryptolib → own certificate → Export, or its CA) and import it here into SNC SAPCryptolib (STRUST → Import → Add to Certificate List → Save).",
        "Do the same the other way round: the partner needs this system's SNC certificate.",
        'For a front end / RFC client with its own PSE: "sapgenpse maintain_pk -p <client PSE> -a <server SNC certificate>".',
      ],
      confirm: ['The SNC connection is established; the trace no longer shows {code|A2200210}.'],
    },
    partnerDistrusts: {
      title: "The SNC partner does not trust this system's certificate path{targetClause}",
      summary:
        '"{text}": the partner checked the certificate this side presents (the own certificate of SNC SAPCryptolib, SAPSNCS.pse, or the client PSE of the front end) and found no trusted path to it in its own SNC PSE.',
      steps: [
        "Export this system's own SNC certificate (STRUST → SNC SAPCryptolib → own certificate → Export; with a CA-signed certificate: its root CA) and import it into the partner's SNC PSE (partner STRUST → SNC SAPCryptolib → Add to Certificate List → Save).",
        "For a front end with its own PSE or Secure Login Client certificate: the server's SNC PSE must hold the CA that issued the user certificates.",
      ],
      confirm: ['The SNC connection is established; the trace no longer shows A2210223.'],
      distinguish:
        "A2210223 is printed by the side whose certificate was refused: the list to change is the partner's, not this one.",
    },
  }),
  check({ events }, { report }) {
    const pse = describePse('SAPSNCS.pse');
    for (const ev of events['snc-failure'] as SncFailureEvent[]) {
      const minor = ev.gssMinor?.code?.toUpperCase();
      const text = ev.gssMinor?.text ?? '';
      // A2210210 (own certificate not verifiable) is judged from the knowledge base's ranked causes.
      const partner = minor === 'A2210223' || /server does not trust my certificate path/i.test(text);
      if (minor !== 'A2200210' && !partner && !/peer certificate verification failed/i.test(text)) continue;
      report({
        message: partner ? 'partnerDistrusts' : 'untrusted',
        data: {
          text:
            text ||
            (partner ? 'Server does not trust my certificate path' : 'Peer certificate verification failed'),
          code: minor,
          targetClause: ev.sncTarget ? ` (${ev.sncTarget})` : undefined,
        },
        cause: partner ? 'client-cert-rejected' : 'untrusted-root',
        // The minor text names the refusing side; the kb flags A2210223's cause as not confirmed by SAP.
        confidence: partner ? 'likely' : 'certain',
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
