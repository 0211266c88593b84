/**
 * @module The broad prefilter markers keep the outside clients' messages in large logs: every printed
 * phrase of an entry that an outside client may print carries a marker, and a message deep inside a
 * large Java or PowerShell log (past the fully read head) is still found.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analyze.js';
import { readKbDirectory } from '../../kb/index.js';
import { isRecognisable } from '../../kb/recognize/model.js';
import { OUTSIDE_CLIENT_STACKS } from '../../kb/types.js';
import { BROAD_MARKERS } from './markers.js';

test('every printed phrase an outside client may print carries a broad prefilter marker', () => {
  const missing: string[] = [];
  for (const e of readKbDirectory()) {
    // Also the entries an SAP product shares with an outside client (a JSSE text in a Cloud Connector or
    // Cloud Integration log, a HANA client text in a Node program): such a log is as large.
    if (!e.stacks.some((s) => OUTSIDE_CLIENT_STACKS.has(s))) continue;
    // Markers are ASCII bytes: a phrase with no Latin letter at all (Japanese Windows) is found through
    // the exception name printed before it (next test).
    for (const p of e.printed.filter(isRecognisable))
      if (/[A-Za-z]/.test(p) && !BROAD_MARKERS.some((m) => p.includes(m))) missing.push(`${e.id}: ${p}`);
  }
  assert.deepEqual(missing, []);
});

test('a message deep inside a large Java or PowerShell log is found past the fully read head', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-markers-'));
  try {
    const filler = (n: number, from: number): string[] =>
      Array.from(
        { length: n },
        (_, i) =>
          `2024-06-03 08:${String((from + i) % 60).padStart(2, '0')}:07.512 INFO 7 --- [exec-${i % 9}] c.e.orders.OrderService : order ${from + i} booked in 12 ms`,
      );
    const java = [
      ...filler(12_000, 0),
      'Caused by: javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
      '\tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)',
      ...filler(2_000, 12_000),
    ].join('\n');
    const node = [
      ...filler(12_000, 0),
      // Carries none of the older markers (no SSL, TLS, certificate, Exception): only 'transport stream'.
      'Invoke-WebRequest : Authentication failed because the remote party has closed the transport stream.',
      ...filler(2_000, 12_000),
    ].join('\n');
    const javaPath = join(dir, 'app.log');
    const nodePath = join(dir, 'powershell.log');
    writeFileSync(javaPath, java);
    writeFileSync(nodePath, node);
    assert.ok(java.length > 1024 * 1024, 'past the fully read head');
    const javaReport = await analyze([javaPath]);
    assert.equal(javaReport.findings[0]?.cause, 'untrusted-root');
    assert.ok((javaReport.inputs[0]?.skippedLines ?? 0) > 0, 'the prefilter skipped lines');
    const psReport = await analyze([nodePath]);
    assert.equal(psReport.findings[0]?.cause, 'tls-version');
    // A connection refused and a peer's alert in words none of the certificate markers holds.
    for (const [line, cause] of [
      ['Error: connect ECONNREFUSED 10.20.30.40:44300', 'network'],
      ['2024-06-03 08:15:07 upstream call failed: remote error: tls: access denied', 'client-cert-rejected'],
      // Localized Windows: a German text through its own words, a Japanese one through the exception name.
      [
        'System.Net.WebException: Die Anfrage wurde abgebrochen: Es konnte kein geschützter SSL/TLS-Kanal erstellt werden.',
        'tls-version',
      ],
      ['System.IO.IOException: 予期しないパケット形式のため、ハンドシェイクに失敗しました。', 'not-ssl-port'],
      [
        '2024/03/12 13:05:44 [error] 1187#1187: *4419021 upstream SSL certificate does not match "sap-webdisp.sap-prod.svc.cluster.local" while SSL handshaking to upstream',
        'hostname-mismatch',
      ],
    ] as const) {
      const path = join(dir, 'service.log');
      writeFileSync(path, [...filler(12_000, 0), line, ...filler(2_000, 12_000)].join('\n'));
      const report = await analyze([path]);
      assert.equal(report.findings[0]?.cause, cause, line);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
