/** @module The public library API (src/index.ts): analyze a string, render it, and the promised exports exist. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as api from '../src/index.js';

test('analyze a trace given as text, then render it as JSON, terminal text and HTML', async () => {
  const text =
    '[Thr 1] *** ERROR => SSL handshake with api.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n';
  const report = await api.analyze([{ name: 'dev_icm', bytes: new TextEncoder().encode(text) }], {
    now: new Date('2026-01-15T12:00:00Z'),
  });
  assert.equal(report.tool, 'pse-doctor');
  assert.equal(report.findings[0]?.cause, 'untrusted-root');
  assert.equal(JSON.parse(api.renderJson(report)).findings.length, report.findings.length);
  assert.match(api.renderTerminal(report), /SSSLERR_PEER_CERT_UNTRUSTED|untrusted/i);
  assert.match(api.renderHtml(report), /<html/i);
  // diagnose re-runs the rules on the same evidence.
  const again = api.diagnose(
    await api.readEvidence([{ name: 'dev_icm', bytes: new TextEncoder().encode(text) }]),
    {
      now: new Date('2026-01-15T12:00:00Z'),
    },
  );
  assert.deepEqual(
    again.findings.map((f) => f.rule),
    report.findings.map((f) => f.rule),
  );
});

test('the promised functions are exported and work on small inputs', () => {
  const exported: Record<string, unknown> = { ...api };
  for (const name of [
    'analyze',
    'diagnose',
    'readEvidence',
    'renderTerminal',
    'renderTextView',
    'renderJson',
    'renderHtml',
    'getEntry',
    'lookup',
    'listEntries',
    'openPse',
    'readCertificates',
    'parseSapgenpseListing',
    'verifyChain',
    'buildImportPlan',
    'probeEndpoint',
    'buildProbeReport',
    'describePse',
    'sameDn',
    'parseDn',
  ]) {
    assert.equal(typeof exported[name], 'function', name);
  }
  assert.equal(api.getEntry('SSSLERR_PEER_CERT_UNTRUSTED')?.id, 'SSSLERR_PEER_CERT_UNTRUSTED');
  assert.equal(api.describePse('/usr/sap/ABC/D00/sec/SAPSSLC.pse').node, 'SSL client Standard');
  assert.equal(api.sameDn('CN=a, O=b', 'O = b, CN = a'), true);
  assert.equal(api.parseDn('CN=a, SP=Bavaria').flavor, 'sap');
});

test('no module of the tool imports src/index.ts (the CLI, e.g. a cold `explain`, never loads the whole API)', () => {
  const src = fileURLToPath(new URL('../src', import.meta.url));
  const index = join(src, 'index.ts');
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && path !== index) {
        for (const m of readFileSync(path, 'utf8').matchAll(/from\s+'(\.[^']+)'/g)) {
          const target = resolve(dirname(path), (m[1] as string).replace(/\.js$/, '.ts'));
          if (target === index) offenders.push(path);
        }
      }
    }
  };
  walk(src);
  assert.deepEqual(offenders, []);
});
