/**
 * @module Import plans: file names, sapgenpse/sapcli commands, targets per store kind (pki), and their
 * words — reasons and how-to-obtain — which are the rules' (rules/import-wording.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildImportPlan } from '../rules/import-wording.js';
import { buildImportPlan as buildPlanFacts, certificateFileName } from './import-plan.js';
import { describePse } from './pse-nodes.js';
import { findRoot } from './root-store.js';

test('a bundled root goes into the PSE the trace named, with PEM, fingerprint and commands', () => {
  const root = findRoot({ dn: 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US' });
  assert.ok(root);
  const plan = buildImportPlan({
    certificate: root,
    kind: 'root',
    source: 'bundled-roots',
    pses: [describePse('/usr/sap/ABC/D00/sec/SAPSSLA.pse')],
  });
  assert.equal(plan.fileName, 'DigiCert_Global_Root_G2.crt');
  assert.equal(plan.pem, root.pem);
  assert.equal(plan.sha256, root.sha256);
  assert.deepEqual(plan.into, [{ node: 'SSL client Anonymous', file: 'SAPSSLA.pse' }]);
  assert.equal(plan.commands[0], 'sapgenpse maintain_pk -p SAPSSLA.pse -a DigiCert_Global_Root_G2.crt');
  assert.equal(
    plan.commands[1],
    'sapcli strust putcertificate -s client_anonymous DigiCert_Global_Root_G2.crt',
  );
  assert.ok(plan.strustPath?.some((s) => s.includes('SSL client Anonymous')));
  assert.equal(plan.howToObtain, undefined);
  assert.match(plan.reason ?? '', /root CA/);
});

test('without a named PSE the outbound default is both SSL client nodes', () => {
  const plan = buildImportPlan({
    certificate: { subject: 'CN=Corp Root, O=Corp, C=DE' },
    kind: 'root',
    source: 'not-found',
  });
  assert.deepEqual(
    plan.into.map((t) => t.file),
    ['SAPSSLA.pse', 'SAPSSLC.pse'],
  );
  assert.ok(plan.strustPath?.some((s) => s.startsWith('Repeat for "SSL client Standard"')));
  assert.ok((plan.howToObtain?.length ?? 0) >= 2);
  assert.equal(plan.pem, undefined);
});

test('AIA URLs of the certificate lead the how-to-obtain list', () => {
  const plan = buildImportPlan({
    certificate: { subject: 'CN=Some Issuing CA, O=X', aiaIssuers: ['http://cacerts.example.com/ca.crt'] },
    kind: 'intermediate',
    source: 'not-found',
  });
  assert.match(plan.howToObtain?.[0] ?? '', /cacerts\.example\.com/);
  assert.match(plan.reason ?? '', /does not prove which root/);
});

test('non-SAP stores: Java keystore, HANA client trust.pem, no STRUST path', () => {
  const java = buildImportPlan({
    certificate: { subject: 'CN=R' },
    kind: 'root',
    source: 'not-found',
    store: 'java',
  });
  assert.equal(java.into[0]?.store, 'java-keystore');
  assert.match(java.commands[0] ?? '', /^keytool -importcert/);
  assert.doesNotMatch(java.commands[0] ?? '', /storepass/);
  assert.equal(java.strustPath, undefined);
  const hana = buildImportPlan({
    certificate: { subject: 'CN=DigiCert Global Root CA' },
    kind: 'root',
    source: 'bundled-roots',
    store: 'hana-client',
    storePath: '/Users/< username >/.ssl/trust.pem',
  });
  assert.equal(hana.into[0]?.file, '/Users/< username >/.ssl/trust.pem');
  assert.match(hana.commands[0] ?? '', /^cat DigiCert_Global_Root_CA\.crt >> '/);
});

test('server PSE: the reason explains that an intermediate narrows inbound trust', () => {
  const plan = buildImportPlan({
    certificate: { subject: 'CN=Client Root' },
    kind: 'root',
    source: 'input',
    pses: [describePse('SAPSSLS.pse')],
  });
  assert.match(plan.reason ?? '', /narrows inbound trust/);
  assert.match(plan.commands[1] ?? '', /-s server_standard/);
});

test('file names are safe whatever the DN holds', () => {
  assert.equal(certificateFileName('CN=../../etc/passwd'), 'etc_passwd.crt');
  assert.equal(certificateFileName('CN="Ünïcode; Root", O=X'), 'Unicode_Root.crt');
  assert.equal(certificateFileName('O=Only Org'), 'Only_Org.crt');
  assert.equal(certificateFileName(''), 'certificate.crt');
});

test('pki builds the facts only: no reason and no how-to-obtain text without the rules', () => {
  const input = {
    certificate: { subject: 'CN=Some Issuing CA, O=X', aiaIssuers: ['http://cacerts.example.com/ca.crt'] },
    kind: 'intermediate' as const,
    source: 'not-found' as const,
  };
  const facts = buildPlanFacts(input);
  assert.equal(facts.reason, undefined);
  assert.equal(facts.howToObtain, undefined);
  const worded = buildImportPlan(input);
  assert.deepEqual(
    { ...worded, reason: undefined, howToObtain: undefined, howToObtainDetails: undefined },
    { ...facts, reason: undefined, howToObtain: undefined, howToObtainDetails: undefined },
  );
});
