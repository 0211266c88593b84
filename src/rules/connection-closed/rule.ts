/**
 * @module The peer (or something between) closed the connection during the handshake: SSSLERR/SSSLRC_CONN_CLOSED (-10).
 *
 * Closed while the SAP client waits for the ServerHello means the ClientHello was refused: by a firewall
 * or proxy that blocks the address, or by a server that accepts none of the offered versions/ciphers,
 * or that needs SNI. In the server role a client closing early is usually a browser being impatient.
 */
import type { Cause, Confidence } from '../../model/cause.js';
import { AFTER_PROFILE_CHANGE, SNI_PARAMETERS } from '../../pki/strust-steps.js';
import { COLLECT_ICM_TRACE, COLLECT_LEVEL_ONE } from '../common-steps.js';
import { defineRule } from '../define.js';
import { alertOf, failureData, failureParts, failureText, sniSent, traceInfoFor } from '../failure-facts.js';

/** A reset of the TCP connection as the library or the OS words it. */
const RESET = /connection reset by peer|\berrno 104\b|\beconnreset\b|wsaeconnreset|\berrno 10054\b/;

import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { sslCodeOf } from '../sap-codes.js';
import { probeMessages } from './probe-messages.js';

const CLIENT_CIPHERS = '150:PFS:HIGH::EC_P256:EC_HIGH';

export default defineRule({
  id: 'connection-closed',
  causes: ['network', 'tls-version', 'sni-missing'],
  needs: ['ssl-failure', 'probe'],
  uses: ['trace-info'],
  kb: ['SSSLERR_CONN_CLOSED', 'icm/HTTPS/client_sni_enabled', 'ssl/client_ciphersuites', 'SMICM'],
  citation: ['SAP Note 510007', 'SAP Note 2124480'],
  rank: 40,
  messages: () => ({
    ...probeMessages(),
    blocked: {
      title: 'The connection to {hostPort|the peer} was closed {when}',
      summary:
        '{code|SSSLERR_CONN_CLOSED}: the other side closed the TCP connection {when}. When this happens right after the ClientHello, a firewall, proxy or load balancer in between often drops connections from the SAP host, or the direct route to the internet is blocked and a proxy must be used.',
      steps: [
        'From the application server, as <sid>adm, try the same endpoint: "openssl s_client -connect {hostPort|<host>:<port>} -servername {host|<host>}" or "curl -v https://{hostPort|<host>:<port>}/". A reset or timeout there points to the network.',
        'If the company requires a proxy for outbound HTTPS, set it for the destination (SM59 → Proxy settings) or globally (SICF → Client → Proxy Settings).',
        'Ask the network team whether the firewall allows {peerIp|the peer address} on port {port|443} from the application server (and whether TLS inspection is active).',
      ],
      confirm: [
        'The openssl/curl test from the application server completes the handshake, and the SAP call succeeds.',
      ],
      collect: [COLLECT_LEVEL_ONE, ...COLLECT_ICM_TRACE],
      distinguish:
        'A network block fails the same way from the shell of the application server; a version/cipher problem succeeds from the shell (modern OpenSSL) but fails from SAP.',
    },
    version: {
      title: '{hostPort|The peer} may refuse the TLS versions or ciphers the SAP system offers',
      summary:
        'A server that accepts none of the offered protocol versions or cipher suites may simply close the connection instead of sending an alert.{offered}',
      steps: [
        'Set ssl/client_ciphersuites = {clientCiphers} (SAP Note 510007 §7) and keep CommonCryptoLib current (SAP Note 1848999).',
        ...AFTER_PROFILE_CHANGE,
      ],
      confirm: ['The call succeeds; the ICM trace shows a completed handshake with TLSv1.2 or later.'],
      distinguish:
        'If "openssl s_client -tls1_2" from the application server works while SAP fails, compare the offered versions (pvflags line).',
    },
    sni: {
      title: 'SNI may be missing in the handshake with {hostPort|the peer}',
      summary:
        'Servers behind CDNs and cloud load balancers close connections that do not carry the SNI host name. {sniClause}',
      steps: [
        'Set icm/HTTPS/client_sni_enabled = TRUE and ssl/client_sni_enabled = TRUE in the instance profile.',
        ...AFTER_PROFILE_CHANGE,
      ],
      confirm: ['The ICM trace (level 2) shows "TLSextSNI server_name=…" and the call succeeds.'],
      distinguish:
        'The ICM trace at level 2 prints a TLSextSNI line for each outbound handshake when SNI is sent.',
    },
    clientGone: {
      title: 'A client closed its connection to the SAP server during the handshake',
      summary:
        "In the server role SSSLERR_CONN_CLOSED means the client went away mid-handshake. Browsers do this routinely (parallel connections, cancelled requests); it matters only when a specific client cannot connect, and then that client's log tells why (often: it does not trust the SAP server certificate).",
      steps: [
        "If a specific client fails, look at its error: a certificate error there means it does not trust the SSL server PSE's certificate (see STRUST → SSL server Standard → own certificate and its chain).",
      ],
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('connection-closed', events.probe, now, ctx);
    for (const ev of events['ssl-failure']) {
      const code = sslCodeOf(ev);
      const text = failureText(ev);
      // The handshake codes of the library (-57 SSL_connect, -58 SSL_read, -56 SSL_accept) with a reset
      // and no alert: the TCP connection was cut below TLS, as with a close.
      const reset =
        (code === undefined || code === 'SSL_CONNECT' || code === 'SSL_READ' || code === 'SSL_ACCEPT') &&
        (RESET.test(text) || ev.openSslError === 'SSL_ERROR_SYSCALL') &&
        !alertOf(ev);
      if (!reset && code !== 'CONN_CLOSED' && !/remote peer has closed|incomplete ssl handshake/.test(text))
        continue;
      if (!reset && code && code !== 'CONN_CLOSED') continue;
      const parts = failureParts(ev);
      const state = ev.sslState?.text.toLowerCase() ?? '';
      const waitingForHello = /server hello/.test(state);
      const info = traceInfoFor(ev, events['trace-info']);
      const sni = sniSent(ev, info);
      const data = {
        ...failureData(ev, events['trace-info']),
        when: waitingForHello
          ? 'right after the ClientHello (state "' + (ev.sslState?.text ?? '') + '")'
          : 'during the handshake',
        offered: ev.sslCtx?.protocolVersions?.length
          ? ` The SAP side offered ${ev.sslCtx.protocolVersions.join(', ')}.`
          : undefined,
        clientCiphers: CLIENT_CIPHERS,
        sniClause:
          sni === false
            ? 'The trace shows the handshake set-up without a TLSextSNI line, so no SNI was sent.'
            : 'The evidence does not show whether SNI was sent.',
      };
      if (parts.role === 'server') {
        report({
          message: 'clientGone',
          data,
          cause: 'network',
          confidence: 'possible',
          severity: 'info',
          ...parts,
        });
        continue;
      }
      const ranked: [Cause, Confidence, 'blocked' | 'version' | 'sni'][] = [];
      const offers12 = ev.sslCtx?.protocolVersions?.some((v) => /TLSv1\.[23]/.test(v));
      if (sni === false) ranked.push(['sni-missing', 'likely', 'sni']);
      if (offers12 === false) ranked.push(['tls-version', 'likely', 'version']);
      ranked.push(['network', 'likely', 'blocked']);
      if (offers12 !== false) ranked.push(['tls-version', 'possible', 'version']);
      if (sni === undefined) ranked.push(['sni-missing', 'possible', 'sni']);
      for (const [cause, confidence, message] of ranked) {
        report({
          message,
          data,
          cause,
          confidence,
          severity: 'error',
          ...parts,
          ...(cause === 'sni-missing'
            ? {
                parameters: [...SNI_PARAMETERS],
              }
            : cause === 'tls-version'
              ? {
                  parameters: [
                    { name: 'ssl/client_ciphersuites', value: CLIENT_CIPHERS, where: 'instance profile' },
                  ],
                }
              : {}),
        });
      }
    }
  },
});
