/** @module Exact lookups by id and every alias form users type, code numbers, codes inside pasted text, unknowns. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getEntry, listEntries, lookup } from './index.js';

/** [query, options, expected exact id] */
const EXACT: Array<[string, { icm?: boolean }, string]> = [
  ['WSS040', {}, 'WSS040'],
  ['WSS 040', {}, 'WSS040'],
  ['wss040', {}, 'WSS040'],
  ['WSS/040', {}, 'WSS040'],
  ['WSS40', {}, 'WSS040'],
  ['message WSS040', {}, 'WSS040'],
  ['SCLNT_HTTP407', {}, 'ICM_HTTP_SSL_ERROR'],
  ['SCLNT_HTTP 407', {}, 'ICM_HTTP_SSL_ERROR'],
  ['sclnt_http/407', {}, 'ICM_HTTP_SSL_ERROR'],
  ['ICM_HTTP_SSL_ERROR', {}, 'ICM_HTTP_SSL_ERROR'],
  ['icm_http_ssl_error', {}, 'ICM_HTTP_SSL_ERROR'],
  ['407', { icm: true }, 'ICM_HTTP_SSL_ERROR'],
  ['421', { icm: true }, 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED'],
  ['HTTP error 407', {}, 'ICM_HTTP_SSL_ERROR'],
  ['HTTP error 407 occured', {}, 'ICM_HTTP_SSL_ERROR'],
  ['HTTP error 411', {}, 'ICM_HTTP_CONNECTION_REFUSED'],
  ['SSSLERR_PEER_CERT_UNTRUSTED', {}, 'SSSLERR_PEER_CERT_UNTRUSTED'],
  ['SSSLRC_PEER_CERT_UNTRUSTED', {}, 'SSSLERR_PEER_CERT_UNTRUSTED'],
  ['-102', {}, 'SSSLERR_PEER_CERT_UNTRUSTED'],
  ['(-102)', {}, 'SSSLERR_PEER_CERT_UNTRUSTED'],
  ['(- 102)', {}, 'SSSLERR_PEER_CERT_UNTRUSTED'],
  ['SSSLERR_CONN_CLOSED', {}, 'SSSLERR_CONN_CLOSED'],
  ['SSSLRC_CONN_CLOSED', {}, 'SSSLERR_CONN_CLOSED'],
  ['-10', {}, 'SSSLERR_CONN_CLOSED'],
  ['-58', {}, 'SSSLERR_SSL_READ'],
  ['-122', {}, 'SSSLERR_ALERT_HANDSHAKE_FAILURE'],
  ['icm/HTTPS/client_sni_enabled', {}, 'icm/HTTPS/client_sni_enabled'],
  ['ICM/HTTPS/CLIENT_SNI_ENABLED', {}, 'icm/HTTPS/client_sni_enabled'],
  ['parameter ssl/client_ciphersuites', {}, 'ssl/client_ciphersuites'],
  ['SAPSSL_CLIENT_CIPHERSUITES', {}, 'ssl/client_ciphersuites'],
  ['icm/server_port_1', {}, 'icm/server_port_<xx>'],
  ['icm/trusted_reverse_proxy_0', {}, 'icm/trusted_reverse_proxy_<x>'],
  ['STRUST', {}, 'STRUST'],
  ['strust', {}, 'STRUST'],
  ['transaction SMICM', {}, 'SMICM'],
  ['SOAMANAGER', {}, 'SOAMANAGER'],
  ['SAPSSLA.pse', {}, 'SAPSSLA.pse'],
  ['SAPSSLA.PSE', {}, 'SAPSSLA.pse'],
  ['SSL client Anonymous', {}, 'SAPSSLA.pse'],
  ['cred_v2', {}, 'cred_v2'],
  ['TRUST086', {}, 'TRUST086'],
  ['1S 540', {}, '1S540'],
  ['/UI2/INTEROP128', {}, '/UI2/INTEROP128'],
  ['A2200210', {}, 'A2200210'],
  ['SNCERR_GSSAPI', {}, 'SNCERR_GSSAPI'],
  ['DLENOACCESS', {}, 'DLENOACCESS'],
  ['TLS alert 40', {}, 'TLS_ALERT_HANDSHAKE_FAILURE'],
  ['handshake_failure', {}, 'TLS_ALERT_HANDSHAKE_FAILURE'],
  ['PKIX_PATH_BUILDING_FAILED', {}, 'PKIX_PATH_BUILDING_FAILED'],
  ['RTE_300010', {}, 'RTE_300010'],
  ['RTE:[300010]', {}, 'RTE_300010'],
  ['SSL_ERROR_HANDSHAKE_FAILURE_ALERT', {}, 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT'],
  ['sapgenpse maintain_pk', {}, 'SAPGENPSE_MAINTAIN_PK'],
];

describe('exact lookup', () => {
  for (const [query, opts, id] of EXACT) {
    test(`"${query}"${opts.icm ? ' --icm' : ''} → ${id}`, () => {
      const r = lookup(query, opts);
      assert.equal(r.exact?.id, id);
      assert.equal(r.matches[0]?.entry.id, id);
      assert.equal(r.matches[0]?.reason, 'exact');
      assert.equal(r.confident, true);
    });
  }

  test('a bare ICM number without --icm is not guessed, but suggested with a hint', () => {
    const r = lookup('407');
    assert.equal(r.exact, undefined);
    assert.equal(r.confident, false);
    assert.match(r.hint ?? '', /--icm/);
    assert.equal(r.matches[0]?.entry.id, 'ICM_HTTP_SSL_ERROR');
  });

  test('getEntry resolves ids and aliases to the canonical entry', () => {
    assert.equal(getEntry('SSSLRC_CONN_CLOSED')?.id, 'SSSLERR_CONN_CLOSED');
    assert.equal(getEntry('SCLNT_HTTP421')?.id, 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED');
    assert.equal(getEntry('no such thing'), undefined);
  });

  test('--kind filters the exact answer and the matches', () => {
    const r = lookup('STRUST', { kind: 'parameter' });
    assert.equal(r.exact, undefined);
    assert.ok(r.matches.every((m) => m.entry.kind === 'parameter'));
    assert.ok(listEntries({ kind: 'alert' }).every((e) => e.kind === 'alert'));
  });
});

describe('codes named inside pasted text', () => {
  test('the most specific code wins over the ICM wrapper code', () => {
    const r = lookup(
      'Error: HTTP error 407 occured: SSL handshake with github.com:443 failed: SSSLERR_SSL_READ (-58)',
    );
    assert.equal(r.exact, undefined);
    assert.equal(r.confident, true);
    assert.equal(r.matches[0]?.entry.id, 'SSSLERR_SSL_READ');
    assert.equal(r.matches[0]?.reason, 'mentioned');
    assert.ok(r.matches.some((m) => m.entry.id === 'ICM_HTTP_SSL_ERROR' && m.reason === 'mentioned'));
  });

  test('a number in parentheses names the SapSSL code', () => {
    const r = lookup('SSL handshake with host:443 failed (-102)');
    assert.equal(r.matches[0]?.entry.id, 'SSSLERR_PEER_CERT_UNTRUSTED');
  });

  test('transactions and file names in a sentence are context, not the answer', () => {
    const r = lookup('imported the root into SAPSSLC.pse with STRUST but SSSLRC_CONN_CLOSED stays');
    assert.equal(r.matches[0]?.entry.id, 'SSSLERR_CONN_CLOSED');
  });
});

describe('unknown queries', () => {
  test('a code-like id that does not exist gets similar ids, not a confident answer', () => {
    const r = lookup('WSS041');
    assert.equal(r.exact, undefined);
    assert.equal(r.confident, false);
    assert.equal(r.matches[0]?.entry.id, 'WSS040');
    assert.equal(r.matches[0]?.reason, 'similar');
  });

  test('a misspelt constant is matched by its spelling', () => {
    const r = lookup('SSSLERR_PEER_CERT_UNTRUSTD');
    assert.equal(r.confident, false);
    assert.equal(r.matches[0]?.entry.id, 'SSSLERR_PEER_CERT_UNTRUSTED');
  });

  test('nonsense gives no confident answer and no crash', () => {
    for (const q of ['frobnicate the widget', 'zzzz', '', '   ', '((((', '-', '0']) {
      const r = lookup(q);
      assert.equal(r.exact, undefined, q);
      assert.equal(r.confident, false, q);
    }
  });

  test('hostile input stays bounded', () => {
    const long = `${'SSSLERR_'.repeat(5000)} ${'a'.repeat(100_000)}`;
    const r = lookup(long);
    assert.ok(Array.isArray(r.matches));
  });
});
