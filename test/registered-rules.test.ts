/**
 * @module Every finding any command prints comes from a registered rule: a source scan finds no finding
 * built outside src/rules, and analyze, verify, probe (against a local server), pse, cert and landscape
 * emit only rule ids of the registry. A saved probe diagnosed again offline gives the same findings and
 * the same verification table.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../src/model/report.js';
import { RULES } from '../src/rules/index.js';
import { runCli } from './helpers/fake-io.js';
import { REPO_ROOT } from './helpers/fixtures.js';
import { generateChain, generateTestPki, TEST_NOW, type TestPki, writePkiFixtures } from './pki/index.js';
import { startTlsServer } from './probe/servers.js';
import { writePse } from './pse-writer/index.js';

const SRC = join(REPO_ROOT, 'src');
const REGISTERED = new Set(RULES.map((r) => r.id));

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) out.push(path);
  }
  return out;
}

test('no finding is built outside src/rules (no rule id literal, no probe-*/verify-chain ids)', () => {
  const offenders: string[] = [];
  for (const file of sources(SRC)) {
    const rel = relative(SRC, file);
    const text = readFileSync(file, 'utf8');
    if (
      /['"](?:probe-(?:connection|proxy|not-tls|handshake|client-cert|sni|tls-version|chain)|verify-chain)['"]/.test(
        text,
      )
    )
      offenders.push(`${rel}: an unregistered probe-*/verify-chain rule id`);
    // store/contract.ts is the storage contract suite's sample report, not a command's finding.
    if (!rel.startsWith('rules/') && rel !== 'store/contract.ts' && /\brule:\s*['"][a-z]/.test(text))
      offenders.push(`${rel}: builds a finding`);
  }
  assert.deepEqual(offenders, []);
});

function assertRegistered(report: Report, what: string): void {
  const unknown = report.findings.map((f) => f.rule).filter((id) => !REGISTERED.has(id));
  assert.deepEqual(unknown, [], `${what} emits rule ids missing from the registry`);
}

describe('every command emits registered rule ids only', () => {
  let dir: string;
  let pki: TestPki;
  const run = (...argv: string[]) => runCli(argv, { cwd: dir, now: TEST_NOW });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-registered-'));
    await writePkiFixtures(dir);
    pki = await generateTestPki();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('analyze', async () => {
    const r = await run('analyze', join(REPO_ROOT, 'examples', 'dev_icm'), '--json');
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.findings.length > 0);
    assertRegistered(report, 'analyze');
  });

  test('verify', async () => {
    for (const args of [
      ['chain.pem', '--host', 'api.example.test'],
      ['variant-expired-leaf.pem', '--trust', 'root.pem', '--host', 'api.example.test'],
      ['variant-wrong-name-leaf.pem', '--trust', 'root.pem', '--host', 'api.example.test'],
    ]) {
      const r = await run('verify', ...args, '--json');
      const report = JSON.parse(r.stdout) as Report;
      assert.ok(report.findings.length > 0, args.join(' '));
      assert.ok(report.findings.every((f) => f.rule === 'chain-verdict'));
      assertRegistered(report, `verify ${args.join(' ')}`);
    }
  });

  test('pse', async () => {
    const other = await generateChain({
      keySet: 'registered',
      leafValidity: {
        notBefore: new Date('2025-01-01T00:00:00Z'),
        notAfter: new Date('2026-01-20T00:00:00Z'),
      },
    });
    writeFileSync(
      join(dir, 'SAPSSLC.pse'),
      writePse({ version: 2, own: other.leaf.der, keyPem: other.leaf.keyPem, trusted: [pki.rsa.root.der] }),
    );
    writeFileSync(
      join(dir, 'SAPSSLA.pse'),
      writePse({ version: 2, own: other.leaf.der, keyPem: other.leaf.keyPem, trusted: [] }),
    );
    const r = await run('pse', dir, '--json', '--now', TEST_NOW.toISOString());
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.findings.length > 0, r.stderr);
    assertRegistered(report, 'pse');
  });

  test('cert', async () => {
    const r = await run('cert', 'variant-expired-leaf.pem', '--json');
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.findings.length > 0, r.stderr);
    assertRegistered(report, 'cert');
  });

  test('landscape', async () => {
    const own = await generateChain({ keySet: 'registered' });
    for (const [instance, trusted] of [
      ['app1', [pki.rsa.root.der]],
      ['app2', []],
    ] as const) {
      mkdirSync(join(dir, 'land', 'ABC', instance), { recursive: true });
      writeFileSync(
        join(dir, 'land', 'ABC', instance, 'SAPSSLC.pse'),
        writePse({ version: 2, own: own.leaf.der, keyPem: own.leaf.keyPem, trusted: [...trusted] }),
      );
    }
    const r = await run('landscape', 'land', '--json', '--no-store', '--now', TEST_NOW.toISOString());
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.findings.length > 0, r.stderr);
    assertRegistered(report, 'landscape');
  });

  test('probe, and analyze of the evidence it saved: the same findings offline', async () => {
    const server = await startTlsServer({
      identity: { cert: pki.rsa.leaf.pem, key: pki.rsa.leaf.keyPem },
    });
    try {
      const saved = join(dir, 'probe-evidence.json');
      const live = await run(
        'probe',
        `api.example.test:${server.port}`,
        '--resolve',
        '127.0.0.1',
        '--trust',
        'root.pem',
        '--no-scan',
        '--json',
        '--save-evidence',
        saved,
      );
      const report = JSON.parse(live.stdout) as Report;
      assert.ok(
        report.findings.some((f) => f.rule === 'missing-intermediate'),
        JSON.stringify(report.findings.map((f) => f.rule)),
      );
      assertRegistered(report, 'probe');
      const again = await run('analyze', saved, '--json');
      const offline = JSON.parse(again.stdout) as Report;
      const key = (r: Report) => r.findings.map((f) => [f.rule, f.cause, f.confidence, f.severity, f.title]);
      assert.deepEqual(key(offline), key(report));
      assert.deepEqual(
        offline.findings.map((f) => f.evidence),
        report.findings.map((f) => f.evidence),
      );
      // The verification table comes back too, and the text shows the same sections the live probe shows.
      assert.ok(report.verification?.length, 'the live probe has a verification table');
      assert.deepEqual(offline.verification, report.verification);
      const liveText = (
        await run(
          'probe',
          `api.example.test:${server.port}`,
          '--resolve',
          '127.0.0.1',
          '--trust',
          'root.pem',
          '--no-scan',
        )
      ).stdout;
      const offlineText = (await run('analyze', saved)).stdout;
      const verdicts = (text: string) => {
        const at = text.indexOf('Verdicts');
        return at < 0 ? '' : text.slice(at, text.indexOf('\n\n', at));
      };
      assert.ok(verdicts(liveText).includes('SAP ICM'), liveText);
      assert.equal(verdicts(offlineText), verdicts(liveText));
    } finally {
      await server.close();
    }
  });
});
