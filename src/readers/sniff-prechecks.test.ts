/** @module The sniffers' byte-level pre-checks answer exactly as decoding the head and testing the text did, on every fixture and on edge heads (BOMs, UTF-16, Unicode blanks, long blank runs). */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, SHARED_FIXTURES } from '../../test/helpers/fixtures.js';
import { jsonKind } from './detect.js';
import { hasPemMarker } from './x509/pem.js';
import { decodeText, detectContainer, sniffPem, sniffPkcs7, sniffStrustExport } from './x509/sniff.js';

/** What the checks answered before the pre-checks: decode 64 KiB, then test the text. */
const reference = {
  pemMarker: (head: Buffer) => hasPemMarker(decodeText(head.subarray(0, 64 * 1024))),
  strustExport: (head: Buffer) => detectContainer(head) === 'strust-export',
  json: (head: Buffer) => {
    let text = head.toString('utf8', 0, Math.min(head.length, 64 * 1024 + 2));
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return /^\s{0,1000}(?:\{\s{0,1000}["}]|\[\s{0,1000}[{"\]])/.test(text);
  },
};

function files(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else out.push(p);
  }
  return out;
}

const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const BASE64 = 'MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UE';

const EDGES: Array<[string, Buffer]> = [
  ['PEM', Buffer.from(`-----BEGIN CERTIFICATE-----\n${BASE64}\n-----END CERTIFICATE-----\n`)],
  ['PEM after 70 KiB of text', Buffer.from(`${'x'.repeat(70 * 1024)}\n-----BEGIN CERTIFICATE-----\n`)],
  [
    'PEM marker across the 64 KiB edge',
    Buffer.from(`${'x'.repeat(64 * 1024 - 5)}-----BEGIN CERTIFICATE-----`),
  ],
  ['UTF-16 PEM', utf16le(`-----BEGIN CERTIFICATE-----\n${BASE64}\n-----END CERTIFICATE-----\n`)],
  ['UTF-8 BOM PEM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('-----BEGIN PKCS7-----\n')])],
  ['PKCS7 PEM', Buffer.from('-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n')],
  ['STRUST export', Buffer.from(`${BASE64}${BASE64}\n`)],
  ['STRUST export after blanks', Buffer.from(`\r\n\t  ${BASE64}${BASE64}`)],
  [
    'STRUST export after a BOM',
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${BASE64}${BASE64}`)]),
  ],
  [
    'STRUST export after NBSP (latin1)',
    Buffer.concat([Buffer.from([0xa0]), Buffer.from(`${BASE64}${BASE64}`)]),
  ],
  ['UTF-16 STRUST export', utf16le(`${BASE64}${BASE64}`)],
  [
    'a trace line',
    Buffer.from('[Thr 140] *** ERROR => SSL handshake failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n'),
  ],
  ['blanks only', Buffer.from(' \n\t\r\n ')],
  ['empty', Buffer.alloc(0)],
  ['JSON object', Buffer.from('{"message":"self signed certificate","code":"SELF_SIGNED_CERT_IN_CHAIN"}\n')],
  [
    'JSON after blanks and a BOM',
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n  [{"a":1}]')]),
  ],
  ['JSON after NBSP (UTF-8)', Buffer.from('\u00a0{"error":"x"}')],
  ['JSON after 1000 blanks', Buffer.from(`${' '.repeat(1000)}{"a":1}`)],
  ['JSON after 1001 blanks', Buffer.from(`${' '.repeat(1001)}{"a":1}`)],
  ['a sectrace line', Buffer.from('[2020.10.19 23:10:15.469000][4][disp+work.EXE ][GSS ][ 4460] x\n')],
  ['vertical tab then brace', Buffer.from('\u000b{"a":1}')],
  ['a control character then brace', Buffer.from('\u0001{"a":1}')],
  ['binary', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x30, 0x82])],
];

test('the pre-checked sniffers answer as decoding the whole head did, on every fixture and edge', () => {
  const inputs: Array<[string, Buffer]> = [...EDGES];
  for (const f of [
    ...(SHARED_FIXTURES ? files(SHARED_FIXTURES) : []),
    ...files(join(REPO_ROOT, 'examples')),
  ]) {
    inputs.push([f, readFileSync(f).subarray(0, 256 * 1024)]);
  }
  assert.ok(inputs.length > EDGES.length, 'the fixtures were read');
  for (const [what, head] of inputs) {
    const pem = reference.pemMarker(head);
    // Without a marker both answered 0 (a DER PKCS#7 is told by its bytes, as before); with one, both
    // take the same path.
    if (!pem && head[0] !== 0x30) {
      assert.equal(sniffPem(head, 'x'), 0, `${what}: PEM`);
      assert.equal(sniffPkcs7(head, 'x'), 0, `${what}: PKCS7`);
    }
    assert.equal(
      sniffStrustExport(head, 'x') > 0,
      head[0] !== 0x30 && reference.strustExport(head),
      `${what}: STRUST`,
    );
    assert.equal(jsonKind(head) !== undefined, reference.json(head), `${what}: JSON`);
  }
  // And the edges that should be found are found.
  const at = (name: string) => EDGES.find(([n]) => n === name)![1];
  assert.ok(sniffPem(at('UTF-16 PEM'), 'x') > 0);
  assert.ok(sniffPem(at('PEM marker across the 64 KiB edge'), 'x') === 0);
  assert.ok(sniffStrustExport(at('STRUST export after a BOM'), 'x') > 0);
  assert.ok(sniffStrustExport(at('UTF-16 STRUST export'), 'x') > 0);
  assert.ok(jsonKind(at('JSON after NBSP (UTF-8)')) !== undefined);
  assert.equal(jsonKind(at('JSON after 1001 blanks')), undefined);
});
