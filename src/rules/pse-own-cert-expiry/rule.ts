/**
 * @module The own certificate of a PSE (or a CA of its own chain) expires within the warning windows
 * (30/90 days by default, `pse --warn-days`). Already expired or not yet valid is `own-cert-expired`'s finding.
 */

import type { Severity } from '../../model/cause.js';
import type { CertificateInfo } from '../../model/certificate.js';
import { certificateName, dateOf, daysUntil, reportCertificate } from '../certificate-facts.js';
import { defineRule, type Rule } from '../define.js';
import {
  ownCertIsSent,
  pseFileArg,
  pseLabel,
  pseListEvents,
  reportPseOf,
  validityProblem,
} from '../pse-trust-lists.js';

/**
 * Days before expiry that give a warning, then an info finding (`pse --warn-days 30,90`). With
 * `lifetimeShare` set (`landscape`), expiry is also judged against the certificate's lifetime: a warning
 * when less than `lifetimeShare` of it is left AND fewer than `lifetimeDays` days (so a 47-day
 * certificate is not "expiring" for most of its life), or fewer than `warningDays` whatever the lifetime;
 * the info window then needs less than `noticeShare` of the lifetime left too.
 */
export interface ExpiryWindows {
  warningDays: number;
  noticeDays: number;
  lifetimeShare?: number;
  lifetimeDays?: number;
  noticeShare?: number;
}

/** Share (0–1) of the validity period left at `now`; undefined when a date is missing. */
export function lifetimeLeft(cert: { notBefore?: string; notAfter?: string }, now: Date): number | undefined {
  if (!cert.notBefore || !cert.notAfter) return undefined;
  const from = Date.parse(cert.notBefore);
  const to = Date.parse(cert.notAfter);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return undefined;
  return Math.min(1, Math.max(0, (to - now.getTime()) / (to - from)));
}

/** `warning`, `info` or undefined (not expiring yet) for a valid certificate with `days` left. */
export function expiryLevel(
  cert: { notBefore?: string; notAfter?: string },
  days: number,
  now: Date,
  windows: ExpiryWindows,
): 'warning' | 'info' | undefined {
  if (windows.lifetimeShare === undefined) {
    if (days <= windows.warningDays) return 'warning';
    return days <= windows.noticeDays ? 'info' : undefined;
  }
  const share = lifetimeLeft(cert, now) ?? 0;
  if (days <= windows.warningDays) return 'warning';
  if (share < windows.lifetimeShare && days < (windows.lifetimeDays ?? Number.POSITIVE_INFINITY))
    return 'warning';
  if (days <= windows.noticeDays && share < (windows.noticeShare ?? 1)) return 'info';
  return undefined;
}

function lifetimeDaysOf(cert: { notBefore?: string; notAfter?: string }): number {
  return Math.round((Date.parse(cert.notAfter ?? '') - Date.parse(cert.notBefore ?? '')) / 86_400_000);
}

export const DEFAULT_EXPIRY_WINDOWS: ExpiryWindows = { warningDays: 30, noticeDays: 90 };

const RENEW_STEPS = [
  'Renew it in STRUST: open {node|the PSE} in change mode, "Create certificate request", have your CA sign the request, then "Import certificate response" and save.',
  'On the host instead: "sapgenpse get_pse -p {pseFile} -r <request file>" (add -x <PIN> when the PSE has one), sign the request, then "sapgenpse import_own_cert -p {pseFile} -c <signed certificate> -r <CA certificate>".',
  'A self-signed own certificate: in STRUST choose "Replace" (or recreate the PSE) and hand the new certificate to the partners that trust it directly.',
  'Partners that trust this certificate itself (SNC partners, pinned clients) need the new one; partners that trust its CA need nothing.',
  'Restart the component that holds the PSE open (ICM: SMICM → Administration → ICM → Exit Soft) unless STRUST reported TRUST086.',
];

/** The rule with chosen windows; the default export uses 30 and 90 days. */
export function createPseOwnCertExpiryRule(windows: ExpiryWindows = DEFAULT_EXPIRY_WINDOWS): Rule {
  return defineRule({
    id: 'pse-own-cert-expiry',
    causes: ['expired-own-cert'],
    needs: ['trust-list'],
    kb: ['STRUST'],
    rank: 30,
    messages: () => ({
      expiresSoon: {
        title: 'The {what} of {pse} expires in {days} days ({date})',
        summary:
          'The {what} "{subject}" of {pse} is valid until {notAfter}{lifetimeNote|}.{anonymousNote|} Renew it before then to avoid an outage.',
        steps: RENEW_STEPS,
      },
    }),
    check({ events, now }, { report }) {
      for (const event of pseListEvents(events['trust-list'])) {
        const list = event.list;
        if (!list.own) continue;
        const sent = ownCertIsSent(list);
        const judged: { cert: CertificateInfo; what: string; own: boolean }[] = [
          { cert: list.own, what: 'own certificate', own: true },
          ...(list.ownChain ?? [])
            .filter((c) => !c.selfSigned)
            .map((cert) => ({ cert, what: 'CA certificate in the own chain', own: false })),
        ];
        for (const { cert, what, own } of judged) {
          // Expired and not-yet-valid certificates are own-cert-expired's finding: no second one here.
          if (validityProblem(cert, now) || !cert.notAfter) continue;
          const days = daysUntil(cert.notAfter, now);
          const level = expiryLevel(cert, days, now, windows);
          if (!level) continue;
          const data = {
            what,
            pse: pseLabel(list),
            pseFile: pseFileArg(list),
            node: list.node,
            name: certificateName(cert),
            subject: cert.subject,
            notBefore: cert.notBefore,
            notAfter: cert.notAfter,
            anonymousNote:
              own && !sent
                ? ' SSL client Anonymous never sends this certificate, so this is housekeeping only.'
                : undefined,
          };
          const common = {
            cause: 'expired-own-cert' as const,
            confidence: 'certain' as const,
            events: [event],
            pse: reportPseOf(list),
            certificates: [reportCertificate(cert, own ? 'own' : 'intermediate')],
          };
          const severity: Severity = !sent ? 'info' : level;
          const share = lifetimeLeft(cert, now);
          report({
            message: 'expiresSoon',
            data: {
              ...data,
              date: dateOf(cert.notAfter),
              days,
              lifetimeNote:
                windows.lifetimeShare !== undefined && share !== undefined
                  ? ` (${Math.round(share * 100)}% of its ${lifetimeDaysOf(cert)}-day lifetime left)`
                  : undefined,
            },
            severity,
            ...common,
          });
        }
      }
    },
  });
}

export default createPseOwnCertExpiryRule();
