/** @module kb-message: ranked hypotheses from the recognised entry, fixes in the printing stack, the SAP side's role. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import { loadRecognizer } from '../../kb/recognize/load.js';
import rule from './rule.js';

/** An entry of the real knowledge base with at least `n` causes. */
function entryWith(n: number) {
  const e = loadRecognizer()
    .entries()
    .find((x) => x.causes.length >= n);
  assert.ok(e, `an entry with ${n} causes`);
  return e;
}
const ranked = entryWith(2);
const trustEntry = loadRecognizer()
  .entries()
  .find((x) => x.causes.includes('untrusted-root'));
assert.ok(trustEntry, 'an entry whose causes include untrusted-root');
/** An entry both sides print (`side: either`) with a trust or version cause. */
const either = loadRecognizer()
  .entries()
  .find((x) => x.side === 'either' && x.causes.some((c) => c === 'tls-version' || c === 'untrusted-root'));
assert.ok(either, 'an entry with side either');
const eitherMessage = (stack: string) =>
  event('message', { entry: either.id, stack, side: 'either', text: 't', matched: 'x' });
const trustMessage = (stack: string) =>
  event('message', { entry: trustEntry.id, stack, side: 'client', text: 't', matched: 'x' });

/** Each printing stack names its own trust store. */
const STORES: [string, RegExp][] = [
  ['java', /keytool -importcert/],
  ['dotnet', /Trusted Root Certification Authorities/],
  ['hana-client', /sslTrustStore/],
  ['icm', /STRUST/],
  ['cloud-connector', /Backend Trust Store/],
];

testRule(rule, {
  reports: [
    {
      name: 'a recognised message → one finding per hypothesis, first likely, the others possible, never certain',
      events: [
        event('message', {
          entry: ranked.id,
          stack: ranked.stacks[0] as string,
          text: 'the line',
          matched: 'x',
        }),
      ],
      findings: { atLeast: 2 },
      check: (findings) => {
        assert.ok(findings.every((f) => f.confidence !== 'certain'));
        assert.equal(findings.filter((f) => f.confidence === 'likely').length, 1);
        const expected = (
          ranked.hypotheses.length > 0 ? ranked.hypotheses.map((h) => h.cause) : ranked.causes
        ).slice(0, 4);
        assert.deepEqual(new Set(findings.map((f) => f.cause)), new Set(expected));
        for (const f of findings) {
          assert.ok(f.distinguish && f.distinguish.length > 10, 'says what tells it apart');
          assert.ok(f.collect?.length, 'says what to collect next');
          assert.ok(f.kb.includes(ranked.id));
          assert.equal(f.printedBy?.stack, ranked.stacks[0]);
        }
      },
    },
    {
      name: 'a Node client failing on trust → NODE_EXTRA_CA_CERTS, and the SAP side is the server',
      events: [
        event('message', {
          entry: trustEntry.id,
          stack: 'node',
          side: 'client',
          text: 'self signed certificate in certificate chain',
          matched: 'x',
        }),
      ],
      findings: { atLeast: 1 },
      check: (findings) => {
        const trust = findings.find((f) => f.cause === 'untrusted-root');
        assert.ok(trust);
        assert.equal(trust.role, 'server', 'an outside client failed: the SAP side is the server');
        assert.ok(trust.steps.some((s) => s.includes('NODE_EXTRA_CA_CERTS')));
        assert.ok(
          trust.steps.some((s) => /On the SAP server: .*SSL server PSE/.test(s)),
          'says what changes on the SAP side',
        );
        assert.match(trust.summary, /SAP system is the server/);
      },
    },
    ...STORES.map(([stack, store]) => ({
      name: `the trust cause printed by ${stack} names that stack's own store`,
      events: () => [trustMessage(stack)],
      findings: { atLeast: 1 },
      check: (findings: { cause: string; steps: string[] }[]) => {
        const f = findings.find((x) => x.cause === 'untrusted-root');
        assert.ok(
          f?.steps.some((s) => store.test(s)),
          `${stack}: ${f?.steps.join(' | ')}`,
        );
      },
    })),
    {
      name: 'an ICM line printed on the client side keeps the SAP side as client',
      events: () => [trustMessage('icm')],
      findings: { atLeast: 1 },
      check: ([f]) => assert.equal(f?.role, 'client'),
    },
    {
      name: 'an entry both sides print (`either`) printed by an outside client makes the SAP side the server',
      events: () => [eitherMessage('dotnet')],
      findings: { atLeast: 1 },
      check: ([f]) => {
        assert.equal(f?.role, 'server', '.NET printed it: it is the client, SAP the server');
        assert.equal(f?.printedBy?.side, 'client');
      },
    },
    {
      name: 'printed by SAP software, an `either` text says nothing about the side: no role is guessed',
      events: () => [eitherMessage('icm')],
      findings: { atLeast: 1 },
      check: ([f]) => assert.equal(f?.role, undefined),
    },
  ],
  staysSilent: [
    {
      name: 'an event naming no known entry',
      events: [event('message', { entry: 'NO_SUCH_ENTRY', stack: 'java', text: 't', matched: 'x' })],
    },
  ],
  notApplicable: [{ name: 'no message events', events: [] }],
});
