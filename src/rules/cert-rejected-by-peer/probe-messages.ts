/** @module cert-rejected-by-peer, probe outcome: the client certificate was sent and the server refused it. */
import type { RuleMessage } from '../define.js';
import { probeAgain } from '../probe-steps.js';

export const probeMessages = () =>
  ({
    probeClientCertRejected: {
      title: '{hostPort} rejects the client certificate',
      summary: [
        'The server [[answered with the alert {alert}]][[{?reset}reset the connection right after the handshake]][[{?closed}closed the connection right after the handshake]] after the client certificate [["{clientSubject}"]] was sent: it does not accept it.',
        `Its issuer "{clientIssuer}" is not among the CAs the server accepts ({caList}); CommonCryptoLib may not even offer it (its client sends a certificate when the server's CA list names its issuer).`,
        'The ICM shows ICM_HTTP_SSL_ERROR (the remote side refused our certificate).',
      ],
      steps: [
        "{?issuerNotListed}Use a client certificate issued by one of the CAs the server lists, or ask the server owner to trust your certificate's issuing CA.",
        '{?issuerMaybeListed}Ask the server owner to trust the CA that issued your client certificate (and its chain) and to map the certificate to a user if it logs on with it.',
        'Make sure the SSL client PSE holds the full chain of its own certificate, so the ICM sends the intermediates too.',
        'Check that the client certificate is valid (not expired) and allows client authentication (extended key usage clientAuth).',
      ],
      confirm: [
        probeAgain(
          ' --client-cert <file>',
          'completes the handshake and keeps the connection.',
          'A new probe of {hostPort} with that client certificate completes the handshake and keeps the connection.',
        ),
      ],
      distinguish:
        '{?noAlert}A closed connection right after the handshake is how some servers reject a client certificate; whether the server then answers an HTTP request tells it from a server that closes every connection.',
    },
  }) satisfies Record<string, RuleMessage>;
