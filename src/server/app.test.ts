/** @module API tests against the hono app in-process: uploads, limits, history, PEM, headers, auth, hostile input. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { createTestServices } from '../../test/serve/support/test-services.js';
import { sampleReport } from '../store/contract.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { createApp } from './app.js';
import { sessionValue } from './auth.js';
import { MAX_BUFFERED_PART } from './upload.js';

const WEB = {
  index: {
    body: Buffer.from('<!doctype html><div id="app"></div>'),
    type: 'text/html; charset=utf-8',
    immutable: false,
  },
  files: new Map([
    ['/assets/app-123.js', { body: Buffer.from('console.log(1)'), type: 'text/javascript', immutable: true }],
  ]),
};

function setup(extra: Partial<Parameters<typeof createApp>[0]> = {}) {
  const services = createTestServices();
  const store = openSqliteStore(':memory:');
  const logs: string[] = [];
  const app = createApp({
    store,
    services,
    maxUploadBytes: 64 * 1024 * 1024,
    web: WEB,
    log: (l) => logs.push(l),
    ...extra,
  });
  return { app, services, store, logs };
}

function form(parts: { field: string; filename?: string; data: string | Buffer }[]) {
  const boundary = '----test-boundary-7847';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = `form-data; name="${p.field}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n\r\n`),
      Buffer.from(p.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** A body without Content-Length, delivered in chunks (as a browser or curl streams it). */
function chunked(buf: Buffer, size = 64 * 1024): ReadableStream<Uint8Array> {
  let pos = 0;
  return new ReadableStream({
    pull(controller) {
      if (pos >= buf.length) return controller.close();
      controller.enqueue(new Uint8Array(buf.subarray(pos, pos + size)));
      pos += size;
    },
  });
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const TRACE =
  '[Thr 1] *** ERROR => SSL handshake with api.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n';

describe('POST /api/analyze', () => {
  test('multipart files and pasted text reach the analysis intact, in order, with the PIN', async () => {
    const { app, services } = setup();
    const big = Buffer.alloc(MAX_BUFFERED_PART + 100_000, TRACE);
    const f = form([
      { field: 'pin', data: '1234567980' },
      { field: 'text', data: 'SSL handshake failed: SSSLERR_PEER_CERT_UNTRUSTED' },
      { field: 'files', filename: 'C:\\sap\\SAPSSLC.pse', data: Buffer.from([0x30, 0x82, 0x01, 0x00]) },
      { field: 'ignored', data: 'x' },
      { field: 'files', filename: 'dev_icm', data: big },
    ]);
    const res = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': f.type },
      body: chunked(f.body),
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 200);
    const report = (await res.json()) as { tool: string; inputs: { name: string }[] };
    assert.equal(report.tool, 'pse-doctor');
    assert.deepEqual(
      report.inputs.map((i) => i.name),
      ['pasted text', 'SAPSSLC.pse', 'dev_icm'],
    );
    const got = services.received[0]!;
    assert.deepEqual(
      got.map((g) => [g.name, g.bytes, g.streamed]),
      [
        ['pasted text', 49, false],
        ['SAPSSLC.pse', 4, false],
        ['dev_icm', big.length, true], // the large one streams
      ],
    );
    assert.equal(got[2]!.sha256, sha(big));
    assert.equal(services.pins[0], '1234567980');
  });

  test('text/plain is one pasted input, streamed; octet-stream takes ?name', async () => {
    const { app, services } = setup();
    let res = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: TRACE,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(services.received[0], [
      { name: 'pasted text', bytes: TRACE.length, sha256: sha(TRACE), streamed: true },
    ]);
    res = await app.request('/api/analyze?name=../../dev_icm', {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: TRACE,
    });
    assert.equal(res.status, 200);
    assert.equal(services.received[1]![0]!.name, 'dev_icm');
  });

  test('wrong content types get 415 with a clear message', async () => {
    const { app, services } = setup();
    for (const type of ['application/json', 'application/x-www-form-urlencoded', 'image/png', '']) {
      const res = await app.request('/api/analyze', {
        method: 'POST',
        headers: type ? { 'Content-Type': type } : {},
        body: Buffer.from('{"a":1}'),
      });
      assert.equal(res.status, 415, type);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'unsupported-media-type');
      assert.match(body.error.message, /multipart\/form-data/);
    }
    assert.equal(services.received.length, 0);
  });

  test('oversized bodies get 413, announced or streamed', async () => {
    const { app, services } = setup({ maxUploadBytes: 100_000 });
    const f = form([{ field: 'files', filename: 'dev_icm', data: Buffer.alloc(300_000, 'a') }]);
    // Announced by Content-Length: refused before reading.
    let res = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': f.type, 'Content-Length': String(f.body.length) },
      body: f.body,
    });
    assert.equal(res.status, 413);
    assert.match(
      ((await res.json()) as { error: { message: string } }).error.message,
      /larger than the limit of 97\.7 KB/,
    );
    // Streamed without a length: refused when the count passes the limit.
    res = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': f.type },
      body: chunked(f.body, 8192),
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 413);
    res = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: chunked(Buffer.alloc(300_000, 'b'), 8192),
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 413);
    assert.equal(services.received.length, 0);
  });

  test('a large input that is not the last part is refused (400), malformed bodies are 400', async () => {
    const { app } = setup();
    const f = form([
      { field: 'files', filename: 'dev_icm', data: Buffer.alloc(MAX_BUFFERED_PART + 10, 'a') },
      { field: 'files', filename: 'SAPSSLC.pse', data: 'x' },
    ]);
    let res = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': f.type },
      body: f.body,
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'large-input-not-last');
    res = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=abc' },
      body: '--abc\r\nContent-Disposition: form-data; name="text"\r\n\r\nno end',
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'bad-multipart');
    res = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data' },
      body: 'x',
    });
    assert.equal(res.status, 400);
    const empty = form([
      { field: 'text', data: '   ' },
      { field: 'files', filename: '', data: '' },
    ]);
    res = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': empty.type },
      body: empty.body,
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'empty-input');
  });

  test('a PSE view keeps the PIN for the request only; a too-large "PSE" is 413', async () => {
    const { app, services, store, logs } = setup();
    const f = form([
      { field: 'files', filename: 'SAPSSLS.pse', data: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x02]) },
      { field: 'pin', data: 'S3cret-PIN-77' }, // after the file: still used
    ]);
    const res = await app.request('/api/pse', {
      method: 'POST',
      headers: { 'Content-Type': f.type },
      body: f.body,
    });
    assert.equal(res.status, 200);
    assert.equal(services.pins[0], 'S3cret-PIN-77');
    assert.doesNotMatch(await res.text(), /S3cret-PIN-77/);
    assert.deepEqual(await store.list(), [], 'nothing stored by analysing');
    assert.equal(logs.join('\n').includes('S3cret'), false);
    const big = form([{ field: 'files', filename: 'x.pse', data: Buffer.alloc(MAX_BUFFERED_PART + 1) }]);
    const res2 = await app.request('/api/pse', {
      method: 'POST',
      headers: { 'Content-Type': big.type },
      body: big.body,
    });
    assert.equal(res2.status, 413);
    const res3 = await app.request('/api/pse', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'x',
    });
    assert.equal(res3.status, 415);
  });
});

describe('history and PEM downloads', () => {
  test('save, list, get, download the PEM, delete', async () => {
    const { app } = setup();
    const res0 = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: TRACE,
    });
    const report = await res0.json();
    const save = await app.request('/api/reports', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ report, title: 'INC-1', note: 'github' }),
    });
    assert.equal(save.status, 201);
    const { id, url } = (await save.json()) as { id: string; url: string };
    assert.equal(url, `/reports/${id}`);
    assert.equal(save.headers.get('location'), `/api/reports/${id}`);
    const list = (await (await app.request('/api/reports')).json()) as {
      items: { id: string; title: string }[];
    };
    assert.deepEqual(
      list.items.map((i) => [i.id, i.title]),
      [[id, 'INC-1']],
    );
    const got = (await (await app.request(`/api/reports/${id}`)).json()) as { report: unknown; note: string };
    assert.deepEqual(got.report, report);
    assert.equal(got.note, 'github');
    const pem = await app.request(`/api/import/${id}/0.pem`);
    assert.equal(pem.status, 200);
    assert.equal(pem.headers.get('content-type'), 'application/x-pem-file');
    assert.equal(pem.headers.get('content-disposition'), 'attachment; filename="Test_Root.pem"');
    assert.match(
      await pem.text(),
      /^-----BEGIN CERTIFICATE-----\nMIIBdGVzdA==\n-----END CERTIFICATE-----\n$/,
    );
    assert.equal((await app.request(`/api/import/${id}/1.pem`)).status, 404);
    assert.equal((await app.request(`/api/import/${id}/0.txt`)).status, 404);
    assert.equal((await app.request(`/api/reports/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await app.request(`/api/reports/${id}`)).status, 404);
    assert.equal((await app.request(`/api/reports/${id}`, { method: 'DELETE' })).status, 404);
  });

  test('saving needs JSON and a real report; a stored non-PEM import is never served', async () => {
    const { app, store } = setup();
    let res = await app.request('/api/reports', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{}',
    });
    assert.equal(res.status, 415);
    res = await app.request('/api/reports', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{nope',
    });
    assert.equal(res.status, 400);
    res = await app.request('/api/reports', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ report: { tool: 'x' } }),
    });
    assert.equal(res.status, 422);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid-report');
    const evil = sampleReport('evil');
    evil.findings[0]!.import = {
      subject: 'CN=x',
      kind: 'root',
      source: 'input',
      into: [],
      commands: [],
      pem: '<script>alert(1)</script>',
      fileName: '../../evil".html',
    };
    const id = await store.save(evil);
    res = await app.request(`/api/import/${id}/0.pem`);
    assert.equal(res.status, 404);
  });

  test('PEM file names are sanitised', async () => {
    const { app, store } = setup();
    const r = sampleReport('name');
    r.findings[0]!.import = {
      subject: 'CN=Evil',
      kind: 'root',
      source: 'input',
      into: [],
      commands: [],
      pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      fileName: '../../evil"; x=.pem',
    };
    const id = await store.save(r);
    const res = await app.request(`/api/import/${id}/0.pem`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="evil___x_.pem"');
  });

  test('ids that are not ours and path tricks give 404, never a file', async () => {
    const { app } = setup();
    for (const path of [
      '/api/reports/..%2F..%2Fetc%2Fpasswd',
      "/api/reports/1'%20OR%201=1",
      '/api/import/..%2F..%2Fpackage.json/0.pem',
      '/api/import/00000000-0000-4000-8000-000000000000/0.pem',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/package.json',
      '/src/server/app.ts',
      '/.git/config',
    ]) {
      const res = await app.request(path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /"name": "pse-doctor"|\[core\]|createApp/);
    }
  });
});

describe('explain, config, probe', () => {
  test('explain by id, by query and the index', async () => {
    const { app } = setup();
    let res = await app.request('/api/explain/wss040');
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { id: string }).id, 'WSS040');
    res = await app.request('/api/explain/NOPE1');
    assert.equal(res.status, 404);
    res = await app.request('/api/explain?q=trust');
    assert.deepEqual(
      ((await res.json()) as { matches: { entry: { id: string } }[] }).matches.map((m) => m.entry.id),
      ['TRUST086'],
    );
    res = await app.request('/api/explain');
    assert.equal(((await res.json()) as { entries: unknown[] }).entries.length, 2);
    res = await app.request(`/api/explain?q=${'a'.repeat(600)}`);
    assert.equal(res.status, 400);
  });

  test('probe is refused unless enabled; enabled, it validates and runs', async () => {
    let { app } = setup();
    let res = await app.request('/api/probe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: '127.0.0.1:1' }),
    });
    assert.equal(res.status, 403);
    assert.match(
      ((await res.json()) as { error: { message: string } }).error.message,
      /enable-probe option of the serve command/,
    );
    const services = createTestServices();
    const calls: unknown[] = [];
    services.probe = async (r) => {
      calls.push(r);
      return sampleReport('probe');
    };
    ({ app } = setup({ services, enableProbe: true }));
    res = await app.request('/api/probe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: 'api.example.com:443', sni: false }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(calls, [{ target: 'api.example.com:443', sni: false }]);
    for (const bad of [{ target: 'a b' }, { target: '' }, { target: 'x', port: 70000 }]) {
      res = await app.request('/api/probe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(bad),
      });
      assert.equal(res.status, 400, JSON.stringify(bad));
    }
    res = await app.request('/api/probe', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'x',
    });
    assert.equal(res.status, 415);
  });

  test('config tells the page the limits', async () => {
    const { app } = setup();
    const cfg = (await (await app.request('/api/config')).json()) as Record<string, unknown>;
    assert.equal(cfg.maxUploadBytes, 64 * 1024 * 1024);
    assert.equal(cfg.probeEnabled, false);
    assert.equal(cfg.store, 'sqlite');
    assert.equal(cfg.auth, false);
  });
});

describe('safe by default', () => {
  test('strict CSP and friends on pages, API answers and errors', async () => {
    const { app } = setup();
    for (const path of [
      '/',
      '/explain/WSS040',
      '/reports/abc',
      '/api/config',
      '/api/nope',
      '/nope',
      '/assets/app-123.js',
    ]) {
      const res = await app.request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(res.headers.get('referrer-policy'), 'same-origin', path);
    }
    const page = await app.request('/explain/WSS040');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.equal((await app.request('/api/config')).headers.get('cache-control'), 'no-store');
    assert.equal(
      (await app.request('/assets/app-123.js')).headers.get('cache-control'),
      'public, max-age=31536000, immutable',
    );
  });

  test('a loopback server refuses foreign Host names (DNS rebinding) and cross-site writes', async () => {
    const { app } = setup({ allowedHosts: new Set(['127.0.0.1:7847']) });
    const host = { Host: '127.0.0.1:7847' };
    assert.equal((await app.request('http://127.0.0.1:7847/api/config', { headers: host })).status, 200);
    assert.equal(
      (await app.request('http://127.0.0.1:7847/api/config', { headers: { Host: 'evil.example:7847' } }))
        .status,
      421,
    );
    assert.equal((await app.request('http://127.0.0.1:7847/api/config')).status, 421, 'no Host at all');
    const cross = await app.request('http://127.0.0.1:7847/api/analyze', {
      method: 'POST',
      headers: {
        ...host,
        'Content-Type': 'text/plain',
        Origin: 'http://evil.example',
        'Sec-Fetch-Site': 'cross-site',
      },
      body: TRACE,
    });
    assert.equal(cross.status, 403);
    const nullOrigin = await app.request('http://127.0.0.1:7847/api/analyze', {
      method: 'POST',
      headers: { ...host, 'Content-Type': 'text/plain', Origin: 'null' },
      body: TRACE,
    });
    assert.equal(nullOrigin.status, 403);
    const otherPort = await app.request('http://127.0.0.1:7847/api/reports', {
      method: 'POST',
      headers: {
        ...host,
        'Content-Type': 'application/json',
        Origin: 'http://127.0.0.1:3000',
        'Sec-Fetch-Site': 'same-site',
      },
      body: '{}',
    });
    assert.equal(otherPort.status, 403, 'another local app on another port is another origin');
    const same = await app.request('http://127.0.0.1:7847/api/analyze', {
      method: 'POST',
      headers: {
        ...host,
        'Content-Type': 'text/plain',
        Origin: 'http://127.0.0.1:7847',
        'Sec-Fetch-Site': 'same-origin',
      },
      body: TRACE,
    });
    assert.equal(same.status, 200);
  });

  test('with a token: 401 for the API, login form for pages, Bearer or cookie let in', async () => {
    const token = 'team-token-0123456789abcdef';
    const { app } = setup({ token });
    let res = await app.request('/api/reports');
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="pse-doctor"');
    res = await app.request('/reports/x?y=1');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login?next=%2Freports%2Fx');
    res = await app.request('/login?next=/reports');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<form method="post" action="\/login">/);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(
      (await app.request('/api/reports', { headers: { Authorization: `Bearer ${token}` } })).status,
      200,
    );
    assert.equal(
      (await app.request('/api/reports', { headers: { Authorization: 'Bearer wrong-token-xxxxxxxx' } }))
        .status,
      401,
    );
    res = await app.request('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'nope', next: '/reports' }).toString(),
    });
    assert.equal(res.status, 401);
    assert.match(await res.text(), /not right/);
    res = await app.request('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, next: '//evil.example/x' }).toString(),
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/', 'no open redirect');
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly; SameSite=Strict/);
    assert.equal(cookie.includes(token), false, 'the cookie is not the token itself');
    const value = `pse_doctor_session=${sessionValue(token)}`;
    assert.ok(cookie.startsWith(value));
    assert.equal((await app.request('/api/reports', { headers: { Cookie: value } })).status, 200);
    assert.equal((await app.request('/', { headers: { Cookie: 'pse_doctor_session=forged' } })).status, 303);
  });

  test('internal errors are 500 without details; the log gets the message, not the body', async () => {
    const services = createTestServices();
    services.analyze = async () => {
      throw new Error('boom in rules');
    };
    const { app, logs } = setup({ services });
    const res = await app.request('/api/analyze', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'secret-looking evidence 1234567980',
    });
    assert.equal(res.status, 500);
    assert.doesNotMatch(await res.text(), /boom|1234567980/);
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /boom in rules/);
    assert.doesNotMatch(logs[0]!, /1234567980/);
  });
});
