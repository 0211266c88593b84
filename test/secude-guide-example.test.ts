/**
 * @module SAP's troubleshooting-guide example for -102 (old SECUDE trace, SAPSSLC.pse, peer signed by "SAP CA"),
 * rendered completely by us (test/self-written/, NOT real evidence): client role, SSL client Standard, import
 * the issuing CA. The stored real copy (case-028) is cut; test/analyze-cases.test.ts keeps its node unknown.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyze, diagnose, readEvidence } from '../src/analyze.js';
import type { SslFailureEvent } from '../src/model/evidence.js';
import type { Report } from '../src/model/report.js';

const FILE = fileURLToPath(new URL('./self-written/secude-peer-untrusted-sapsslc.txt', import.meta.url));
const NOW = new Date('2016-09-12T12:00:00Z');
const PEER = 'CN=erp.example.test, OU=SAP AS, O=SAP CA, C=DE';
const ISSUER = 'CN=SAP CA, O=SAP CA, C=DE';

/** What the guide says the example means, checked on a Report. */
function assertGuideDiagnosis(report: Report): void {
  const f = report.findings[0];
  assert.ok(f, 'a finding');
  assert.equal(f.cause, 'untrusted-root');
  assert.equal(f.role, 'client');
  assert.equal(f.errorCode?.name, 'SSSLERR_PEER_CERT_UNTRUSTED');
  assert.equal(f.pse?.basename, 'SAPSSLC.pse');
  assert.equal(f.pse?.node, 'SSL client Standard');
  assert.ok(f.import, 'the fix is an import');
  assert.equal(f.import.subject, ISSUER, 'the issuing CA of the peer certificate');
  assert.equal(f.import.source, 'not-found', 'SAP CA is not a Mozilla root');
  assert.ok((f.import.howToObtain?.length ?? 0) > 0, 'says how to obtain it');
  assert.deepEqual(f.import.into, [{ node: 'SSL client Standard', file: 'SAPSSLC.pse' }]);
  assert.equal(f.import.commands[0], 'sapgenpse maintain_pk -p SAPSSLC.pse -a SAP_CA.crt');
  assert.match(f.title, /SAP CA.*SSL client Standard/);
  // The alternative stays visible, ranked below, never first.
  const alt = report.findings.find((x) => x.cause === 'missing-intermediate');
  assert.ok(alt, 'missing intermediate is offered as the alternative');
  assert.equal(alt.confidence, 'possible');
}

describe('SAP guide example (self-written complete rendition of case-028)', () => {
  test('the reader finds the PSE, the role and the -102 of the old SECUDE shape', async () => {
    const evidence = await readEvidence([FILE], { now: NOW });
    const failure = evidence.events.find((e): e is SslFailureEvent => e.kind === 'ssl-failure');
    assert.ok(failure);
    assert.equal(failure.pseFile, '/usr/sap/SID/HOST/sec/SAPSSLC.pse');
    assert.equal(failure.role, 'client');
    assert.equal(failure.error?.number, -102);
  });

  test('rules: with the peer and issuer the errorstack prints, the guide’s diagnosis comes first', async () => {
    // The event as the reader should give it once it reads the errorstack's Subject/Issuer lines.
    const evidence = await readEvidence([FILE], { now: NOW });
    const failure = evidence.events.find((e): e is SslFailureEvent => e.kind === 'ssl-failure');
    assert.ok(failure);
    failure.certificates = [{ depth: 0, subject: PEER, issuer: ISSUER }];
    assertGuideDiagnosis(diagnose(evidence, { now: NOW }));
  });

  test('end to end: analyze gives the guide’s diagnosis', async () => {
    assertGuideDiagnosis(await analyze([FILE], { now: NOW }));
  });
});
