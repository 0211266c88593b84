/** @module DN parsing and comparison across SAP, OpenSSL and Java spellings (DNs from the real fixtures). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import tls from 'node:tls';
import { dnValue, formatDnSap, normalizeDn, parseDn, sameDn } from './dn.js';
import { x509 as loadX509 } from './x509.js';

const x509 = loadX509();

const GITHUB_SAP = 'CN=github.com, O="GitHub, Inc.", L=San Francisco, SP=California, C=US';
const DIGICERT_EV_SAP =
  'CN=DigiCert SHA2 Extended Validation Server CA, OU=www.digicert.com, O=DigiCert Inc, C=US';

test('SAP spelling: quoted values keep their comma, SP is the state', () => {
  const dn = parseDn(GITHUB_SAP);
  assert.equal(dn.flavor, 'sap');
  assert.equal(dn.attributes.length, 5);
  assert.equal(dnValue(dn, 'O'), 'GitHub, Inc.');
  assert.equal(dnValue(dn, 'ST'), 'California');
  assert.equal(dn.reversed, false);
});

test('the same name in SAP, OpenSSL (both forms), Java and .NET spellings is the same DN', () => {
  const openssl = 'C = US, ST = California, L = San Francisco, O = "GitHub, Inc.", CN = github.com';
  const slash = '/C=US/ST=California/L=San Francisco/O=GitHub, Inc./CN=github.com';
  const java = 'CN=github.com, O="GitHub, Inc.", L=San Francisco, ST=California, C=US';
  const rfc4514 = 'CN=github.com,O=GitHub\\, Inc.,L=San Francisco,ST=California,C=US';
  const dotnet = 'CN=github.com, O="GitHub, Inc.", L=San Francisco, S=California, C=US';
  const oids =
    'OID.2.5.4.3=github.com, 2.5.4.10="GitHub, Inc.", 2.5.4.7=San Francisco, 2.5.4.8=California, 2.5.4.6=US';
  for (const other of [openssl, slash, java, rfc4514, dotnet, oids]) {
    assert.ok(sameDn(GITHUB_SAP, other), other);
  }
  assert.equal(parseDn(openssl).reversed, true);
  assert.equal(parseDn(slash).reversed, true);
  assert.equal(parseDn(openssl).flavor, 'rfc');
});

test('order, case and whitespace do not matter; unquoted commas inside values are kept', () => {
  assert.ok(
    sameDn(
      'cn=DIGICERT global root ca,ou=www.digicert.com,o=DigiCert  Inc,c=us',
      'C=US, O=DigiCert Inc, OU=www.digicert.com, CN=DigiCert Global Root CA',
    ),
  );
  // OpenSSL -nameopt oneline does not escape the comma in "GitHub, Inc."
  const dn = parseDn('C = US, O = GitHub, Inc., CN = github.com');
  assert.equal(dnValue(dn, 'O'), 'GitHub, Inc.');
  assert.equal(dn.attributes.length, 3);
});

test('different CAs never match: another O, an extra OU, a missing attribute', () => {
  assert.equal(
    sameDn(
      DIGICERT_EV_SAP,
      'CN=DigiCert SHA2 Extended Validation Server CA, OU=www.digicert.com, O=DigiCert, C=US',
    ),
    false,
  );
  assert.equal(sameDn('CN=Root, O=SAP CA, C=DE', 'CN=Root, OU=SAP AS, O=SAP CA, C=DE'), false);
  assert.equal(sameDn('CN=Root, O=SAP CA, C=DE', 'CN=Root, O=SAP CA'), false);
  assert.equal(sameDn('', ''), false);
});

test("SAP ST means street once SP shows the SAP spelling; an unknown writer's ST matches either", () => {
  const sap = parseDn('CN=x, ST=Main Street 1, SP=Bavaria, C=DE');
  assert.equal(dnValue(sap, 'STREET'), 'Main Street 1');
  assert.equal(dnValue(sap, 'ST'), 'Bavaria');
  assert.equal(sameDn(sap, 'C=DE, ST=Bavaria, STREET=Main Street 1, CN=x'), true);
  assert.equal(sameDn(sap, 'C=DE, ST=Main Street 1, STREET=Bavaria, CN=x'), false);
  // No SP, no OpenSSL spacing: ST could be either meaning.
  assert.ok(sameDn('CN=x, ST=Main Street 1, C=DE', 'C = DE, street = Main Street 1, CN = x'));
  assert.ok(sameDn('CN=x, ST=Bavaria, C=DE', 'C = DE, ST = Bavaria, CN = x'));
  // SAP SN is the serial number attribute (EV certificates), RFC SN is the surname.
  assert.equal(dnValue(parseDn('CN=a, SN=5157550, SP=Delaware', {}), 'SERIALNUMBER'), '5157550');
  assert.equal(dnValue(parseDn('C = US, SN = Smith, CN = a'), 'SURNAME'), 'Smith');
});

test('a DN cut by the trace is flagged and does not equal the full name', () => {
  const cut =
    'CN=github.com, O="GitHub, Inc.", L=San Francisco, SP=California, C=US, SN=5157550, OID.1.3.6.1.4.1.311.60.2.1.2=Delaware, OID.1.3.6.1.4.1.311.60.2.';
  const dn = parseDn(cut);
  assert.equal(dn.truncated, true);
  assert.equal(dnValue(dn, 'JURISDICTIONST'), 'Delaware');
  assert.equal(dnValue(dn, 'SERIALNUMBER'), '5157550');
  assert.equal(sameDn(dn, GITHUB_SAP), false);
});

test('escapes and hex pairs decode; garbage yields no attributes and never throws', () => {
  assert.equal(dnValue('CN=Caf\\C3\\A9, O=A\\+B', 'CN'), 'Café');
  assert.equal(dnValue('CN=Caf\\C3\\A9, O=A\\+B', 'O'), 'A+B');
  assert.equal(parseDn('no equals sign here').attributes.length, 0);
  assert.equal(parseDn(`CN=${'a'.repeat(100_000)}`).attributes.length, 1);
  assert.equal(normalizeDn('CN=B, O=a'), 'CN=b,O=a');
});

test('formatDnSap prints a certificate name SAP-style and round-trips through sameDn', () => {
  const pem = tls.rootCertificates.find((p) =>
    new x509.X509Certificate(p).subject.includes('DigiCert Global Root G2'),
  );
  assert.ok(pem);
  const cert = new x509.X509Certificate(pem);
  const sap = formatDnSap(cert.subjectName);
  assert.equal(sap, 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US');
  assert.ok(sameDn(sap, cert.subject));
  const withState = new x509.Name('C=US, ST=California, O=GitHub\\, Inc., CN=github.com');
  assert.equal(formatDnSap(withState), GITHUB_SAP.replace(', L=San Francisco', ''));
});
