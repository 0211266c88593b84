/** @module Certificates in a PSE's certificate list are expired (or not yet valid): dead weight, sometimes a trap. */
import type { CertificateInfo } from '../../model/certificate.js';
import { certificateName, dateOf, reportCertificate } from '../certificate-facts.js';
import { defineRule } from '../define.js';
import { pseFileArg, pseLabel, pseListEvents, reportPseOf, validityProblem } from '../pse-trust-lists.js';

export default defineRule({
  id: 'pse-trusted-cert-expired',
  causes: ['expired-own-cert'],
  needs: ['trust-list'],
  kb: ['STRUST'],
  rank: 70,
  messages: () => ({
    expired: {
      title: '{count} expired certificate(s) in the certificate list of {pse}',
      summary:
        '{pse} trusts {count} certificate(s) that are no longer valid (first: "{first}", expired {firstDate}). They verify nothing; when a renewed CA has the same name, the expired one can be picked while building a chain and the connection fails as if the CA were expired.',
      steps: [
        'In STRUST open {node|the PSE} in change mode, select each expired certificate in the certificate list, "Remove certificate", then save.',
        'On the host instead: "sapgenpse maintain_pk -p {pseFile} -d <subject or list index>" for each (see "sapgenpse maintain_pk -l -p {pseFile}").',
        'Make sure the renewed CA certificate is in the list before removing an old one that partners still chain to.',
      ],
    },
    notYetValid: {
      title: '{count} certificate(s) in the certificate list of {pse} are not valid yet',
      summary:
        '{pse} trusts {count} certificate(s) whose validity starts in the future (first: "{first}", from {firstDate}). Check the host clock; until then they verify nothing.',
      steps: ['Check the system clock of the host (NTP).'],
    },
  }),
  check({ events, now }, { report }) {
    for (const event of pseListEvents(events['trust-list'])) {
      const list = event.list;
      // Each certificate judged once, then listed under its problem (in list order).
      const byProblem = { expired: [] as CertificateInfo[], 'not-yet-valid': [] as CertificateInfo[] };
      list.certificates.forEach((c) => {
        const problem = validityProblem(c, now);
        if (problem) byProblem[problem].push(c);
      });
      for (const kind of ['expired', 'not-yet-valid'] as const) {
        const certs = byProblem[kind];
        const first = certs[0];
        if (!first) continue;
        const date = kind === 'expired' ? first.notAfter : first.notBefore;
        report({
          message: kind === 'expired' ? 'expired' : 'notYetValid',
          data: {
            pse: pseLabel(list),
            pseFile: pseFileArg(list),
            node: list.node,
            count: certs.length,
            first: certificateName(first),
            firstDate: date ? dateOf(date) : undefined,
          },
          cause: 'expired-own-cert',
          confidence: 'certain',
          severity: 'info',
          events: [event],
          pse: reportPseOf(list),
          certificates: certs.map((c) => reportCertificate(c, 'trusted')),
        });
      }
    }
  },
});
