/**
 * @module `pse-doctor landscape` on the other two collected forms — the collection script's sapgenpse
 * listings beside PSE files pse-doctor cannot open, and STRUST exports — gives the inventory and findings of
 * the PSE files themselves, less exactly what a listing does not show.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LandscapePse } from '../../src/model/landscape.js';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../helpers/fake-io.js';
import { type CollectedForm, LANDSCAPE_NOW, writeGeneratedLandscape } from './generated-landscape.js';

const dirs = new Map<CollectedForm, string>();
const reports = new Map<CollectedForm, Report>();

before(async () => {
  for (const form of ['pse', 'listings', 'export'] as const) {
    const dir = mkdtempSync(join(tmpdir(), `pse-doctor-landscape-${form}-`));
    await writeGeneratedLandscape(dir, form);
    dirs.set(form, dir);
    const r = await runCli(
      [
        'landscape',
        'collected',
        '--now',
        LANDSCAPE_NOW,
        '--no-store',
        '--json',
        '--baseline',
        'baseline.pem',
      ],
      { cwd: dir },
    );
    assert.equal(r.stderr, '', form);
    assert.equal(r.code, 1, `${form}: the expired own certificate gives exit 1`);
    reports.set(form, JSON.parse(r.stdout) as Report);
  }
});
after(() => {
  for (const dir of dirs.values()) rmSync(dir, { recursive: true, force: true });
});

const get = (form: CollectedForm): Report => reports.get(form) as Report;

/** Findings as `rule | severity | title`, sorted. */
function findings(report: Report): string[] {
  return report.findings.map((f) => `${f.rule} | ${f.severity} | ${f.title}`).sort();
}

/** What a listing shows of a certificate: names, serial, validity, key (no SHA-256, EKU or CA flag). */
function shown(c: NonNullable<LandscapePse['own']>) {
  return {
    subject: c.subject,
    issuer: c.issuer,
    serial: c.serial,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    daysLeft: c.daysLeft,
    lifetimeLeft: c.lifetimeLeft,
    key: c.key,
  };
}

function inventory(report: Report) {
  return (report.landscape?.pses ?? []).map((p) => ({
    system: p.system,
    instance: p.instance,
    file: p.file,
    basename: p.basename,
    node: p.node,
    own: p.own ? shown(p.own) : undefined,
    trusted: p.trusted.map(shown),
  }));
}

/** Rules that need what only the certificate itself shows: EKU (clientAuth) and the CA flag (pinned leaf). */
const NEEDS_EKU = 'pse-client-cert-no-client-auth';
const NEEDS_CA_FLAG = 'pse-pinned-leaf';

describe('collected forms: PSE files, sapgenpse listings, STRUST exports', () => {
  test('the PSE files give every expected finding (the reference for the other forms)', () => {
    const rules = new Set(get('pse').findings.map((f) => f.rule));
    for (const rule of [NEEDS_EKU, NEEDS_CA_FLAG, 'landscape-pse-drift', 'landscape-pse-missing'])
      assert.ok(rules.has(rule), rule);
    assert.ok(get('pse').landscape?.pses.every((p) => p.source === 'pse'));
  });

  test('listings beside PSE files that cannot be opened: same inventory, same findings but EKU and CA-flag checks', () => {
    const ref = get('pse');
    const r = get('listings');
    assert.deepEqual(inventory(r), inventory(ref));
    assert.ok(r.landscape?.pses.every((p) => p.source === 'listing'));
    assert.deepEqual(
      findings(r),
      findings(ref).filter((f) => !f.startsWith(`${NEEDS_EKU} `) && !f.startsWith(`${NEEDS_CA_FLAG} `)),
    );
    // Each listing was read whole (both layouts: padded with MD5/SHA1, unpadded with SHA-256).
    const listings = r.inputs.filter((i) => i.format === 'sapgenpse-listing');
    assert.equal(listings.length, 10 + 8, '10 maintain_pk -l and 8 get_my_name -v listings');
    for (const i of listings) {
      assert.equal(i.unrecognizedLines, 0, i.name);
      assert.deepEqual(i.warnings, [], i.name);
    }
    // The PSE file's input says why it was not read and what was used instead.
    const pse = r.inputs.find((i) => i.name === 'ABC/app1/sec/SAPSSLC.pse');
    assert.match(pse?.warnings.join(' ') ?? '', /PIN-protected.*judged from the sapgenpse listings/);
    // Drift is found between listings as between PSE files (no SHA-256 in the padded layout).
    const plan = r.landscape?.plan.find((p) => p.rule === 'landscape-pse-drift');
    assert.deepEqual(plan?.instances, ['app1', 'app2', 'app3']);
  });

  test('STRUST exports (certificate list as PEM, own certificate from get_my_name): all but the EKU check', () => {
    const ref = get('pse');
    const r = get('export');
    assert.deepEqual(inventory(r), inventory(ref));
    assert.ok(r.landscape?.pses.every((p) => p.source === 'listing'));
    assert.deepEqual(
      findings(r),
      findings(ref).filter((f) => !f.startsWith(`${NEEDS_EKU} `)),
    );
    // The export carries the certificates themselves: the CA flag and SHA-256 are known.
    const abc = r.landscape?.pses.find((p) => p.system === 'ABC' && p.basename === 'SAPSSLA.pse');
    assert.ok(abc?.trusted.every((c) => c.sha256 && c.isCA !== undefined));
  });

  test('terminal summary counts the PSEs judged from listings', async () => {
    const r = await runCli(['landscape', 'collected', '--now', LANDSCAPE_NOW, '--no-store'], {
      cwd: dirs.get('listings') as string,
    });
    assert.match(r.stdout, /^Landscape: 2 system\(s\), 5 instance\(s\), 10 PSE\(s\), 10 from listings\n/);
  });
});
