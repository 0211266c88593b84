/** @module Lone leaf issuers: public CA operators and self-declared intermediates vs private one-tier CAs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyLoneLeafIssuer } from './lone-leaf.js';
import { isPublicCaOrganization } from './root-store.js';

test('an issuer run by a public CA operator is an intermediate (public roots never issue leaves)', () => {
  assert.equal(isPublicCaOrganization('digicert inc'), true);
  assert.equal(
    classifyLoneLeafIssuer('CN=Thawte TLS RSA CA G1, OU=www.digicert.com, O=DigiCert Inc, C=US'),
    'intermediate',
  );
  assert.equal(classifyLoneLeafIssuer("CN=R11, O=Let's Encrypt, C=US"), 'intermediate');
});

test('a private CA that calls itself intermediate / issuing is one', () => {
  assert.equal(
    classifyLoneLeafIssuer('CN=PSE Doctor Test RSA Intermediate CA, O=PSE Doctor Test, C=DE'),
    'intermediate',
  );
  assert.equal(classifyLoneLeafIssuer('CN=Example Issuing CA 7, O=Example Trust, C=US'), 'intermediate');
  assert.equal(classifyLoneLeafIssuer('CN=Corp Sub-CA 2, O=Corp, C=DE'), 'intermediate');
  // A TLS or SSL CA with words between its name parts, as public CAs name their intermediates.
  assert.equal(
    classifyLoneLeafIssuer('CN=Example Trust TLS RSA CA G3, O=Example Trust Services LLC, C=US'),
    'intermediate',
  );
  assert.equal(classifyLoneLeafIssuer('CN=Corp TLS RSA SHA256 2020 CA1, O=Corp, C=US'), 'intermediate');
  assert.equal(classifyLoneLeafIssuer('CN=Corp TLS Root, O=Corp, C=DE'), 'private-ca');
});

test('any other private CA most likely issued the leaf itself', () => {
  assert.equal(isPublicCaOrganization('SAP CA'), false);
  assert.equal(classifyLoneLeafIssuer('CN=SAP CA, O=SAP CA, C=DE'), 'private-ca');
  assert.equal(classifyLoneLeafIssuer('CN=Corp Root CA, O=Corp, C=DE'), 'private-ca');
  assert.equal(classifyLoneLeafIssuer('CN=saprouter-ca'), 'private-ca');
});
