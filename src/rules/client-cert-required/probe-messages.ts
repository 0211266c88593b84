/** @module client-cert-required, probe outcome: the server asked for a client certificate and none was sent. */
import type { RuleMessage } from '../define.js';
import { probeAgain } from '../probe-steps.js';

export const probeMessages = () =>
  ({
    probeClientCertMissing: {
      title: '{hostPort} requires a client certificate and none was sent',
      summary:
        'The server asked for a client certificate[[ issued by {issuer}]][[ issued by one of {caCount} CAs]] and [[ended the handshake with {alert}]][[{?noAlert}dropped the connection]] when none came. The SAP side must send its own certificate: the destination needs an SSL client identity (a PSE with a key and a certificate the server accepts). The ICM shows ICM_HTTP_SSL_ERROR; SOAMANAGER shows WSS040 when no SSL client PSE is set.',
      steps: [
        'In SM59 (Logon & Security → SSL Certificate) choose an SSL client identity that has its own certificate, e.g. "DFAULT SSL Client (Standard)" or a dedicated identity created in STRUST; for web services, the SSL client PSE of the SOAMANAGER logical port.',
        "That identity's certificate must be issued by a CA the server accepts: {caList}. Create a CSR in STRUST for it and have that CA sign it, or give the server owner your certificate's CA.",
        '{?noCaList}The server lists no acceptable CAs: ask its owner which CA must have issued the client certificate.',
        'Have the server side map the certificate to a user, if it logs on with it.',
        {
          text: 'Check with --client-cert <file> (PEM with key, or PKCS#12 exported with "sapgenpse export_p12") before changing the destination.',
          web: 'Check with a client certificate in the probe form (PEM with key, or PKCS#12 exported with "sapgenpse export_p12") before changing the destination.',
        },
      ],
      confirm: [
        probeAgain(
          ' --client-cert <file>',
          'completes the handshake.',
          'A new probe of {hostPort} with that client certificate completes the handshake.',
        ),
      ],
    },
  }) satisfies Record<string, RuleMessage>;
