/** @module `pse-doctor verify` end to end through runCli: generated chains, every container, text and --json. */
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../../test/helpers/fake-io.js';
import { REPO_ROOT } from '../../../test/helpers/fixtures.js';
import {
  generateChain,
  generateTestPki,
  TEST_NOW,
  type TestPki,
  writePkiFixtures,
} from '../../../test/pki/index.js';
import type { Report } from '../../model/report.js';

describe('pse-doctor verify', () => {
  let dir: string;
  let pki: TestPki;
  const run = (...argv: string[]) => runCli(['verify', ...argv], { cwd: dir, now: TEST_NOW });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-verify-'));
    await writePkiFixtures(dir);
    pki = await generateTestPki();
    copyFileSync(join(dir, 'root.pem'), join(dir, 'SAPSSLA.pem'));
    copyFileSync(join(dir, 'self-signed.pem'), join(dir, 'SAPSSLC.pem'));
    writeFileSync(join(dir, 'garbage.bin'), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a chain the PSE trusts: exit 0, verdicts side by side', async () => {
    const r = await run('chain.pem', '--trust', 'SAPSSLA.pem', '--host', 'api.example.test');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Trust list \(sap-icm\): SAPSSLA\.pse \(SSL client Anonymous\)/);
    assert.match(
      r.stdout,
      /^ {2}OK {3}SAP ICM \(CommonCryptoLib\) +trusted via "CN=PSE Doctor Test RSA Root CA/m,
    );
    // The private test root is no Mozilla root: the browser column says so, as a warning only.
    assert.match(
      r.stdout,
      /^ {2}FAIL Browser \(Mozilla roots\) +root-missing: [\s\S]*?\n +→ NET::ERR_CERT_AUTHORITY_INVALID$/m,
    );
  });

  test('root missing from the PSE: exit 1, ICM codes, import plan into that node', async () => {
    const r = await run('chain.pem', '--trust', 'SAPSSLC.pem', '--host', 'api.example.test');
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /SSSLERR_PEER_CERT_UNTRUSTED \(-102\) \/ ICM_HTTP_SSL_PEER_CERT_UNTRUSTED \(421\)/,
    );
    assert.match(r.stdout, /sapgenpse maintain_pk -p SAPSSLC\.pse -a PSE_Doctor_Test_RSA_Root_CA\.crt/);
  });

  test('--json prints a Report with findings, import plan and verification table', async () => {
    const r = await run('fullchain.pem', '--trust', 'SAPSSLC.pem', '--host', 'api.example.test', '--json');
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.tool, 'pse-doctor');
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.inputs.length, 2);
    const f = report.findings[0];
    assert.ok(f);
    assert.equal(f.cause, 'untrusted-root');
    assert.equal(f.confidence, 'certain');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.errorCode, { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 });
    assert.equal(f.pse?.node, 'SSL client Standard');
    // The server sent its root: the import plan carries that exact PEM.
    assert.equal(f.import?.source, 'peer-chain');
    assert.equal(f.import?.sha256, pki.rsa.root.sha256);
    assert.equal(f.import?.pem?.replace(/\r/g, ''), pki.rsa.root.pem);
    assert.deepEqual(f.import?.into, [{ node: 'SSL client Standard', file: 'SAPSSLC.pse' }]);
    assert.deepEqual(
      report.verification?.map((v) => [v.profile, v.verdict]),
      [
        ['sap-icm', 'root-missing'],
        ['browser', 'root-missing'],
      ],
    );
    assert.equal(report.verification?.[0]?.icm?.number, 421);
    await validateReport(report);
  });

  for (const [file, extra] of [
    ['chain.p7b', []],
    ['chain.p7c', []],
    ['leaf.b64', []],
    ['store-aes.p12', ['--password-file', 'p12-password.txt']],
    ['store-3des.p12', ['--password-file', 'p12-password.txt']],
  ] as const) {
    test(`reads the chain from ${file}`, async () => {
      const r = await run(file, '--trust', 'SAPSSLA.pem', '--profile', 'sap-icm', '--json', ...extra);
      const report = JSON.parse(r.stdout) as Report;
      const v = report.verification?.[0];
      // leaf.b64 holds only the leaf: the intermediate is then missing.
      const expected = file === 'leaf.b64' ? 'intermediate-missing' : 'trusted';
      assert.equal(v?.verdict, expected, r.stderr);
      assert.equal(r.code, expected === 'trusted' ? 0 : 1);
    });
  }

  test('trust lists in other containers: PKCS#7 and DER', async () => {
    for (const trust of ['chain.p7c', 'root.der']) {
      const r = await run('chain.pem', '--trust', trust, '--profile', 'sap-icm');
      assert.equal(r.code, 0, `${trust}: ${r.stdout}${r.stderr}`);
    }
  });

  test('a folder of certificates works as a trust list', async () => {
    const folder = join(dir, 'trusted-folder');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(dir, 'root.pem'), join(folder, 'root.pem'));
    copyFileSync(join(dir, 'self-signed.pem'), join(folder, 'other.pem'));
    const r = await run('chain.pem', '--trust', 'trusted-folder', '--profile', 'sap-icm', '--json');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.inputs.length, 3);
    assert.equal(report.verification?.[0]?.anchor?.sha256, pki.rsa.root.sha256);
  });

  test('defects map to their ICM codes', async () => {
    const cases = [
      ['variant-expired-leaf.pem', 'expired', 'SSSLERR_PEER_CERT_EXPIRED', 418],
      ['variant-wrong-name-leaf.pem', 'name-mismatch', 'SSSLERR_SERVER_CERT_MISMATCH', 415],
      ['variant-not-yet-valid-leaf.pem', 'not-yet-valid', 'SSSLERR_PEER_CERT_EXPIRED', 418],
    ] as const;
    for (const [file, verdict, code, icm] of cases) {
      const r = await run(
        file,
        '--trust',
        'SAPSSLA.pem',
        '--host',
        'api.example.test',
        '--profile',
        'sap-icm',
        '--json',
      );
      assert.equal(r.code, 1, file);
      const report = JSON.parse(r.stdout) as Report;
      assert.equal(report.verification?.[0]?.verdict, verdict, file);
      assert.equal(report.findings[0]?.errorCode?.name, code, file);
      assert.equal(report.findings[0]?.relatedCodes?.[0]?.number, icm, file);
    }
  });

  test('SHA-1 leaf: SAP tolerates it (warning, exit 0), the browser refuses it', async () => {
    const r = await run('variant-sha1-leaf.pem', '--trust', 'SAPSSLA.pem', '--profile', 'sap-icm,browser');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /warning: server certificate "api\.example\.test" is signed with SHA1/);
    const strict = await run('variant-sha1-leaf.pem', '--trust', 'SAPSSLA.pem', '--fail-on', 'warning');
    assert.equal(strict.code, 1);
  });

  test('java profile with a cacerts-like store', async () => {
    const r = await run(
      'chain.pem',
      '--profile',
      'java,sap-icm',
      '--java-store',
      'cas.pem',
      '--trust',
      'SAPSSLC.pem',
      '--json',
    );
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(
      report.verification?.map((v) => [v.profile, v.verdict]),
      [
        ['java', 'trusted'],
        ['sap-icm', 'root-missing'],
      ],
    );
    // java comes first, so it decides the exit code; the SAP failure is a warning then.
    assert.equal(r.code, 0);
    assert.equal(report.findings[0]?.severity, 'warning');
  });

  test('usage and input errors exit 2 with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['chain.pem', '--profile', 'firefox'], /--profile takes a comma-separated list/],
      [['chain.pem', '--profile', 'java'], /needs --java-store/],
      [['nope.pem'], /No file at nope\.pem/],
      [['garbage.bin'], /Cannot (tell what|read a certificate)|does not look like/],
      [['store-aes.p12'], /password-protected/],
      [['chain.pem', '--at', 'yesterday'], /--at takes an ISO date/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, message, argv.join(' '));
    }
  });

  test('--help describes the profiles and exit codes', async () => {
    const r = await run('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /sap-icm +SAP ICM with CommonCryptoLib/);
    assert.match(r.stdout, /Exit codes \(verify\)/);
  });

  describe('--fetch-issuers against a local AIA server', () => {
    let server: Server;
    before(async () => {
      server = createServer((req, res) => {
        if (req.url === '/int.cer') {
          res.writeHead(200, { 'content-type': 'application/pkix-cert' });
          res.end(pki.rsa.intermediate.der);
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    after(() => server.close());

    test('names the missing intermediate from AIA, still untrusted for SAP, and writes it with --out', async () => {
      const port = (server.address() as AddressInfo).port;
      const c = await generateChain({ aiaUrl: `http://127.0.0.1:${port}/int.cer` });
      writeFileSync(join(dir, 'aia-leaf.pem'), c.leaf.pem);
      const r = await run(
        'aia-leaf.pem',
        '--trust',
        'SAPSSLA.pem',
        '--fetch-issuers',
        '--json',
        '--out',
        'fix',
      );
      assert.equal(r.code, 1, r.stderr);
      const report = JSON.parse(r.stdout) as Report;
      assert.equal(report.verification?.[0]?.verdict, 'intermediate-missing');
      const plan = report.findings[0]?.import;
      assert.equal(plan?.source, 'aia');
      assert.equal(plan?.kind, 'intermediate');
      assert.equal(plan?.sha256, c.intermediate.sha256);
      assert.match(
        report.inputs[0]?.warnings.join('\n') ?? '',
        /AIA http:\/\/127\.0\.0\.1:\d+\/int\.cer: 1 certificate/,
      );
      const written = join(dir, 'fix', plan?.fileName ?? 'missing');
      assert.ok(existsSync(written));
      assert.equal(readFileSync(written, 'utf8'), plan?.pem);
      assert.ok(existsSync(join(dir, 'fix', 'verify-report.json')));
    });
  });
});

/** Validate against docs/report.schema.json when the project has it (written by another engineer). */
async function validateReport(report: Report): Promise<void> {
  const schemaPath = join(REPO_ROOT, 'docs', 'report.schema.json');
  if (!existsSync(schemaPath)) return;
  const { default: Ajv } = await import('ajv');
  const AjvCtor = Ajv as unknown as new (
    o: object,
  ) => {
    compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
  };
  const ajv = new AjvCtor({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
}
