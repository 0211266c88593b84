/**
 * @module The peer rejected *our* certificate: a certificate alert received (certificate_unknown, unknown_ca, bad_certificate, certificate_expired).
 *
 * In the server role the alert comes from a client that does not trust the SSL server PSE's certificate
 * (or its chain); in the client role from a server that does not accept our client certificate.
 */
import type { Cause, Confidence } from '../../model/cause.js';
import { defineRule } from '../define.js';
import { alertOf, failureData, failureParts } from '../failure-facts.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { probeMessages } from './probe-messages.js';

const CERT_ALERTS = [
  'certificate_unknown',
  'unknown_ca',
  'bad_certificate',
  'certificate_expired',
  'certificate_revoked',
  'unsupported_certificate',
];

export default defineRule({
  id: 'cert-rejected-by-peer',
  causes: ['own-cert-rejected', 'client-cert-rejected', 'expired-own-cert'],
  needs: ['ssl-failure', 'probe'],
  kb: [
    'TLS_ALERT_CERTIFICATE_UNKNOWN',
    'TLS_ALERT_UNKNOWN_CA',
    'TLS_ALERT_BAD_CERTIFICATE',
    'STRUST',
    'SAPSSLS.pse',
  ],
  citation: ['RFC 8446 §6.2'],
  rank: 15,
  messages: () => ({
    ...probeMessages(),
    serverCertRejected: {
      title: 'A client rejects the certificate of the SAP server ({alert})',
      summary:
        'The ICM acted as server ({node|SSL server PSE}) and the client answered with a fatal "{alert}" alert: it does not trust the server certificate of {pseFile|the SSL server PSE}. The client lacks the CA that signed it, the server does not send the intermediate CAs, or the certificate is self-signed (STRUST\'s default) or does not name the host the client used.',
      steps: [
        'In STRUST open {node|SSL server Standard}, double-click the own certificate and check: issuer (a CA the clients trust, not the self-signed default), validity, and that the host name clients use is in the subject CN or subjectAltName.',
        'Make the server send its chain: import the CA response with the full chain (PKCS#7 or PEM with intermediates) so the PSE holds the certificate path (TRUST037/TRUST057 mean the chain was missing).',
        "On the client side, import the root CA of the SAP server certificate into the client's trust store (browser/OS, Java keystore, other SAP system's SSL client PSE).",
        'Save in STRUST; the ICM is notified (TRUST086), otherwise restart it (SMICM → Administration → ICM → Exit Soft → Global).',
      ],
      confirm: [
        {
          text: '"pse-doctor probe <sap-host>:<https-port>" shows the chain the SAP server sends; the client connects without the alert.',
          web: "A probe of the SAP host's HTTPS port (Probe page) shows the chain the SAP server sends; the client connects without the alert.",
          action: { kind: 'field', page: 'probe' },
        },
      ],
      distinguish:
        'The client\'s own log names the reason (e.g. "PKIX path building failed" in Java, "unknown issuer" in a browser).',
    },
    clientCertRejected: {
      title: '{hostPort|The server} rejects the client certificate of {pseFile|the SSL client PSE} ({alert})',
      summary:
        'The SAP system sent its client certificate from {node|the SSL client PSE} and the server answered with a fatal "{alert}" alert: the server does not accept it — its CA is not in the server\'s list of client CAs, the chain is incomplete, or the certificate is not mapped to a user there.',
      steps: [
        'Give the server owner the certificate of {node|the SSL client PSE} and its CA (STRUST → own certificate → Export) and ask them to trust that CA for client authentication.',
        'Check that the PSE holds the full chain of its own certificate (import the CA response with intermediates).',
        'If the server expects a different identity, create an SSL client identity with the right certificate and select it in the destination (SM59 → Logon & Security → SSL Certificate).',
      ],
      confirm: ['Repeat the call: the handshake succeeds and the server logs the client certificate.'],
    },
    ownExpired: {
      title: 'The peer reports our certificate as expired ({node|own certificate})',
      summary:
        'The peer answered with a "certificate expired" alert: the own certificate of {pseFile|the PSE} (or a CA in its chain) is outside its validity period.',
      steps: [
        'In STRUST open {node|the PSE}, check the validity of the own certificate, create a new certificate request, have it signed and import the response (with its chain).',
        'Save; the ICM is notified (TRUST086), otherwise restart it.',
      ],
      confirm: [
        '"sapgenpse get_my_name -p {pseBase|<PSE>} -v" shows the new validity; the peer accepts the handshake.',
      ],
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('cert-rejected-by-peer', events.probe, now, ctx);
    for (const ev of events['ssl-failure']) {
      const alert = alertOf(ev);
      if (!alert || !CERT_ALERTS.includes(alert.name) || alert.direction === 'sent') continue;
      const parts = failureParts(ev);
      const data = { ...failureData(ev), alert: alert.name.replace(/_/g, ' ') };
      const outcomes: [Cause, Confidence, 'serverCertRejected' | 'clientCertRejected' | 'ownExpired'][] = [];
      if (alert.name === 'certificate_expired') outcomes.push(['expired-own-cert', 'likely', 'ownExpired']);
      else if (parts.role === 'server')
        outcomes.push([
          'own-cert-rejected',
          alert.direction === 'received' ? 'certain' : 'likely',
          'serverCertRejected',
        ]);
      else if (parts.role === 'client') {
        const anonymous = ev.pseFile ? /sapssla/i.test(ev.pseFile) : false;
        outcomes.push(['client-cert-rejected', anonymous ? 'possible' : 'likely', 'clientCertRejected']);
      } else {
        outcomes.push(
          ['own-cert-rejected', 'possible', 'serverCertRejected'],
          ['client-cert-rejected', 'possible', 'clientCertRejected'],
        );
      }
      for (const [cause, confidence, message] of outcomes) {
        report({ message, data, cause, confidence, severity: 'error', ...parts });
      }
    }
  },
});
