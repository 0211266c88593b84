/** @module The library facade: analyze() on uploads and files, diagnose() on saved evidence, saved evidence merged with new input. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../test/helpers/fixtures.js';
import { assertValidReport } from '../test/helpers/report-schema.js';
import { analyze, diagnose, readEvidence } from './analyze.js';
import { serializeEvidence } from './evidence/saved-evidence.js';
import { isToolError } from './model/errors.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const SAMPLE = join(REPO_ROOT, 'examples', 'dev_icm');

test('analyze() takes uploaded bytes like a file and returns a schema-valid report', async () => {
  const report = await analyze([{ name: 'dev_icm', bytes: readFileSync(SAMPLE) }], { now: NOW });
  assertValidReport(report);
  assert.equal(report.tool, 'pse-doctor');
  assert.equal(report.generatedAt, NOW.toISOString());
  assert.equal(report.findings[0]?.cause, 'untrusted-root');
});

test('a trace read from its file in chunks gives the report its bytes give uploaded whole', async () => {
  // Copies of the sample trace (each with its failure) past 1 MiB: the file is read in chunks of
  // 128 KiB through reused buffers (source.ts), the upload in one piece, so lines and failure blocks
  // cross the file's chunk boundaries at every phase and look back into the chunk before.
  const sample = readFileSync(SAMPLE);
  const trace = Buffer.concat(
    Array.from({ length: Math.ceil((1.2 * 2 ** 20) / sample.length) }, () => sample),
  );
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-chunks-'));
  try {
    const path = join(dir, 'dev_icm');
    writeFileSync(path, trace);
    const fromFile = await analyze([path], { now: NOW });
    const uploaded = await analyze([{ name: path, bytes: trace }], { now: NOW });
    assert.ok(fromFile.findings.length > 0);
    assert.equal(fromFile.inputs[0]?.lines, trace.toString('latin1').split('\n').length - 1);
    assert.deepEqual(fromFile, uploaded);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('saved evidence (as a file or as uploaded bytes) diagnoses to the same findings, and merges with new inputs', async () => {
  const evidence = await readEvidence([SAMPLE], { now: NOW });
  const direct = diagnose(evidence, { now: NOW });
  const saved = serializeEvidence(evidence, { savedAt: NOW });
  const fromBytes = await analyze([{ name: 'case.json', bytes: Buffer.from(saved) }], { now: NOW });
  assert.deepEqual(fromBytes.findings, direct.findings);
  const merged = await analyze(
    [
      { name: 'case.json', bytes: Buffer.from(saved) },
      {
        name: 'msg.txt',
        bytes: Buffer.from('SSL handshake with github.com:443 failed: SSSLERR_SSL_READ (-58)\n'),
      },
    ],
    { now: NOW },
  );
  assert.equal(merged.inputs.length, 2);
  assert.ok(merged.findings.some((f) => f.cause === 'tls-version' && f.evidence.every((l) => l.input === 1)));
  assertValidReport(merged);
});

test('a broken saved-evidence file is a clear input error', async () => {
  const bad = Buffer.from('{"format":"pse-doctor-evidence","version":1,"evidence":{"inputs":[]}}');
  await assert.rejects(
    analyze([{ name: 'broken.json', bytes: bad }]),
    (err) => isToolError(err) && /broken\.json/.test(err.message),
  );
});

test('an error report with the first line of a key pasted under it is read as text, not as a broken key file', async () => {
  const paste = [
    'From cron it fails every night with:',
    'Traceback (most recent call last):',
    '  File "/opt/payupload/upload.py", line 41, in <module>',
    "requests.exceptions.SSLError: HTTPSConnectionPool(host='upload.bank.example', port=443): Max retries exceeded with url: /files (Caused by SSLError(SSLError(9, '[SSL] PEM lib (_ssl.c:3862)')))",
    '',
    'head -1 client.key',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----',
  ].join('\n');
  const report = await analyze([{ name: '-', bytes: Buffer.from(paste) }], { now: NOW });
  assert.equal(report.inputs[0]?.format, 'text');
  assert.equal(report.findings[0]?.kb[0], 'PYTHON_PEM_LIB');
  assert.equal(report.findings[0]?.cause, 'pse-credential');
  // An outside client keeps no PSE: the finding speaks of its certificate and key files.
  assert.match(report.findings[0]?.title ?? '', /certificate, key or key store/);
  assert.ok(!report.findings[0]?.steps.some((s) => /SECUDIR|cred_v2/.test(s)));
});
