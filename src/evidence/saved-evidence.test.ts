/** @module Issue 10: saved evidence is checked where it is loaded — a damaged file is an input error (exit 2 / 422), never a crash in a renderer. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../../test/helpers/fake-io.js';
import { REPO_ROOT } from '../../test/helpers/fixtures.js';
import { readEvidence } from '../analyze.js';
import { isToolError } from '../model/errors.js';
import { createApp } from '../server/app.js';
import { createDefaultServices } from '../server/default-services.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { parseSavedEvidence, serializeEvidence } from './saved-evidence.js';

const work = mkdtempSync(join(tmpdir(), 'pse-doctor-saved-'));
after(() => rmSync(work, { recursive: true, force: true }));
const NOW = new Date('2026-01-01T00:00:00Z');

/** Evidence saved from the sample trace, with its first input's `warnings` removed. */
async function damaged(): Promise<string> {
  const evidence = await readEvidence([join(REPO_ROOT, 'examples', 'dev_icm')], { now: NOW });
  const saved = JSON.parse(serializeEvidence(evidence, { savedAt: NOW })) as {
    evidence: { inputs: Record<string, unknown>[] };
  };
  delete saved.evidence.inputs[0]?.warnings;
  return JSON.stringify(saved);
}

test('a saved input without "warnings" is refused with what is wrong, not "input.warnings is not iterable"', async () => {
  const text = await damaged();
  assert.throws(
    () => parseSavedEvidence(text, 'case.json'),
    (e: unknown) => isToolError(e) && /case\.json/.test(e.message) && /lacks "warnings"/.test(e.message),
  );
  writeFileSync(join(work, 'case.json'), text);
  for (const format of ['text', 'json', 'html']) {
    const r = await runCli(['analyze', 'case.json', '--format', format], { cwd: work });
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /^pse-doctor: .*case\.json.*lacks "warnings"/);
    assert.doesNotMatch(r.stderr, /internal error|not iterable/);
    assert.equal(r.stdout, '');
  }
});

test('the same file uploaded to the web app is 422 with the reason', async () => {
  const app = createApp({
    store: openSqliteStore(':memory:'),
    services: createDefaultServices(),
    maxUploadBytes: 1024 * 1024,
    web: { index: { body: Buffer.from(''), type: 'text/html', immutable: false }, files: new Map() },
    log: () => {},
  });
  const res = await app.request('/api/analyze?name=case.json', {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: await damaged(),
  });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /lacks \\"warnings\\"/);
});
