/**
 * @module The instances of one system hold different copies of one PSE (distribution from STRUST failed,
 * a certificate added with sapgenpse on one host only): a call works on one instance and fails on another.
 */
import type { CertificateInfo } from '../../model/certificate.js';
import type { EvidenceEvent } from '../../model/evidence.js';
import { reportCertificate } from '../certificate-facts.js';
import { defineRule } from '../define.js';
import { certificateKey, certificateLabel, groupLandscape, instancesText } from '../landscape-lists.js';
import { reportPseOf } from '../pse-trust-lists.js';

/** Most certificates named in one finding's text (all are in `certificates`). */
const MAX_NAMED = 8;

export default defineRule({
  id: 'landscape-pse-drift',
  causes: ['untrusted-root', 'own-cert-rejected'],
  needs: ['trust-list'],
  kb: ['STRUST', 'TRUST086'],
  rank: 35,
  messages: () => ({
    listDrift: {
      title: '{pse} differs between the instances of {system}: {count} certificate(s) not on every instance',
      summary:
        'The certificate list of {pse} is not the same on every instance of {system} ({instances}). {differences}. A call that needs one of these CAs works on some instances and fails with SSSLERR_PEER_CERT_UNTRUSTED on the others, depending on which instance runs it.',
      steps: [
        'Decide which list is right (usually the one in STRUST): open {node|the PSE} in STRUST on {system} and compare its certificate list with the differences above.',
        'Import what is missing in STRUST ("Import certificate" → "Add to certificate list") and save: STRUST writes the PSE from the database to every application server.',
        'A copy changed only with sapgenpse on one host is overwritten by that distribution: redo such changes in STRUST so they survive.',
        'Restart the ICM of instances where STRUST did not report TRUST086 (SMICM → Administration → ICM → Exit Soft).',
      ],
      confirm: ['"pse-doctor landscape" on a fresh collection no longer reports this difference.'],
    },
    ownDrift: {
      title: '{pse} has {count} different own certificates across the instances of {system}',
      summary:
        'The own certificate of {pse} differs between the instances of {system}: {differences}. This PSE is system-wide, so partners see a different client or system identity depending on the instance that makes the call, and one of the copies was not distributed from STRUST.',
      steps: [
        'Open {node|the PSE} in STRUST on {system}: the certificate shown there is the one in the database. Save it to distribute it to every instance.',
        'If the newer certificate is on one host only (created with sapgenpse there), import that PSE into STRUST first ("PSE" → "Import"), then save.',
      ],
      confirm: ['"sapgenpse get_my_name -p {pseFile} -v" shows the same certificate on every instance.'],
    },
  }),
  check({ events }, { report }) {
    for (const sys of groupLandscape(events['trust-list'])) {
      for (const { name, at } of sys.byPse.values()) {
        const copies = [...at.values()].filter((c) => c.list);
        if (copies.length < 2) continue;
        const first = copies[0]?.list;
        if (!first) continue;
        const common = {
          pse: `${name}${first.node ? ` (${first.node})` : ''}`,
          pseFile: name,
          node: first.node,
          system: sys.system,
          instances: instancesText(copies.map((c) => c.instance)),
        };
        const sources: EvidenceEvent[] = copies.map((c) => c.event);

        // Trusted certificates: which are not on every copy, and where they are.
        const where = new Map<string, { cert: CertificateInfo; on: string[] }>();
        for (const c of copies) {
          for (const cert of c.list?.certificates ?? []) {
            const key = certificateKey(cert);
            const entry = where.get(key) ?? { cert, on: [] };
            entry.on.push(c.instance);
            where.set(key, entry);
          }
        }
        const uneven = [...where.values()].filter((e) => e.on.length < copies.length);
        if (uneven.length) {
          const all = copies.map((c) => c.instance);
          const texts = uneven.slice(0, MAX_NAMED).map((e) => {
            const missing = all.filter((i) => !e.on.includes(i));
            return `${certificateLabel(e.cert)} is on ${instancesText(e.on)} but not on ${instancesText(missing)}`;
          });
          if (uneven.length > MAX_NAMED) texts.push(`and ${uneven.length - MAX_NAMED} more`);
          report({
            message: 'listDrift',
            data: { ...common, count: uneven.length, differences: texts.join('; ') },
            cause: 'untrusted-root',
            confidence: 'certain',
            severity: 'warning',
            events: sources,
            landscape: { system: sys.system, instances: copies.map((c) => c.instance) },
            pse: { ...reportPseOf(first), file: name },
            certificates: uneven.map((e) => reportCertificate(e.cert, 'trusted')),
          });
        }

        // Own certificates: SSL server PSEs may be instance-specific (one host name each), others are system-wide.
        if (first.context === 'SSLS') continue;
        const owns = new Map<string, { cert: CertificateInfo; on: string[] }>();
        for (const c of copies) {
          const own = c.list?.own;
          const key = own ? certificateKey(own) : '(none)';
          const entry = owns.get(key) ?? { cert: own ?? { subject: '(no own certificate)' }, on: [] };
          entry.on.push(c.instance);
          owns.set(key, entry);
        }
        if (owns.size > 1) {
          const texts = [...owns.values()].map(
            (e) => `${certificateLabel(e.cert)} on ${instancesText(e.on)}`,
          );
          report({
            message: 'ownDrift',
            data: { ...common, count: owns.size, differences: texts.join('; ') },
            cause: 'own-cert-rejected',
            confidence: 'certain',
            severity: 'warning',
            events: sources,
            landscape: { system: sys.system, instances: copies.map((c) => c.instance) },
            pse: { ...reportPseOf(first), file: name },
            certificates: [...owns.values()]
              .filter((e) => e.cert.sha256 || e.cert.notAfter)
              .map((e) => reportCertificate(e.cert, 'own')),
          });
        }
      }
    }
  },
});
