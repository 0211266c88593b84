/**
 * @module The own certificate of an SSL client PSE has an extended key usage without clientAuth: partners
 * that require mutual TLS refuse it (public CAs stop issuing clientAuth TLS certificates in 2026).
 */
import { certificateName, dateOf, reportCertificate } from '../certificate-facts.js';
import { defineRule } from '../define.js';
import { ownCertIsSent, pseFileArg, pseLabel, pseListEvents, reportPseOf } from '../pse-trust-lists.js';

/** The own certificate may authenticate a TLS client: no EKU at all, clientAuth, or anyExtendedKeyUsage. */
export function allowsClientAuth(eku: readonly string[] | undefined): boolean {
  if (eku === undefined) return true;
  return eku.includes('clientAuth') || eku.includes('anyExtendedKeyUsage');
}

export default defineRule({
  id: 'pse-client-cert-no-client-auth',
  causes: ['client-cert-rejected'],
  needs: ['trust-list'],
  kb: ['STRUST'],
  rank: 40,
  messages: () => ({
    noClientAuth: {
      title: 'The own certificate of {pse} is not valid for client authentication',
      summary:
        'The own certificate "{name}" of {pse} (issued by "{issuer|an unnamed CA}", valid until {date|an unknown date}) lists the purposes {eku} but not clientAuth. A partner that requires a client certificate (mutual TLS) rejects it: the handshake ends with an alert such as bad_certificate or unsupported_certificate. Public CAs stop including clientAuth in TLS server certificates during 2026, so a renewal from such a CA silently removes it.',
      steps: [
        'Ask your CA for a certificate with the extended key usage "TLS Web Client Authentication" (clientAuth), for example from a private or dedicated client-certificate CA; a public TLS server certificate no longer carries it.',
        'In STRUST open {node|the PSE} in change mode, "Create certificate request", have it signed with clientAuth, "Import certificate response" and save.',
        'On the host instead: "sapgenpse get_pse -p {pseFile} -r <request file>", then "sapgenpse import_own_cert -p {pseFile} -c <signed certificate> -r <CA certificate>".',
        'Tell the partners that map or pin this certificate (SM59 logon with certificate, X.509 user mapping) about the new one.',
      ],
      confirm: [
        '"sapgenpse get_my_name -p {pseFile} -v" shows the new certificate; "openssl x509 -noout -ext extendedKeyUsage" on it shows "TLS Web Client Authentication".',
      ],
    },
  }),
  check({ events }, { report }) {
    for (const event of pseListEvents(events['trust-list'])) {
      const list = event.list;
      const own = list.own;
      // Only SSL client identities present their certificate as a client; Anonymous never sends one.
      if (!own || list.context !== 'SSLC' || !ownCertIsSent(list)) continue;
      if (allowsClientAuth(own.extendedKeyUsage)) continue;
      report({
        message: 'noClientAuth',
        data: {
          pse: pseLabel(list),
          pseFile: pseFileArg(list),
          node: list.node,
          name: certificateName(own),
          issuer: own.issuer,
          date: own.notAfter ? dateOf(own.notAfter) : undefined,
          eku: (own.extendedKeyUsage ?? []).join(', ') || '(none)',
        },
        cause: 'client-cert-rejected',
        confidence: 'likely',
        severity: 'warning',
        events: [event],
        pse: reportPseOf(list),
        certificates: [reportCertificate(own, 'own')],
      });
    }
  },
});
