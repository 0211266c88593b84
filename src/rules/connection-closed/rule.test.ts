/** @module connection-closed: CONN_CLOSED ranked by state, SNI and offered versions; server role is a harmless client hang-up. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: closed after the ClientHello with SNI and TLS 1.2 offered → network first', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'client',
    error: { name: 'SSSLRC_CONN_CLOSED', number: -10 },
    sslState: { code: '0x2120', text: 'TLS read server hello A' },
    sni: 'github.com',
    sslCtx: { protocolVersions: ['TLSv1.2', 'TLSv1.1'] },
    target: { host: 'github.com', port: 443 },
  });
  const r = runRule(rule, [ev]);
  assert.equal(r.findings[0]?.cause, 'network');
  assert.match(r.findings[0]?.title ?? '', /right after the ClientHello/);
  assert.ok(!r.findings.some((f) => f.cause === 'sni-missing'));
});

test('pass: a complete block without SNI puts sni-missing first', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLRC_CONN_CLOSED', number: -10 },
    pseFile: 'SAPSSLC.pse',
    sslCtx: { protocolVersions: ['TLSv1.2'] },
  });
  assert.equal(runRule(rule, [ev]).findings[0]?.cause, 'sni-missing');
});

test('pass: server role is an informational client hang-up', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'server',
    error: { name: 'SSSLERR_CONN_CLOSED', number: -10 },
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.severity, 'info');
});

test('fail: other codes are not a closed connection', () => {
  assert.equal(
    runRule(rule, [
      event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_SSL_READ', number: -58 } }),
    ]).findings.length,
    0,
  );
});

test('not applicable: no SSL failure', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['connection-closed']);
});
