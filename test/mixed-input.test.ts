/**
 * @module Mixed input: a Java stack trace, an ICM trace and a PSE in one run give one report in which
 * every finding says which input it rests on, and the findings on the Java client say which stack and
 * side printed the message (the SAP system is the server there) while the ICM ones keep the SAP side's role.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../src/analyze.js';
import { fixturePath, fixturesOrSkip, REPO_ROOT } from './helpers/fixtures.js';
import { assertValidReport } from './helpers/report-schema.js';

const NOW = new Date('2025-06-01T00:00:00Z');

const JAVA_LOG = `2026-12-05 10:11:12,345 ERROR [http-nio-8080-exec-3] c.e.s4.ApiClient - call to S/4HANA failed
javax.net.ssl.SSLHandshakeException: Received fatal alert: certificate_unknown
\tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)
\tat java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:365)
Caused by: javax.net.ssl.SSLException: Received fatal alert: certificate_unknown
\t... 12 more
`;

test(
  'a Java log, a dev_icm and a PSE give one report; each finding names its input, the Java one its stack',
  fixturesOrSkip(),
  async () => {
    const report = await analyze(
      [
        { name: 'app.log', bytes: Buffer.from(JAVA_LOG) },
        join(REPO_ROOT, 'examples', 'dev_icm'),
        fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1_plain.pse'),
      ],
      { now: NOW },
    );
    assertValidReport(report, 'mixed');
    assert.equal(report.inputs.length, 3);
    assert.ok(report.findings.length >= 3);
    const names = report.inputs.map((i) => i.name);
    for (const f of report.findings) {
      assert.ok(f.inputs && f.inputs.length > 0, `${f.rule}: says which input`);
      for (const n of f.inputs) assert.ok(names.includes(n));
    }
    const java = report.findings.filter((f) => f.inputs?.includes('app.log'));
    assert.ok(java.length > 0, 'the Java log has findings');
    for (const f of java) {
      assert.equal(f.printedBy?.stack, 'java');
      // The SAP system is the server when the Java side is the client (the entry states the side).
      if (f.printedBy?.side === 'client') assert.equal(f.role, 'server');
      else assert.notEqual(f.role, 'client', 'the Java log does not make the SAP side a client');
    }
    const icm = report.findings.filter((f) => f.inputs?.some((n) => n.endsWith('dev_icm')));
    assert.ok(
      icm.length > 0 && icm.every((f) => f.role === 'client'),
      'the ICM findings keep the SAP side as client',
    );
    const pse = report.findings.filter((f) => f.inputs?.some((n) => n.endsWith('.pse')));
    assert.ok(pse.length > 0, 'the PSE has findings (its own certificate expired in 2019)');
  },
);
