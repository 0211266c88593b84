/** @module TLS and plain HTTP crossed: a client spoke HTTP (or a proxy CONNECT) to the HTTPS port, or SAP spoke TLS to a plain port (-26/-25/-27). */
import { defineRule } from '../define.js';
import { failureData, failureParts, failureText, PROXY_TUNNEL_TEXT } from '../failure-facts.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { sslCodeOf } from '../sap-codes.js';
import { probeMessages } from './probe-messages.js';

/** Codes of a handshake that ended before any certificate was judged (what a plain port gives). */
const HANDSHAKE_CODES: ReadonlySet<string> = new Set([
  'SSL_CONNECT',
  'SSL_READ',
  'CONN_CLOSED',
  'NO_SSL_RESPONSE',
  'SSL_HANDSHAKE',
]);

/**
 * What a port number is when SAP software speaks plain HTTP there: the ICM's 80<NN> (and 8080, 80), AS
 * Java's 5<NN>00. Undefined for any other port.
 */
function plainPortKind(port: number | string | undefined): string | undefined {
  const n = Number(port);
  if (!Number.isInteger(n)) return undefined;
  if (n === 80 || n === 8080) return 'the standard plain HTTP port';
  if (n >= 8000 && n <= 8099) return "the ICM's plain HTTP port (80<NN>, NN the instance number)";
  if (n >= 50000 && n <= 59900 && n % 100 === 0)
    return "AS Java's plain HTTP port (5<NN>00; its HTTPS port is 5<NN>01)";
  return undefined;
}

export default defineRule({
  id: 'plain-http-on-ssl-port',
  causes: ['not-ssl-port', 'proxy'],
  needs: ['ssl-failure', 'probe'],
  kb: ['SSSLERR_HTTP_REQUEST', 'SSSLERR_NO_SSL_REQUEST', 'SSSLERR_HTTPS_PROXY_REQUEST'],
  rank: 38,
  messages: () => ({
    ...probeMessages(),
    inbound: {
      title: 'A client sent {what} to the HTTPS port of the SAP server',
      summary:
        'The ICM expected a TLS ClientHello on {port|this HTTPS port} and received {what} ({code|see the trace}). The client uses the wrong scheme or port: http:// on the HTTPS port, or it treats the ICM as a proxy.',
      steps: [
        'Find the caller (the trace shows the peer address {peerIp|of the client}) and correct its URL: https:// for the HTTPS port, or the HTTP port for http://.',
        'SMICM → Goto → Services lists which port speaks HTTP and which HTTPS.',
      ],
      confirm: ['The error does not return for that client.'],
    },
    proxyClient: {
      title: 'A client uses the SAP HTTPS port as its HTTPS proxy',
      summary:
        'The ICM received a proxy CONNECT request ({code|SSSLERR_HTTPS_PROXY_REQUEST}) instead of a TLS ClientHello on {port|its HTTPS port}: a client (a browser, a tool, a server-side HTTP client) has the SAP host and port configured as its proxy, by a proxy setting, a PAC file or HTTPS_PROXY. The SAP side is fine; the client sends its Internet traffic to it.',
      steps: [
        'Find the caller (the trace shows the peer address {peerIp|of the client}) and correct its proxy settings: HTTPS_PROXY / https_proxy, the PAC file or the system proxy must name the real proxy, or exclude the SAP host (NO_PROXY) - not the SAP host and port.',
        'If the client is meant to reach the SAP system itself, it must call https://<host>:<port>/… directly, not through a proxy setting that points at the SAP system.',
      ],
      confirm: [
        'The CONNECT requests stop in the ICM trace; the client reaches its targets through its real proxy.',
      ],
      distinguish:
        'A client that sends plain HTTP to the HTTPS port gives SSSLERR_HTTP_REQUEST instead; a CONNECT line in the trace ("CONNECT <host>:443") names the proxy misuse.',
    },
    plainPort: {
      title: '{hostPort|The target} is a plain HTTP port: TLS cannot succeed there',
      summary:
        'The SAP system started a TLS handshake with port {port}, {portKind}, and the handshake failed before any certificate was judged ({code|see the trace}). A destination with "SSL Active" on the HTTP port, or https:// with the HTTP port in a URL, gives exactly this.',
      steps: [
        "Check port and the SSL setting of the destination (SM59 → Logon & Security → SSL Active; a Web Dispatcher's wdisp/system_<n> EXTSRV or wdisp/ssl_encrypt) against the target's HTTPS port (SMICM → Goto → Services on the target lists it; ABAP usually 443<NN>, AS Java 5<NN>01).",
        'From the application server: "curl -v http://{hostPort|<host>:<port>}/" answering in plain HTTP confirms a plain port.',
      ],
      confirm: ['The call succeeds once port and SSL setting match.'],
      distinguish:
        'A probe of the port (pse-doctor probe {hostPort|<host>:<port>}) completes no TLS handshake; the HTTPS port does.',
    },
    outbound: {
      title: '{hostPort|The target} does not speak TLS on that port',
      summary:
        'The SAP system started a TLS handshake and got an answer that is not TLS ({detail}). The destination points at a plain HTTP port, or "SSL Active" is set for a port without TLS.',
      steps: [
        "Check port and the SSL setting of the destination (SM59 → Logon & Security → SSL Active) against the target's HTTPS port.",
        'From the application server: "curl -v http://{hostPort|<host>:<port>}/" answering in plain HTTP confirms a plain port.',
      ],
      confirm: ['The call succeeds once port and SSL setting match.'],
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('plain-http-on-ssl-port', events.probe, now, ctx);
    for (const ev of events['ssl-failure']) {
      const code = sslCodeOf(ev);
      const parts = failureParts(ev);
      const what =
        code === 'HTTP_REQUEST'
          ? 'a plain HTTP request'
          : code === 'NO_SSL_REQUEST'
            ? 'data that is not TLS'
            : code === 'HTTPS_PROXY_REQUEST'
              ? 'a proxy CONNECT request'
              : undefined;
      if (code === 'HTTPS_PROXY_REQUEST') {
        // The code says what arrived, not why: a proxy setting pointing at the SAP host is the common
        // reason, a client simply using the wrong scheme the other.
        report({
          message: 'proxyClient',
          data: failureData(ev),
          cause: 'proxy',
          confidence: 'likely',
          severity: 'warning',
          ...parts,
          role: 'server',
        });
        report({
          message: 'inbound',
          data: { ...failureData(ev), what },
          cause: 'not-ssl-port',
          confidence: 'possible',
          severity: 'warning',
          ...parts,
          role: 'server',
        });
        continue;
      }
      if (what) {
        report({
          message: 'inbound',
          data: { ...failureData(ev), what },
          cause: 'not-ssl-port',
          confidence: 'certain',
          severity: 'warning',
          ...parts,
          role: 'server',
        });
        continue;
      }
      const text = failureText(ev);
      const detail =
        /wrong version number|unknown protocol|record (?:layer )?overflow|not an ssl|non-ssl|http\/1\.[01] \d{3}/.exec(
          text,
        )?.[0];
      const port = plainPortKind(ev.target?.port);
      if (!detail && port && parts.role !== 'server' && HANDSHAKE_CODES.has(code ?? '')) {
        report({
          message: 'plainPort',
          data: { ...failureData(ev), portKind: port },
          cause: 'not-ssl-port',
          confidence: 'likely',
          severity: 'error',
          ...parts,
        });
        continue;
      }
      // An HTTP status from the proxy that refused the tunnel is not a plain port (proxy-refused judges it).
      if (detail && parts.role !== 'server' && !PROXY_TUNNEL_TEXT.test(text)) {
        report({
          message: 'outbound',
          data: { ...failureData(ev), detail },
          cause: 'not-ssl-port',
          confidence: 'likely',
          severity: 'error',
          ...parts,
        });
      }
    }
  },
});
