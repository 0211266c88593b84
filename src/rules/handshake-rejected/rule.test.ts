/** @module handshake-rejected: -58/-122/protocol_version → version first, cipher second; browser and Java clients. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: a one-line -58 message → version likely, cipher possible, never certain', () => {
  const ev = event('ssl-failure', {
    origin: 'abap-message',
    role: 'client',
    error: { name: 'SSSLERR_SSL_READ', number: -58 },
    target: { host: 'github.com', port: 443 },
  });
  const r = runRule(rule, [ev]);
  assert.equal(r.findings[0]?.cause, 'tls-version');
  assert.equal(r.findings[0]?.confidence, 'likely');
  assert.equal(r.findings[0]?.parameters?.[0]?.name, 'ssl/client_ciphersuites');
  assert.ok(r.findings.every((f) => f.confidence !== 'certain'));
  assert.ok(r.findings.some((f) => f.cause === 'cipher-mismatch'));
});

test('pass: a protocol_version alert names the version problem outright', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_SSL_READ', number: -58 },
    alert: { text: 'received a fatal TLS protocol version alert message from the peer' },
  });
  const r = runRule(rule, [ev]);
  assert.equal(r.findings[0]?.cause, 'tls-version');
  assert.equal(r.findings[0]?.confidence, 'certain');
});

test('pass: server role recommends ssl/ciphersuites first', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'server',
    error: { name: 'SSSLERR_ALERT_HANDSHAKE_FAILURE', number: -122 },
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.parameters?.[0]?.name, 'ssl/ciphersuites');
});

test('pass: a browser handshake alert on the Cloud Connector UI → SAP side is the server', () => {
  const ev = event('client-error', {
    client: 'browser',
    code: 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT',
    message: 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT accessing cloud connector webui on port 8443',
    problem: 'handshake-failure',
    target: { port: 8443 },
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'tls-version');
  assert.equal(f?.role, 'server');
  assert.equal(f?.pse?.node, 'Cloud Connector UI keystore');
});

test('fail: a certificate alert belongs to another rule', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_SSL_READ', number: -58 },
    alert: { text: 'received a fatal TLS certificate unknown alert message from the peer' },
  });
  assert.equal(runRule(rule, [ev]).findings.length, 0);
});

test('not applicable: none of its evidence kinds present', () => {
  assert.deepEqual(runRule(rule, [event('snc-name', { name: 'x' })]).notApplicable, ['handshake-rejected']);
});
