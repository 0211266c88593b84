/**
 * @module End-to-end: every real case gets its expected cause (first, or among honest hypotheses), role and PSE node;
 * every real trace analyzes without rule errors into a schema-valid report; negative traces yield no failure.
 */
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../src/analyze.js';
import type { Finding } from '../src/model/report.js';
import { fixturesOrSkip, listFixtures, readJson } from './helpers/fixtures.js';
import { assertValidReport } from './helpers/report-schema.js';

interface CaseJson {
  id: string;
  cause: string;
  role?: string | null;
  pse_file?: string | null;
  pse_node?: string | null;
  notes?: string;
}

interface TraceJson {
  id: string;
  expected_negative?: string | boolean;
}

const NOW = new Date('2025-06-01T00:00:00Z');

/**
 * Cases where the evidence itself does not show the SAP side's role, so a finding without a role is
 * the honest answer (the case JSON states the role from the surrounding story, not from the text).
 */
const ROLE_NOT_IN_EVIDENCE: Record<string, string> = {
  'case-010':
    'a library load failure (DlLoadLib … DLENOACCESS) does not show whether the program was about to act as client or server',
};

/** Where the cause is expected: first, or among ranked hypotheses none of which claims certainty. */
function placeOf(findings: Finding[], cause: string): 'first' | 'hypothesis' | 'missing' {
  if (findings[0]?.cause === cause) return 'first';
  const hit = findings.find((f) => f.cause === cause);
  if (hit && hit.confidence !== 'certain' && !findings.some((f) => f.confidence === 'certain'))
    return 'hypothesis';
  return 'missing';
}

describe('real cases', fixturesOrSkip(), () => {
  for (const txt of listFixtures('real/cases', '.txt')) {
    const expected = readJson<CaseJson>(txt.replace(/\.txt$/, '.json'));
    test(`${expected.id}: ${expected.cause}`, async () => {
      const report = await analyze([txt], { now: NOW });
      assertValidReport(report, expected.id);
      assert.equal(report.ruleErrors, undefined, JSON.stringify(report.ruleErrors));
      const place = placeOf(report.findings, expected.cause);
      assert.notEqual(
        place,
        'missing',
        `${expected.id}: expected cause ${expected.cause}; got ${report.findings.map((f) => `${f.cause}/${f.confidence}`).join(', ')}`,
      );
      const finding = report.findings.find((f) => f.cause === expected.cause) as Finding;
      if (expected.role) {
        if (finding.role === undefined && ROLE_NOT_IN_EVIDENCE[expected.id]) {
          // documented: the evidence does not carry the role
        } else assert.equal(finding.role, expected.role, `${expected.id}: role`);
      }
      if (expected.pse_node) assert.equal(finding.pse?.node, expected.pse_node, `${expected.id}: PSE node`);
      if (expected.pse_file) {
        // The case may mark a name cut by its source with "…"/"...": compare the part that is there.
        const shown = expected.pse_file.replace(/(\.\.\.|…)$/, '');
        assert.ok(
          finding.pse?.file?.startsWith(shown),
          `${expected.id}: PSE file ${finding.pse?.file} vs ${shown}`,
        );
      }
    });
  }

  test('case-028: untrusted root, the PSE named by the trace, its node honestly unknown, import guidance', async () => {
    const [txt] = listFixtures('real/cases', '.txt').filter((f) => basename(f) === 'case-028.txt');
    assert.ok(txt);
    const report = await analyze([txt], { now: NOW });
    const f = report.findings[0];
    assert.ok(f);
    assert.equal(f.cause, 'untrusted-root');
    assert.equal(f.role, 'client');
    assert.equal(f.pse?.file, '/usr/sap/SID/HOST/sec/PSE_FILE_TH');
    assert.equal(f.pse?.node, undefined, 'the cut file name must not be mapped to a STRUST node');
    assert.ok(f.import, 'the fix is an import');
    assert.equal(f.import.subjectKnown, false);
    assert.deepEqual(f.import.into, [{ file: '/usr/sap/SID/HOST/sec/PSE_FILE_TH' }]);
    assert.ok(
      f.steps.some((s) =>
        /import that root CA into the PSE "\/usr\/sap\/SID\/HOST\/sec\/PSE_FILE_TH"/i.test(s),
      ),
    );
    assert.ok(f.collect?.some((c) => /trace level to 2/.test(c)));
  });

  test('traps: -30 and PEER_CERT_EXPIRED with a peer address are never blamed certainly on the certificate', async () => {
    for (const id of ['case-002', 'case-003']) {
      const [txt] = listFixtures('real/cases', '.txt').filter((f) => basename(f) === `${id}.txt`);
      assert.ok(txt);
      const report = await analyze([txt], { now: NOW });
      assert.ok(
        report.findings.every((f) => f.confidence !== 'certain'),
        id,
      );
      assert.ok(
        report.findings.some((f) => f.cause === 'wrong-host'),
        id,
      );
      assert.ok(report.findings.length >= 2, `${id}: several ranked hypotheses`);
    }
  });

  test('case-007: "HTTP error 407" with an SSSL code is an SSL failure, never a proxy finding', async () => {
    const [txt] = listFixtures('real/cases', '.txt').filter((f) => basename(f) === 'case-007.txt');
    assert.ok(txt);
    const report = await analyze([txt], { now: NOW });
    assert.ok(report.findings.every((f) => f.cause !== 'proxy'));
    assert.equal(report.findings[0]?.parameters?.[0]?.name, 'ssl/client_ciphersuites');
    assert.equal(report.findings[0]?.parameters?.[0]?.value, '150:PFS:HIGH::EC_P256:EC_HIGH');
  });
});

describe('real traces', fixturesOrSkip(), () => {
  for (const txt of listFixtures('real/traces', '.txt')) {
    const expected = readJson<TraceJson>(txt.replace(/\.txt$/, '.json'));
    test(`${expected.id} analyzes cleanly${expected.expected_negative ? ' and reports no failure' : ''}`, async () => {
      const report = await analyze([txt], { now: NOW });
      assertValidReport(report, expected.id);
      assert.equal(report.ruleErrors, undefined, JSON.stringify(report.ruleErrors));
      if (expected.expected_negative) {
        assert.deepEqual(
          report.findings.filter((f) => f.severity !== 'info').map((f) => f.title),
          [],
          `${expected.id} must yield no failure`,
        );
      }
    });
  }

  test('trace-006: a cut chain dump without PSE line: untrusted root likely, the PSE unknown and how to learn it', async () => {
    const [txt] = listFixtures('real/traces', '.txt').filter((f) => basename(f) === 'trace-006.txt');
    assert.ok(txt);
    const report = await analyze([txt], { now: NOW });
    const f = report.findings[0];
    assert.ok(f);
    assert.equal(f.cause, 'untrusted-root');
    assert.equal(f.confidence, 'likely', 'the PSE of the call is not in the evidence: not certain');
    assert.ok(
      report.findings.every((x) => x.confidence !== 'certain'),
      'no finding claims certainty',
    );
    assert.equal(
      f.import?.subject,
      'CN=DigiCert High Assurance EV Root CA, OU=www.digicert.com, O=DigiCert Inc, C=US',
    );
    assert.equal(f.import?.pseUnknown, true);
    assert.doesNotMatch(f.title, /SAPSSLA|SAPSSLC|Anonymous|Standard/, 'the title does not imply both PSEs');
    assert.match(f.title, /the SSL client PSE of the call/);
    const how = f.steps[0] ?? '';
    assert.match(how, /does not name the PSE/);
    assert.match(how, /cli SSL session PSE/);
    assert.match(how, /session uses PSE file/);
    assert.match(how, /SM59/);
    assert.match(
      how,
      /only if you cannot find out, import into SSL client Anonymous \(SAPSSLA\.pse\) and SSL client Standard \(SAPSSLC\.pse\), the fallback SAP's guides give/,
    );
  });
});
