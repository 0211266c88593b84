/** @module Robustness of the SAP text reader: hostile, huge, truncated, mixed-encoding and odd inputs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip } from '../../../test/helpers/fixtures.js';
import { isToolError } from '../../model/errors.js';
import type { EvidenceEvent, SslFailureEvent } from '../../model/evidence.js';
import { bytesSource, streamSource } from '../source.js';
import type { InputSource } from '../types.js';
import { readSapText } from './reader.js';

const read = (source: InputSource) => readSapText(source, { input: 0 });
const fromText = (text: string | Buffer, name = 'input.txt') =>
  read(bytesSource(name, typeof text === 'string' ? Buffer.from(text) : text));
const failures = (events: EvidenceEvent[]) => events.filter((e) => e.kind !== 'trace-info');
const withoutLines = (events: EvidenceEvent[]) =>
  JSON.parse(JSON.stringify(events, (k, v) => (k === 'source' ? undefined : v)));

describe('sap-text reader: bad and odd input', () => {
  test('empty input: no events, no crash', async () => {
    const out = await fromText('');
    assert.equal(out.events.length, 0);
    assert.equal(out.summary.lines, 0);
  });

  test('binary garbage is a binary-input ToolError', async () => {
    const garbage = Buffer.alloc(8192);
    for (let i = 0; i < garbage.length; i += 3) garbage[i] = (i * 131) & 0xff;
    await assert.rejects(
      fromText(garbage),
      (err: unknown) => isToolError(err) && err.code === 'binary-input',
    );
  });

  test('a 50 MB line without a line break is cut, not buffered; the failure after it is still read', async () => {
    const mb = Buffer.alloc(1 << 20, 0x41);
    const tail = Buffer.from('\nSSL handshake with github.com:443 failed: SSSLERR_SSL_READ (-58)\n');
    const before = process.memoryUsage().rss;
    const out = await read(
      streamSource(
        'huge.txt',
        (async function* () {
          for (let i = 0; i < 50; i++) yield mb;
          yield tail;
        })(),
      ),
    );
    const growth = process.memoryUsage().rss - before;
    assert.equal(out.summary.lines, 2);
    assert.ok(out.summary.warnings.some((w) => /cut/.test(w)));
    assert.equal((out.events[0] as SslFailureEvent).error?.name, 'SSSLERR_SSL_READ');
    assert.ok(growth < 60 * (1 << 20), `rss grew by ${(growth / (1 << 20)).toFixed(1)} MiB`);
  });

  test('hostile lines finish: nested brackets, endless codes, thousands of # and signer levels', async () => {
    const lines = [
      `SSL handshake with ${'<'.repeat(60_000)} failed: SSSLERR_SSL_READ (-58)`,
      `  SSL NI-hdl 1: local=${'<'.repeat(30_000)}  peer=${'['.repeat(30_000)}`,
      `SSSLERR_${'A'.repeat(60_000)}`,
      `[Thr ${'x'.repeat(60_000)}] SSSLERR_CONN_CLOSED (-10)`,
      `${'SSSLERR_SSL_READ (-58)#'.repeat(2000)}`,
      `  ServerCert.subject = ${'<CN=<'.repeat(10_000)}`,
      `received a fatal TLS ${'a '.repeat(30_000)} alert message from the peer`,
      `RTE:[300010] Cannot create SSL context: SSL trust store cannot be found: ${'('.repeat(30_000)}`,
      `${'(1/0x1) '.repeat(8000)}`,
      'Certificate:',
      ...Array.from({ length: 5000 }, () => ' SignerCert:\n  Certificate:\n   Subject: CN=x'),
      'LOCATION CPIC',
      'ERROR GSS-API(maj): No credentials were supplied',
      ...Array.from({ length: 5000 }, (_, i) => `continuation ${i}`),
    ];
    const out = await fromText(lines.join('\n'));
    assert.ok(out.events.length > 0);
    const certs = out.events.flatMap((e) => (e.kind === 'ssl-failure' ? (e.certificates ?? []) : []));
    assert.ok(certs.length <= 16, 'chain depth is capped');
    for (const e of out.events)
      assert.ok(JSON.stringify(e).length < 1_000_000, `${e.kind} event stays small`);
  });

  test('a truncated errorstack gives a partial event marked truncated', async () => {
    const out = await fromText(
      [
        '[Thr 1] *** ERROR during secussl_read() from SSL_read()==SSL_ERROR_SSL',
        '[Thr 1]   srv SSL session PSE "/usr/sap/X/D00/sec/SAPSSLS.pse"',
        '[Thr 1] >>            Begin of Secu-SSL Errorstack            >>',
        '[Thr 1] 0x20001046   SAPCRYPTOLIB   SSL_read',
        '[Thr 1] SSL API error',
      ].join('\n'),
    );
    const e = out.events[0] as SslFailureEvent;
    assert.equal(e.truncated, true);
    assert.equal(e.role, 'server');
    assert.deepEqual(e.errorstack?.[0], {
      code: '0x20001046',
      component: 'SAPCRYPTOLIB',
      function: 'SSL_read',
      line: 4,
      text: 'SSL API error',
    });
  });

  test('an errorstack whose End line never comes ends at the next timestamped line or after 32 text lines', async () => {
    const head = [
      '[Thr 1] *** ERROR during secussl_read() from SSL_read()==SSL_ERROR_SSL',
      '[Thr 1]   srv SSL session PSE "/usr/sap/X/D00/sec/SAPSSLS.pse"',
      '[Thr 1] >>            Begin of Secu-SSL Errorstack            >>',
      '[Thr 1] 0x20001046   SAPCRYPTOLIB   SSL_read',
      '[Thr 1] SSL API error',
    ];
    const stamped = Array.from(
      { length: 40 },
      (_, i) =>
        `[Thr 1] Wed May 13 01:${String(i).padStart(2, '0')}:55:690 2020 IcmHandleNetRead: read ${i} bytes`,
    );
    const plain = Array.from({ length: 40 }, (_, i) => `[Thr 1] IcmHandleNetRead: read ${i} bytes`);
    for (const [what, tail, textLines] of [
      ['timestamped', stamped, 1],
      ['plain', plain, 32],
    ] as const) {
      const out = await fromText([...head, ...tail].join('\n'));
      const e = out.events[0] as SslFailureEvent;
      assert.equal(e.truncated, true, what);
      const text = e.errorstack?.[0]?.text ?? '';
      assert.equal(text.split(' | ').length, textLines, `${what}: ${text.slice(0, 200)}`);
      assert.ok(!/Wed May/.test(text), `${what}: routine lines stay out of the errorstack`);
      assert.equal(e.role, 'server');
    }
    // A stack with more entries than text runs is not cut: each entry header starts a new run.
    const long = [
      ...head.slice(0, 3),
      ...Array.from({ length: 20 }, (_, i) => [
        `[Thr 1] 0x2000104${i % 10}   SAPCRYPTOLIB   fn${i}`,
        ...Array.from({ length: 20 }, (_, k) => `[Thr 1] text ${i}.${k}`),
      ]).flat(),
      '[Thr 1] << ---------- End of Secu-SSL Errorstack ----------',
    ];
    const e = (await fromText(long.join('\n'))).events[0] as SslFailureEvent;
    assert.equal(e.truncated, undefined);
    assert.equal(e.errorstack?.length, 20);
  });

  test('latin1 bytes inside a UTF-8 trace: the failure is read and the input is flagged', async () => {
    const buf = Buffer.concat([
      Buffer.from('[Thr 1] Mon Jan 16 10:02:03:123 2023\n'),
      Buffer.from('[Thr 1]   cli SSL session PSE "C:\\usr\\sap\\ABC\\D00\\sec\\SAPSSLC.pse"\n'),
      Buffer.from('[Thr 1] *** ERROR => SSL handshake with m', 'latin1'),
      Buffer.from([0xfc]),
      Buffer.from('ller.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n'),
    ]);
    const out = await fromText(buf);
    const e = out.events[0] as SslFailureEvent;
    assert.equal(e.target?.host, 'müller.example');
    assert.equal(e.pseFile, 'C:\\usr\\sap\\ABC\\D00\\sec\\SAPSSLC.pse');
    assert.ok(out.summary.warnings.some((w) => /Windows-1252/.test(w)));
  });

  test('thousands of distinct failures stay bounded and say so', async () => {
    const lines = Array.from(
      { length: 6000 },
      (_, i) => `SSL handshake with host${i}.example:443 failed: SSSLERR_SSL_READ (-58)`,
    );
    const out = await fromText(lines.join('\n'));
    assert.equal(failures(out.events).length, 5000);
    assert.ok(out.summary.warnings.some((w) => /not kept/.test(w)));
  });

  test('repeats of one failure become one event with occurrences and first/last timestamps', async () => {
    const block = (ts: string, hdl: number) =>
      [
        `[Thr ${hdl}] ${ts}`,
        `[Thr ${hdl}]   SSL NI-hdl ${hdl}: local=10.0.0.5:${40000 + hdl}  peer=203.0.113.7:443`,
        `[Thr ${hdl}] *** ERROR => SSL handshake with api.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)`,
        `[Thr ${hdl}] IcmConnClose: closing`,
      ].join('\n');
    const text = [
      block('Mon Jan 16 10:00:00:001 2023', 1),
      block('Mon Jan 16 10:05:00:001 2023', 2),
      block('Mon Jan 16 11:00:00:001 2023', 3),
    ].join('\n');
    const out = await fromText(text);
    const all = failures(out.events);
    assert.equal(all.length, 1);
    assert.deepEqual(
      {
        count: all[0]!.occurrences?.count,
        first: all[0]!.occurrences?.first,
        last: all[0]!.occurrences?.last,
      },
      { count: 3, first: 'Mon Jan 16 10:00:00:001 2023', last: 'Mon Jan 16 11:00:00:001 2023' },
    );
    assert.deepEqual(
      all[0]!.occurrences?.more?.map((r) => r.line),
      [6, 10],
    );
  });

  test('a context line of the next session does not join a finished failure', async () => {
    const out = await fromText(
      [
        '[Thr 1]   cli SSL session PSE "/usr/sap/X/D00/sec/SAPSSLC.pse"',
        '[Thr 1] *** ERROR => SSL handshake with a.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
        '[Thr 1] IcmConnClose: closing connection 42',
        '[Thr 1]   cli SSL session PSE "/usr/sap/X/D00/sec/SAPSSLA.pse"',
        '[Thr 1]   SSL NI-hdl 77: local=10.0.0.5:40001  peer=198.51.100.1:443',
      ].join('\n'),
    );
    const all = failures(out.events) as SslFailureEvent[];
    assert.equal(all.length, 1);
    assert.equal(all[0]!.pseFile, '/usr/sap/X/D00/sec/SAPSSLC.pse');
    assert.equal(all[0]!.niHandle, undefined);
  });
});

describe('sap-text reader: the same evidence in other encodings and line breaks', fixturesOrSkip(), () => {
  test('CRLF, CR, UTF-16 LE/BE with BOM and gzip-free UTF-8 BOM give the same events as the original', async () => {
    for (const id of ['trace-001', 'trace-005', 'trace-025']) {
      const text = readFileSync(fixturePath('real', 'traces', `${id}.txt`), 'utf8');
      const base = withoutLines((await fromText(text)).events);
      const variants: [string, Buffer][] = [
        ['crlf', Buffer.from(text.replace(/\n/g, '\r\n'))],
        ['cr', Buffer.from(text.replace(/\n/g, '\r'))],
        ['utf8-bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
        ['utf16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
        ['utf16be', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]).swap16()],
      ];
      for (const [name, buf] of variants) {
        const out = await fromText(buf);
        assert.deepEqual(withoutLines(out.events), base, `${id} as ${name}`);
      }
    }
  });
});
