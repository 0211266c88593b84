/**
 * @module Test harness for `pse-doctor mcp`: starts the built bin as a child process, talks to it with the
 * SDK's own Client over stdio, and checks every answer for key material and secrets.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Finding, Report } from '../../src/model/report.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

export const BIN = join(REPO_ROOT, 'bin', 'pse-doctor.js');

/** Skip (locally) or fail (CI) when dist/ was not built: the tests run the built bin, as a client would. */
export function builtOrSkip(): { skip: string | false } {
  if (existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) return { skip: false };
  if (process.env.CI === 'true') throw new Error('dist/ is missing under CI: npm test builds first');
  return { skip: 'dist/ not built: run "npm run build" first (pse-doctor mcp tests skipped)' };
}

/** A running server and its client. */
export interface McpSession {
  client: Client;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  /** Call a tool; the whole answer is checked for key material before it is returned. */
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** Secrets and key texts no answer may contain. Tests add the keys and PINs they use. */
export const FORBIDDEN: string[] = [];

/** Fail when `text` holds private-key armour, base64 private-key DER, or any string in FORBIDDEN. */
export function assertNoKeyMaterial(text: string, label: string): void {
  assert.doesNotMatch(text, /PRIVATE KEY/, `${label}: PEM private key armour`);
  // RSA PKCS#1/PKCS#8, EC SEC1/PKCS#8 and Ed25519 PKCS#8 private keys as base64 DER.
  assert.doesNotMatch(text, /MII[A-Za-z0-9+/]{3}IBA(?:AK[BC]|DAN)/, `${label}: base64 RSA private key`);
  assert.doesNotMatch(
    text,
    /MHcCAQEE|MIGHAgEAMBMG|MC4CAQAwBQYDK2V/,
    `${label}: base64 EC/Ed25519 private key`,
  );
  for (const secret of FORBIDDEN)
    assert.ok(!text.includes(secret), `${label}: contains a forbidden secret or key part`);
}

/** Start `pse-doctor mcp <args>` with exactly `env` (plus the SDK's default PATH/HOME). */
export async function startMcp(args: string[], env: Record<string, string> = {}): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', ...args],
    env,
    stderr: 'pipe',
    cwd: REPO_ROOT,
  });
  const chunks: string[] = [];
  transport.stderr?.on('data', (d: Buffer) => chunks.push(d.toString('utf8')));
  const client = new Client({ name: 'pse-doctor-test', version: '1.0.0' });
  await client.connect(transport);
  await client.listTools(); // the client checks structured content against the output schemas listed here
  return {
    client,
    stderr: () => chunks.join(''),
    async call(name, callArgs) {
      const result = (await client.callTool({ name, arguments: callArgs })) as CallToolResult;
      assertNoKeyMaterial(JSON.stringify(result), `${name} answer`);
      assertNoKeyMaterial(chunks.join(''), `${name} stderr log`);
      return result;
    },
    async close() {
      await client.close();
    },
  };
}

/** The text of a tool answer. */
export function textOf(result: CallToolResult): string {
  return result.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

/** The Report of a successful tool answer (fails the test on a tool error). */
export function reportOf(result: CallToolResult): Report {
  assert.ok(!result.isError, `tool error: ${textOf(result)}`);
  assert.ok(result.structuredContent, 'no structured content');
  return result.structuredContent as unknown as Report;
}

/** A tool error's message (fails the test when the call succeeded). */
export function errorOf(result: CallToolResult): string {
  assert.equal(result.isError, true, `expected a tool error, got: ${textOf(result).slice(0, 300)}`);
  return textOf(result);
}

/** What findings are compared on: rule, cause and confidence, in order. */
export function findingKeys(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.rule}/${f.cause}/${f.confidence}`);
}
