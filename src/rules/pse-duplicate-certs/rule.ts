/**
 * @module A PSE's certificate list holds the same certificate twice, or two different certificates with
 * the same subject: chain building may pick either, so a list that looks right can still fail.
 */
import type { CertificateInfo } from '../../model/certificate.js';
import { normalizeDn } from '../../pki/dn.js';
import { certificateName, reportCertificate } from '../certificate-facts.js';
import { defineRule } from '../define.js';
import { pseFileArg, pseLabel, pseListEvents, reportPseOf } from '../pse-trust-lists.js';

/** Group certificates of one list by subject; groups of two or more are same-name duplicates. */
function sameSubjectGroups(
  certs: readonly CertificateInfo[],
  keys: Map<string, string>,
): CertificateInfo[][] {
  const keyOf = (cert: CertificateInfo): string => {
    let key = keys.get(cert.subject);
    if (key === undefined) {
      try {
        key = normalizeDn(cert.subject);
      } catch {
        key = cert.subject;
      }
      keys.set(cert.subject, key);
    }
    return key;
  };
  // Most lists name every subject once: find that out before grouping anything.
  const seen = new Set<string>();
  let repeated = false;
  for (let i = 0; i < certs.length && !repeated; i++) {
    const key = keyOf(certs[i] as CertificateInfo);
    if (seen.has(key)) repeated = true;
    else seen.add(key);
  }
  if (!repeated) return [];
  const groups = new Map<string, CertificateInfo[]>();
  for (const cert of certs) {
    const key = keyOf(cert);
    const group = groups.get(key);
    if (group) group.push(cert);
    else groups.set(key, [cert]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

export default defineRule({
  id: 'pse-duplicate-certs',
  // Two CAs with one name make the PSE's trust depend on which one the library picks.
  causes: ['untrusted-root'],
  needs: ['trust-list'],
  kb: ['STRUST'],
  rank: 80,
  messages: () => ({
    sameCertificate: {
      title: '"{name}" is in the certificate list of {pse} {count} times',
      summary:
        'The certificate list of {pse} holds the same certificate (SHA-256 {sha256}) {count} times. It does no harm to verification but makes the list harder to maintain, and shows it was edited outside STRUST.',
      steps: [
        'In STRUST open {node|the PSE} in change mode, remove the extra copies from the certificate list and save (or "sapgenpse maintain_pk -p {pseFile} -d <list index>").',
      ],
    },
    sameSubject: {
      title: '{count} different certificates named "{name}" in {pse}',
      summary:
        'The certificate list of {pse} holds {count} different certificates with the subject {subject}{expiredNote|}. When a chain is built, either may be chosen; if it is the wrong one, verification fails although the right CA seems present.',
      steps: [
        'Compare the certificates (validity, key, SHA-256) with the CA certificate your partners actually chain to; keep that one.',
        'In STRUST open {node|the PSE} in change mode, remove the others from the certificate list and save (or "sapgenpse maintain_pk -p {pseFile} -d <list index>").',
      ],
    },
  }),
  check({ events, now }, { report }) {
    // The same CAs recur in every PSE of a folder: normalise each subject once.
    const keys = new Map<string, string>();
    for (const event of pseListEvents(events['trust-list'])) {
      const list = event.list;
      const base = { pse: pseLabel(list), pseFile: pseFileArg(list), node: list.node };
      for (const dup of list.duplicates ?? []) {
        const cert = list.certificates.find((c) => c.sha256 === dup.sha256);
        report({
          message: 'sameCertificate',
          data: {
            ...base,
            name: cert ? certificateName(cert) : dup.subject,
            count: dup.count,
            sha256: dup.sha256,
          },
          cause: 'untrusted-root',
          confidence: 'certain',
          severity: 'info',
          events: [event],
          pse: reportPseOf(list),
          ...(cert ? { certificates: [reportCertificate(cert, 'trusted')] } : {}),
        });
      }
      for (const group of sameSubjectGroups(list.certificates, keys)) {
        const first = group[0] as CertificateInfo;
        const expired = group.filter((c) => c.notAfter && Date.parse(c.notAfter) < now.getTime()).length;
        report({
          message: 'sameSubject',
          data: {
            ...base,
            name: certificateName(first),
            subject: first.subject,
            count: group.length,
            expiredNote: expired > 0 ? ` (${expired} of them expired)` : undefined,
          },
          cause: 'untrusted-root',
          confidence: 'possible',
          severity: expired > 0 ? 'warning' : 'info',
          events: [event],
          pse: reportPseOf(list),
          certificates: group.map((c) => reportCertificate(c, 'trusted')),
        });
      }
    }
  },
});
