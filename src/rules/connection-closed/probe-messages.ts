/** @module connection-closed, probe outcome: the server dropped the TLS handshake without an alert. */
import type { RuleMessage } from '../define.js';

export const probeMessages = () =>
  ({
    probeDropped: {
      title: '{hostPort} drops the TLS handshake',
      summary:
        '{outcome}, without a TLS alert. [[{?noneAccepted}No protocol version worked in the version scan either. ]]A firewall or IP filter, a server that refuses this client\'s address, or an unsupported ClientHello (cipher, curve) does this. The ICM reports SSSLERR_CONN_CLOSED (trace: "SSL::SiRecv() failed rc==SSSLRC_CONN_CLOSED", state "TLS read server hello").',
      steps: [
        'Test from the application server itself; compare with another client (openssl s_client) there.',
        "Ask the server owner whether the SAP system's address is allowed and which TLS versions and ciphers it accepts.",
      ],
      collect: ['ICM trace level 2 of the failing call (SSL state at failure)'],
    },
  }) satisfies Record<string, RuleMessage>;
