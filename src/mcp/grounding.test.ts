/** @module Grounding: citations from the rule (or its kb entries), evidence by input name, thin evidence and what to collect. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding, Report } from '../model/report.js';
import { GENERIC_COLLECT, groundReport, kbUri, ruleCitation } from './grounding.js';
import { renderGroundedText } from './render-text.js';

function finding(over: Partial<Finding>): Finding {
  return {
    rule: 'untrusted-peer-chain',
    cause: 'untrusted-root',
    confidence: 'certain',
    severity: 'error',
    title: 'Import the root CA',
    summary: 'The chain ends in a CA the PSE lacks.',
    steps: ['Import it.'],
    evidence: [{ input: 0, line: 17, text: 'SSSLERR_PEER_CERT_UNTRUSTED (-102)' }],
    kb: ['SSSLERR_PEER_CERT_UNTRUSTED'],
    ...over,
  };
}

function report(findings: Finding[]): Report {
  return {
    tool: 'pse-doctor',
    schemaVersion: 1,
    inputs: [
      { name: 'dev_icm', format: 'icm-trace', bytes: 10, lines: 20, unrecognizedLines: 0, warnings: [] },
    ],
    events: [],
    findings,
  };
}

describe('groundReport', () => {
  test('a certain finding: evidence by input name and line, kb URIs, a citation naming the kb file and SAP Notes', () => {
    const g = groundReport(report([finding({})]), true);
    assert.equal(g.thin, false);
    assert.deepEqual(g.collectNext, []);
    const f = g.findings[0];
    assert.deepEqual(f?.evidence, [
      { input: 'dev_icm', line: 17, text: 'SSSLERR_PEER_CERT_UNTRUSTED (-102)' },
    ]);
    assert.deepEqual(f?.kb, ['kb://SSSLERR_PEER_CERT_UNTRUSTED']);
    // The rule cites its own authority (SAP Note / RFC section, as docs/rules.md lists it).
    assert.match(f?.citation ?? '', /SAP Note \d+/);
    assert.equal(f?.citation, 'SAP Note 2368112; RFC 5280 §6');
  });

  test('a rule without its own citation is cited by its kb files and their SAP Notes', () => {
    const g = groundReport(report([finding({ rule: 'some-unregistered-rule' })]), true);
    assert.match(
      g.findings[0]?.citation ?? '',
      /SSSLERR_PEER_CERT_UNTRUSTED \(kb\/code\/SSSLERR_PEER_CERT_UNTRUSTED\.md; SAP Note \d+/,
    );
  });

  test('only hypotheses: thin, with their own collect lines; no finding at all: the generic list', () => {
    const hyp = finding({
      confidence: 'likely',
      collect: ['Raise the ICM trace to level 2.'],
      distinguish: 'A chain dump.',
    });
    const g = groundReport(report([hyp]), true);
    assert.equal(g.thin, true);
    assert.deepEqual(g.collectNext, ['Raise the ICM trace to level 2.']);
    assert.equal(g.findings[0]?.hypothesis, true);
    const text = renderGroundedText(report([hyp]), g, 'pse-doctor analyze');
    assert.match(text, /This is a hypothesis \(likely\)/);
    assert.match(text, /What tells it apart: A chain dump\./);
    assert.match(text, /The evidence is thin/);
    const none = groundReport(report([]), true);
    assert.equal(none.thin, true);
    assert.deepEqual(none.collectNext, GENERIC_COLLECT);
    assert.match(renderGroundedText(report([]), none, 'x'), /No failure was found/);
  });

  test('inspections are never thin', () => {
    assert.equal(groundReport(report([]), false).thin, false);
  });

  test('a rule id the registry does not know is cited by the kb ids of the finding', () => {
    assert.match(ruleCitation('verify-something', ['TRUST086']), /TRUST086 \(kb\/message\/TRUST086\.md/);
    assert.equal(ruleCitation('verify-something', []), 'no knowledge-base entry');
    assert.equal(kbUri('icm/HTTPS/client_sni_enabled'), 'kb://icm%2FHTTPS%2Fclient_sni_enabled');
  });
});
