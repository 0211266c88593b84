/** @module STRUST node from the file name, and from the own certificate's DN when the name says nothing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePseFile, nodeFromOwnSubject } from './pse-identity.js';

test('a standard file name decides, whatever the DN', () => {
  const d = describePseFile('/usr/sap/ABC/D00/sec/SAPSSLC.pse', { subject: 'CN=anonymous' });
  assert.equal(d.node, 'SSL client Standard');
  assert.equal(d.application, 'DFAULT');
  assert.equal(d.nodeFrom, 'file-name');
});

test('an unusual name with CN=anonymous is SSL client Anonymous (assumed)', () => {
  const d = describePseFile('/tmp/copy-of-anon.pse', { subject: 'CN=anonymous' });
  assert.equal(d.node, 'SSL client Anonymous');
  assert.equal(d.context, 'SSLC');
  assert.equal(d.application, 'ANONYM');
  assert.equal(d.assumed, true);
  assert.equal(d.nodeFrom, 'own-certificate');
  assert.equal(d.basename, 'copy-of-anon.pse');
});

test("STRUST's default SSL client Standard DN maps to SSL client Standard", () => {
  const subject =
    'CN=ABC SSL client SSL Client (Standard), OU=I0020123456, OU=SAP Web AS, O=SAP Trust Community, C=DE';
  assert.deepEqual(nodeFromOwnSubject(subject), {
    node: 'SSL client Standard',
    context: 'SSLC',
    application: 'DFAULT',
    purpose: 'ssl-client',
    role: 'client',
    assumed: true,
  });
});

test('another "<SID> SSL client …" CN is a custom SSL client identity', () => {
  const n = nodeFromOwnSubject(
    'CN=QAS SSL client Web Service Security Test, OU=I0020123456, O=SAP Trust Community, C=DE',
  );
  assert.equal(n?.node, 'SSL client Web Service Security Test');
  assert.equal(n?.context, 'SSLC');
  assert.equal(n?.application, undefined);
});

test('ordinary DNs and anonymous with more attributes give no node', () => {
  assert.equal(nodeFromOwnSubject('CN=host.example.com, O=Example, C=DE'), undefined);
  assert.equal(nodeFromOwnSubject('CN=anonymous, O=Someone'), undefined);
  assert.equal(nodeFromOwnSubject(''), undefined);
  const d = describePseFile('odd.pse', { subject: 'CN=host.example.com' });
  assert.equal(d.node, undefined);
  assert.equal(d.purpose, 'unknown');
});
