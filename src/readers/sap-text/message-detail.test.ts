/**
 * @module The event of a line is named by the quoted detail when a line quotes another entry's text after
 * its own (a HANA RTE wrapper around an OpenSSL verify text); overlapping or short matches do not count.
 * A HANA "Cannot resolve host name" is DNS, not a certificate host name mismatch.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRecognizer } from '../../kb/recognize/load.js';
import { detailOf } from './message-lines.js';
import { readHanaError } from './other-blocks.js';

const recognizer = loadRecognizer();

test('a detail quoted after the wrapper names the line', () => {
  const hits = recognizer.match(
    '[SAP][ODBC][SQLDBC] Connection failed (RTE:[300015] SSL certificate validation failed: certificate has expired)',
  );
  assert.ok(hits.some((h) => h.entry.id === 'RTE_300015'));
  assert.equal(detailOf(hits).entry.id, 'X509_V_ERR_CERT_HAS_EXPIRED');
});

test('overlapping matches keep the most specific one (RTE 89013 over the bare "Socket closed by peer")', () => {
  const hits = recognizer.match('* -10709: Connection failed (RTE:[89013] Socket closed by peer {a -> b})');
  assert.ok(hits.some((h) => h.entry.id === 'RTE_89008'));
  assert.equal(detailOf(hits).entry.id, 'RTE_89013');
});

test('a short word later in the line is not a detail ("OpenSSL error" is not ICM_HTTP_SSL_ERROR)', () => {
  const hits = recognizer.match(
    'curl: (58) could not load PEM client certificate from client.pem, OpenSSL error error:0480006C:PEM routines::no start line',
  );
  assert.equal(detailOf(hits).entry.id, 'CURLE_SSL_CERTPROBLEM');
});

test('HANA: a host name that does not resolve is not a certificate host name mismatch', () => {
  const dns = readHanaError(
    "* -10709: Connection failed (RTE:[89001] Cannot resolve host name 'hana.example.com' rc=-2: Name or service not known",
  );
  assert.notEqual(dns?.problem, 'hostname');
  const mismatch = readHanaError(
    "Connection failed (RTE:[300015] SSL certificate validation failed: host name 'hana01' does not match name in certificate 'hana01.example.com')",
  );
  assert.equal(mismatch?.problem, 'hostname');
});
