/**
 * @module Questions admins ask in words land on the how-to entry for that task first (a table of
 * question → expected entry), so `explain` answers tasks as well as codes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lookup } from './index.js';

const QUESTIONS: Array<[question: string, expected: string]> = [
  ['where do I get the missing certificate', 'HOWTO_OBTAIN_ROOT_CA'],
  ['where can I download the missing root CA certificate', 'HOWTO_OBTAIN_ROOT_CA'],
  ['how do I import a root CA into STRUST', 'HOWTO_IMPORT_ROOT_CA_STRUST'],
  ['import root certificate into PSE certificate list', 'HOWTO_IMPORT_ROOT_CA_STRUST'],
  ['which PSE does my SM59 destination use', 'HOWTO_FIND_PSE_OF_CALL'],
  ['which PSE is used by a SOAMANAGER logical port', 'HOWTO_FIND_PSE_OF_CALL'],
  ['how do I make a Java client trust the SAP server', 'HOWTO_CLIENT_TRUST_STORES'],
  ['make a Node.js client trust the SAP server certificate', 'HOWTO_CLIENT_TRUST_STORES'],
  ['how to raise the ICM trace level', 'HOWTO_ICM_TRACE_LEVEL'],
  ['how do I renew the own certificate of the SSL server PSE', 'HOWTO_RENEW_OWN_CERTIFICATE'],
  ['how do I enable SNI for outbound calls', 'HOWTO_ENABLE_SNI'],
  ['how to set ciphersuites', 'HOWTO_SET_CIPHERSUITES'],
];

describe('questions land on how-to entries', () => {
  for (const [question, expected] of QUESTIONS) {
    test(`"${question}" → ${expected}`, () => {
      const r = lookup(question);
      assert.equal(
        r.matches[0]?.entry.id,
        expected,
        r.matches
          .slice(0, 3)
          .map((m) => m.entry.id)
          .join(', '),
      );
    });
  }
});
