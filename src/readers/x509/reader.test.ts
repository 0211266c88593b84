/**
 * @module The certificate readers inside the registry: sniff scores win for their formats and lose for
 * traces; `readInputs` turns container files into CertificateFileEvents (leaf first) or TrustListEvents.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type PkiFixtureFiles, TEST_P12_PASSWORD, writePkiFixtures } from '../../../test/pki/index.js';
import type { CertificateFileEvent, TrustListEvent } from '../../model/evidence.js';
import { detectReader, READERS, readInputs } from '../index.js';
import { bytesSource } from '../source.js';
import type { SecretProvider } from '../types.js';
import { derReader, pemReader, pkcs7Reader, pkcs12Reader, strustExportReader } from './reader.js';

let dir: string;
let pki: PkiFixtureFiles;
const bytes = (name: string) => readFileSync(pki.files[name]!);

const secrets = (password: string | undefined): SecretProvider => ({
  get: async (kind) => (kind === 'password' ? password : undefined),
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-readers-'));
  pki = await writePkiFixtures(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the registry picks the certificate reader for each container', () => {
  const want: [string, string][] = [
    ['chain.pem', 'pem'],
    ['leaf.der', 'der'],
    ['chain.p7b', 'pkcs7'],
    ['chain.p7c', 'pkcs7'],
    ['store-aes.p12', 'pkcs12'],
    ['store-3des.p12', 'pkcs12'],
  ];
  for (const [name, id] of want) assert.equal(detectReader(bytes(name), name)?.id, id, name);
  const bare = Buffer.from(pki.chain.leaf.der.toString('base64'));
  assert.equal(detectReader(bare, 'export.txt')?.id, 'strust-export');
});

test('a trace that dumps a certificate as PEM is left to the trace reader', () => {
  const trace = Buffer.from(
    `trc file: "dev_icm", trc level: 3, release: "793"\n[Thr 140245] *** ERROR => SSL handshake with api.example.test:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n${pki.chain.leaf.pem
      .split('\n')
      .map((l) => `[Thr 140245] ${l}`)
      .join('\n')}`,
  );
  assert.ok(pemReader.sniff(trace, 'dev_icm') <= 0.2);
  assert.notEqual(detectReader(trace, 'dev_icm')?.id, 'pem');
  for (const reader of [derReader, pkcs7Reader, pkcs12Reader, strustExportReader])
    assert.equal(reader.sniff(trace, 'dev_icm'), 0);
});

test('an error report with the server certificate pasted beside it is read as text, not as a PEM file', () => {
  const paste = Buffer.from(
    `requests.exceptions.SSLError: HTTPSConnectionPool(host='s4h.example.test', port=443): Max retries exceeded (Caused by SSLError(SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch")))\n\nThe server certificate:\n${pki.chain.leaf.pem}`,
  );
  assert.equal(pemReader.sniff(paste, 'paste.txt'), 0);
  assert.notEqual(detectReader(paste, 'paste.txt')?.id, 'pem');
  // A plain PEM file, also with openssl's text dump or bag attributes before it, stays a PEM file.
  const plain = Buffer.from(
    `Bag Attributes\n    friendlyName: s4h\nsubject=CN = s4h.example.test\n${pki.chain.leaf.pem}`,
  );
  assert.equal(detectReader(plain, 'leaf.pem')?.id, 'pem');
});

test("binary sniffers do not claim each other's formats", () => {
  assert.equal(derReader.sniff(bytes('store-aes.p12'), 'x'), 0);
  assert.equal(derReader.sniff(bytes('chain.p7c'), 'x'), 0);
  assert.equal(pkcs12Reader.sniff(bytes('leaf.der'), 'x'), 0);
  assert.equal(pkcs7Reader.sniff(bytes('leaf.der'), 'x'), 0);
  // A name alone is a weak hint for unreadable content.
  assert.ok(pkcs12Reader.sniff(Buffer.from([0x30, 0x00]), 'store.pfx') < 0.5);
});

test('read: a chain file becomes one CertificateFileEvent, leaf first, with lines and summary', async () => {
  const shuffled = `${pki.chain.root.pem}junk between\n${pki.chain.leaf.pem}${pki.chain.intermediate.pem}`;
  const out = await pemReader.read(bytesSource('chain.pem', Buffer.from(shuffled)), { input: 4 });
  assert.equal(out.summary.format, 'pem');
  assert.equal(out.summary.unrecognizedLines, 1);
  const [event] = out.events as CertificateFileEvent[];
  assert.equal(event?.kind, 'certificates');
  assert.equal(event?.container, 'pem');
  assert.equal(event?.source.input, 4);
  assert.deepEqual(
    event?.certificates.map((c) => c.sha256),
    [pki.chain.leaf.sha256, pki.chain.intermediate.sha256, pki.chain.root.sha256],
  );
});

test('read: a PKCS#12 asks the SecretProvider for the password; none or a wrong one is a ToolError', async () => {
  const out = await pkcs12Reader.read(bytesSource('store.p12', bytes('store-aes.p12')), {
    input: 0,
    secrets: secrets(TEST_P12_PASSWORD),
  });
  assert.equal((out.events[0] as CertificateFileEvent).certificates.length, 3);
  assert.ok(out.summary.warnings.some((w) => /AES-256-CBC/.test(w)));
  await assert.rejects(pkcs12Reader.read(bytesSource('store.p12', bytes('store-aes.p12')), { input: 0 }), {
    code: 'password-required',
  });
  await assert.rejects(
    pkcs12Reader.read(bytesSource('store.p12', bytes('store-aes.p12')), { input: 0, secrets: secrets('x') }),
    {
      code: 'wrong-password',
    },
  );
});

test('readInputs: a PEM named after a PSE is a trust list of that STRUST node', async () => {
  const path = join(dir, 'SAPSSLA.pem');
  writeFileSync(path, pki.chain.root.pem + pki.chain.intermediate.pem);
  const evidence = await readInputs([path, pki.files['leaf.der']!], { readers: READERS });
  assert.deepEqual(
    evidence.inputs.map((i) => i.format),
    ['pem', 'der'],
  );
  const list = evidence.events.find((e): e is TrustListEvent => e.kind === 'trust-list');
  assert.equal(list?.list.node, 'SSL client Anonymous');
  assert.equal(list?.list.storeKind, 'sap-pse');
  assert.equal(list?.list.certificates.length, 2);
  const file = evidence.events.find((e): e is CertificateFileEvent => e.kind === 'certificates');
  assert.equal(file?.source.input, 1);
  assert.equal(file?.certificates[0]?.sha256, pki.chain.leaf.sha256);
});
