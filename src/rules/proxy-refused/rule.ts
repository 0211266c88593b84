/** @module The forward proxy refused the CONNECT or wants credentials (403/407, ICM 412/413/416/426): no TLS with the target took place. */
import type { ConnectionFailureEvent, EvidenceEvent, SslFailureEvent } from '../../model/evidence.js';
import { defineRule } from '../define.js';
import { failureData, failureParts, failureText, PROXY_TUNNEL_TEXT, targetOf } from '../failure-facts.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { ICM_CODES, icmNumberOf, sslCodeOf } from '../sap-codes.js';
import { probeMessages } from './probe-messages.js';

const PROXY_ICM = new Set([408, 412, 413, 416, 426]);

export default defineRule({
  id: 'proxy-refused',
  causes: ['proxy'],
  needs: ['connection-failure', 'ssl-failure', 'probe'],
  kb: ['ICM_HTTP_PROXY_HTTP_ERROR', 'ICM_HTTP_PROXY_UNAUTHORIZED', 'SM59'],
  citation: ['RFC 9110 §9.3.6'],
  rank: 8,
  messages: () => ({
    ...probeMessages(),
    refused: {
      title: 'The proxy {proxy|in between} refused the connection to {hostPort|the target}{statusClause}',
      summary:
        'The SAP system reaches {hostPort|the target} through an HTTP proxy and the proxy answered the CONNECT request with {status|an error} instead of opening the tunnel. No TLS handshake with the target took place: certificates and PSEs are not involved.',
      steps: [
        '{authStep}',
        'For 403: ask the proxy team to allow {host|the target host} for the SAP application servers (URL/category filter, allow-list).',
        'Check the proxy settings of the destination (SM59 → Proxy settings) or the global client proxy (SICF → Client → Proxy Settings): host, port, user, password, and the no-proxy list.',
      ],
      confirm: ['The ICM trace shows the proxy answering 200 to the CONNECT, and the call succeeds.'],
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('proxy-refused', events.probe, now, ctx);
    for (const ev of events['connection-failure'] as ConnectionFailureEvent[]) {
      if (ev.problem !== 'proxy-refused' && ev.problem !== 'proxy-auth') continue;
      const status = ev.proxy?.status;
      const auth = ev.problem === 'proxy-auth' || status === 407;
      const host = ev.target?.host;
      const target = targetOf(ev.target);
      const list: EvidenceEvent[] = [ev];
      report({
        message: 'refused',
        data: {
          host,
          hostPort: host ? (ev.target?.port !== undefined ? `${host}:${ev.target.port}` : host) : undefined,
          proxy: ev.proxy?.host
            ? `${ev.proxy.host}${ev.proxy.port !== undefined ? `:${ev.proxy.port}` : ''}`
            : undefined,
          status: status !== undefined ? `HTTP ${status}` : undefined,
          statusClause: status !== undefined ? ` (HTTP ${status})` : undefined,
          authStep: auth
            ? "The proxy wants credentials (407): enter the proxy user and password in the destination's proxy settings (or the global client proxy), or have the SAP servers exempted from proxy authentication."
            : 'The proxy forbids the target (403 or similar): see the next step.',
        },
        cause: 'proxy',
        confidence: 'certain',
        severity: 'error',
        role: 'client',
        ...(target ? { target } : {}),
        ...(ev.error ? { errorCode: ev.error } : {}),
        events: list,
      });
    }
    for (const ev of events['ssl-failure'] as SslFailureEvent[]) {
      const icm = icmNumberOf(ev);
      const text = failureText(ev);
      const proxyText = PROXY_TUNNEL_TEXT.exec(text);
      // An SSSL code means TLS with the target did start: then ICM 407 is the SSL error, not the proxy.
      if (sslCodeOf(ev) || (!(icm !== undefined && PROXY_ICM.has(icm)) && !proxyText)) continue;
      const said = proxyText?.[1] ?? proxyText?.[2];
      const status = said ? Number(said) : icm === 416 ? 407 : undefined;
      const parts = failureParts(ev);
      report({
        message: 'refused',
        data: {
          ...failureData(ev),
          status: status !== undefined ? `HTTP ${status}` : icm !== undefined ? ICM_CODES[icm] : undefined,
          statusClause: status !== undefined ? ` (HTTP ${status})` : undefined,
          authStep:
            status === 407
              ? "The proxy wants credentials (407): enter the proxy user and password in the destination's proxy settings, or have the SAP servers exempted from proxy authentication."
              : "Check what the proxy answered (ICM trace level 2 shows the proxy's status line).",
        },
        cause: 'proxy',
        confidence: 'certain',
        severity: 'error',
        ...parts,
        role: 'client',
      });
    }
  },
});
