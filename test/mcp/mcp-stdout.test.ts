/**
 * @module Standard output of `pse-doctor mcp` carries the protocol and nothing else: every line a raw client
 * reads is one JSON-RPC message, also around refused calls; diagnostics are on stderr; end of input ends it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { BIN, builtOrSkip } from './mcp-harness.js';

test(
  'every stdout line is a JSON-RPC message; at the end of input the server answers what it read, then exits 0',
  builtOrSkip(),
  async () => {
    const child = spawn(process.execPath, [BIN, 'mcp', '--allow', join(REPO_ROOT, 'examples')], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const send = (msg: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
    send({
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'analyze', arguments: { paths: ['dev_icm'] } } });
    send({ id: 3, method: 'tools/call', params: { name: 'analyze', arguments: { paths: ['/etc/passwd'] } } });
    send({ id: 4, method: 'tools/call', params: { name: 'no-such-tool', arguments: {} } });
    send({ id: 5, method: 'resources/read', params: { uri: 'kb://SSSLERR_PEER_CERT_UNTRUSTED' } });
    child.stdin.write('this is not JSON\n');
    send({ id: 6, method: 'tools/call', params: { name: 'explain', arguments: { query: '-102' } } });
    // End the input at once: what the server has read must still be answered before it exits.
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n').filter((l) => l !== '');
    const messages = lines.map(
      (l) => JSON.parse(l) as { jsonrpc: string; id?: number; result?: { isError?: boolean } },
    );
    for (const m of messages) assert.equal(m.jsonrpc, '2.0');
    const byId = new Map(messages.map((m) => [m.id, m]));
    for (const id of [1, 2, 3, 4, 5, 6]) assert.ok(byId.has(id), `answer to request ${id}`);
    assert.equal(byId.get(2)?.result?.isError, undefined);
    assert.equal(byId.get(3)?.result?.isError, true);
    assert.equal(byId.get(4)?.result?.isError, true);
    assert.equal(byId.get(6)?.result?.isError, undefined, 'still serving after a malformed line');
    assert.match(stderr, /pse-doctor mcp: serving over stdio/);
    assert.match(stderr, /client closed the connection/);
  },
);
