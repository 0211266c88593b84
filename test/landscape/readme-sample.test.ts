/** @module The README's sample of the landscape terminal summary is what the command prints today. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/fake-io.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { LANDSCAPE_NOW, writeGeneratedLandscape } from './generated-landscape.js';

test('README: the sample terminal summary matches the output of the command it names', async () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('A run on a generated landscape');
  assert.ok(at > 0, 'README has the landscape sample');
  const block = /```\n([\s\S]*?)```/.exec(readme.slice(at))?.[1] ?? '';
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-readme-sample-'));
  try {
    await writeGeneratedLandscape(dir);
    const r = await runCli(
      [
        'landscape',
        'collected',
        '--now',
        LANDSCAPE_NOW,
        '--db',
        'runs.db',
        '--baseline',
        'baseline.pem',
        '--out',
        'fix',
      ],
      { cwd: dir },
    );
    const runId = /[0-9a-f]{8}-[0-9a-f-]{27}/g;
    assert.equal(r.stdout.replace(runId, '<run>'), block.replace(runId, '<run>'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
