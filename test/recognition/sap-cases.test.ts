/**
 * @module The SAP-side dev set: realistic multi-line pastes as users post them (a Cloud Connector
 * ljs_trace excerpt, a Cloud Integration MPL error, a BTP destination check, hdbsql with an RTE code, a
 * SAC live connection error, an SNC failure from dev_w0 and from SM59, a Kerberos keytab failure …),
 * each with the expected first cause, the stack that printed it and the store the fix must name
 * (test/recognition/cases/sap-*.txt + .json). Each paste is also read with Windows line ends and indented,
 * as mail clients and forums pass it on.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeText, devCases, stacksOf } from './dev-cases.js';

/** What a case expects: first cause, printing stack, and a word naming the store the fix changes. */
export interface SapCase {
  stack: string;
  cause: string;
  store: string;
  note: string;
}

describe('SAP-side dev set (test/recognition/cases/sap-*)', () => {
  const cases = devCases<SapCase>('sap');

  test('the dev set covers the SAP-side stacks', () => {
    const stacks = new Set(cases.map((c) => c.expected.stack));
    for (const s of [
      'cloud-connector',
      'integration-suite',
      'btp',
      'hana-client',
      'sac',
      'snc',
      'abap',
      'kerberos',
    ])
      assert.ok(stacks.has(s), `no dev-set case for ${s}`);
  });

  for (const c of cases) {
    test(`${c.name}: ${c.expected.cause} first, printed by ${c.expected.stack}, fix names ${c.expected.store}`, async () => {
      const report = await analyzeText(c.name, c.text);
      const first = report.findings[0];
      assert.equal(
        first?.cause,
        c.expected.cause,
        `first cause; got ${report.findings.map((f) => `${f.cause}/${f.confidence}`).join(', ')}`,
      );
      assert.ok(
        stacksOf(report).has(c.expected.stack),
        `stack ${c.expected.stack} not named; got ${[...stacksOf(report)].join(', ')}`,
      );
      const words = [first!.title, first!.summary, ...(first!.steps ?? [])].join(' ');
      assert.ok(
        words.toLowerCase().includes(c.expected.store.toLowerCase()),
        `the first finding does not name "${c.expected.store}": ${words}`,
      );
      // A message alone never proves a cause, and there is always a second thought when one is plausible.
      assert.ok(
        report.findings.every((f) => f.confidence !== 'certain' || f.cause === c.expected.cause),
        'a certain finding for another cause',
      );
    });

    test(`${c.name}: the same with Windows line ends and indented`, async () => {
      const text = c.text
        .split('\n')
        .map((l) => (l === '' ? l : `  ${l}`))
        .join('\r\n');
      const report = await analyzeText(c.name, text);
      assert.equal(report.findings[0]?.cause, c.expected.cause);
    });
  }
});
