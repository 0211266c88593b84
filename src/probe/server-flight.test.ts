/** @module The server-flight parser on hand-built TLS records: fragments, alerts, non-TLS answers, hostile bytes. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { generateChain, type TestChain } from '../../test/pki/index.js';
import { readServerFlight } from './server-flight.js';

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
const vec8 = (b: Buffer) => Buffer.concat([Buffer.from([b.length]), b]);
const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b]);
const vec24 = (b: Buffer) => Buffer.concat([u24(b.length), b]);
const record = (type: number, body: Buffer) =>
  Buffer.concat([Buffer.from([type, 3, 3]), u16(body.length), body]);
const hs = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type]), u24(body.length), body]);

function serverHello(version: number, suite: number, random = randomBytes(32)): Buffer {
  const exts = version === 0x0304 ? vec16(Buffer.concat([u16(43), vec16(u16(0x0304))])) : Buffer.alloc(0);
  return hs(
    2,
    Buffer.concat([u16(0x0303), random, vec8(Buffer.alloc(0)), u16(suite), Buffer.from([0]), exts]),
  );
}

let chain: TestChain;
let flight12: Buffer;
let caDn: Buffer;
before(async () => {
  chain = await generateChain();
  caDn = Buffer.from(chain.root.x509.subjectName.toArrayBuffer());
  const certificate = hs(11, vec24(Buffer.concat([vec24(chain.leaf.der), vec24(chain.intermediate.der)])));
  const request = hs(
    13,
    Buffer.concat([vec8(Buffer.from([1, 64])), vec16(Buffer.from([4, 1, 8, 4])), vec16(vec16(caDn))]),
  );
  const handshake = Buffer.concat([
    serverHello(0x0303, 0xc02f),
    certificate,
    request,
    hs(14, Buffer.alloc(0)),
  ]);
  // Fragment on purpose: the Certificate message spans records, two messages share one.
  const cut1 = 60;
  const cut2 = handshake.length - 20;
  flight12 = Buffer.concat([
    record(22, handshake.subarray(0, cut1)),
    record(22, handshake.subarray(cut1, cut2)),
    record(22, handshake.subarray(cut2)),
  ]);
});

test('a fragmented TLS 1.2 flight gives the certificates in the order sent and the CA names', () => {
  const f = readServerFlight(flight12);
  assert.equal(f.version, 0x0303);
  assert.equal(f.cipherSuite, 0xc02f);
  assert.deepEqual(f.certificates, [chain.leaf.der, chain.intermediate.der]);
  assert.deepEqual(f.certificateRequest?.caNames, [caDn]);
  assert.equal(f.flightComplete, true);
  assert.equal(f.incomplete, undefined);
  assert.equal(f.nonTls, undefined);
});

test('a clear alert is recorded; records after ChangeCipherSpec are not read', () => {
  const alert = readServerFlight(record(21, Buffer.from([2, 70])));
  assert.deepEqual(alert.alert, { level: 2, code: 70, afterHandshake: false });
  const afterCcs = readServerFlight(
    Buffer.concat([
      record(22, serverHello(0x0303, 0xc02f)),
      record(20, Buffer.from([1])),
      record(21, Buffer.from([2, 20])),
    ]),
  );
  assert.equal(afterCcs.alert, undefined);
});

test('answers that are not TLS are classified with their first line', () => {
  const http = readServerFlight(Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
  assert.deepEqual(http.nonTls, { kind: 'http', firstLine: 'HTTP/1.1 400 Bad Request', status: 400 });
  assert.equal(readServerFlight(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n')).nonTls?.kind, 'ssh');
  assert.equal(readServerFlight(Buffer.from('220 mail.example.test ESMTP\r\n')).nonTls?.kind, 'smtp-ftp');
  const binary = readServerFlight(Buffer.from([0x00, 0xff, 0x10, 0x41]));
  assert.equal(binary.nonTls?.kind, 'other');
  assert.equal(binary.nonTls?.firstLine, '...A');
});

test('TLS 1.3 without the session keys: version known, encrypted part reported unread', () => {
  const bytes = Buffer.concat([
    record(22, serverHello(0x0304, 0x1301)),
    record(20, Buffer.from([1])),
    record(23, randomBytes(80)),
  ]);
  const f = readServerFlight(bytes);
  assert.equal(f.version, 0x0304);
  assert.equal(f.encrypted, 'no-keys');
  assert.equal(f.certificates, undefined);
  const hrr = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
  assert.equal(readServerFlight(record(22, serverHello(0x0304, 0x1301, hrr))).helloRetry, true);
});

test('hostile bytes never throw: truncations, bit flips, huge lengths, random data', () => {
  for (let cut = 0; cut < flight12.length; cut += 7) {
    const f = readServerFlight(flight12.subarray(0, cut));
    assert.ok(cut === 0 || f.incomplete || f.certificates || f.version !== undefined);
  }
  for (let i = 0; i < 600; i++) {
    const mutated = Buffer.from(flight12);
    for (let k = 0; k < 4; k++) {
      const at = Math.floor(Math.random() * mutated.length);
      mutated[at] = (mutated[at] ?? 0) ^ (1 << Math.floor(Math.random() * 8));
    }
    readServerFlight(mutated);
    readServerFlight(randomBytes(1 + Math.floor(Math.random() * 300)));
  }
  // A certificate list claiming 16 MiB inside a small record: ends quietly.
  const huge = record(
    22,
    Buffer.concat([serverHello(0x0303, 0xc02f), hs(11, Buffer.from([0xff, 0xff, 0xff]))]),
  );
  const f = readServerFlight(huge);
  assert.equal(f.certificates, undefined);
  assert.equal(f.malformed, true);
});
