/**
 * @module The two standard SSL client PSEs of one sec folder trust different CAs: a call that works
 * through SSL client Standard (SAPSSLC) fails through SSL client Anonymous (SAPSSLA), or the other way.
 */
import type { CertificateInfo, TrustList } from '../../model/certificate.js';
import type { TrustListEvent } from '../../model/evidence.js';
import type { ImportPlan } from '../../model/report.js';
import { sameDn } from '../../pki/dn.js';
import { AFTER_STRUST_IMPORT } from '../../pki/strust-steps.js';
import { certificateName, dateOf, reportCertificate } from '../certificate-facts.js';
import { defineRule } from '../define.js';
import {
  certificateFileName,
  isCaCertificate,
  pseFileArg,
  pseLabel,
  pseListEvents,
  reportPseOf,
  validityProblem,
} from '../pse-trust-lists.js';

/** Most missing certificates spelled out as commands. */
const MAX_COMMANDS = 20;

/** The folder part of a path (`/usr/sap/ABC/D00/sec`), so only PSEs of one folder are compared. */
function folderOf(list: TrustList): string {
  const file = list.file ?? '';
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut >= 0 ? file.slice(0, cut) : '';
}

/**
 * Does `list` hold `cert` or a certificate with its name and key (a re-issued CA verifies the same)?
 * `shas`: the SHA-256 of every certificate in `list`, which settles the common case at once.
 */
function holds(list: TrustList, shas: ReadonlySet<string | undefined>, cert: CertificateInfo): boolean {
  if (cert.sha256 && shas.has(cert.sha256)) return true;
  const serial = cert.serial ? serialDigits(cert.serial) : undefined;
  return list.certificates.some(
    (c) =>
      (c.sha256 && c.sha256 === cert.sha256) ||
      (c.subjectKeyId && c.subjectKeyId === cert.subjectKeyId && sameDn(c.subject, cert.subject)) ||
      // A sapgenpse listing shows no SHA-256 and no key id, but issuer and serial name one certificate.
      (c.serial &&
        serial !== undefined &&
        serialDigits(c.serial) === serial &&
        c.issuer &&
        cert.issuer &&
        sameDn(c.issuer, cert.issuer) &&
        sameDn(c.subject, cert.subject)),
  );
}

/** A serial as its significant hex digits (`00:1A:2b` → `1a2b`): two serials are the same when these are. */
function serialDigits(serial: string): string {
  return serial
    .replace(/[^0-9a-fA-F]/g, '')
    .replace(/^0+/, '')
    .toLowerCase();
}

export default defineRule({
  id: 'pse-client-lists-differ',
  causes: ['untrusted-root'],
  needs: ['trust-list'],
  kb: ['SAPSSLA.pse', 'SAPSSLC.pse', 'STRUST', 'SSSLERR_PEER_CERT_UNTRUSTED'],
  rank: 50,
  messages: () => ({
    missing: {
      title: '{count} CA certificate(s) trusted in {from} are missing in {to}',
      summary:
        '{to} lacks {count} valid CA certificate(s) that {from} trusts (first: "{first}"). Calls that use {toNode} — {usedBy} — fail with SSSLERR_PEER_CERT_UNTRUSTED for servers whose chain ends in one of them, while the same call through {fromNode} works. Import them into {to} if those servers are called that way.',
      steps: [
        {
          text: 'Export the certificates: "pse-doctor pse {fromFile} --export-trusted <folder>" writes each as a PEM file.',
          web: 'Export the certificates from {fromNode} in STRUST (double-click each → Export, Base64), or with sapgenpse export on the application server.',
        },
        'In STRUST open {toNode} in change mode, "Import certificate" for each file, "Add to Certificate List".',
        ...AFTER_STRUST_IMPORT,
      ],
      confirm: [
        {
          text: '"pse-doctor pse {folder}" no longer reports this difference.',
          web: 'Opening the PSE files again (PSE page) no longer reports this difference.',
          action: { kind: 'field', page: 'pse' },
        },
      ],
    },
  }),
  check({ events, now }, { report }) {
    const byFolder = new Map<string, { anonym?: TrustListEvent; dfault?: TrustListEvent }>();
    for (const event of pseListEvents(events['trust-list'])) {
      const { list } = event;
      if (list.context !== 'SSLC' || (list.application !== 'ANONYM' && list.application !== 'DFAULT'))
        continue;
      const folder = folderOf(list);
      const pair = byFolder.get(folder) ?? {};
      if (list.application === 'ANONYM') pair.anonym ??= event;
      else pair.dfault ??= event;
      byFolder.set(folder, pair);
    }
    for (const [folder, { anonym, dfault }] of byFolder) {
      if (!anonym || !dfault) continue;
      for (const [from, to] of [
        [dfault, anonym],
        [anonym, dfault],
      ] as const) {
        const toShas = new Set(to.list.certificates.map((c) => c.sha256));
        const missing = from.list.certificates.filter(
          (c) => isCaCertificate(c) && !validityProblem(c, now) && !holds(to.list, toShas, c),
        );
        const first = missing[0];
        if (!first) continue;
        const toFile = pseFileArg(to.list);
        const commands = missing
          .slice(0, MAX_COMMANDS)
          .map((c) => `sapgenpse maintain_pk -p ${toFile} -a ${certificateFileName(c)}`);
        const plan: ImportPlan | undefined =
          missing.length === 1
            ? {
                subject: first.subject,
                kind: first.selfSigned ? 'root' : 'intermediate',
                ...(first.sha256 ? { sha256: first.sha256 } : {}),
                ...(first.notAfter ? { notAfter: first.notAfter } : {}),
                ...(first.pem ? { pem: first.pem } : {}),
                source: 'input',
                into: [{ ...(to.list.node ? { node: to.list.node } : {}), file: toFile }],
                commands,
                fileName: certificateFileName(first),
                reason: `Already trusted in ${pseLabel(from.list)}.`,
              }
            : undefined;
        report({
          message: 'missing',
          data: {
            from: pseLabel(from.list),
            to: pseLabel(to.list),
            fromNode: from.list.node,
            toNode: to.list.node,
            fromFile: from.list.file ?? pseFileArg(from.list),
            folder: folder || '.',
            count: missing.length,
            first: `${certificateName(first)}${first.notAfter ? `, valid until ${dateOf(first.notAfter)}` : ''}`,
            usedBy:
              to.list.application === 'ANONYM'
                ? 'abapGit and SM59 / SOAMANAGER destinations set to "SSL client Anonymous"'
                : 'SM59 / SOAMANAGER destinations set to "SSL client Standard" (DFAULT)',
          },
          cause: 'untrusted-root',
          confidence: 'possible',
          severity: 'info',
          events: [from, to],
          pse: reportPseOf(to.list),
          certificates: missing.map((c) => reportCertificate(c, c.selfSigned ? 'root' : 'intermediate')),
          ...(plan ? { import: plan } : { leadSteps: commands.map((c) => `On the host: ${c}`) }),
        });
      }
    }
  },
});
