/** @module AIA caIssuers fetching against a local HTTP server on 127.0.0.1: formats, limits, chasing. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateChain, type TestChain } from '../../test/pki/index.js';
import { isToolError } from '../model/errors.js';
import { fetchIssuer, fetchIssuerChain, parseIssuerResponse } from './aia.js';
import { describeCertificate } from './certificate-info.js';

describe('AIA caIssuers fetching', () => {
  let server: Server;
  let base: string;
  let chain: TestChain;
  let p7der: Buffer;
  const sockets = new Set<import('node:net').Socket>();

  before(async () => {
    server = createServer((req, res) => {
      const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
        res.writeHead(status, headers);
        res.end(body);
      };
      switch (req.url) {
        case '/int.cer':
          return send(200, chain.intermediate.der, { 'content-type': 'application/pkix-cert' });
        case '/int.pem':
          return send(200, chain.intermediate.pem);
        case '/int.p7c':
          return send(200, p7der, { 'content-type': 'application/pkcs7-mime' });
        case '/root.cer':
          return send(200, chain.root.der);
        case '/moved':
          return send(302, '', { location: '/int.cer' });
        case '/loop':
          return send(302, '', { location: '/loop' });
        case '/big':
          return send(200, Buffer.alloc(200 * 1024, 0x30));
        case '/garbage':
          return send(200, 'this is not a certificate');
        case '/slow':
          return; // never answers
        default:
          return send(404, 'not found');
      }
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    chain = await generateChain({ aiaUrl: `${base}/int.cer`, intermediateAiaUrl: `${base}/root.cer` });
    const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-aia-'));
    try {
      writeFileSync(join(dir, 'int.pem'), chain.intermediate.pem);
      execFileSync(
        'openssl',
        ['crl2pkcs7', '-nocrl', '-certfile', 'int.pem', '-outform', 'DER', '-out', 'int.p7c'],
        {
          cwd: dir,
        },
      );
      p7der = readFileSync(join(dir, 'int.p7c'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  for (const [path, what] of [
    ['/int.cer', 'DER'],
    ['/int.pem', 'PEM'],
    ['/int.p7c', 'PKCS#7 DER'],
    ['/moved', 'a redirect'],
  ] as const) {
    test(`reads the issuer from ${what}`, async () => {
      const r = await fetchIssuer(`${base}${path}`);
      assert.equal(r.error, undefined);
      assert.equal(r.certificates[0]?.sha256, chain.intermediate.sha256);
    });
  }

  for (const [path, error] of [
    ['/big', /larger than 65536 bytes/],
    ['/garbage', /Cannot tell what|not/],
    ['/nothing', /HTTP 404/],
    ['/loop', /too many redirects/],
  ] as const) {
    test(`refuses ${path} with a clear error`, async () => {
      const r = await fetchIssuer(`${base}${path}`);
      assert.deepEqual(r.certificates, []);
      assert.match(r.error ?? '', error);
    });
  }

  test('gives up after the time limit', async () => {
    const r = await fetchIssuer(`${base}/slow`, { timeoutMs: 200 });
    assert.match(r.error ?? '', /no answer within 200 ms/);
  });

  test('fetches only http and https', async () => {
    for (const url of ['ldap://127.0.0.1/cn=ca', 'file:///etc/passwd', 'not a url']) {
      const r = await fetchIssuer(url);
      assert.ok(r.error, url);
      assert.deepEqual(r.certificates, []);
    }
  });

  test('chases issuers upward until a self-signed root', async () => {
    const { issuers, fetches } = await fetchIssuerChain(describeCertificate(chain.leaf.x509));
    assert.deepEqual(
      issuers.map((c) => c.sha256),
      [chain.intermediate.sha256, chain.root.sha256],
    );
    assert.equal(fetches.length, 2);
  });

  test('an answer that is not the issuer is reported, not used', async () => {
    const other = await generateChain({ keyType: 'ec', aiaUrl: `${base}/int.cer` });
    const { issuers, fetches } = await fetchIssuerChain(describeCertificate(other.leaf.x509));
    assert.deepEqual(issuers, []);
    assert.match(fetches[0]?.error ?? '', /not the issuer/);
  });
});

describe('parseIssuerResponse (no container reader: pki parses AIA answers itself)', () => {
  let chain: TestChain;
  let p7pem: string;
  before(async () => {
    chain = await generateChain();
    const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-aia-p7-'));
    try {
      writeFileSync(join(dir, 'chain.pem'), `${chain.intermediate.pem}\n${chain.root.pem}`);
      execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-out', 'chain.p7b'], {
        cwd: dir,
      });
      p7pem = readFileSync(join(dir, 'chain.p7b'), 'latin1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a PEM PKCS#7 bundle and several PEM certificates with text around them give every certificate', () => {
    const fromP7 = parseIssuerResponse(Buffer.from(p7pem), 'u');
    assert.deepEqual(
      fromP7.map((c) => c.sha256),
      [chain.intermediate.sha256, chain.root.sha256],
    );
    const text = `issuer follows\r\n${chain.intermediate.pem}\r\nand its root\n${chain.root.pem}`;
    assert.deepEqual(
      parseIssuerResponse(Buffer.from(text), 'u').map((c) => c.subject),
      [chain.intermediate.subject, chain.root.subject],
    );
  });

  test('a TRUSTED CERTIFICATE block (trust settings after the DER) reads as its certificate', () => {
    const der = Buffer.concat([chain.intermediate.der, Buffer.from([0x30, 0x03, 0x06, 0x01, 0x00])]);
    const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
    const pem = `-----BEGIN TRUSTED CERTIFICATE-----\n${b64}\n-----END TRUSTED CERTIFICATE-----\n`;
    assert.equal(parseIssuerResponse(Buffer.from(pem), 'u')[0]?.sha256, chain.intermediate.sha256);
  });

  test('junk is a ToolError naming the URL: empty, text, broken or deeply nested DER', () => {
    const cases: [Buffer, string][] = [
      [Buffer.alloc(0), 'empty-input'],
      [Buffer.from('<html>not found</html>'), 'unknown-format'],
      [Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), 'unknown-format'],
      [Buffer.from('3082ffff0000', 'hex'), 'bad-certificate'],
      [Buffer.from('3080'.repeat(30_000), 'hex'), 'bad-certificate'],
    ];
    for (const [bytes, code] of cases) {
      assert.throws(
        () => parseIssuerResponse(bytes, 'http://ca.example/x.crt'),
        (err: unknown) =>
          isToolError(err) && err.code === code && err.message.includes('http://ca.example/x.crt'),
        code,
      );
    }
  });
});
