/**
 * @module Inbound (server role) client certificates: the client's CA is missing in the SSL server PSE, or a forwarding proxy is not trusted.
 */
import type { EvidenceEvent, MessageEvent } from '../../model/evidence.js';
import { describePse } from '../../pki/pse-nodes.js';
import { defineRule } from '../define.js';
import { toReportPse } from '../failure-facts.js';
import { buildImportPlan } from '../import-wording.js';

/** Entries of a call the SAP server refused (401/403) after TLS. */
const REFUSED_ENTRIES: ReadonlySet<string> = new Set(['HTTP_401_403_CERT_LOGON', 'CERT_LOGON_NO_USER']);

export default defineRule({
  id: 'inbound-client-cert',
  causes: ['untrusted-root', 'client-cert-rejected', 'client-cert-missing'],
  needs: ['inbound-cert'],
  uses: ['message'],
  kb: ['icm/HTTPS/verify_client', 'STRUST', 'SAPSSLS.pse'],
  citation: ['SAP Note 2052899'],
  rank: 16,
  messages: () => ({
    clientCaMissing: {
      title: 'The SAP server does not trust the client certificate {subject|of the caller}',
      summary:
        'The client sent a certificate{issuerClause}, but its CA is not in the certificate list of {node|SSL server Standard}, which is the list the ICM trusts for inbound client certificates.',
      steps: [
        'Import the CA that issued the client certificate ({issuer|see the trace}) into {node|SSL server Standard}: prefer the issuing CA, which limits inbound trust to that CA.',
        'Save in STRUST (TRUST086: ICM notified), otherwise restart the ICM.',
        'For certificate logon, map the certificate to a user (rule-based: login/certificate_mapping_rulebased = 1 and CERTRULE; or EXTID / SU01).',
      ],
      confirm: ['The ICM trace shows the client certificate accepted and the logon succeeds.'],
    },
    noClientCert: {
      title: 'The ICM received no client certificate, and the call was refused',
      summary:
        'The ICM trace shows the call without a client certificate ("{message}"), and the caller got "{status}". A logon with a client certificate cannot work when the certificate never reaches the ICM: the ICM does not ask for one, does not name the client\'s CA when it asks, or something in front of it ends TLS and does not pass the certificate on.',
      steps: [
        'Make the ICM ask for client certificates: icm/HTTPS/verify_client = 1 (dynamically changeable in RZ11; 2 requires one) or VCLIENT=1 on the HTTPS port in icm/server_port_<xx>.',
        "Import the CA that issued the client certificate into {node|SSL server Standard}: the ICM only asks for certificates of CAs in that PSE's certificate list, and a client offers none it has no match for.",
        'When a load balancer or Web Dispatcher ends TLS in front of the ICM, let it forward the certificate (SSL_CLIENT_CERT header, or re-encrypt with its own client certificate) and trust it with icm/trusted_reverse_proxy_<x> = SUBJECT="…", ISSUER="…" (SAP Note 2052899).',
        'Then map the certificate to a user (CERTRULE with login/certificate_mapping_rulebased = 1, or VUSREXTID).',
      ],
      confirm: [
        'The ICM trace at level 2 shows a certificate length and the peer subject for the call, and the call logs on.',
      ],
    },
    proxyNotTrusted: {
      title:
        'The forwarding proxy {subject|in front of the SAP system} is not trusted to pass client certificates',
      summary:
        'A reverse proxy / Web Dispatcher / Cloud Connector forwards the client certificate in a header, and the ICM rejects it: "{message}". The ICM accepts forwarded certificates only from intermediaries it trusts.',
      steps: [
        'Trust the intermediary: icm/trusted_reverse_proxy_<x> = SUBJECT="<its certificate subject>", ISSUER="<its issuer>" (SAP Note 2052899; older releases: icm/HTTPS/trust_client_with_issuer / _subject).',
        "Import the CA of the intermediary's own certificate into {node|SSL server Standard}, so the TLS connection from the intermediary is authenticated.",
        'Restart the ICM after the profile change; set the ICM trace level back to 1 afterwards.',
      ],
      confirm: [
        'The ICM trace no longer shows "intermediary is NOT trusted" and the user is logged on with the forwarded certificate.',
      ],
    },
  }),
  check({ events }, { report }) {
    const pse = describePse('SAPSSLS.pse');
    const messages = (events.message ?? []) as MessageEvent[];
    for (const ev of events['inbound-cert']) {
      // An anonymous client is normal (most browsers); beside a refused call of the same input it is the reason.
      if (ev.problem === 'no-client-cert') {
        const refused = messages.find(
          (m) => m.source.input === ev.source.input && REFUSED_ENTRIES.has(m.entry),
        );
        if (refused)
          report({
            message: 'noClientCert',
            data: { node: pse.node, message: ev.message, status: refused.text.trim() },
            cause: 'client-cert-missing',
            confidence: 'likely',
            severity: 'error',
            role: 'server',
            pse: toReportPse(pse, true),
            events: [ev, refused],
          });
        continue;
      }
      const list: EvidenceEvent[] = [ev];
      const data = {
        node: pse.node,
        subject: ev.subject,
        issuer: ev.issuer,
        issuerClause: ev.issuer ? ` issued by ${ev.issuer}` : undefined,
        message: ev.message,
      };
      if (ev.problem === 'client-cert-untrusted') {
        const plan = ev.issuer
          ? buildImportPlan({
              certificate: { subject: ev.issuer },
              kind: 'intermediate',
              source: 'not-found',
              pses: [pse],
            })
          : undefined;
        report({
          message: 'clientCaMissing',
          data,
          cause: 'untrusted-root',
          confidence: 'likely',
          severity: 'error',
          role: 'server',
          pse: toReportPse(pse, true),
          events: list,
          ...(plan ? { import: plan } : {}),
        });
      } else if (ev.problem === 'intermediary-not-trusted' || ev.problem === 'forwarded-cert-rejected') {
        report({
          message: 'proxyNotTrusted',
          data,
          cause: 'client-cert-rejected',
          confidence: 'likely',
          severity: 'error',
          role: 'server',
          pse: toReportPse(pse, true),
          events: list,
        });
      }
    }
  },
});
