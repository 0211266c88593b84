/** @module Issue 10 on the server: the web probe reaches public addresses only, stored reports are validated, no non-TLS bytes echoed. */
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { describe, test } from 'node:test';
import { sampleReport } from '../store/contract.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { createApp } from './app.js';
import { createDefaultServices } from './default-services.js';
import { allowedProbeAddress, blockedReason } from './probe-guard.js';
import { startServer } from './start-server.js';

const WEB = {
  index: { body: Buffer.from('<!doctype html>'), type: 'text/html', immutable: false },
  files: new Map(),
};

function appWith(
  opts: {
    probePrivate?: boolean;
    resolver?: (h: string) => Promise<{ address: string; family: number }[]>;
  } = {},
) {
  const services = createDefaultServices({ probe: true, ...opts });
  return createApp({
    store: openSqliteStore(':memory:'),
    services,
    maxUploadBytes: 1024 * 1024,
    web: WEB,
    enableProbe: true,
    log: () => {},
  });
}

/** A real server on 127.0.0.1 with an in-memory store and 1 MiB uploads, plus the limits a test sets. */
function uploadServer(limits: { bodyIdleMs?: number; maxConcurrentUploads?: number } = {}) {
  return startServer({
    host: '127.0.0.1',
    port: 0,
    store: openSqliteStore(':memory:'),
    services: createDefaultServices(),
    maxUploadBytes: 1024 * 1024,
    web: WEB,
    ...limits,
  });
}

async function probe(app: ReturnType<typeof appWith>, target: string) {
  const res = await app.request('/api/probe', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ target }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('the web probe refuses loopback, link-local, unspecified and (by default) private addresses', () => {
  test('blockedReason knows the ranges, also in IPv4-mapped IPv6 form', () => {
    for (const a of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '169.254.169.254',
      '0.0.0.0',
      '::',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '224.0.0.1',
    ])
      assert.ok(blockedReason(a, true), a);
    for (const a of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', 'fd00::1']) {
      assert.match(blockedReason(a, false) ?? '', /private/, a);
      assert.equal(blockedReason(a, true), undefined, a);
    }
    for (const a of ['8.8.8.8', '2001:4860:4860::8888', '172.32.0.1'])
      assert.equal(blockedReason(a, false), undefined, a);
  });

  test('every address a name resolves to is checked; the checked address is the one returned', async () => {
    const two = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    await assert.rejects(allowedProbeAddress('rebind.example', false, two), /127\.0\.0\.1/);
    const one = async () => [{ address: '93.184.216.34', family: 4 }];
    assert.equal(await allowedProbeAddress('ok.example', false, one), '93.184.216.34');
  });

  test('POST /api/probe: 127.0.0.1, ::1, 169.254.169.254, 2130706433 and 0x7f000001 → 403, no connection', async () => {
    // A listener on loopback that would answer with a banner: it must never be reached.
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.end('SSH-2.0-OpenSSH_9.6 secret-banner\r\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const app = appWith();
      for (const host of [
        '127.0.0.1',
        '[::1]',
        '169.254.169.254',
        '2130706433',
        '0x7f000001',
        'localhost',
        '0.0.0.0',
      ]) {
        const r = await probe(app, `${host}:${port}`);
        assert.equal(r.status, 403, `${host}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error?.code, 'probe-refused');
        assert.doesNotMatch(JSON.stringify(r.body), /secret-banner/);
      }
      const privateApp = appWith({ resolver: async () => [{ address: '10.0.0.5', family: 4 }] });
      const r = await probe(privateApp, 'intranet.example:443');
      assert.equal(r.status, 403);
      assert.match(r.body.error?.message ?? '', /probe-private option of the serve command/);
      assert.equal(connections, 0);
    } finally {
      server.close();
    }
  });
});

describe('POST /api/reports validates the Report contract (422)', () => {
  test('a report whose input lacks warnings, or a finding lacks its fields, is refused; a good one is stored', async () => {
    const app = appWith();
    const post = (report: unknown) =>
      app.request('/api/reports', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ report }),
      });
    const good = sampleReport('ok');
    assert.equal((await post(good)).status, 201);
    const noWarnings = structuredClone(good) as unknown as { inputs: Record<string, unknown>[] };
    noWarnings.inputs = [{ name: 'dev_icm', format: 'icm-trace', bytes: 1, lines: 1, unrecognizedLines: 0 }];
    const res = await post(noWarnings);
    assert.equal(res.status, 422);
    assert.match(JSON.stringify(await res.json()), /lacks \\"warnings\\"/);
    const badFinding = structuredClone(good) as unknown as { findings: Record<string, unknown>[] };
    badFinding.findings = [{ title: 'only a title' }];
    assert.equal((await post(badFinding)).status, 422);
  });
});

describe('slow uploads: body idle timeout and a cap on concurrent uploads', () => {
  test('a drip upload that goes silent is closed; over the cap, uploads get 503 at once', async () => {
    const server = await uploadServer({ bodyIdleMs: 400, maxConcurrentUploads: 1 });
    try {
      const drip = connect(server.port, '127.0.0.1');
      await new Promise<void>((r) => drip.once('connect', r));
      drip.write(
        `POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\nSSL handshake`,
      );
      const closed = new Promise<number>((r) => {
        const started = Date.now();
        drip.on('close', () => r(Date.now() - started));
        drip.on('error', () => {});
      });
      await new Promise((r) => setTimeout(r, 100));
      // The one upload slot is taken by the drip: the next upload is refused at once.
      const busy = await fetch(`${server.url}/api/analyze`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: 'SSL handshake failed',
      });
      assert.equal(busy.status, 503);
      assert.equal(busy.headers.get('retry-after'), '5');
      assert.equal(((await busy.json()) as { error: { code: string } }).error.code, 'busy');
      const after = await closed;
      assert.ok(after < 3000, `the silent upload was closed after ${after} ms`);
      // The slot is free again.
      const ok = await fetch(`${server.url}/api/analyze`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: 'SSL handshake with a.example:443 failed: SSSLERR_SSL_READ (-58)',
      });
      assert.equal(ok.status, 200, await ok.text());
    } finally {
      await server.close();
    }
  });
});

describe('32 clients uploading at once', () => {
  test('with the default cap, 32 uploads whose bodies are all being read at the same time all get answers', async () => {
    const server = await uploadServer();
    try {
      const text = 'SSL handshake with a.example:443 failed: SSSLERR_SSL_READ (-58)';
      const sockets = await Promise.all(
        Array.from({ length: 32 }, async () => {
          const s = connect(server.port, '127.0.0.1');
          await new Promise<void>((r) => s.once('connect', r));
          return s;
        }),
      );
      const answers = sockets.map(
        (s) =>
          new Promise<string>((resolve) => {
            let got = '';
            s.on('data', (d) => {
              got += d;
            });
            s.on('close', () => resolve(got));
            s.on('error', () => resolve(got));
          }),
      );
      // Every request sends its headers and half its body first: all 32 bodies are in progress at once.
      for (const s of sockets) {
        s.write(
          `POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text.slice(0, 20)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
      for (const s of sockets) s.end(text.slice(20));
      const statuses = (await Promise.all(answers)).map((a) => a.slice(0, 12));
      assert.deepEqual(
        statuses,
        statuses.map(() => 'HTTP/1.1 200'),
      );
    } finally {
      await server.close();
    }
  });
});

describe('key material in any stored field', () => {
  test('a base64 private key without PEM armour in a note, a title or the report is refused (422)', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const bare = (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64');
    const wrapped = bare.replace(/.{64}/g, '$&\n');
    const app = appWith();
    const post = (body: unknown) =>
      app.request('/api/reports', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const report = sampleReport('keys');
    assert.equal((await post({ report, note: 'an ordinary note' })).status, 201);
    for (const body of [
      { report, note: `key from the server:\n${wrapped}` },
      { report, title: `INC-9 ${bare}` },
      { report: { ...report, findings: [{ ...report.findings[0], summary: `pasted ${wrapped}` }] } },
    ]) {
      const res = await post(body);
      assert.equal(res.status, 422, JSON.stringify(body).slice(0, 80));
      assert.match(await res.text(), /private key/);
    }
  });
});
