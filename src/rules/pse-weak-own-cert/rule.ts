/** @module The own certificate of a PSE (or its chain) is signed with MD5/SHA-1 or has a short key. */

import { weaknessOf } from '../../pki/weakness.js';
import { certificateName, reportCertificate } from '../certificate-facts.js';
import { defineRule } from '../define.js';
import { ownCertIsSent, pseFileArg, pseLabel, pseListEvents, reportPseOf } from '../pse-trust-lists.js';

export default defineRule({
  id: 'pse-weak-own-cert',
  causes: ['weak-signature'],
  needs: ['trust-list'],
  kb: ['STRUST'],
  rank: 60,
  messages: () => ({
    weakHash: {
      title: 'The {what} of {pse} is signed with {detail}',
      summary:
        'The {what} "{name}" of {pse} carries a {hash} signature. Browsers, current Java versions and many TLS servers refuse {hash}-signed certificates, so partners that check it fail the handshake.',
      steps: [
        'Create a new certificate request in STRUST for {node|the PSE} with a SHA-256 signature (algorithm RSA with 2048 bits and SHA-256, or ECDSA P-256), have the CA sign it with SHA-256, import the response and save.',
        'On the host: "sapgenpse get_pse -p {pseFile} -r <request file>" and "sapgenpse import_own_cert -p {pseFile} -c <signed certificate> -r <CA certificate>".',
      ],
    },
    smallKey: {
      title: 'The {what} of {pse} has a small key ({detail})',
      summary:
        'The {what} "{name}" of {pse} has a {detail} key; current TLS peers require at least RSA 2048 or EC P-256. A new key needs a new PSE (or a replaced key pair) and a new certificate.',
      steps: [
        'In STRUST choose "Replace" for {node|the PSE} with RSA 2048 (or more) and SHA-256, create the request, have it signed, import the response and save; then give partners that trust the certificate itself the new one.',
        'On the host: "sapgenpse gen_pse -a RSA:2048:SHA256 -p <new PSE> \\"<DN>\\"", then import the signed certificate and copy the trusted certificates over.',
      ],
    },
  }),
  check({ events }, { report }) {
    for (const event of pseListEvents(events['trust-list'])) {
      const list = event.list;
      // SSL client Anonymous never presents its certificate: its strength does not matter.
      if (!list.own || !ownCertIsSent(list)) continue;
      const judged = [
        { cert: list.own, what: 'own certificate', position: 'own' as const },
        ...(list.ownChain ?? [])
          .filter((c) => !c.selfSigned)
          .map((cert) => ({
            cert,
            what: 'CA certificate in the own chain',
            position: 'intermediate' as const,
          })),
      ];
      for (const { cert, what, position } of judged) {
        for (const weak of weaknessOf(cert)) {
          const hash = weak.kind === 'md5' ? 'MD5' : 'SHA-1';
          report({
            message: weak.kind === 'md5' || weak.kind === 'sha1' ? 'weakHash' : 'smallKey',
            data: {
              what,
              name: certificateName(cert),
              pse: pseLabel(list),
              pseFile: pseFileArg(list),
              node: list.node,
              detail: weak.detail,
              hash,
            },
            cause: 'weak-signature',
            confidence: 'certain',
            severity: weak.severity,
            events: [event],
            pse: reportPseOf(list),
            certificates: [reportCertificate(cert, position)],
          });
        }
      }
    }
  },
});
