/**
 * @module The side that printed a TLS alert decides its meaning: the texts are the receiver's, so in a
 * client's log the server refused what the client sent, and in a TLS server's log (nginx, Apache, a JDK
 * server) a client refused the server's chain.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../src/analyze.js';

const NGINX_DOWNSTREAM =
  '2026/12/06 03:12:44 [info] 2211#2211: *1834 SSL_do_handshake() failed (SSL: error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert number 48) while SSL handshaking, client: 10.20.30.40, server: 0.0.0.0:443';
// nginx calling an upstream is a client: the same alert came from the upstream server.
const NGINX_UPSTREAM =
  '2026/12/06 03:12:44 [error] 2211#2211: *1834 SSL_do_handshake() failed (SSL: error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert number 48) while SSL handshaking to upstream, client: 10.20.30.40, server: _, request: "GET / HTTP/1.1", upstream: "https://10.1.1.1:44300/"';
const APACHE = [
  '[Sun Dec 06 03:12:44.123456 2026] [ssl:info] [pid 4711] [client 10.20.30.40:51234] AH02008: SSL library error 1 in handshake (server s4h.example.com:443)',
  '[Sun Dec 06 03:12:44.123499 2026] [ssl:info] [pid 4711] SSL Library Error: error:0A000412:SSL routines::sslv3 alert bad certificate (SSL alert number 42)',
].join('\n');

async function first(text: string) {
  const report = await analyze([{ name: 'log', bytes: Buffer.from(text) }]);
  const f = report.findings[0];
  assert.ok(f, 'a finding');
  return f;
}

test('unknown_ca in an nginx server log: a client does not trust the server chain, printed by the server', async () => {
  const f = await first(NGINX_DOWNSTREAM);
  assert.equal(f.cause, 'own-cert-rejected');
  assert.equal(f.confidence, 'likely');
  assert.equal(f.printedBy?.side, 'server');
  assert.equal(f.printedBy?.stack, 'openssl');
});

test('the same alert as nginx receives it from an upstream, and as a client prints it: the client certificate', async () => {
  for (const text of [
    NGINX_UPSTREAM,
    'error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert number 48',
  ]) {
    const f = await first(text);
    assert.equal(f.cause, 'client-cert-rejected', text);
    assert.equal(f.printedBy?.side, 'client', text);
  }
});

test('bad_certificate in an Apache mod_ssl log: a client refused the server certificate', async () => {
  const f = await first(APACHE);
  assert.equal(f.cause, 'own-cert-rejected');
  assert.equal(f.printedBy?.side, 'server');
});
