/** @module TCP-level failure before any TLS: refused, reset, timeout, unknown host (NIECONN_REFUSED, ICM 400/402/411/417). */
import type { EvidenceEvent, MessageEvent } from '../../model/evidence.js';
import { defineRule } from '../define.js';
import { failureData, failureParts, targetOf } from '../failure-facts.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { ICM_CODES, icmNumberOf, sslCodeOf } from '../sap-codes.js';
import { probeMessages } from './probe-messages.js';

const WORDS: Record<string, string> = {
  refused: 'refused the connection (nothing listens on that port, or a firewall rejects it)',
  reset: 'reset the connection',
  timeout: 'did not answer in time',
  'host-unknown': 'could not be resolved (unknown host name)',
  other: 'could not be reached',
};

const ICM_PROBLEM: Record<number, string> = {
  400: 'other',
  401: 'reset',
  402: 'timeout',
  411: 'refused',
  417: 'host-unknown',
};

/** SAProuter's refusal by its route table: `route permission denied (<source> to <host>, <service>)`. */
const ROUTE_DENIED =
  /route permission denied(?: \(([^ ()]{1,100}) to ([^,()]{1,255})(?:, ?([^()]{1,60}))?\))?/;

/** kb entries of a proxy that refused the tunnel (407, 403 to CONNECT). */
const PROXY_REFUSALS: ReadonlySet<string> = new Set([
  'PROXY_TUNNEL_FAILED',
  'ICM_HTTP_PROXY_HTTP_ERROR',
  'CURL_PROXY_CONNECT_FAILED',
]);

export default defineRule({
  id: 'connection-failed',
  causes: ['network', 'proxy'],
  needs: ['connection-failure', 'ssl-failure', 'probe'],
  uses: ['message'],
  kb: ['ICM_HTTP_CONNECTION_FAILED', 'SM59'],
  citation: ['SAP Note 2368112'],
  rank: 45,
  messages: () => ({
    ...probeMessages(),
    unreachable: {
      title: '{hostPort|The target} {what}',
      summary:
        'The failure happened at the TCP level, before any TLS: {hostPort|the target} {what}. Certificates and PSEs are not involved.',
      steps: [
        'Check host and port in the destination (SM59 / logical port): the HTTPS port of the target, the fully qualified host name.',
        'From the application server test the route: "nc -vz {host|<host>} {port|443}" or "curl -v https://{hostPort|<host>:<port>}/".',
        'If outbound traffic must go through a proxy, configure it (SM59 → Proxy settings, or SICF → Client → Proxy Settings); otherwise ask the network team to open the firewall for the application servers.',
      ],
      confirm: [
        'The connection test from the application server reaches the port, and the call gets past the connect.',
      ],
    },
    routeDenied: {
      title: 'The SAProuter refuses the route from {source|this client} to {target|the target}',
      summary:
        'The connection goes through an SAProuter, and its route permission table (saprouttab) has no line that lets {source|this client} reach {target|the target}: the router refused the route (NIEROUT_PERM_DENIED). No connection to the target was made, so no TLS or SNC took place.',
      steps: [
        'On the SAProuter host add a permit line to saprouttab for this source and target (P <source> <target host> <port>; the gateway sapgw<NN> is port 33<NN>, the dispatcher 32<NN>; an SNC route needs its KT/KP line), then reload the table with "saprouter -n".',
        "Check that the client's route string (/H/<router>/S/3299/H/<target>) names the target as saprouttab does: the table compares the host as given, a name does not match a line written with the address.",
      ],
      confirm: ["The SAProuter's log (dev_rout) shows the route permitted, and the connection succeeds."],
    },
    ewouldblock: {
      title: 'A non-blocking read/write to {hostPort|the peer} did not complete (SSSLERR_EWOULDBLOCK)',
      summary:
        'SSSLERR_EWOULDBLOCK (-71) on connections to cloud endpoints points to a network layer that stalls the handshake (proxy, firewall, MTU); SAP Note 2728600 describes the known cases.',
      steps: [
        'Apply SAP Note 2728600 (point 2) and check the network path from the application server to {hostPort|the endpoint}.',
      ],
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('connection-failed', events.probe, now, ctx);
    // Inputs where a proxy refused the tunnel (its 407 or 403 to CONNECT, recognised as a message): an
    // ICM connection failure without a network code of its own is that refusal seen from the ICM.
    const proxied = new Set(
      ((events.message ?? []) as MessageEvent[])
        .filter((m) => PROXY_REFUSALS.has(m.entry))
        .map((m) => m.source.input),
    );
    for (const ev of events['connection-failure']) {
      if (ev.problem === 'proxy-refused' || ev.problem === 'proxy-auth') continue;
      const route = ROUTE_DENIED.exec(ev.message);
      if (route) {
        // The SAProuter refused by its route table: a router in between said no, as a proxy does.
        report({
          message: 'routeDenied',
          data: { source: route[1], target: route[3] ? `${route[2]} (${route[3]})` : route[2] },
          cause: 'proxy',
          confidence: 'certain',
          severity: 'error',
          role: 'client',
          ...(ev.error ? { errorCode: ev.error } : {}),
          events: [ev],
        });
        continue;
      }
      const confidence = ev.problem === 'other' && proxied.has(ev.source.input) ? 'possible' : 'certain';
      const host = ev.target?.host;
      const target = targetOf(ev.target);
      const list: EvidenceEvent[] = [ev];
      report({
        message: 'unreachable',
        data: {
          host,
          port: ev.target?.port !== undefined ? String(ev.target.port) : undefined,
          hostPort: host ? (ev.target?.port !== undefined ? `${host}:${ev.target.port}` : host) : undefined,
          what: WORDS[ev.problem] ?? WORDS.other,
        },
        cause: 'network',
        confidence,
        severity: 'error',
        role: 'client',
        ...(target ? { target } : {}),
        ...(ev.error ? { errorCode: ev.error } : {}),
        events: list,
      });
    }
    for (const ev of events['ssl-failure']) {
      const code = sslCodeOf(ev);
      const parts = failureParts(ev);
      if (code === 'EWOULDBLOCK') {
        report({
          message: 'ewouldblock',
          data: failureData(ev),
          cause: 'network',
          confidence: 'likely',
          severity: 'error',
          ...parts,
        });
        continue;
      }
      const icm = icmNumberOf(ev);
      if (code || icm === undefined || !ICM_PROBLEM[icm]) continue;
      report({
        message: 'unreachable',
        data: { ...failureData(ev), what: WORDS[ICM_PROBLEM[icm] as string] },
        cause: 'network',
        confidence: 'likely',
        severity: 'error',
        ...parts,
        kb: [...parts.kb, ICM_CODES[icm] as string],
      });
    }
  },
});
