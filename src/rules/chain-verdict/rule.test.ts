/** @module chain-verdict: a chain-check event judged as the ICM (primary), a browser and Java would. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import { generateTestPki, TEST_NOW } from '../../../test/pki/index.js';
import { describePem } from '../../pki/describe-pem.js';
import rule from './rule.js';

const pki = await generateTestPki();
const chainOf = (c: { leaf: { pem: string }; intermediate: { pem: string } }) =>
  [c.leaf.pem, c.intermediate.pem].map(describePem);

test('fail: the root is missing from the PSE list → one certain untrusted-root error with the import plan', () => {
  const ev = event('chain-check', {
    chain: chainOf(pki.rsa),
    profiles: ['sap-icm', 'browser'],
    trust: [],
    trustName: 'SAPSSLA.pse (SSL client Anonymous)',
    trustPse: { basename: 'SAPSSLA.pse', node: 'SSL client Anonymous' },
    host: 'api.example.test',
  });
  const { findings } = runRule(rule, [ev], TEST_NOW);
  const errors = findings.filter((f) => f.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(findings.map((f) => f.title)));
  const f = errors[0]!;
  assert.equal(f.rule, 'chain-verdict');
  assert.equal(f.cause, 'untrusted-root');
  assert.equal(f.confidence, 'certain');
  assert.equal(f.errorCode?.name, 'SSSLERR_PEER_CERT_UNTRUSTED');
  assert.equal(f.import?.subject, pki.rsa.root.subject);
  assert.ok(f.steps.length > 0);
  assert.ok(f.title.startsWith('SAP ICM'), f.title);
});

test('pass: the PSE holds the root → no error (a browser without the private root only warns)', () => {
  const ev = event('chain-check', {
    chain: chainOf(pki.rsa),
    profiles: ['sap-icm', 'browser'],
    trust: [describePem(pki.rsa.root.pem)],
    trustName: 'SAPSSLA.pse',
    host: 'api.example.test',
  });
  const { findings } = runRule(rule, [ev], TEST_NOW);
  assert.deepEqual(
    findings.filter((f) => f.severity === 'error'),
    [],
  );
});

test('fail: the leaf names another host → hostname-mismatch with the SNI parameter', () => {
  const ev = event('chain-check', {
    chain: chainOf(pki.wrongNameLeaf),
    profiles: ['sap-icm'],
    trust: [describePem(pki.wrongNameLeaf.root.pem)],
    trustName: 'SAPSSLA.pse',
    host: 'api.example.test',
  });
  const [f] = runRule(rule, [ev], TEST_NOW).findings;
  assert.equal(f?.cause, 'hostname-mismatch');
  assert.equal(f?.parameters?.[0]?.name, 'icm/HTTPS/client_sni_enabled');
});

test('not applicable: no chain-check evidence', () => {
  const r = runRule(rule, [event('trace-info', {})], TEST_NOW);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.notApplicable, ['chain-verdict']);
});
