/**
 * @module One SSL failure read twice (an SM59 text beside the trace block of its call, a level-1 block beside a
 * level-2 one) gives the richer event's findings once, quoting both; a message of another host or error, or
 * one whose call the trace cannot tell, is not folded in.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyze } from '../analyze.js';
import type { Report } from '../model/report.js';

const NOW = new Date('2025-03-04T00:00:00Z');
const DEV_ICM = readFileSync(new URL('../../examples/dev_icm', import.meta.url), 'utf8').split('\n');

const T = '[Thr 140210540517120]';
/** An untrusted-root block as the ICM prints it at trace level 2 (the PSE line) after its time. */
const LEVEL2 = (time: string) => [
  `${T} ${time}`,
  `${T}   SSL NI-hdl 51: local=10.0.5.21:41230  peer=203.0.113.7:443`,
  `${T}   cli SSL session PSE "/usr/sap/ABC/D00/sec/SAPSSLC.pse"`,
  `${T} >> ---------- Begin of Secu-SSL Errorstack ---------- >>`,
  `${T} 0xa0600297   SSL   ssl3_get_server_certificate`,
  `${T} Peer not trusted`,
  `${T} << ---------- End of Secu-SSL Errorstack ----------`,
  `${T}   Target Hostname="api.partner.example"`,
  `${T} <<- ERROR: SapSSLSessionStartNB(sssl_hdl=7f85c40b1f30)==SSSLERR_PEER_CERT_UNTRUSTED`,
  `${T} *** ERROR => SSL handshake with api.partner.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)`,
  `${T}    Peer's X.509 certificate (chain) validation failed (missing trust?)`,
];
/** The same failure at trace level 1: no PSE line. */
const LEVEL1 = (time: string) => [
  `${T} ${time}`,
  `${T} *** ERROR => SSL handshake with api.partner.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)`,
  `${T}    Peer's X.509 certificate (chain) validation failed (missing trust?)`,
];
const TRAFFIC = Array.from(
  { length: 8 },
  (_, i) => `${T} IcmHandleNetWaitEvent: conn ${1200 + i} hdl ${80 + i}: received ${512 + i} bytes`,
);

/** SM59's connection test and the error text of the client call, as a user copies them. */
const sm59 = (host: string, error: string) => [
  'SM59 -> Connection Test',
  'Status HTTP Response     500',
  'Status Text              ICM_HTTP_SSL_ERROR',
  '',
  'CL_HTTP_CLIENT->GET_LAST_ERROR:',
  `SSL handshake with ${host}:443 failed: ${error}#The peer's X.509 Certificate (chain) is untrusted##`,
  '',
];
const GENERIC = 'SM59 connection test: HTTP/1.1 500 Native SSL error / ICM_HTTP_SSL_ERROR';

async function run(lines: string[]): Promise<Report> {
  return analyze([{ name: 'paste.txt', bytes: Buffer.from(`${lines.join('\n')}\n`) }], { now: NOW });
}

const causes = (r: Report) => r.findings.map((f) => `${f.cause}:${f.confidence}:${f.target?.host ?? ''}`);
const quotes = (r: Report, i: number, text: string) =>
  r.findings[i]!.evidence.some((l) => l.text.includes(text));
const sslEvents = (r: Report) => r.events.filter((e) => e.kind === 'ssl-failure').length;

test('an SM59 text and the trace block of its call give the trace block’s findings once, quoting both', async () => {
  const block = await run(LEVEL2('Mon Mar  3 09:15:33:120 2025'));
  const both = await run([
    ...sm59('api.partner.example', 'SSSLERR_PEER_CERT_UNTRUSTED (-102)'),
    ...LEVEL2('Mon Mar  3 09:15:33:120 2025'),
  ]);
  assert.ok(sslEvents(both) >= 2, 'the message and the block are read as events of their own');
  assert.deepEqual(causes(both), causes(block));
  assert.equal(both.findings[0]!.pse?.file, '/usr/sap/ABC/D00/sec/SAPSSLC.pse');
  assert.ok(quotes(both, 0, 'GET_LAST_ERROR') || quotes(both, 0, 'is untrusted##'));
  assert.ok(quotes(both, 0, 'Peer not trusted'));
});

test("SM59's ICM_HTTP_SSL_ERROR alone beside a trace of one call adds no guesses of its own", async () => {
  const alone = await run([GENERIC]);
  assert.ok(
    alone.findings.some((f) => f.cause === 'tls-version'),
    'alone, the code gives several hypotheses',
  );
  const oneCall = DEV_ICM.slice(0, 85);
  const both = await run([GENERIC, ...oneCall]);
  assert.equal(sslEvents(both), 2);
  assert.deepEqual(causes(both), causes(await run(oneCall)));
  assert.ok(quotes(both, 0, 'ICM_HTTP_SSL_ERROR'));
});

test('beside a trace of two calls the generic SM59 text is quoted by neither, and guesses nothing', async () => {
  const both = await run([GENERIC, ...DEV_ICM]);
  assert.deepEqual(causes(both), causes(await run(DEV_ICM)));
  for (let i = 0; i < both.findings.length; i++)
    assert.ok(!quotes(both, i, 'Native SSL error'), `finding ${i} quotes the SM59 line`);
});

test('a message of another host or of another error keeps its own findings', async () => {
  const block = LEVEL2('Mon Mar  3 09:15:33:120 2025');
  const otherHost = await run([
    GENERIC,
    ...sm59('billing.vendor.example', 'SSSLERR_PEER_CERT_UNTRUSTED (-102)'),
    ...TRAFFIC,
    ...block,
  ]);
  const hosts = new Set(
    otherHost.findings.filter((f) => f.cause === 'untrusted-root').map((f) => f.target?.host),
  );
  assert.deepEqual([...hosts].sort(), ['api.partner.example', 'billing.vendor.example']);
  const otherError = await run([
    ...sm59('api.partner.example', 'SSSLERR_SERVER_CERT_MISMATCH (-30)'),
    ...TRAFFIC,
    ...block,
  ]);
  assert.ok(otherError.findings.some((f) => f.cause === 'untrusted-root'));
  assert.ok(otherError.findings.some((f) => f.errorCode?.name === 'SSSLERR_SERVER_CERT_MISMATCH'));
});

test('a level-1 block beside a level-2 block of the same call, at another time, is one finding of two occurrences', async () => {
  const report = await run([
    ...LEVEL1('Mon Mar  3 08:02:11:004 2025'),
    ...TRAFFIC,
    ...LEVEL2('Mon Mar  3 09:15:33:120 2025'),
  ]);
  const roots = report.findings.filter((f) => f.cause === 'untrusted-root');
  assert.equal(roots.length, 1, causes(report).join(' '));
  assert.equal(roots[0]!.pse?.file, '/usr/sap/ABC/D00/sec/SAPSSLC.pse');
  assert.equal(roots[0]!.occurrences?.count, 2);
  assert.ok(
    roots[0]!.evidence.some((l) => l.line === 2),
    'the level-1 block is quoted',
  );
});

test('a second text that names the TLS alert is not folded into a richer event that does not', async () => {
  const report = await run([
    'Status Text  SSL handshake with s4backend.corp.example.com:44300 failed: SSSLERR_SSL_READ (-58)#SAPCRYPTO:SSL_read() failed##SapSSLSessionStartNB()==SSSLERR_SSL_READ#',
    'dev_icm:',
    '[Thr 139771] *** ERROR during SecudeSSL_SessionStart() from SSL_connect()==SSL_ERROR_SSL',
    '[Thr 139771]    session uses PSE file "/usr/sap/GW1/DVEBMGS00/sec/SAPSSLA.pse"',
    '[Thr 139771] SecudeSSL_SessionStart: SSL_connect() failed --',
    '  secude_error 536875072 (0x20001040) = "received a fatal TLS certificate_required alert message from the peer"',
  ]);
  assert.equal(report.findings[0]?.cause, 'client-cert-missing', causes(report).join(' '));
});

test("the ICM's closing ICM_HTTP_SSL_ERROR line after a block naming the SapSSL error adds no guesses", async () => {
  const block = LEVEL2('Mon Mar  3 09:15:33:120 2025');
  const closing = `${T} HttpSAPR3Response: client request failed: ICM_HTTP_SSL_ERROR`;
  const both = await run([...block, closing]);
  assert.deepEqual(causes(both), causes(await run(block)));
  assert.ok(quotes(both, 0, 'client request failed'));
});
