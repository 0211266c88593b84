/** @module An own certificate (of a PSE, or a CA of its chain) is expired or not yet valid: sapgenpse listings, PSE files. */
import type { CertificateInfo } from '../../model/certificate.js';
import type { EvidenceEvent, SapgenpseEvent, TrustListEvent } from '../../model/evidence.js';
import { dnValue } from '../../pki/dn.js';
import { describePse } from '../../pki/pse-nodes.js';
import { validityAt } from '../cert-dates.js';
import { defineRule } from '../define.js';
import { toReportPse } from '../failure-facts.js';

export default defineRule({
  id: 'own-cert-expired',
  causes: ['expired-own-cert'],
  needs: ['sapgenpse', 'trust-list'],
  kb: ['STRUST', 'TRUST086'],
  rank: 50,
  messages: () => ({
    expired: {
      title: 'The own certificate of {pse|the PSE}{where|} {state}{until}',
      summary:
        'The own certificate{subjectClause} of {pse|the PSE}{nodeClause} {state}{until}. Peers reject it (or the SAP side refuses to use it): renew it with a new certificate request.',
      steps: [
        'STRUST: open {node|the PSE node} → "Create Certificate Request" (same DN, or a new key pair) → have the CA sign it → "Import Certificate Response" with the full chain → Save.',
        'On the host without STRUST (SAProuter, Web Dispatcher, HANA): "sapgenpse get_pse -p {pseBase|<PSE>} -r <new.csr>" then "sapgenpse import_own_cert -p {pseBase|<PSE>} -c <signed.crt> -r <CA.crt>".',
        'Restart the program that uses the PSE (ICM: TRUST086 after saving means it was notified).',
      ],
      confirm: ['"sapgenpse get_my_name -p {pseBase|<PSE>} -v" shows the new NotAfter date.'],
    },
    anonymous: {
      title: 'The own certificate of {pse|SAPSSLA.pse} (SSL client Anonymous) {state}{until}: harmless',
      summary:
        'The own certificate{subjectClause} of {pse|SAPSSLA.pse} (STRUST: SSL client Anonymous) {state}{until}. This does not break any call: the Anonymous identity never sends its certificate to a peer (calls through it log on without a client certificate), so nobody checks its dates. Only its certificate list, the CAs it trusts, matters.',
      steps: [
        'Nothing to do for outbound calls. To silence expiry monitoring, renew it in STRUST (SSL client Anonymous → Replace → Save), keeping the certificate list.',
        'If a call must present a client certificate, it needs SSL client Standard (DFAULT) or an own SSL client identity, not Anonymous: set that in SM59 → Logon & Security → SSL Certificate.',
      ],
    },
  }),
  check({ events, now }, { report }) {
    const handle = (
      own: CertificateInfo | undefined,
      pseFile: string | undefined,
      ev: EvidenceEvent,
      chainCa?: CertificateInfo,
      where?: { system: string; instance: string },
    ) => {
      const cert = chainCa ?? own;
      if (!cert) return;
      const state = validityAt(cert, now);
      if (state !== 'expired' && state !== 'not-yet-valid') return;
      const pse = pseFile ? describePse(pseFile) : undefined;
      // SSL client Anonymous (SAPSSLA.pse, own certificate CN=anonymous) never presents its certificate.
      const anonymous =
        pse?.application === 'ANONYM' ||
        (own !== undefined && dnValue(own.subject, 'CN')?.trim().toLowerCase() === 'anonymous');
      report({
        message: anonymous ? 'anonymous' : 'expired',
        data: {
          pse: pse?.basename ?? pseFile,
          pseBase: pse?.basename,
          node: pse?.node,
          nodeClause: pse?.node ? ` (STRUST: ${pse.node})` : undefined,
          where: where ? ` on ${where.system}/${where.instance}` : undefined,
          subjectClause: cert.subject ? ` ${chainCa ? 'chain CA ' : ''}${cert.subject}` : undefined,
          state:
            state === 'expired'
              ? chainCa
                ? 'has an expired CA in its chain'
                : 'is expired'
              : 'is not yet valid',
          until:
            state === 'expired' && cert.notAfter
              ? ` (NotAfter ${cert.notAfter})`
              : state === 'not-yet-valid' && cert.notBefore
                ? ` (NotBefore ${cert.notBefore})`
                : undefined,
        },
        cause: 'expired-own-cert',
        confidence: 'certain',
        severity: anonymous ? 'info' : 'error',
        events: [ev],
        ...(pse ? { pse: toReportPse(pse) } : {}),
        ...(pse?.role ? { role: pse.role } : {}),
        certificates: [
          {
            subject: cert.subject || '(subject not shown)',
            position: chainCa ? 'intermediate' : 'own',
            ...(cert.issuer ? { issuer: cert.issuer } : {}),
            ...(cert.notBefore ? { notBefore: cert.notBefore } : {}),
            ...(cert.notAfter ? { notAfter: cert.notAfter } : {}),
            ...(cert.serial ? { serial: cert.serial } : {}),
            ...(cert.sha256 ? { sha256: cert.sha256 } : {}),
          },
        ],
      });
    };
    for (const ev of events.sapgenpse as SapgenpseEvent[]) {
      if (ev.request) continue; // a certificate request has no validity of its own
      handle(ev.own, ev.pseFile, ev);
    }
    for (const ev of events['trust-list'] as TrustListEvent[]) {
      const where = ev.list.landscape;
      handle(ev.list.own, ev.list.file ?? ev.list.basename, ev, undefined, where);
      for (const ca of ev.list.ownChain ?? [])
        if (!ca.selfSigned || validityAt(ca, now) === 'expired')
          handle(ev.list.own, ev.list.file, ev, ca, where);
    }
  },
});
