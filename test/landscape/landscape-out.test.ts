/**
 * @module `landscape --out` and `--html` hand over the certificates the plan imports: PEM files, one sapgenpse
 * script per system importing into exactly the PSEs that lack them, and download links in the HTML report.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../helpers/fake-io.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { generateChain } from '../pki/index.js';
import { type GeneratedLandscape, LANDSCAPE_NOW, writeGeneratedLandscape } from './generated-landscape.js';

let dir: string;
let gen: GeneratedLandscape;
let rootCpem: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-landscape-out-'));
  gen = await writeGeneratedLandscape(dir);
  // A second baseline of two roots no PSE of XYZ holds: one finding whose fix imports both.
  const c = await generateChain({
    names: { root: 'Landscape Root C', intermediate: 'Landscape Issuing C' },
    keySet: 'c',
  });
  rootCpem = c.root.pem;
  writeFileSync(join(dir, 'partner-roots.pem'), gen.rootBpem + rootCpem);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const args = [
  'landscape',
  'collected',
  '--now',
  LANDSCAPE_NOW,
  '--no-store',
  '--baseline',
  'baseline.pem',
  '--baseline',
  'partner-roots.pem',
];
const fp = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

test('--out: each certificate once as PEM, import-<SID>.sh per system into the PSEs that lack it, README.txt', async () => {
  const r = await runCli([...args, '--out', 'fix', '--json'], { cwd: dir });
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as Report;
  assertValidReport(report, 'landscape report with --out');
  assert.match(
    r.stderr,
    /^Wrote 2 certificate\(s\) to import \(PEM\), import-ABC\.sh, import-XYZ\.sh and README\.txt to fix/,
  );
  const fix = join(dir, 'fix');
  assert.deepEqual(readdirSync(fix).sort(), [
    'Landscape_Root_B.crt',
    'Landscape_Root_C.crt',
    'README.txt',
    'import-ABC.sh',
    'import-XYZ.sh',
  ]);
  assert.equal(readFileSync(join(fix, 'Landscape_Root_B.crt'), 'utf8'), gen.rootBpem);
  assert.equal(readFileSync(join(fix, 'Landscape_Root_C.crt'), 'utf8'), rootCpem);
  assert.equal(statSync(join(fix, 'import-ABC.sh')).mode & 0o111, 0o111);
  const sapgenpse = (name: string) =>
    readFileSync(join(fix, name), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('sapgenpse '))
      .sort();
  // ABC: Root B into SAPSSLA and SAPSSLC (app3's SAPSSLC has it, so the script runs on app1 and app2),
  // Root C into both as well; XYZ: both into its only PSE.
  assert.deepEqual(sapgenpse('import-ABC.sh'), [
    'sapgenpse maintain_pk -p SAPSSLA.pse -a "$HERE/Landscape_Root_B.crt"',
    'sapgenpse maintain_pk -p SAPSSLA.pse -a "$HERE/Landscape_Root_C.crt"',
    'sapgenpse maintain_pk -p SAPSSLC.pse -a "$HERE/Landscape_Root_B.crt"',
    'sapgenpse maintain_pk -p SAPSSLC.pse -a "$HERE/Landscape_Root_C.crt"',
  ]);
  assert.match(
    readFileSync(join(fix, 'import-ABC.sh'), 'utf8'),
    /^#!\/bin\/sh\n# System ABC: run on each of its application servers \(app1, app2, app3\)\./,
  );
  assert.deepEqual(sapgenpse('import-XYZ.sh'), [
    'sapgenpse maintain_pk -p SAPSSLC.pse -a "$HERE/Landscape_Root_B.crt"',
    'sapgenpse maintain_pk -p SAPSSLC.pse -a "$HERE/Landscape_Root_C.crt"',
  ]);
  const readme = readFileSync(join(fix, 'README.txt'), 'utf8');
  assert.match(readme, /import-ABC\.sh: ABC, instances app1, app2, app3/);
  assert.match(readme, new RegExp(`SHA-256: +${fp(rootCpem)}`));
  // The plan item of the two-root gap hands over both roots, each with its PEM and command.
  const two = report.landscape?.plan.find(
    (p) => p.rule === 'landscape-baseline-gap' && p.system === 'XYZ' && p.title.includes('partner-roots.pem'),
  );
  assert.deepEqual(
    two?.imports?.map((p) => [p.sha256, p.pem, p.commands[0]]),
    [
      [fp(gen.rootBpem), gen.rootBpem, 'sapgenpse maintain_pk -p SAPSSLC.pse -a Landscape_Root_B.crt'],
      [fp(rootCpem), rootCpem, 'sapgenpse maintain_pk -p SAPSSLC.pse -a Landscape_Root_C.crt'],
    ],
  );
  // A second run into the same folder finds the same files and succeeds; a foreign file is never overwritten.
  const again = await runCli([...args, '--out', 'fix'], { cwd: dir });
  assert.equal(again.code, 1);
  assert.match(again.stdout, /Wrote 2 certificate\(s\)/);
  writeFileSync(join(fix, 'import-XYZ.sh'), '#!/bin/sh\necho mine\n');
  const clash = await runCli([...args, '--out', 'fix'], { cwd: dir });
  assert.equal(clash.code, 2);
  assert.match(clash.stderr, /import-XYZ\.sh already exists with other content/);
  assert.equal(readFileSync(join(fix, 'import-XYZ.sh'), 'utf8'), '#!/bin/sh\necho mine\n');
});

test('--html: each plan item with a certificate offers it as a download (PEM), with where and the commands', async () => {
  const r = await runCli([...args, '--html', 'report.html'], { cwd: dir });
  assert.equal(r.code, 1);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.ok(!html.includes('<script'));
  const b64 = Buffer.from(gen.rootBpem).toString('base64');
  assert.ok(
    html.includes(
      `<a class="pem" download="Landscape_Root_B.crt" href="data:application/x-pem-file;base64,${b64}">Download Landscape_Root_B.crt</a>`,
    ),
  );
  assert.ok(html.includes(Buffer.from(rootCpem).toString('base64')), 'the second root of the two-root gap');
  assert.ok(html.includes('-----BEGIN CERTIFICATE-----'));
  assert.match(html, /<td>ABC<br>app1, app2<br>SAPSSLC\.pse<\/td>/);
  assert.ok(html.includes('<code>sapgenpse maintain_pk -p SAPSSLC.pse -a Landscape_Root_B.crt</code>'));
});
