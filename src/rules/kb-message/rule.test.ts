/** @module kb-message: ranked hypotheses from the recognised entry, fixes in the printing stack, the SAP side's role. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import { loadRecognizer } from '../../kb/recognize/load.js';
import rule from './rule.js';

/** An entry of the real knowledge base with at least `n` causes, printed by `stack` when given. */
function entryWith(n: number, stack?: string) {
  const e = loadRecognizer().data.entries.find(
    (x) => x.causes.length >= n && (!stack || (x.stacks as string[]).includes(stack)),
  );
  assert.ok(e, `an entry with ${n} causes${stack ? ` in ${stack}` : ''}`);
  return e;
}

test('pass: a recognised message gives one finding per hypothesis, first likely, the others possible, never certain', () => {
  const entry = entryWith(2);
  const ev = event('message', { entry: entry.id, stack: entry.stacks[0]!, text: 'the line', matched: 'x' });
  const { findings } = runRule(rule, [ev]);
  assert.ok(findings.length >= 2);
  assert.ok(findings.every((f) => f.confidence !== 'certain'));
  assert.equal(findings.filter((f) => f.confidence === 'likely').length, 1);
  const expected = (entry.hypotheses.length > 0 ? entry.hypotheses.map((h) => h.cause) : entry.causes).slice(
    0,
    4,
  );
  assert.deepEqual(new Set(findings.map((f) => f.cause)), new Set(expected));
  for (const f of findings) {
    assert.ok(f.distinguish && f.distinguish.length > 10, 'says what tells it apart');
    assert.ok(f.collect?.length, 'says what to collect next');
    assert.ok(f.kb.includes(entry.id));
    assert.equal(f.printedBy?.stack, entry.stacks[0]);
  }
});

test('pass: a Node client failing on trust gets NODE_EXTRA_CA_CERTS and the SAP server side as server', () => {
  const entry = entryWith(1);
  const ev = event('message', {
    entry: entry.id,
    stack: 'node',
    side: 'client',
    text: 'self signed certificate in certificate chain',
    matched: 'x',
  });
  // Judge the trust hypothesis whatever the entry's own ranking: use an entry whose causes include untrusted-root.
  const trustEntry = loadRecognizer().data.entries.find((x) => x.causes.includes('untrusted-root'));
  assert.ok(trustEntry);
  const { findings } = runRule(rule, [{ ...ev, entry: trustEntry.id }]);
  const trust = findings.find((f) => f.cause === 'untrusted-root');
  assert.ok(trust);
  assert.equal(trust.role, 'server', 'an outside client failed: the SAP side is the server');
  assert.ok(trust.steps.some((s) => s.includes('NODE_EXTRA_CA_CERTS')));
  assert.ok(
    trust.steps.some((s) => /On the SAP server: .*SSL server PSE/.test(s)),
    'says what changes on the SAP side',
  );
  assert.match(trust.summary, /SAP system is the server/);
});

test('pass: the same cause printed by Java, .NET and the HANA client names each stack’s own store', () => {
  const trustEntry = loadRecognizer().data.entries.find((x) => x.causes.includes('untrusted-root'))!;
  const stores: Array<[string, RegExp]> = [
    ['java', /keytool -importcert/],
    ['dotnet', /Trusted Root Certification Authorities/],
    ['hana-client', /sslTrustStore/],
    ['icm', /STRUST/],
    ['cloud-connector', /Backend Trust Store/],
  ];
  for (const [stack, re] of stores) {
    const ev = event('message', { entry: trustEntry.id, stack, side: 'client', text: 't', matched: 'x' });
    const f = runRule(rule, [ev]).findings.find((x) => x.cause === 'untrusted-root');
    assert.ok(
      f?.steps.some((s) => re.test(s)),
      `${stack}: ${f?.steps.join(' | ')}`,
    );
  }
});

test('pass: an ICM line printed on the client side keeps the SAP side as client', () => {
  const trustEntry = loadRecognizer().data.entries.find((x) => x.causes.includes('untrusted-root'))!;
  const ev = event('message', {
    entry: trustEntry.id,
    stack: 'icm',
    side: 'client',
    text: 't',
    matched: 'x',
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.role, 'client');
});

test('pass: an entry both sides print (`either`) printed by an outside client makes the SAP side the server', () => {
  const either = loadRecognizer().data.entries.find(
    (x) => x.side === 'either' && x.causes.some((c) => c === 'tls-version' || c === 'untrusted-root'),
  );
  assert.ok(either, 'an entry with side either');
  const outside = event('message', {
    entry: either.id,
    stack: 'dotnet',
    side: 'either',
    text: 't',
    matched: 'x',
  });
  const f = runRule(rule, [outside]).findings[0];
  assert.equal(f?.role, 'server', '.NET printed it: it is the client, SAP the server');
  assert.equal(f?.printedBy?.side, 'client');
  // Printed by SAP software, an `either` text says nothing about the side: no role is guessed.
  const sap = event('message', { entry: either.id, stack: 'icm', side: 'either', text: 't', matched: 'x' });
  assert.equal(runRule(rule, [sap]).findings[0]?.role, undefined);
});

test('fail: an event naming no known entry gives no finding', () => {
  const ev = event('message', { entry: 'NO_SUCH_ENTRY', stack: 'java', text: 't', matched: 'x' });
  assert.equal(runRule(rule, [ev]).findings.length, 0);
});

test('not applicable: no message events', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['kb-message']);
});
