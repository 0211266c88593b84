/** @module The engine: only declared evidence, not-applicable rules, isolated rule errors, merging, ordering. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, evidenceOf } from '../../test/helpers/rule-tester.js';
import type { EvidenceEvent } from '../model/evidence.js';
import { defineRule } from '../rules/define.js';
import { nextActions, runRules } from './run-rules.js';

const failure = event('ssl-failure', {
  origin: 'trace',
  error: { name: 'SSSLERR_SSL_READ', number: -58 },
  line: 10,
});
const name = event('snc-name', { name: 'CN=A', line: 20 });

test('a rule sees only the kinds it declared, and none of its needs present means not applicable', () => {
  let seen: string[] = [];
  const spy = defineRule({
    id: 'spy',
    causes: ['unknown'],
    needs: ['ssl-failure'],
    uses: ['trace-info'],
    kb: ['X'],
    messages: { m: { title: 't', summary: 's' } },
    check({ events }) {
      seen = Object.keys(events).sort();
    },
  });
  const sncOnly = defineRule({
    id: 'snc-only',
    causes: ['unknown'],
    needs: ['kerberos-failure'],
    kb: ['X'],
    messages: {},
    check() {},
  });
  const r = runRules(evidenceOf([failure, name]), [spy, sncOnly]);
  assert.deepEqual(seen, ['ssl-failure', 'trace-info']);
  assert.deepEqual(r.notApplicable, ['snc-only']);
});

test('a throwing rule becomes a ruleErrors entry and the others still report', () => {
  const boom = defineRule({
    id: 'boom',
    causes: ['unknown'],
    needs: ['ssl-failure'],
    kb: ['X'],
    messages: {},
    check() {
      throw new Error('kaputt');
    },
  });
  const ok = defineRule({
    id: 'ok',
    causes: ['tls-version'],
    needs: ['ssl-failure'],
    kb: ['X'],
    messages: {
      m: { title: 'Version {what}', summary: 'about {what}', steps: ['always', 'only with {missing}'] },
    },
    check({ events }, { report }) {
      for (const e of events['ssl-failure'])
        report({
          message: 'm',
          data: { what: 'TLS' },
          cause: 'tls-version',
          confidence: 'likely',
          severity: 'error',
          events: [e],
        });
    },
  });
  const r = runRules(evidenceOf([failure]), [boom, ok]);
  assert.deepEqual(r.ruleErrors, [{ rule: 'boom', message: 'kaputt' }]);
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0]?.title, 'Version TLS');
  assert.deepEqual(r.findings[0]?.steps, ['always'], 'a step whose placeholder has no value is left out');
  assert.deepEqual(r.findings[0]?.evidence, [{ input: 0, line: 10, text: 'line 10 of a ssl-failure event' }]);
  assert.deepEqual(r.findings[0]?.kb, ['X']);
});

test('findings are ordered by severity (errors first across inputs), then confidence, then rank; identical ones merge with their counts', () => {
  const second = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_SSL_READ', number: -58 },
    line: 30,
    occurrences: { count: 2 },
  });
  const make = (
    id: string,
    rank: number,
    confidence: 'certain' | 'likely' | 'possible',
    severity: 'error' | 'warning',
  ) =>
    defineRule({
      id,
      causes: ['unknown'],
      needs: ['ssl-failure'],
      kb: ['X'],
      rank,
      messages: { m: { title: id, summary: id } },
      check({ events }, { report }) {
        for (const e of events['ssl-failure'] as EvidenceEvent[])
          report({ message: 'm', cause: 'unknown', confidence, severity, events: [e] });
      },
    });
  const r = runRules(evidenceOf([failure, second]), [
    make('possible-error', 1, 'possible', 'error'),
    make('likely-warning', 1, 'likely', 'warning'),
    make('likely-error-late', 50, 'likely', 'error'),
    make('likely-error-early', 10, 'likely', 'error'),
  ]);
  assert.deepEqual(
    r.findings.map((f) => f.rule),
    ['likely-error-early', 'likely-error-late', 'possible-error', 'likely-warning'],
    'a possible error comes before a likely warning',
  );
  assert.equal(r.findings[0]?.occurrences?.count, 3, 'one + two occurrences merged');
  assert.equal(r.findings[0]?.evidence.length, 2);
});

test('an unknown message id is a rule error, not a crash', () => {
  const typo = defineRule({
    id: 'typo',
    causes: ['unknown'],
    needs: ['ssl-failure'],
    kb: ['X'],
    messages: { m: { title: 't', summary: 's' } },
    check({ events }, { report }) {
      report({
        message: 'nope' as 'm',
        cause: 'unknown',
        confidence: 'possible',
        severity: 'info',
        events: events['ssl-failure'],
      });
    },
  });
  const r = runRules(evidenceOf([failure]), [typo]);
  assert.equal(r.ruleErrors[0]?.rule, 'typo');
  assert.equal(r.findings.length, 0);
});

test('fallback rules see what the others explained', () => {
  let explainedCount = -1;
  const claim = defineRule({
    id: 'claim',
    causes: ['unknown'],
    needs: ['ssl-failure'],
    kb: ['X'],
    messages: { m: { title: 't', summary: 's' } },
    check({ events }, { report }) {
      report({
        message: 'm',
        cause: 'unknown',
        confidence: 'possible',
        severity: 'info',
        events: events['ssl-failure'],
      });
    },
  });
  const fallback = defineRule({
    id: 'fallback',
    causes: ['unknown'],
    needs: ['ssl-failure'],
    kb: ['X'],
    fallback: true,
    messages: {},
    check(_input, ctx) {
      explainedCount = ctx.explained?.size ?? -1;
    },
  });
  runRules(evidenceOf([failure]), [fallback, claim]);
  assert.equal(explainedCount, 1);
});

test('a trust list cited beside a failure does not change how often the failure occurred', () => {
  const repeated = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    line: 40,
    occurrences: { count: 3 },
  });
  const list = event('trust-list', {
    list: { storeKind: 'sap-pse', file: 'SAPSSLA.pse', certificates: [] },
    line: 1,
  });
  const rule = defineRule({
    id: 'cites-list',
    causes: ['untrusted-root'],
    needs: ['ssl-failure'],
    uses: ['trust-list'],
    kb: ['X'],
    messages: { m: { title: 't', summary: 's' } },
    check({ events }, { report }) {
      for (const e of events['ssl-failure'] as EvidenceEvent[])
        report({
          message: 'm',
          cause: 'untrusted-root',
          confidence: 'certain',
          severity: 'error',
          events: [e, ...(events['trust-list'] as EvidenceEvent[])],
        });
    },
  });
  const alone = runRules(evidenceOf([repeated]), [rule]);
  const withList = runRules(evidenceOf([repeated, list]), [rule]);
  assert.equal(alone.findings[0]?.occurrences?.count, 3);
  assert.equal(withList.findings[0]?.occurrences?.count, 3, 'adding the PSE does not make it 4×');
});

test('thin evidence: the collect steps every hypothesis shares become the next action', () => {
  const make = (id: string, confidence: 'likely' | 'possible') =>
    defineRule({
      id,
      causes: ['unknown'],
      needs: ['ssl-failure'],
      kb: ['X'],
      messages: {
        m: {
          title: id,
          summary: id,
          collect: [
            { text: 'Run "pse-doctor analyze dev_icm".', web: 'Analyze dev_icm here.' },
            `Only ${id}.`,
          ],
        },
      },
      check({ events }, { report }) {
        for (const e of events['ssl-failure'] as EvidenceEvent[])
          report({ message: 'm', cause: 'unknown', confidence, severity: 'error', events: [e] });
      },
    });
  const r = runRules(evidenceOf([failure]), [make('a', 'likely'), make('b', 'possible')]);
  assert.deepEqual(nextActions(r.findings), [
    { text: 'Run "pse-doctor analyze dev_icm".', web: 'Analyze dev_icm here.' },
  ]);
  assert.equal(r.findings[0]?.collect?.[0], 'Run "pse-doctor analyze dev_icm".', 'the plain list keeps it');
  const certain = runRules(evidenceOf([failure]), [make('a', 'likely')]);
  certain.findings[0]!.confidence = 'certain';
  assert.equal(nextActions(certain.findings), undefined, 'no next action when a cause is certain');
});

test('two events read from the same line are one occurrence', () => {
  const asClientError = event('client-error', {
    line: 1,
    client: 'hana-client',
    code: 'RTE_89008',
    message: 'Socket closed by peer',
    problem: 'handshake-failure',
  });
  const asMessage = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_SSL_READ', number: -58 },
    line: 1,
  });
  const elsewhere = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_SSL_READ', number: -58 },
    line: 7,
  });
  const rule = defineRule({
    id: 'both-readings',
    causes: ['network'],
    needs: ['client-error', 'ssl-failure'],
    kb: ['X'],
    messages: { m: { title: 't', summary: 's' } },
    check({ events }, { report }) {
      report({
        message: 'm',
        cause: 'network',
        confidence: 'possible',
        severity: 'error',
        events: [...(events['client-error'] ?? []), ...(events['ssl-failure'] ?? [])] as EvidenceEvent[],
      });
    },
  });
  assert.equal(runRules(evidenceOf([asClientError, asMessage]), [rule]).findings[0]?.occurrences?.count, 1);
  assert.equal(
    runRules(evidenceOf([asClientError, asMessage, elsewhere]), [rule]).findings[0]?.occurrences?.count,
    2,
    'another line is another occurrence',
  );
});
