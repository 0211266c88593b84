/** @module untrusted-peer-chain: public root from the bundled store, private root, self-signed peer, no chain, not applicable. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import tls from 'node:tls';
import { event, runRule } from '../../../test/helpers/rule-harness.js';
import rule from './rule.js';

const LEAF = 'CN=github.com, O="GitHub, Inc.", L=San Francisco, SP=California, C=US';
const EV_CA = 'CN=DigiCert SHA2 Extended Validation Server CA, OU=www.digicert.com, O=DigiCert Inc, C=US';
const EV_ROOT = 'CN=DigiCert High Assurance EV Root CA, OU=www.digicert.com, O=DigiCert Inc, C=US';

test("pass: a chain whose issuer is a bundled root names that root, with the store's PEM and the sapgenpse command", () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'client',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    target: { host: 'github.com', port: 443 },
    peer: { ip: '140.82.121.3', port: 443 },
    pseFile: '/usr/sap/ABC/D00/sec/SAPSSLA.pse',
    certificates: [
      { depth: 0, subject: LEAF, issuer: EV_CA },
      { depth: 1, subject: EV_CA, issuer: EV_ROOT },
    ],
  });
  const { findings, ruleErrors } = runRule(rule, [ev]);
  assert.deepEqual(ruleErrors, []);
  assert.equal(findings.length, 1);
  const f = findings[0];
  assert.ok(f);
  assert.equal(f.cause, 'untrusted-root');
  assert.equal(f.confidence, 'certain');
  assert.equal(f.role, 'client');
  assert.equal(f.pse?.node, 'SSL client Anonymous');
  assert.equal(f.import?.kind, 'root');
  assert.equal(f.import?.source, 'bundled-roots');
  assert.ok(f.import?.pem, 'the PEM is present');
  assert.ok(tls.rootCertificates.includes(f.import.pem));
  assert.equal(
    f.import?.commands[0],
    'sapgenpse maintain_pk -p SAPSSLA.pse -a DigiCert_High_Assurance_EV_Root_CA.crt',
  );
  assert.match(f.title, /DigiCert High Assurance EV Root CA/);
  assert.ok(f.steps.some((s) => s.includes(f.import?.sha256 ?? 'x')));
  assert.ok(f.steps.some((s) => /TRUST086/.test(s)));
  assert.ok(f.steps.some((s) => /trace level, set it back to 1/.test(s)));
  assert.deepEqual(
    f.certificates?.map((c) => c.position),
    ['leaf', 'intermediate'],
  );
  assert.deepEqual(f.target, { host: 'github.com', port: 443, peerIp: '140.82.121.3' });
  assert.ok(f.kb.includes('SSSLERR_PEER_CERT_UNTRUSTED'));
});

test('pass: a self-signed private root at the top is named as the root with how to obtain it', () => {
  const root = 'CN=Corp Root CA, O=Corp, C=DE';
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    target: { host: 'erp.corp.internal', port: 44300 },
    pseFile: '/usr/sap/ABC/D00/sec/SAPSSLC.pse',
    certificates: [
      { depth: 0, subject: 'CN=erp.corp.internal, O=Corp', issuer: 'CN=Corp Issuing CA, O=Corp, C=DE' },
      { depth: 1, subject: 'CN=Corp Issuing CA, O=Corp, C=DE', issuer: root },
      { depth: 2, subject: root, issuer: root },
    ],
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.confidence, 'certain');
  assert.equal(f?.import?.subject, root);
  assert.equal(f?.import?.source, 'not-found');
  assert.ok((f?.import?.howToObtain?.length ?? 0) > 0);
  assert.deepEqual(
    f?.certificates?.map((c) => c.position),
    ['leaf', 'intermediate', 'root'],
  );
  assert.equal(f?.pse?.node, 'SSL client Standard');
});

test('pass: an issuer that is not a bundled root is named but not claimed as the root', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    certificates: [
      { depth: 0, subject: 'CN=a.example.org', issuer: 'CN=Mid CA, O=X' },
      { depth: 1, subject: 'CN=Mid CA, O=X', issuer: 'CN=Unknown Upper CA, O=X' },
    ],
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.confidence, 'likely');
  assert.match(f?.summary ?? '', /root or another intermediate/);
  // No PSE in the evidence: the outbound default is both SSL client PSEs.
  assert.deepEqual(
    f?.import?.into.map((t) => t.file),
    ['SAPSSLA.pse', 'SAPSSLC.pse'],
  );
});

test('pass: no chain in the evidence (cut PSE name) gives a likely finding with what to collect, no invented DN', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    errorText: 'peer certificate (chain) is not trusted',
    pseFile: '/usr/sap/SID/HOST/sec/PSE_FILE_TH',
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.ok(f);
  assert.equal(f.cause, 'untrusted-root');
  assert.equal(f.confidence, 'likely');
  assert.equal(f.pse?.file, '/usr/sap/SID/HOST/sec/PSE_FILE_TH');
  assert.equal(f.pse?.node, undefined);
  assert.equal(f.import?.subjectKnown, false);
  assert.deepEqual(f.import?.commands, []);
  assert.deepEqual(f.import?.into, [{ file: '/usr/sap/SID/HOST/sec/PSE_FILE_TH' }]);
  assert.ok(f.collect?.some((c) => /trace level to 2/.test(c)));
});

test('pass: a self-signed peer certificate is the certificate to trust', () => {
  const s = 'CN=legacy.example.com';
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    certificates: [{ depth: 0, subject: s, issuer: s }],
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.import?.kind, 'self-signed-peer');
});

test('fail: a different SSL failure is not a trust problem', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_SERVER_CERT_MISMATCH', number: -30 },
  });
  const r = runRule(rule, [ev]);
  assert.equal(r.findings.length, 0);
  assert.deepEqual(r.notApplicable, []);
});

test('not applicable: no SSL failure in the evidence', () => {
  const r = runRule(rule, [event('snc-name', { name: 'CN=X' })]);
  assert.deepEqual(r.notApplicable, ['untrusted-peer-chain']);
});

test('pass: "missing certificate of <CN>" naming a bundled root gives that root', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    errorText:
      "Peer's X.509 certificate (chain) validation failed (missing certificate of USERTrust RSA Certification Authority)",
    pseFile: 'SAPSSLA.pse',
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.confidence, 'certain');
  assert.equal(f?.import?.source, 'bundled-roots');
  assert.match(f?.import?.subject ?? '', /^CN=USERTrust RSA Certification Authority/);
});

test('pass: "missing certificate of <CN>" naming an unknown CA does not invent its root', () => {
  const ev = event('ssl-failure', {
    origin: 'trace',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    errorText: 'validation failed (missing certificate of Example Issuing CA 3)',
  });
  const f = runRule(rule, [ev]).findings[0];
  assert.equal(f?.confidence, 'likely');
  assert.equal(f?.import?.subject, 'CN=Example Issuing CA 3');
  assert.equal(f?.import?.source, 'not-found');
  assert.match(f?.summary ?? '', /does not show which CA stands above it/);
});

test('confidence: a proven public root is certain only when the trace names the PSE; otherwise likely, with how to find it', () => {
  const fields = {
    origin: 'trace' as const,
    role: 'client' as const,
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    target: { host: 'github.com', port: 443 },
    certificates: [
      { depth: 0, subject: LEAF, issuer: EV_CA },
      { depth: 1, subject: EV_CA, issuer: EV_ROOT },
    ],
  };
  const named = runRule(rule, [
    event('ssl-failure', { ...fields, pseFile: '/usr/sap/ABC/D00/sec/SAPSSLC.pse' }),
  ]).findings[0];
  assert.equal(named?.confidence, 'certain');
  assert.equal(named?.import?.pseUnknown, undefined);
  assert.ok(named?.steps.every((s) => !/does not name the PSE/.test(s)));
  const unnamed = runRule(rule, [event('ssl-failure', fields)]).findings[0];
  assert.equal(unnamed?.confidence, 'likely');
  assert.equal(unnamed?.import?.pseUnknown, true);
  assert.deepEqual(
    unnamed?.import?.into.map((t) => t.file),
    ['SAPSSLA.pse', 'SAPSSLC.pse'],
  );
  assert.match(unnamed?.title ?? '', /into the SSL client PSE of the call$/);
  assert.match(unnamed?.steps[0] ?? '', /does not name the PSE the call used/);
});
