/**
 * @module A PSE's certificate list holds end-entity (leaf) certificates instead of their CA: the call works
 * only until the partner renews its certificate, then fails with an untrusted peer.
 */
import { certificateName, dateOf, reportCertificate } from '../certificate-facts.js';
import { defineRule } from '../define.js';
import { pseFileArg, pseLabel, pseListEvents, reportPseOf, validityProblem } from '../pse-trust-lists.js';

export default defineRule({
  id: 'pse-pinned-leaf',
  causes: ['untrusted-root'],
  needs: ['trust-list'],
  kb: ['STRUST', 'SSSLERR_PEER_CERT_UNTRUSTED'],
  rank: 45,
  messages: () => ({
    pinned: {
      title: '{pse} trusts the server certificate "{name}" itself, not its CA',
      summary:
        'The certificate list of {pse} holds "{name}" (issued by "{issuer|an unnamed CA}", valid until {date|an unknown date}), which is an end-entity certificate, not a CA. Calls to that server work only until it gets a new certificate: renewals come every year or more often, and then the handshake fails with SSSLERR_PEER_CERT_UNTRUSTED.{more|}',
      steps: [
        'Get the root CA certificate of "{name}" (the top of its issuer chain; a probe of that server shows the chain it sends) and import the root into {node|the PSE} in STRUST ("Import certificate" → "Add to certificate list" → save).',
        'On the host instead: "sapgenpse maintain_pk -p {pseFile} -a <root CA file>".',
        'Once calls work through the CA, remove "{name}" from the certificate list ("sapgenpse maintain_pk -p {pseFile} -d <subject or list index>").',
      ],
      confirm: [
        '"sapgenpse maintain_pk -l -p {pseFile}" lists the CA certificate; a test call (SM59 "Connection Test") succeeds.',
      ],
    },
  }),
  check({ events, now }, { report }) {
    for (const event of pseListEvents(events['trust-list'])) {
      const list = event.list;
      // Only what the DER proves: `isCA === false` (a listing that does not show the flag is not judged).
      // Expired leaves are pse-trusted-cert-expired's finding.
      const leaves = list.certificates.filter((c) => c.isCA === false && !validityProblem(c, now));
      for (const leaf of leaves) {
        report({
          message: 'pinned',
          data: {
            pse: pseLabel(list),
            pseFile: pseFileArg(list),
            node: list.node,
            name: certificateName(leaf),
            issuer: leaf.issuer,
            date: leaf.notAfter ? dateOf(leaf.notAfter) : undefined,
            more: leaf.selfSigned
              ? ' It is self-signed, so there is no CA to trust instead: agree with the partner on a CA-issued certificate, or on exchanging the new certificate before each renewal.'
              : undefined,
          },
          cause: 'untrusted-root',
          confidence: 'certain',
          severity: 'warning',
          events: [event],
          pse: reportPseOf(list),
          certificates: [reportCertificate(leaf, 'trusted')],
        });
      }
    }
  },
});
