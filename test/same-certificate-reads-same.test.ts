/**
 * @module Issue 12: one expired certificate reads the same in analyze, verify, probe (a TLS server on
 * 127.0.0.1), pse and cert — the same certificate entry (issuer, serial, validity with its EXPIRED mark,
 * key, signature, SHA-256), the same finding style (severity mark, `[confidence · cause]`, the chain line
 * with the same mark) — in text and in the HTML of every command.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { colonFingerprint } from '../src/report/sections/certificate-entry.js';
import { runCli } from './helpers/fake-io.js';
import { generateChain, TEST_NOW, type TestChain } from './pki/index.js';
import { type RunningServer, startTlsServer } from './probe/servers.js';
import { writePse } from './pse-writer/index.js';

const LEAF = 'CN=api.example.test, O=PSE Doctor Test, C=DE';
/** The mark every view puts on this certificate at TEST_NOW (2026-01-15): expired on 2002-01-01. */
const MARK = `[EXPIRED ${Math.floor((TEST_NOW.getTime() - Date.parse('2002-01-01T00:00:00Z')) / 86_400_000)} days ago]`;

/** The field lines of the entry `[n] <label>: <subject>` (the lines indented below it). */
function entryFields(text: string, subject: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^ {2}\[\d+\] [^:]+: /.test(l) && l.endsWith(`: ${subject}`));
  assert.ok(at >= 0, `no certificate entry for ${subject} in:\n${text}`);
  const fields: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (!l.startsWith('      ')) break;
    fields.push(l);
  }
  return fields;
}

/** The finding lines that name the expired certificate: the header with its cause tag, the chain line. */
function findingLines(text: string): { header: string; chain: string } {
  const header = text
    .split('\n')
    .find((l) => /^✖ \d+\. .*expired.* \[certain · (?:peer's|own) certificate expired\]$/.test(l));
  assert.ok(header, `no expired-certificate finding in:\n${text}`);
  const chain = text.split('\n').find((l) => /^ {5}\S+ +CN=api\.example\.test/.test(l) && l.includes(MARK));
  assert.ok(chain, `no chain line with ${MARK} in:\n${text}`);
  return { header, chain };
}

describe('the same expired certificate through every command', () => {
  let dir: string;
  let expired: TestChain;
  let server: RunningServer;
  const outputs: Record<string, string> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-same-cert-'));
    expired = await generateChain({
      leafValidity: {
        notBefore: new Date('2001-01-01T00:00:00Z'),
        notAfter: new Date('2002-01-01T00:00:00Z'),
      },
    });
    writeFileSync(join(dir, 'root.pem'), expired.root.pem);
    writeFileSync(join(dir, 'chain.pem'), expired.leaf.pem + expired.intermediate.pem);
    writeFileSync(
      join(dir, 'SAPSSLS.pse'),
      writePse({
        version: 2,
        own: expired.leaf.der,
        keyPem: expired.leaf.keyPem,
        trusted: [expired.root.der],
      }),
    );
    server = await startTlsServer({
      identity: { cert: expired.leaf.pem + expired.intermediate.pem, key: expired.leaf.keyPem },
    });
    const runs: Record<string, string[]> = {
      analyze: ['analyze', 'chain.pem', 'root.pem'],
      verify: ['verify', 'chain.pem', '--trust', 'root.pem', '--host', 'api.example.test'],
      probe: [
        'probe',
        `api.example.test:${server.port}`,
        '--resolve',
        '127.0.0.1',
        '--trust',
        'root.pem',
        '--no-scan',
      ],
      pse: ['pse', 'SAPSSLS.pse'],
      cert: ['cert', 'chain.pem'],
    };
    for (const [name, argv] of Object.entries(runs)) {
      for (const format of ['text', 'html']) {
        const r = await runCli([...argv, '--format', format], { cwd: dir, now: TEST_NOW });
        assert.equal(r.code, 1, `${name} --format ${format}: ${r.stderr}`);
        outputs[`${name}.${format}`] = r.stdout;
      }
    }
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('verify, probe, pse and cert list the certificate with the same entry lines', () => {
    const verify = entryFields(outputs['verify.text'] ?? '', LEAF);
    assert.ok(
      verify.some((l) => l.endsWith(`2002-01-01 00:00:00 UTC  ${MARK}`)),
      verify.join('\n'),
    );
    assert.ok(
      verify.some((l) => l.includes(colonFingerprint(expired.leaf.sha256))),
      'SHA-256 as SAP prints it',
    );
    assert.deepEqual(entryFields(outputs['probe.text'] ?? '', LEAF), verify, 'probe = verify');
    assert.deepEqual(entryFields(outputs['pse.text'] ?? '', LEAF), verify, 'pse = verify');
    // cert shows more fields (extensions, SHA-1, Mozilla store); the shared ones are the same lines.
    const cert = entryFields(outputs['cert.text'] ?? '', LEAF);
    assert.deepEqual(
      cert.filter((l) => verify.includes(l)),
      verify,
      'cert holds every line of the entry, in the same order',
    );
  });

  test('analyze of the saved probe shows the handshakes and the chain as sent exactly as probe did', async () => {
    const saved = join(dir, 'saved.json');
    const argv = [
      'probe',
      `api.example.test:${server.port}`,
      '--resolve',
      '127.0.0.1',
      '--trust',
      'root.pem',
    ];
    const p = await runCli([...argv, '--no-scan', '--save-evidence', saved], { cwd: dir, now: TEST_NOW });
    assert.equal(p.code, 1, p.stderr);
    const a = await runCli(['analyze', saved], { cwd: dir, now: TEST_NOW });
    assert.equal(a.code, 1, a.stderr);
    const block = (text: string, title: RegExp) => {
      const lines = text.split('\n');
      const at = lines.findIndex((l) => title.test(l));
      assert.ok(at >= 0, `${title} in:\n${text}`);
      const end = lines.indexOf('', at);
      return lines.slice(at, end < 0 ? undefined : end);
    };
    for (const title of [/^Probe api\.example\.test:/, /^Chain as sent by the server/])
      assert.deepEqual(block(a.stdout, title), block(p.stdout, title), String(title));
    assert.deepEqual(entryFields(a.stdout, LEAF), entryFields(outputs['verify.text'] ?? '', LEAF));
  });

  test('analyze, verify, probe and pse print the finding in one style, with the cause tag and the same chain line', () => {
    const lines = ['analyze', 'verify', 'probe', 'pse'].map((n) => findingLines(outputs[`${n}.text`] ?? ''));
    const chainTail = (l: string) => l.replace(/^ {5}\S+ +/, '');
    for (const l of lines) assert.equal(chainTail(l.chain), `${LEAF}  ${MARK}`);
  });

  test('the HTML of every command shows the certificate with the same mark and fingerprint', () => {
    for (const name of ['verify', 'probe', 'pse', 'cert']) {
      const html = outputs[`${name}.html`] ?? '';
      assert.match(html, /^<!doctype html>/, name);
      assert.ok(html.includes(`${LEAF}`), `${name}: the subject`);
      assert.ok(html.includes(`[${MARK.slice(1, -1)}]`), `${name}: the EXPIRED mark`);
      assert.ok(html.includes(colonFingerprint(expired.leaf.sha256)), `${name}: the SHA-256`);
      assert.doesNotMatch(html, /<script/i, `${name}: no script`);
    }
    assert.match(outputs['analyze.html'] ?? '', /peer(?:&#39;|')s certificate expired/);
  });

  test('on a terminal every command colours the same marks; --no-color and NO_COLOR turn it off', async () => {
    const argv = ['verify', 'chain.pem', '--trust', 'root.pem', '--host', 'api.example.test'];
    const tty = await runCli(argv, { cwd: dir, now: TEST_NOW, isTTY: true });
    assert.ok(tty.stdout.includes(`\u001b[31m${MARK}\u001b[39m`), 'the EXPIRED mark in red');
    assert.match(tty.stdout, /\u001b\[31mFAIL\u001b\[39m SAP ICM/);
    for (const run of [
      await runCli([...argv, '--no-color'], { cwd: dir, now: TEST_NOW, isTTY: true }),
      await runCli(argv, { cwd: dir, now: TEST_NOW, isTTY: true, env: { NO_COLOR: '1' } }),
      await runCli(['pse', 'SAPSSLS.pse', '--no-color'], { cwd: dir, now: TEST_NOW, isTTY: true }),
      await runCli(['cert', 'chain.pem', '--no-color'], { cwd: dir, now: TEST_NOW, isTTY: true }),
    ])
      assert.doesNotMatch(run.stdout, /\u001b/);
  });
});
