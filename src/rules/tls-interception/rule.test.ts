/** @module tls-interception: a public host's leaf signed by an inspection CA; not for internal hosts or public chains. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

const untrusted = { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 };

test('pass: the chain for github.com ends in a corporate inspection CA', () => {
  const root = 'CN=Contoso Zscaler Root CA, O=Contoso, C=US';
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: untrusted,
    target: { host: 'github.com', port: 443 },
    certificates: [
      { depth: 0, subject: 'CN=github.com', issuer: 'CN=Contoso Zscaler Intermediate, O=Contoso' },
      { depth: 1, subject: 'CN=Contoso Zscaler Intermediate, O=Contoso', issuer: root },
      { depth: 2, subject: root, issuer: root },
    ],
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'interception');
  assert.equal(f?.confidence, 'likely');
  assert.equal(f?.import?.subject, root);
  assert.match(f?.title ?? '', /intercepted/);
});

test('pass (possible): a public host signed by an unknown private CA without a product name', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: untrusted,
    target: { host: 'api.github.com', port: 443 },
    certificates: [
      { depth: 0, subject: 'CN=api.github.com', issuer: 'CN=Corp Root, O=Corp' },
      { depth: 1, subject: 'CN=Corp Root, O=Corp', issuer: 'CN=Corp Root, O=Corp' },
    ],
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.confidence, 'possible');
});

test('fail: an internal host with a private CA is ordinary private PKI', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: untrusted,
    target: { host: 'erp.corp.local', port: 443 },
    certificates: [{ depth: 0, subject: 'CN=erp.corp.local', issuer: 'CN=Corp Root, O=Corp' }],
  });
  assert.equal(runRule(rule, [ev]).findings.length, 0);
});

test('not applicable: no SSL failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['tls-interception']);
});
