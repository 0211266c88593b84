/**
 * @module A chain to verify (`pse-doctor verify`), judged side by side as the ICM holding the PSE list
 * would (`sap-icm`), as a browser and as Java: one finding per problem, SAP codes and the import plan.
 */
import { defineRule } from '../define.js';
import { chainFindings } from './verdict-findings.js';

export default defineRule({
  id: 'chain-verdict',
  causes: [
    'untrusted-root',
    'missing-intermediate',
    'expired-peer-cert',
    'hostname-mismatch',
    'weak-signature',
    'unknown',
  ],
  needs: ['chain-check'],
  kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'STRUST'],
  citation: ['RFC 5280 §6', 'SAP Note 2368112'],
  rank: 10,
  messages: {
    // The verdict words every problem from the profile's facts (which list, which certificate, which
    // code), so the template carries them through.
    verdict: {
      title: '{title}',
      summary: '{summary}',
      confirm: ['{confirm}'],
    },
  },
  check({ events, now }, { report }) {
    for (const ev of events['chain-check']) {
      for (const f of chainFindings(ev, now)) {
        report({
          message: 'verdict',
          data: { title: f.title, summary: f.summary, confirm: f.confirm?.[0] },
          cause: f.cause,
          confidence: f.confidence,
          severity: f.severity,
          role: 'client',
          ...(f.target ? { target: f.target } : {}),
          ...(f.errorCode ? { errorCode: f.errorCode } : {}),
          ...(f.relatedCodes?.length ? { relatedCodes: f.relatedCodes } : {}),
          ...(f.pse ? { pse: f.pse } : {}),
          ...(f.certificates ? { certificates: f.certificates } : {}),
          ...(f.import ? { import: f.import } : {}),
          ...(f.parameters ? { parameters: f.parameters } : {}),
          leadSteps: f.steps,
          events: [ev],
          kb: f.kb,
        });
      }
    }
  },
});
