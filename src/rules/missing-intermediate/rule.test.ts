/** @module missing-intermediate: a lone leaf with a non-public issuer; a hypothesis when no chain is shown. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: only the leaf was sent and its issuer is not a public root', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    target: { host: 'shop.example.com', port: 443 },
    pseFile: 'SAPSSLC.pse',
    certificates: [
      { depth: 0, subject: 'CN=shop.example.com', issuer: 'CN=Example Issuing CA 7, O=Example Trust, C=US' },
    ],
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'missing-intermediate');
  assert.equal(f?.confidence, 'likely');
  assert.equal(f?.import?.kind, 'intermediate');
  assert.equal(f?.import?.subject, 'CN=Example Issuing CA 7, O=Example Trust, C=US');
  assert.match(f?.steps[0] ?? '', /full chain/);
});

test('pass: without a chain it is a possible hypothesis with what would tell it apart', () => {
  const ev = event('ssl-failure', {
    origin: 'abap-message',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.confidence, 'possible');
  assert.ok(f?.distinguish);
});

test('fail: a chain that reaches a bundled root is not a missing intermediate', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    certificates: [
      {
        depth: 0,
        subject: 'CN=x.example.com',
        issuer: 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US',
      },
    ],
  });
  assert.equal(runRule(rule, [ev]).findings.length, 0);
});

test('not applicable: no SSL failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['missing-intermediate']);
});

test('a lone leaf issued by a private CA (no intermediate name): only a possible alternative to the untrusted root', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'client',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    pseFile: '/usr/sap/SID/HOST/sec/SAPSSLC.pse',
    certificates: [
      {
        depth: 0,
        subject: 'CN=erp.example.test, OU=SAP AS, O=SAP CA, C=DE',
        issuer: 'CN=SAP CA, O=SAP CA, C=DE',
      },
    ],
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'missing-intermediate');
  assert.equal(f?.confidence, 'possible');
  assert.match(f?.title ?? '', /leaves out an intermediate CA below "SAP CA"/);
  assert.ok(f?.distinguish);
});
