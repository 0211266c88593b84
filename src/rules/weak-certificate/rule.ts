/** @module A certificate is signed with MD5 or SHA-1, or carries a small key, which current TLS peers refuse. */

import { weaknessOf } from '../../pki/weakness.js';
import {
  certificateName,
  describePosition,
  judgedCertificates,
  reportCertificate,
} from '../certificate-facts.js';
import { defineRule } from '../define.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { probeMessages } from './probe-messages.js';

export { weaknessOf };

const STEPS = [
  'Replace the certificate with one signed with SHA-256 (or better) and an RSA key of at least 2048 bits (or EC P-256): for a server certificate ask its owner; for an own certificate create a new request in STRUST ({node|the PSE}) with the RSA:2048:SHA256 algorithm.',
  'Until then, a peer that refuses it (browsers, Java 17+, strict CommonCryptoLib settings) fails the handshake with an alert such as handshake_failure or bad_certificate.',
];

export default defineRule({
  id: 'weak-certificate',
  causes: ['weak-signature'],
  needs: ['certificates', 'sapgenpse', 'probe'],
  kb: ['STRUST'],
  rank: 60,
  messages: () => ({
    ...probeMessages(),
    weakHash: {
      title: 'Certificate "{name}" is signed with {detail}',
      summary:
        'The {what} {subject|without a subject} carries a {hash} signature. Browsers, current Java versions and many TLS servers no longer accept {hash} signatures on certificates.',
      steps: STEPS,
    },
    smallKey: {
      title: 'Certificate "{name}" has a small key ({detail})',
      summary:
        'The {what} {subject|without a subject} has a {detail} key; current TLS peers require at least RSA 2048 or EC P-256.',
      steps: STEPS,
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('weak-certificate', events.probe, now, ctx);
    for (const j of judgedCertificates(events.certificates, events.sapgenpse)) {
      for (const weak of weaknessOf(j.cert)) {
        const hash = weak.kind === 'md5' ? 'MD5' : 'SHA-1';
        report({
          message: weak.kind === 'md5' || weak.kind === 'sha1' ? 'weakHash' : 'smallKey',
          data: {
            name: certificateName(j.cert),
            subject: j.cert.subject || undefined,
            what: describePosition(j.position),
            detail: weak.detail,
            hash,
            node: j.pse?.node,
          },
          cause: 'weak-signature',
          confidence: 'certain',
          severity: weak.severity,
          events: [j.event],
          certificates: [reportCertificate(j.cert, j.position)],
          ...(j.pse ? { pse: j.pse } : {}),
        });
      }
    }
  },
});
