/** @module --out of verify/probe: PEM files written once, never overwritten when different. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeIo } from '../../test/helpers/fake-io.js';
import { isToolError } from '../model/errors.js';
import type { Report } from '../model/report.js';
import { writeReportArtifacts } from './write-out.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function reportWithImport(): Report {
  const finding = {
    rule: 'x',
    cause: 'untrusted-root' as const,
    confidence: 'certain' as const,
    severity: 'error' as const,
    title: 't',
    summary: 's',
    steps: [],
    evidence: [],
    kb: [],
    import: {
      subject: 'CN=Root',
      kind: 'root' as const,
      source: 'input' as const,
      into: [],
      commands: [],
      pem: PEM,
      fileName: 'Root.crt',
    },
  };
  return {
    tool: 'pse-doctor',
    schemaVersion: 1,
    inputs: [],
    events: [],
    findings: [finding, { ...finding }],
  };
}

test('writes each PEM once plus the report, and refuses to overwrite a different file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-out-'));
  try {
    const io = fakeIo({ cwd: dir });
    const written = writeReportArtifacts('fix', io, reportWithImport(), 'verify-report.json');
    assert.deepEqual(written, [join(dir, 'fix', 'Root.crt'), join(dir, 'fix', 'verify-report.json')]);
    assert.equal(readFileSync(join(dir, 'fix', 'Root.crt'), 'utf8'), PEM);
    // Same content again: fine.
    writeReportArtifacts('fix', io, reportWithImport(), 'verify-report.json');
    writeFileSync(join(dir, 'fix', 'Root.crt'), 'my own file\n');
    assert.throws(
      () => writeReportArtifacts('fix', io, reportWithImport(), 'verify-report.json'),
      (e: unknown) => isToolError(e) && /does not overwrite/.test(e.message),
    );
    assert.equal(readFileSync(join(dir, 'fix', 'Root.crt'), 'utf8'), 'my own file\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
