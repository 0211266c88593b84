/** @module `pse-doctor landscape` end to end on a generated landscape (+ the real PSE fixtures): every finding asserted, nothing else. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../helpers/fake-io.js';
import { fixturePath, fixturesOrSkip, SHARED_FIXTURES } from '../helpers/fixtures.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { addRealFixtures, LANDSCAPE_NOW, writeGeneratedLandscape } from './generated-landscape.js';

let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-landscape-'));
  await writeGeneratedLandscape(dir);
  if (SHARED_FIXTURES) addRealFixtures(dir, fixturePath('pse'));
  writeFileSync(join(dir, 'pin.txt'), '1234567980\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const base = ['landscape', 'collected', '--now', LANDSCAPE_NOW, '--no-store'];

/** Findings as [rule, severity, title] for exact comparison. */
function summary(report: Report): string[][] {
  return report.findings.map((f) => [f.rule, f.severity, f.title]);
}

describe('generated landscape', fixturesOrSkip(), () => {
  test('every expected finding, and nothing else', async () => {
    const r = await runCli([...base, '--json', '--pin-file', 'pin.txt', '--baseline', 'baseline.pem'], {
      cwd: dir,
    });
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as Report;
    assertValidReport(report, 'landscape report');
    const got = summary(report).sort((x, y) => x.join('|').localeCompare(y.join('|')));
    const expected = [
      // Own certificates: expired (ABC/app1 server), expiring against its lifetime (ABC client, 3% left).
      [
        'own-cert-expired',
        'error',
        'The own certificate of SAPSSLS.pse on ABC/app1 is expired (NotAfter 2026-04-27T12:00:00.000Z)',
      ],
      ...['app1', 'app2', 'app3'].map((i) => [
        'pse-own-cert-expiry',
        'warning',
        `The own certificate of SAPSSLC.pse (SSL client Standard) on ABC/${i} expires in 20 days (2026-06-21)`,
      ]),
      // The ABC client certificate lacks clientAuth (on every instance).
      ...['app1', 'app2', 'app3'].map((i) => [
        'pse-client-cert-no-client-auth',
        'warning',
        `The own certificate of SAPSSLC.pse (SSL client Standard) on ABC/${i} is not valid for client authentication`,
      ]),
      // The partner's own certificate pinned in SAPSSLA.pse.
      ...['app1', 'app2'].map((i) => [
        'pse-pinned-leaf',
        'warning',
        `SAPSSLA.pse (SSL client Anonymous) on ABC/${i} trusts the server certificate "partner.example.test" itself, not its CA`,
      ]),
      // Drift and the missing PSE.
      [
        'landscape-pse-drift',
        'warning',
        'SAPSSLC.pse (SSL client Standard) differs between the instances of ABC: 1 certificate(s) not on every instance',
      ],
      ['landscape-pse-missing', 'warning', 'SAPSSLA.pse (SSL client Anonymous) is missing on app3 of ABC'],
      // Baseline gaps: Root B is only on ABC/app3's SAPSSLC.pse.
      [
        'landscape-baseline-gap',
        'warning',
        'SAPSSLC.pse (SSL client Standard) on ABC lacks 1 root(s) of the baseline baseline.pem',
      ],
      [
        'landscape-baseline-gap',
        'warning',
        'SAPSSLA.pse (SSL client Anonymous) on ABC lacks 1 root(s) of the baseline baseline.pem',
      ],
      [
        'landscape-baseline-gap',
        'warning',
        'SAPSSLC.pse (SSL client Standard) on XYZ lacks 1 root(s) of the baseline baseline.pem',
      ],
      // The real fixtures (PIN from the file): CN=PSEOwner, expired 2019, is own certificate and trusted root.
      ...(SHARED_FIXTURES ? REAL_FINDINGS : []),
    ].sort((x, y) => x.join('|').localeCompare(y.join('|')));
    assert.deepEqual(got, expected);

    // Details users act on.
    const drift = report.findings.find((f) => f.rule === 'landscape-pse-drift');
    assert.match(
      drift?.summary ?? '',
      /"Landscape Root B", until 2099-12-31 is on app3 but not on app1, app2/,
    );
    const gap = report.findings.find(
      (f) =>
        f.rule === 'landscape-baseline-gap' && f.title.includes('SAPSSLC.pse (SSL client Standard) on ABC'),
    );
    assert.match(gap?.summary ?? '', /"Landscape Root B" \(on app1, app2\)/);
    assert.equal(gap?.import?.subject, 'CN=Landscape Root B, O=PSE Doctor Test, C=DE');
    assert.ok(
      gap?.import?.commands.some((c) => c.includes('sapgenpse maintain_pk') && c.includes('SAPSSLC.pse')),
    );
    // XYZ's 47-day certificate with 25 days left is not "expiring": no finding names XYZ's own certificate.
    assert.ok(!report.findings.some((f) => f.title.includes('XYZ') && f.rule.startsWith('pse-own')));

    // Inventory: every PSE of every instance, with days and lifetime left.
    const l = report.landscape;
    assert.ok(l);
    assert.deepEqual(
      l.systems.filter((s) => s.system !== 'REAL'),
      [
        { system: 'ABC', instances: ['app1', 'app2', 'app3'] },
        { system: 'XYZ', instances: ['app1', 'app2'] },
      ],
    );
    const abc1c = l.pses.find(
      (p) => p.system === 'ABC' && p.instance === 'app1' && p.basename === 'SAPSSLC.pse',
    );
    assert.equal(abc1c?.node, 'SSL client Standard');
    assert.equal(abc1c?.own?.daysLeft, 20);
    assert.equal(abc1c?.own?.lifetimeLeft, 0.027);
    assert.deepEqual(abc1c?.own?.extendedKeyUsage, ['serverAuth']);
    assert.equal(l.pses.filter((p) => p.system !== 'REAL').length, 10);
    // The plan: one item per finding, overdue first, then by date; the expired server certificate leads.
    assert.equal(l.plan.length, report.findings.length);
    // Every item says where (system, instances, PSE), when and how to fix it.
    for (const item of l.plan) {
      assert.ok(item.system, `system of "${item.title}"`);
      assert.ok(item.instances?.length, `instances of "${item.title}"`);
      assert.ok(item.pse, `PSE of "${item.title}"`);
      assert.match(item.date, /^\d{4}-\d\d-\d\d$/);
      assert.ok(item.steps.length > 0, `fix of "${item.title}"`);
    }
    // Where the fix goes: the instance lacking the PSE, the instances lacking the baseline root.
    const planOf = (rule: string, pse: string, system = 'ABC') =>
      l.plan.find((p) => p.rule === rule && p.pse === pse && p.system === system);
    assert.deepEqual(planOf('landscape-pse-missing', 'SAPSSLA.pse')?.instances, ['app3']);
    assert.deepEqual(planOf('landscape-baseline-gap', 'SAPSSLC.pse')?.instances, ['app1', 'app2']);
    assert.deepEqual(planOf('landscape-baseline-gap', 'SAPSSLC.pse', 'XYZ')?.instances, ['app1', 'app2']);
    assert.match(l.plan[0]?.title ?? '', /SAPSSLS\.pse on ABC\/app1 is expired|PSEOwner|pse_v/);
    const expiring = l.plan.find((p) => p.rule === 'pse-own-cert-expiry');
    assert.equal(expiring?.date, '2026-06-21');
    assert.equal(expiring?.system, 'ABC');
    const dates = l.plan.map((p) => p.date);
    assert.deepEqual(dates, [...dates].sort());
    assert.equal(r.code, 1, 'an error finding (expired own certificate) gives exit 1');
  });

  test('terminal summary, CSV, OpenMetrics and HTML render the same run', async () => {
    const text = await runCli([...base, '--pin-file', 'pin.txt', '--html', 'report.html'], { cwd: dir });
    assert.match(text.stdout, /^Landscape: \d system\(s\), \d instance\(s\), \d+ PSE\(s\)/);
    assert.match(text.stdout, /What breaks next \(most urgent first\):/);
    assert.match(text.stdout, /2026-06-21 \(in 20 d\)\s+warning The own certificate of SAPSSLC\.pse/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(html, /<h2>What breaks next<\/h2>/);
    assert.ok(!html.includes('<script'));
    const csv = await runCli([...base, '--pin-file', 'pin.txt', '--csv'], { cwd: dir });
    const rows = csv.stdout.trim().split('\r\n');
    assert.equal(rows[0]?.split(',')[0], 'system');
    assert.ok(rows.some((row) => row.startsWith('ABC,app1,SAPSSLC.pse,SSL client Standard,pse,own,')));
    const om = await runCli([...base, '--pin-file', 'pin.txt', '--format', 'openmetrics'], { cwd: dir });
    assert.match(
      om.stdout,
      /psedoctor_own_certificate_days_left\{system="ABC",instance="app1",pse="SAPSSLC.pse",subject="CN=ABC SSL client, O=PSE Doctor Test, C=DE"\} 20/,
    );
    assert.match(om.stdout, /# EOF\n$/);
    // --fail-on never: exit 0 even with errors.
    const never = await runCli([...base, '--pin-file', 'pin.txt', '--fail-on', 'never'], { cwd: dir });
    assert.equal(never.code, 0);
  });

  test('trend: the second run says what changed since the first', async () => {
    const db = join(dir, 'trend.db');
    const first = await runCli(
      ['landscape', 'collected', '--now', LANDSCAPE_NOW, '--db', db, '--json', '--pin-file', 'pin.txt'],
      { cwd: dir },
    );
    const r1 = JSON.parse(first.stdout) as Report;
    assert.match(r1.landscape?.runId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(r1.landscape?.trend, undefined);
    // Between the runs: Root B is imported on ABC/app1 (as STRUST would), SAPSSLA.pse appears on app3.
    const gen = await writeGeneratedLandscape(join(dir, 'tmp'));
    const { writePse } = await import('../pse-writer/index.js');
    writeFileSync(
      join(dir, 'collected/ABC/app3/sec/SAPSSLA.pse'),
      readFileSync(join(dir, 'collected/ABC/app1/sec/SAPSSLA.pse')),
    );
    writeFileSync(
      join(dir, 'collected/ABC/app1/sec/SAPSSLA.pse'),
      writePse({ version: 4, iterations: 1, trusted: [gen.rootA, gen.rootB] }),
    );
    try {
      const second = await runCli(
        ['landscape', 'collected', '--now', LANDSCAPE_NOW, '--db', db, '--json', '--pin-file', 'pin.txt'],
        { cwd: dir },
      );
      const t = (JSON.parse(second.stdout) as Report).landscape?.trend;
      assert.ok(t);
      assert.equal(t.previousRunId, r1.landscape?.runId);
      assert.deepEqual(t.pseAdded, ['ABC/app3/SAPSSLA.pse']);
      assert.deepEqual(
        t.added.map((c) => [c.pse, c.subject]),
        [['ABC/app1/SAPSSLA.pse', 'CN=Landscape Root B, O=PSE Doctor Test, C=DE']],
      );
      assert.deepEqual(
        t.removed.map((c) => [c.pse, c.subject]),
        [['ABC/app1/SAPSSLA.pse', gen.partnerLeafSubject]],
      );
      assert.ok(t.findingsGone.includes('SAPSSLA.pse (SSL client Anonymous) is missing on app3 of ABC'));
      assert.ok(
        t.findingsNew.some((f) =>
          f.startsWith('SAPSSLA.pse (SSL client Anonymous) differs between the instances of ABC'),
        ),
      );
    } finally {
      // Restore the landscape for the other tests.
      await writeGeneratedLandscape(dir);
      rmSync(join(dir, 'collected/ABC/app3/sec/SAPSSLA.pse'), { force: true });
    }
  });

  test('--baseline-scope server: the baseline is compared with the SSL server PSEs instead', async () => {
    const r = await runCli(
      [
        ...base,
        '--json',
        '--pin-file',
        'pin.txt',
        '--baseline',
        'baseline.pem',
        '--baseline-scope',
        'server',
      ],
      { cwd: dir },
    );
    const gaps = (JSON.parse(r.stdout) as Report).findings
      .filter((f) => f.rule === 'landscape-baseline-gap')
      .map((f) => [f.title, f.landscape?.instances]);
    assert.deepEqual(gaps, [
      [
        'SAPSSLS.pse (SSL server Standard) on ABC lacks 1 root(s) of the baseline baseline.pem',
        ['app1', 'app2', 'app3'],
      ],
    ]);
  });

  test('bad input: not a folder, a bad targets line, --probe without targets (exit 2)', async () => {
    assert.equal((await runCli(['landscape', 'nope', '--no-store'], { cwd: dir })).code, 2);
    writeFileSync(join(dir, 'targets.csv'), 'SID,host,port\nABC,api.example.com,99999\n');
    const bad = await runCli([...base, '--targets', 'targets.csv'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /targets\.csv line 2: "99999" is not a port/);
    assert.equal((await runCli([...base, '--probe'], { cwd: dir })).code, 2);
    assert.equal((await runCli([...base, '--expiry', 'share=200%'], { cwd: dir })).code, 2);
    const scope = await runCli([...base, '--baseline', 'baseline.pem', '--baseline-scope', 'client;rm'], {
      cwd: dir,
    });
    assert.equal(scope.code, 2);
    assert.match(scope.stderr, /--baseline-scope takes client, server, all or PSE file names/);
  });
});

/** The real fixtures: CN=PSEOwner (self-signed, valid 2018-02-18 to 2019-02-18) is own certificate and trusted root of both. */
const REAL_FINDINGS: string[][] = ['v2', 'v4'].flatMap((v) => [
  [
    'own-cert-expired',
    'error',
    `The own certificate of pse_${v}_lps_off_pbes1_3des_sha1.pse on REAL/inst1 is expired (NotAfter 2019-02-18T18:48:35.000Z)`,
  ],
  [
    'pse-trusted-cert-expired',
    'info',
    `1 expired certificate(s) in the certificate list of pse_${v}_lps_off_pbes1_3des_sha1.pse on REAL/inst1`,
  ],
]);
