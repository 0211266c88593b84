/**
 * @module A certificate given as a file (a chain to judge) is expired, not yet valid or about to expire.
 * Own certificates of PSEs and listings are the `own-cert-expired` rule's business.
 */

import {
  certificateName,
  dateOf,
  daysUntil,
  describePosition,
  judgedCertificates,
  reportCertificate,
} from '../certificate-facts.js';
import { defineRule } from '../define.js';

/** Certificates ending within this many days are reported as a warning. */
export const EXPIRY_WARNING_DAYS = 30;

const PEER_STEPS = [
  'The owner of the server (or the CA chain) must renew the certificate; SAP cannot work around an expired peer certificate.',
  'If the server was renewed already, the name may resolve to an old host: compare the peer IP of the call with the server the owner renewed.',
  'For a CA certificate in a PSE list: import the renewed CA certificate in STRUST ({where|the PSE that holds it}) and save.',
];

export default defineRule({
  id: 'certificate-validity',
  causes: ['expired-peer-cert'],
  needs: ['certificates'],
  // Certificates pasted beside a recognised message are judged with that message (kb-message).
  uses: ['message'],
  kb: ['STRUST'],
  rank: 40,
  messages: () => ({
    expired: {
      title: 'Certificate "{name}" expired on {date}',
      summary:
        'The {what} {subject|without a subject} was valid until {notAfter} ({days} days ago). TLS peers, SAP ICM included, reject a chain with an expired member.',
      steps: PEER_STEPS,
      confirm: [
        {
          text: '"pse-doctor cert" on the renewed certificate shows a validity that includes today.',
          web: 'The renewed certificate, analyzed here, shows a validity that includes today.',
          action: { kind: 'field', page: 'analyze' },
        },
      ],
    },
    notYetValid: {
      title: 'Certificate "{name}" is not valid before {date}',
      summary:
        'The {what} {subject|without a subject} becomes valid only on {notBefore} (in {days} days). Either it was issued for a later date or the clock of one side is wrong.',
      steps: [
        'Check the system clock of the SAP host and of the server (NTP).',
        'If the clock is right, the certificate was installed too early: use the previous one until {date}.',
      ],
    },
    expiresSoon: {
      title: 'Certificate "{name}" expires in {days} days ({date})',
      summary:
        'The {what} {subject|without a subject} is valid until {notAfter}. Renew it before then to avoid an outage.',
      steps: PEER_STEPS,
    },
  }),
  check({ events, now }, { report }) {
    const withMessages = new Set((events.message ?? []).map((e) => e.source.input));
    const judged = events.certificates.filter((e) => !(e.pasted && withMessages.has(e.source.input)));
    for (const j of judgedCertificates(judged, [])) {
      const { cert } = j;
      const base = {
        name: certificateName(cert),
        subject: cert.subject || undefined,
        what: describePosition(j.position),
        notBefore: cert.notBefore,
        notAfter: cert.notAfter,
      };
      const common = {
        events: [j.event],
        certificates: [reportCertificate(cert, j.position)],
      };
      const cause = 'expired-peer-cert' as const;
      if (cert.notAfter && Date.parse(cert.notAfter) < now.getTime()) {
        report({
          message: 'expired',
          data: {
            ...base,
            date: dateOf(cert.notAfter),
            days: Math.floor((now.getTime() - Date.parse(cert.notAfter)) / 86_400_000),
          },
          cause,
          confidence: 'certain',
          severity: 'error',
          ...common,
        });
      } else if (cert.notBefore && Date.parse(cert.notBefore) > now.getTime()) {
        report({
          message: 'notYetValid',
          data: { ...base, date: dateOf(cert.notBefore), days: daysUntil(cert.notBefore, now) + 1 },
          cause,
          confidence: 'certain',
          severity: 'error',
          ...common,
        });
      } else if (cert.notAfter && daysUntil(cert.notAfter, now) <= EXPIRY_WARNING_DAYS) {
        report({
          message: 'expiresSoon',
          data: { ...base, date: dateOf(cert.notAfter), days: Math.max(0, daysUntil(cert.notAfter, now)) },
          cause,
          confidence: 'certain',
          severity: 'warning',
          ...common,
        });
      }
    }
  },
});
