/**
 * @module The peer's certificate (or a CA of its chain) is expired — or the name led to an old server that presents one.
 *
 * KBA 3391859 shows SSSLERR_PEER_CERT_EXPIRED coming from a wrong IP address as often as from a truly
 * expired certificate: when the trace shows the peer address but not the certificate, both are offered.
 */
import type { SslFailureEvent, TraceCertificate } from '../../model/evidence.js';
import { validityAt } from '../cert-dates.js';
import { COLLECT_ICM_TRACE, COLLECT_LEVEL_ONE, probeStep } from '../common-steps.js';
import { defineRule } from '../define.js';
import { EXPIRY_NAMED, failureData, failureParts, failureText } from '../failure-facts.js';
import { nameCoversHost } from '../peer-chain.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { icmNumberOf, sslCodeOf } from '../sap-codes.js';
import { probeMessages } from './probe-messages.js';

/** The first certificate of the dump that is expired (or not yet valid) at `now`, by dates or CCL's Validity line. */
function expiredCertificate(ev: SslFailureEvent, now: Date): TraceCertificate | undefined {
  for (const c of [...(ev.certificates ?? [])].sort((a, b) => a.depth - b.depth)) {
    const validity = validityAt(c, now);
    if (validity === 'expired' || validity === 'not-yet-valid') return c;
    if (c.verification && /not successful/i.test(c.verification.Validity ?? '')) return c;
  }
  return undefined;
}

export default defineRule({
  id: 'peer-cert-expired',
  causes: ['expired-peer-cert', 'wrong-host'],
  needs: ['ssl-failure', 'probe'],
  uses: ['trace-info'],
  kb: ['SSSLERR_PEER_CERT_EXPIRED', 'ICM_HTTP_SSL_PEER_CERT_EXPIRED'],
  citation: ['SAP KBA 3391859', 'RFC 5280 §4.1.2.5'],
  rank: 25,
  messages: () => ({
    ...probeMessages(),
    expired: {
      title: 'The certificate of {hostPort|the peer} {what}',
      summary:
        '{code|The handshake} failed because {subject|a certificate the peer presented} is outside its validity period{until}. Only its owner can fix that by renewing it; importing anything into a PSE does not help.',
      steps: [
        'Tell the owner of {hostPort|the peer} that {subject|its certificate} is expired and must be renewed (with its chain).',
        "If the role is server, the expired certificate is the client's: the client must renew it.",
      ],
      confirm: [
        probeStep(
          '{probe} shows the new validity dates; the call succeeds.',
          '{probe} shows the new validity dates; the call succeeds.',
        ),
      ],
      distinguish:
        'If a browser shows a valid certificate for {host|the host} while SAP reports it expired, SAP reaches another server: compare the peer IP {peerIp|in the trace} with the DNS answer.',
    },
    wrongHost: {
      title: '{host|The target name} may resolve to an old server with an expired certificate',
      summary:
        'SSSLERR_PEER_CERT_EXPIRED also appears when the name resolves to a wrong or retired server (DNS, hosts file) whose certificate has expired, while the intended server is fine (SAP KBA 3391859). The trace shows the peer address {peerIp|(see the trace)}: check it before asking anyone to renew a certificate.',
      steps: [
        'On the application server run "getent hosts {host|<host>}" (Unix) or "nslookup {host|<host>}" (Windows) and compare the address with the peer address in the trace ({peerIp|see the SSL NI-hdl line}).',
        'Check the hosts file (/etc/hosts, C:\\Windows\\System32\\drivers\\etc\\hosts) and DNS for a stale entry; correct it and restart the ICM (SMICM → Administration → ICM → Exit Soft → Global).',
      ],
      confirm: ["The trace shows the intended server's address as peer, and the call succeeds."],
      distinguish:
        'A browser on another machine showing a valid certificate for {host|the host} points to name resolution on the application server.',
      collect: [COLLECT_LEVEL_ONE, ...COLLECT_ICM_TRACE],
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('peer-cert-expired', events.probe, now, ctx);
    for (const ev of events['ssl-failure']) {
      const code = sslCodeOf(ev);
      const text = failureText(ev);
      const named =
        code === 'PEER_CERT_EXPIRED' ||
        icmNumberOf(ev) === 418 ||
        /peer.{0,20}certificate.{0,20}expired/.test(text) ||
        (code === 'PEER_CERT_UNTRUSTED' && EXPIRY_NAMED.test(text));
      const cert = expiredCertificate(ev, now);
      if (!named && !cert) continue;
      const host = ev.targetHostname ?? ev.target?.host;
      const leafMatches = cert && host ? nameCoversHost(cert.subject, host) : false;
      const data = {
        ...failureData(ev, events['trace-info']),
        subject: cert?.subject,
        until: cert?.notAfter ? ` (valid until ${cert.notAfter})` : undefined,
        what: cert && cert.depth > 0 ? 'has an expired CA in its chain' : 'is expired',
      };
      const parts = failureParts(ev);
      const expiredConfidence = cert && (leafMatches || cert.depth > 0) ? 'certain' : 'likely';
      report({
        message: 'expired',
        data,
        cause: 'expired-peer-cert',
        confidence: expiredConfidence,
        severity: 'error',
        ...parts,
      });
      if (ev.peer?.ip && parts.role !== 'server' && expiredConfidence !== 'certain') {
        report({
          message: 'wrongHost',
          data,
          cause: 'wrong-host',
          confidence: 'possible',
          severity: 'error',
          ...parts,
        });
      }
    }
  },
});
