/** @module client-cert-required: -20 inbound, WSS040, certificate_required from the server, anonymous inbound clients. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

test('pass: SSSLERR_NO_CLIENT_CERT → the client sent none; the SSL server PSE CA list matters', () => {
  const f = runRule(rule, [
    event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_NO_CLIENT_CERT', number: -20 } }),
  ]).findings[0];
  assert.equal(f?.cause, 'client-cert-missing');
  assert.equal(f?.role, 'server');
  assert.equal(f?.pse?.node, 'SSL server Standard');
  assert.equal(f?.pse?.inferred, true);
});

test('pass: WSS040 in a SOAMANAGER message', () => {
  const ev = event('ssl-failure', {
    origin: 'abap-message',
    errorText: 'WSS040 Missing credential. Specify SSL client PSE used for authentication.',
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.cause, 'client-cert-missing');
  assert.ok(f?.kb.includes('WSS040'));
});

test('pass: an anonymous inbound client is only a lead (possible, info): anonymous clients are often fine', () => {
  const f = runRule(rule, [
    event('inbound-cert', { problem: 'no-client-cert', message: 'TLSv1.2 connection with anonymous client' }),
  ]).findings[0];
  assert.equal(f?.confidence, 'possible');
  assert.equal(f?.severity, 'info');
});

test('fail: other SSL failures', () => {
  assert.equal(
    runRule(rule, [
      event('ssl-failure', { origin: 'trace', error: { name: 'SSSLERR_SSL_READ', number: -58 } }),
    ]).findings.length,
    0,
  );
});

test('not applicable: neither SSL failures nor inbound certificate events', () => {
  assert.deepEqual(runRule(rule, []).notApplicable, ['client-cert-required']);
});
