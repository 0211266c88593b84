/** @module PEM scanning: many blocks with text around them, CRLF, indentation, trace prefixes, broken blocks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanPem, toPem } from './pem.js';

const DER_A = Buffer.from('30030201' + '01', 'hex');
const DER_B = Buffer.from(Array.from({ length: 200 }, (_v, i) => i & 0xff));

test('finds several blocks among prose, keeping their line numbers', () => {
  const text = `Here is the chain you asked for.\nsubject=CN=a\n${toPem(DER_A)}\nissuer stuff\n${toPem(DER_B)}trailing words\n`;
  const { blocks, problems } = scanPem(text);
  assert.deepEqual(problems, []);
  assert.equal(blocks.length, 2);
  assert.deepEqual(blocks[0]!.der, DER_A);
  assert.deepEqual(blocks[1]!.der, DER_B);
  assert.equal(blocks[0]!.line, 3);
  assert.equal(blocks[1]!.line, 8);
  assert.equal(blocks[1]!.label, 'CERTIFICATE');
});

test('CRLF, leading spaces and a trace prefix on every line are tolerated', () => {
  const crlf = toPem(DER_B).replace(/\n/g, '\r\n');
  assert.deepEqual(scanPem(crlf).blocks[0]!.der, DER_B);
  const indented = toPem(DER_B)
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  assert.deepEqual(scanPem(indented).blocks[0]!.der, DER_B);
  const traced = toPem(DER_B)
    .split('\n')
    .map((l) => `[Thr 140245] ${l}`)
    .join('\n');
  assert.deepEqual(scanPem(traced).blocks[0]!.der, DER_B);
});

test('a whole block on one line is read', () => {
  const b64 = DER_B.toString('base64');
  const { blocks } = scanPem(`pasted: -----BEGIN CERTIFICATE----- ${b64} -----END CERTIFICATE----- done`);
  assert.deepEqual(blocks[0]!.der, DER_B);
});

test('invalid base64 is a problem with the block line, not a silent skip', () => {
  const bad = toPem(DER_B).replace(/\n(.)/, '\n!$1');
  const { blocks, problems } = scanPem(`intro\n${bad}`);
  assert.equal(blocks.length, 0);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.line, 2);
  assert.match(problems[0]!.reason, /invalid base64 \("!"\)/);
});

test('padding inside the body, a missing END and a mismatched END are problems', () => {
  const b64 = DER_B.toString('base64');
  const glued = `-----BEGIN CERTIFICATE-----\nAA==\n${b64}\n-----END CERTIFICATE-----\n`;
  assert.match(scanPem(glued).problems[0]!.reason, /"=" before the end/);
  const cut = toPem(DER_B).split('\n').slice(0, 3).join('\n');
  assert.match(scanPem(cut).problems[0]!.reason, /END line is missing/);
  const mixed = toPem(DER_B).replace('END CERTIFICATE', 'END PKCS7');
  assert.match(scanPem(mixed).problems[0]!.reason, /ends with "-----END PKCS7-----"/);
});

test('a BEGIN inside an unfinished block closes it as a problem and starts the next one', () => {
  const first = toPem(DER_A).split('\n').slice(0, 2).join('\n');
  const { blocks, problems } = scanPem(`${first}\n${toPem(DER_B)}`);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.reason, /no END line before the next BEGIN/);
  assert.equal(blocks.length, 1);
  assert.deepEqual(blocks[0]!.der, DER_B);
});

test('encapsulated headers of old encrypted keys are skipped, labels are kept', () => {
  const key =
    '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n';
  const { blocks } = scanPem(key);
  assert.equal(blocks[0]!.label, 'RSA PRIVATE KEY');
});
