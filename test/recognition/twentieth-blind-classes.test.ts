/**
 * @module The classes the twentieth and twenty-first blind sets (2026-12-07/08) showed, each tested on
 * wordings other than their pastes: RZ11's display copied line by line (name, then Current Value) states a
 * parameter; a paste saying another client works (browser, curl) puts SNI first for a front end's default
 * certificate; the server's text tells more than its client's when both fit as many causes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analyze.js';
import type { Report } from '../../src/model/report.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const run = (text: string): Promise<Report> =>
  analyze([{ name: 'paste.txt', bytes: Buffer.from(text) }], { now: NOW });
const causes = async (text: string): Promise<string[]> => (await run(text)).findings.map((f) => f.cause);

test("RZ11's display copied line by line (the name, then its Current Value) states the parameter", async () => {
  const trace = [
    '[Thr 140001] *** ERROR => SSL handshake with ingest.partner.example:443 failed: SSSLERR_SSL_CONNECT (-57)',
    '[Thr 140001]    SSL NI-hdl 44: local=10.2.1.8:51220 peer=52.29.1.77:443',
    '[Thr 140001]   secude_error 536875072 (0x20001040) = "received a fatal TLS handshake failure alert message from the peer"',
  ];
  const screens = [
    [
      'Parameter Name   ssl/client_sni_enabled',
      'Short Description  SNI for SSL clients',
      'Current Value    FALSE',
    ],
    ['Parametername: icm/HTTPS/client_sni_enabled', 'Aktueller Wert: FALSE', 'Defaultwert: FALSE'],
  ];
  for (const screen of screens)
    assert.equal((await causes([...trace, '', ...screen].join('\n')))[0], 'sni-missing', screen[0]);
  const on = ['Parameter Name   ssl/client_sni_enabled', 'Current Value    TRUE'];
  assert.notEqual((await causes([...trace, '', ...on].join('\n')))[0], 'sni-missing');
  // A value far below the name (another screen's field) is not the parameter's.
  const far = ['Parameter Name   ssl/client_sni_enabled', 'a', 'b', 'c', 'd', 'e', 'Current Value    FALSE'];
  assert.notEqual((await causes([...trace, '', ...far].join('\n')))[0], 'sni-missing');
});

test('ingress-nginx’s Fake Certificate: SNI first when another client gets the right one, the Secret otherwise', async () => {
  const received = [
    '2026-02-11 08:30:02 Error  HTTP: Call failed: iaik.security.ssl.SSLCertificateException: Peer certificate rejected by ChainVerifier',
    'ssl_debug(41): Server sent a 2048 bit RSA certificate, chain has 1 elements.',
    'ssl_debug(41):   [0] subject: CN=Kubernetes Ingress Controller Fake Certificate,O=Acme Co',
  ];
  assert.equal((await causes(received.join('\n')))[0], 'pse-missing');
  for (const statement of [
    'The same URL works fine in the browser.',
    'curl from this server shows the correct certificate for billing.partner.example',
    'Chrome and Postman work.',
  ]) {
    assert.equal((await causes([statement, ...received].join('\n')))[0], 'sni-missing', statement);
  }
  // "curl fails too" is no such statement.
  assert.equal((await causes(['curl fails with the same error.', ...received].join('\n')))[0], 'pse-missing');
});
