/**
 * @module A client certificate is required but none is sent or configured: SSSLERR_NO_CLIENT_CERT (-20), WSS040, certificate_required.
 */
import type { EvidenceEvent, InboundCertEvent, SslFailureEvent } from '../../model/evidence.js';
import { describePse } from '../../pki/pse-nodes.js';
import { defineRule } from '../define.js';
import { alertOf, failureData, failureParts, failureText, toReportPse } from '../failure-facts.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { sslCodeOf } from '../sap-codes.js';
import { probeMessages } from './probe-messages.js';

export default defineRule({
  id: 'client-cert-required',
  causes: ['client-cert-missing'],
  needs: ['ssl-failure', 'inbound-cert', 'probe'],
  kb: [
    'SSSLERR_NO_CLIENT_CERT',
    'WSS040',
    'icm/HTTPS/verify_client',
    'TLS_ALERT_CERTIFICATE_REQUIRED',
    'SOAMANAGER',
    'SM59',
  ],
  citation: ['RFC 8446 §4.3.2'],
  rank: 35,
  messages: () => ({
    ...probeMessages(),
    inboundNone: {
      title: 'A client connected without the client certificate the SAP server requires',
      summary:
        'The ICM (server role) requires a client certificate here and the client sent none. Clients choose a certificate whose issuer is in the list the server announces — the certificate list of {node|the SSL server PSE} — so a missing CA there looks exactly like a client without a certificate.',
      steps: [
        "Import the CA that issued the client's certificate into {node|SSL server Standard} (STRUST → certificate list → Import → Add to Certificate List → Save).",
        'Check that the client is configured to send its certificate (keystore / browser certificate / SAP Cloud Connector system certificate).',
        'Check icm/HTTPS/verify_client (1 = ask, 2 = require) and the VCLIENT option of the port (icm/server_port_<xx>) match what the service needs.',
      ],
      confirm: [
        'The ICM trace (level 2) shows the client certificate ("cert_len" > 0) and the logon succeeds.',
      ],
    },
    anonymous: {
      title: 'A client connected to the SAP server without a client certificate',
      summary:
        'The ICM (server role) saw a TLS client without a certificate ("{message}"). That is normal for password or SSO logons; it matters only when this client should log on with its certificate. Clients offer a certificate only when its issuer is among the CAs announced from the certificate list of {node|the SSL server PSE}.',
      steps: [
        "If certificate logon was expected: import the CA that issued the client's certificate into {node|SSL server Standard} and save (TRUST086).",
        'Check icm/HTTPS/verify_client (1 = ask, 2 = require) and the VCLIENT option of the port (icm/server_port_<xx>).',
        'Check the client really has and sends a certificate (browser certificate store, Cloud Connector system certificate, keystore).',
      ],
      confirm: [
        'The ICM trace (level 2) shows the client certificate ("cert_len" > 0) and the logon succeeds.',
      ],
    },
    wss040: {
      title: 'The web service consumer needs an SSL client PSE (WSS040)',
      summary:
        'The logical port / destination asks for authentication with an SSL client certificate, but no SSL client PSE is chosen: "Missing credential. Specify SSL client PSE used for authentication."',
      steps: [
        'In STRUST create an SSL client identity (or use SSL client Standard) with a certificate the provider accepts.',
        'In SOAMANAGER open the logical port → Consumer Security → X.509 SSL client certificate, and choose that SSL client PSE (for an HTTP destination: SM59 → Logon & Security → SSL Certificate).',
        'Give the provider the certificate (and its CA) so it trusts and maps it.',
      ],
      confirm: ['The web service ping/test in SOAMANAGER succeeds.'],
    },
    serverWantsCert: {
      title: '{hostPort|The server} requires a client certificate and the SAP system sent none',
      summary:
        'The server ended the handshake with "certificate required": it authenticates clients by certificate. The call used {node|a PSE without a suitable client certificate} (SSL client Anonymous never sends one).',
      steps: [
        'Use an SSL client PSE with an own certificate the server accepts: SSL client Standard or an SSL client identity created in STRUST.',
        'Select it in the destination (SM59 → Logon & Security → SSL Certificate) and give the server owner its certificate / CA.',
      ],
      confirm: ['Repeat the call: the handshake succeeds.'],
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('client-cert-required', events.probe, now, ctx);
    for (const ev of events['ssl-failure'] as SslFailureEvent[]) {
      const text = failureText(ev);
      const code = sslCodeOf(ev);
      const parts = failureParts(ev);
      if (/wss040|missing credential\.? specify ssl client pse/.test(text) || ev.error?.name === 'WSS040') {
        report({
          message: 'wss040',
          data: failureData(ev),
          cause: 'client-cert-missing',
          confidence: 'certain',
          severity: 'error',
          ...parts,
          role: 'client',
          kb: [...parts.kb, 'WSS040'],
        });
        continue;
      }
      // The server side's own words for it: CommonCryptoLib's and OpenSSL's "peer did not return a certificate".
      const saidNone =
        parts.role === 'server' && /peer did not return a certificate|no certificate returned/.test(text);
      if (code === 'NO_CLIENT_CERT' || saidNone) {
        report({
          message: 'inboundNone',
          data: failureData(ev),
          cause: 'client-cert-missing',
          confidence: code === 'NO_CLIENT_CERT' ? 'certain' : 'likely',
          severity: 'error',
          ...parts,
          role: 'server',
        });
        continue;
      }
      const alert = alertOf(ev);
      if (alert?.name === 'certificate_required' && alert.direction !== 'sent') {
        report({
          message: 'serverWantsCert',
          data: failureData(ev),
          cause: 'client-cert-missing',
          confidence: 'certain',
          severity: 'error',
          ...parts,
        });
      }
    }
    for (const ev of events['inbound-cert'] as InboundCertEvent[]) {
      if (ev.problem !== 'no-client-cert') continue;
      const pse = describePse('SAPSSLS.pse');
      const events: EvidenceEvent[] = [ev];
      report({
        message: 'anonymous',
        data: { node: pse.node, message: ev.message },
        cause: 'client-cert-missing',
        confidence: 'possible',
        severity: 'info',
        role: 'server',
        pse: toReportPse(pse, true),
        events,
      });
    }
  },
});
