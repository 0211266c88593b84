/**
 * @module `pse-doctor mcp --enable-probe`: the probe tool is offered only then, judges a live TLS server on
 * 127.0.0.1 as the CLI does, and a refused call (trust list outside the folders) leaves the server serving.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../helpers/fake-io.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { type PkiFixtureFiles, writePkiFixtures } from '../pki/index.js';
import { type RunningServer, startTlsServer } from '../probe/servers.js';
import {
  builtOrSkip,
  errorOf,
  FORBIDDEN,
  findingKeys,
  type McpSession,
  reportOf,
  startMcp,
} from './mcp-harness.js';

const built = builtOrSkip();
let work: string;
let pki: PkiFixtureFiles;
let mcp: McpSession;
let leafOnly: RunningServer;
let fullChain: RunningServer;

before(async () => {
  if (built.skip) return;
  work = realpathSync(mkdtempSync(join(tmpdir(), 'pse-doctor-mcp-probe-')));
  pki = await writePkiFixtures(join(work, 'pki'));
  const { leaf, intermediate } = pki.chain;
  FORBIDDEN.push(...leaf.keyPem.split('\n').filter((l) => /^[A-Za-z0-9+/]{64}$/.test(l)));
  leafOnly = await startTlsServer({ identity: { cert: leaf.pem, key: leaf.keyPem } });
  fullChain = await startTlsServer({ identity: { cert: leaf.pem + intermediate.pem, key: leaf.keyPem } });
  mcp = await startMcp(['--allow', join(work, 'pki'), '--enable-probe']);
});

after(async () => {
  await mcp?.close();
  await leafOnly?.close();
  await fullChain?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the probe tool', built, () => {
  test('is listed with --enable-probe', async () => {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['analyze', 'explain', 'verify', 'pse', 'cert', 'probe'],
    );
  });

  test('judges a live server as the CLI does: missing intermediate, then a trusted full chain', async () => {
    const cases: [RunningServer, boolean][] = [
      [leafOnly, true],
      [fullChain, false],
    ];
    for (const [server, expectFindings] of cases) {
      const target = `https://api.example.test:${server.port}`;
      const trust = pki.files['root.pem'] as string;
      const report = reportOf(
        await mcp.call('probe', {
          target,
          trust: ['root.pem'],
          resolve: '127.0.0.1',
          scan: false,
          timeoutMs: 3000,
        }),
      );
      assertValidReport(report, `probe ${server.port}`);
      const cli = await runCli(
        [
          'probe',
          target,
          '--trust',
          trust,
          '--resolve',
          '127.0.0.1',
          '--no-scan',
          '--timeout',
          '3000',
          '--json',
        ],
        {},
      );
      const cliReport = JSON.parse(cli.stdout) as Report;
      assert.deepEqual(findingKeys(report.findings), findingKeys(cliReport.findings), target);
      assert.equal(report.findings.length > 0, expectFindings, findingKeys(report.findings).join(', '));
      if (expectFindings) assert.ok(report.findings.some((f) => f.cause === 'missing-intermediate'));
    }
  });

  test('a trust list outside the allowed folders is refused; the next probe works', async () => {
    const message = errorOf(
      await mcp.call('probe', {
        target: `127.0.0.1:${fullChain.port}`,
        trust: ['/etc/hostname'],
        scan: false,
      }),
    );
    assert.match(message, /outside the allowed folders/);
    const report = reportOf(
      await mcp.call('probe', {
        target: `127.0.0.1:${fullChain.port}`,
        trust: ['root.pem'],
        scan: false,
        timeoutMs: 3000,
      }),
    );
    assert.ok(report.events.length > 0);
  });

  test('a target that could be read as an option is refused', async () => {
    assert.match(errorOf(await mcp.call('probe', { target: '--proxy=http://x' })), /Invalid arguments/);
  });
});
