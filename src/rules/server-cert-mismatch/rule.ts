/**
 * @module -30 SSSLERR_SERVER_CERT_MISMATCH / ICM 415: the certificate does not name the host — wrong name, no SNI, or the wrong server.
 *
 * The same error has three causes (KBA 3391859, facts §10 #10–#12): the certificate really lacks the
 * name; SNI was not sent so a shared host answered with its default certificate; or the name resolved
 * to another server (DNS/hosts) whose certificate names something else. The evidence rarely proves
 * one; the rule ranks them by what it does show (SNI line, how the names relate, the peer IP).
 */
import type { Cause, Confidence } from '../../model/cause.js';
import { dnValue, nameForText } from '../../pki/dn.js';
import { AFTER_PROFILE_CHANGE, SNI_PARAMETERS } from '../../pki/strust-steps.js';
import { defineRule } from '../define.js';
import { failureData, failureParts, failureText, sniSent, traceInfoFor } from '../failure-facts.js';
import { looksPublicHost, nameCoversHost } from '../peer-chain.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { icmNumberOf, sslCodeOf } from '../sap-codes.js';
import { probeMessages } from './probe-messages.js';

/** How the certificate's name relates to the host: same registered domain, unrelated, or unknown. */
function relation(
  certSubject: string | undefined,
  host: string | undefined,
): 'covers' | 'related' | 'unrelated' | 'short' | 'unknown' {
  if (!host) return 'unknown';
  // A short name or an IP address: servers that choose their certificate by SNI are called by their
  // full names, and a certificate names the FQDN — the name used in the call is the problem (also when
  // the trace printed no certificate: clients send no SNI for an address either).
  if (SHORT_OR_IP.test(host) && (!certSubject || dnValue(certSubject, 'CN'))) return 'short';
  if (!certSubject) return 'unknown';
  const cn = dnValue(certSubject, 'CN');
  // The certificate names the same machine by its short name (SAP's self-signed default: CN=<host name>),
  // the call uses the full name: the name is the problem, not the server that answered.
  if (cn && /^[A-Za-z0-9-]{1,63}$/.test(cn) && cn.toLowerCase() === host.toLowerCase().split('.')[0])
    return 'short';
  if (!looksPublicHost(host)) return 'unknown';
  if (!cn || cn.includes('<') || !/^[*A-Za-z0-9.-]+$/.test(cn)) return 'unknown';
  if (nameCoversHost(certSubject, host)) return 'covers';
  const tail = (name: string) => name.toLowerCase().split('.').slice(-2).join('.');
  return tail(cn) === tail(host) ? 'related' : 'unrelated';
}

/** A host name without a domain (`s4happ01`, `mailrelay`) or an IPv4 address. */
const SHORT_OR_IP = /^(?:[A-Za-z0-9-]{1,63}|\d{1,3}(?:\.\d{1,3}){3})$/;

const COMMON_CONFIRM = [
  'Repeat the call (SM59 → Connection Test): the handshake succeeds without {code|SSSLERR_SERVER_CERT_MISMATCH}.',
];

export default defineRule({
  id: 'server-cert-mismatch',
  causes: ['wrong-host', 'sni-missing', 'hostname-mismatch'],
  needs: ['ssl-failure', 'probe'],
  uses: ['trace-info'],
  kb: [
    'SSSLERR_SERVER_CERT_MISMATCH',
    'ICM_HTTP_SSL_CERT_MISMATCH',
    'icm/HTTPS/client_sni_enabled',
    'ssl/client_sni_enabled',
    'SM59',
  ],
  citation: ['SAP KBA 3391859', 'SAP Note 2124480', 'RFC 6125 §6'],
  rank: 20,
  messages: () => ({
    ...probeMessages(),
    wrongHost: {
      title: '{host|The target name} may resolve to the wrong server{peerClause}',
      summary:
        'The server that answered presents a certificate for {certName|another name}, not for {host|the target}. When SNI is on and the certificate of the intended server is fine, the name resolves to another machine (DNS, hosts file, an old address): a different server answers with its own certificate (SAP KBA 3391859).',
      steps: [
        'On the application server, resolve the name the way the ICM does: "getent hosts {host}" (Unix) or "nslookup {host}" / "ping {host}" (Windows), and compare with the peer address in the trace: {peerIp}.',
        'Check the hosts file of the application server (/etc/hosts, or C:\\Windows\\System32\\drivers\\etc\\hosts) and the DNS server it uses for a stale entry of {host}.',
        'Correct the name resolution, then restart the ICM (SMICM → Administration → ICM → Exit Soft → Global) so it resolves the name again.',
      ],
      confirm: [
        'The trace line "SSL NI-hdl … peer=" shows the intended server\'s address, and the call succeeds.',
      ],
      distinguish:
        "Wrong host: the peer IP in the trace is not the address the server owner expects. Missing SNI: the IP is right and the certificate is the host's default one. Wrong name: the IP is right and the certificate simply lacks the name.",
    },
    sniMissing: {
      title: 'SNI may not be sent, so {host|the server} answers with its default certificate',
      summary:
        'Servers that host several names (CDNs, cloud services) choose the certificate from the SNI name the client sends. Without SNI they present a default certificate ({certName|for another name}), which does not match {host|the target}.',
      steps: [
        'Set icm/HTTPS/client_sni_enabled = TRUE (ICM HTTP client) and ssl/client_sni_enabled = TRUE (other kernel SSL clients) in the instance profile.',
        ...AFTER_PROFILE_CHANGE,
      ],
      confirm: [
        'The ICM trace (level 2) shows a TLSextSNI server_name line with {host|the host} for the call, and the call succeeds.',
        ...COMMON_CONFIRM,
      ],
      distinguish:
        'With SNI off, the ICM trace at level 2 shows no TLSextSNI line for the handshake; RZ11 shows icm/HTTPS/client_sni_enabled = FALSE.',
    },
    nameMismatch: {
      title: 'The certificate of {host|the server} does not name the host used in the call',
      summary:
        'The server presents a certificate for {certName|another name}; the call uses {host|a name the certificate does not contain} (CN and subjectAltName are checked, RFC 2818).',
      steps: [
        'Use the host name the certificate names (the FQDN, not a short name or an IP address) in the SM59 destination / logical port / URL.',
        'If {host|this name} must be used, ask the server owner for a certificate that lists it in the subjectAltName.',
        'Behind an SAP Web Dispatcher only, wdisp/ssl_ignore_host_mismatch = TRUE switches the check off for back-end connections — a workaround, not a fix.',
      ],
      confirm: COMMON_CONFIRM,
      distinguish:
        'A name mismatch stays the same from every client; "openssl s_client -connect {hostPort|<host>:<port>} -servername {host|<host>}" shows the certificate and its subjectAltName list.',
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('server-cert-mismatch', events.probe, now, ctx);
    for (const ev of events['ssl-failure']) {
      const code = sslCodeOf(ev);
      const matches =
        code === 'SERVER_CERT_MISMATCH' ||
        icmNumberOf(ev) === 415 ||
        /does not match supplied targethostname|invalid host name in ssl server certificate/.test(
          failureText(ev),
        );
      if (!matches) continue;
      const info = traceInfoFor(ev, events['trace-info']);
      const sni = sniSent(ev, info);
      const host = ev.targetHostname ?? ev.target?.host;
      // The subject the check printed, else the leaf of the chain the block listed.
      const subject = ev.serverCertSubject ?? ev.certificates?.find((c) => c.depth === 0)?.subject;
      const certName = subject ? nameForText(subject) : undefined;
      const rel = relation(subject, host);
      const peerShown = Boolean(ev.peer?.ip);
      // A hosts-file line of the same input pins the target name to an address: the name leads there.
      const pinned = host ? info?.resolved?.[host.toLowerCase()] : undefined;
      const data = {
        ...failureData(ev, events['trace-info']),
        host,
        certName,
        peerClause: pinned
          ? ` (a hosts-file line beside the trace pins it to ${pinned})`
          : peerShown
            ? ` (the trace shows peer ${ev.peer?.ip})`
            : undefined,
      };

      const ranked: [Cause, Confidence, 'wrongHost' | 'sniMissing' | 'nameMismatch'][] = [];
      if (pinned) {
        ranked.push(['wrong-host', 'likely', 'wrongHost']);
        if (sni !== true) ranked.push(['sni-missing', 'possible', 'sniMissing']);
        ranked.push(['hostname-mismatch', 'possible', 'nameMismatch']);
      } else if (sni === false) {
        ranked.push(
          ['sni-missing', 'likely', 'sniMissing'],
          ['wrong-host', 'possible', 'wrongHost'],
          ['hostname-mismatch', 'possible', 'nameMismatch'],
        );
      } else if (rel === 'related' || rel === 'covers' || rel === 'short') {
        ranked.push(['hostname-mismatch', 'likely', 'nameMismatch']);
        if (sni === undefined) ranked.push(['sni-missing', 'possible', 'sniMissing']);
        ranked.push(['wrong-host', 'possible', 'wrongHost']);
      } else if (rel === 'unrelated') {
        if (sni === undefined) ranked.push(['sni-missing', 'likely', 'sniMissing']);
        ranked.push(
          ['wrong-host', sni === true ? 'likely' : 'possible', 'wrongHost'],
          ['hostname-mismatch', 'possible', 'nameMismatch'],
        );
      } else {
        // Nothing to compare (placeholders, no certificate line): the cheapest check comes first.
        if (peerShown) ranked.push(['wrong-host', 'possible', 'wrongHost']);
        if (sni !== true) ranked.push(['sni-missing', 'possible', 'sniMissing']);
        ranked.push(['hostname-mismatch', 'possible', 'nameMismatch']);
        if (!peerShown) ranked.push(['wrong-host', 'possible', 'wrongHost']);
      }
      const parts = failureParts(ev);
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
            : {}),
        });
      }
    }
  },
});
