/** @module connection-failed, probe outcomes: DNS, TCP refused/reset/timeout, no answer to the ClientHello. */
import type { RuleMessage } from '../define.js';
import { probeAgain } from '../probe-steps.js';

const REACHES_HANDSHAKE = probeAgain(
  '',
  'reaches the TLS handshake.',
  'A new probe of {hostPort} reaches the TLS handshake.',
);

export const probeMessages = () =>
  ({
    probeHostUnknown: {
      title: 'The host name {host} does not resolve',
      summary:
        'DNS gives no address for {host} on this machine, so no connection is made. The ICM reports ICM_HTTP_HOST_UNKNOWN when its host cannot resolve the name either.',
      steps: [
        'Check the host name in the SM59 destination / logical port for typos.',
        "Resolve it on the application server itself (nslookup, /etc/hosts): the ICM uses that host's DNS, not this machine's.",
        'If only a proxy can resolve external names, set the proxy in the destination (SM59 → Special Options / SICF client proxy).',
      ],
      confirm: [REACHES_HANDSHAKE],
    },
    probeRefused: {
      title: '{hostPort} refuses the TCP connection',
      summary:
        'Nothing listens on port {port} of {host}[[ (through the proxy {viaProxy})]], or a firewall rejects the connection. The ICM reports this as ICM_HTTP_CONNECTION_FAILED; its trace shows NIECONN_REFUSED. It is not a certificate problem.',
      steps: [
        'Check host and port of the destination (HTTPS usually 443; the SAP ICM HTTPS port is often 443<nn> or 44300).',
        'Test from the application server itself (the ICM host), not only from a workstation: firewalls differ.',
        'If the target is outside the company network, the call probably needs the forward proxy (SM59 → Special Options, or SICF → Client → Proxy Settings).',
      ],
      confirm: [REACHES_HANDSHAKE],
    },
    probeTcpTimeout: {
      title: 'No TCP connection to {hostPort} within {timeoutMs} ms',
      summary:
        'The connection attempt got no answer: a firewall drops the packets, the host is down, or the network route is missing. The ICM reports ICM_HTTP_CONNECTION_FAILED (or ICM_HTTP_TIMEOUT) in that case.',
      steps: [
        'Test the TCP connection from the application server (the ICM host).',
        'Ask the network team whether a firewall drops traffic to this host and port, or whether the call must go through the proxy.',
      ],
      distinguish: 'A probe with a longer time limit tells a slow network from a silent drop.',
    },
    probeReset: {
      title: '{hostPort} resets the TCP connection at once',
      summary:
        'The connection is reset before any TLS message: a firewall or load balancer rejects this client. The ICM reports a broken connection (ICM_HTTP_CONNECTION_BROKEN / NIECONN_BROKEN).',
      steps: ["Check firewall and load-balancer rules for the application server's address."],
    },
    probeHandshakeTimeout: {
      title: '{hostPort} does not answer the TLS ClientHello',
      summary:
        'The TCP connection opened, but no TLS answer came within {timeoutMs} ms ({outcome}). A middlebox swallows the handshake, the server is overloaded, or the port expects another protocol that waits for the client to speak first. The ICM reports ICM_HTTP_TIMEOUT.',
      steps: [
        {
          text: 'Repeat with a longer --timeout to tell a slow server from a silent one.',
          web: 'Repeat the probe with a longer time limit to tell a slow server from a silent one.',
        },
        'Check that the port is the TLS port of the service; a plain protocol that waits for the client (e.g. some plain HTTP servers) also looks like this.',
      ],
      distinguish:
        'If a probe with a 30-second time limit still gets no answer, the port is not a TLS endpoint for this client.',
    },
  }) satisfies Record<string, RuleMessage>;
