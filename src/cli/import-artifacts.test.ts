/** @module analyze --out artefacts: evidence values never become shell commands, file names stay in their folder. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeIo } from '../../test/helpers/fake-io.js';
import type { Finding, Report } from '../model/report.js';
import { importOutFiles, shQuote } from './import-artifacts.js';
import { safeFileName, writeOutFiles } from './write-out.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function hostileReport(): Report {
  const finding: Finding = {
    rule: 'untrusted-peer-chain',
    cause: 'untrusted-root',
    confidence: 'certain',
    severity: 'error',
    title: 'Import the root CA "Partner CA\ntouch PWNED_TITLE" $(touch PWNED_SUB)',
    summary: 's',
    steps: [],
    evidence: [],
    kb: [],
    import: {
      subject: 'CN=Partner CA\ntouch PWNED_SUBJECT\r\n`touch PWNED_TICK`',
      kind: 'root',
      source: 'input',
      into: [{ node: 'SSL client Standard', file: 'SAPSSLC.pse' }],
      commands: [
        'sapgenpse maintain_pk -p SAPSSLC.pse -a x.crt',
        "sapgenpse maintain_pk -p 'odd$(touch PWNED_ARG) '\\''name.pse' -a x.crt",
        "sapgenpse maintain_pk -p 'SAPSSLA.pse\ntouch PWNED_NEWLINE' -a x.crt",
      ],
      pem: PEM,
      fileName: '../../evil;touch PWNED_NAME.crt',
      sha256: 'ab'.repeat(32),
    },
  };
  return { tool: 'pse-doctor', schemaVersion: 1, inputs: [], events: [], findings: [finding] };
}

test('safeFileName keeps names inside the folder and in a shell-safe alphabet', () => {
  for (const bad of ['../../etc/passwd', '.hidden', '-rf', 'a b;c$(d)`e`.crt', 'x\ny.crt', '..', '']) {
    const name = safeFileName(bad);
    assert.match(name, /^[A-Za-z0-9][A-Za-z0-9._-]*$/, bad);
    assert.equal(name.includes('..'), false, bad);
  }
  assert.equal(safeFileName('DigiCert_Global_Root_G2.crt'), 'DigiCert_Global_Root_G2.crt');
});

test('shQuote makes one literal word', () => {
  const word = "it's $(x) `y`\nz";
  assert.equal(execFileSync('sh', ['-c', `printf %s ${shQuote(word)}`], { encoding: 'utf8' }), word);
});

test('import.sh from a hostile certificate runs no injected command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-import-'));
  try {
    const io = fakeIo({ cwd: dir });
    const { out } = importOutFiles(hostileReport());
    writeOutFiles('fix', io, out);
    const fix = join(dir, 'fix');
    const names = readdirSync(fix).sort();
    assert.deepEqual(names.length, 3, names.join(','));
    for (const n of names) assert.match(n, /^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    const script = readFileSync(join(fix, 'import.sh'), 'utf8');
    // Every line is a comment, blank, or one of the lines the generator itself writes.
    for (const line of script.split('\n'))
      assert.match(
        line,
        /^(#.*|$|set -e|HERE=.*|sapgenpse maintain_pk -p .* -a "\$HERE\/[A-Za-z0-9._-]+"|echo "Done.*)$/,
        line,
      );
    assert.doesNotMatch(readFileSync(join(fix, 'README.txt'), 'utf8'), /\ntouch/);

    // Run it with a fake sapgenpse that records its arguments.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'sapgenpse'),
      `#!/bin/sh\nfor a in "$@"; do printf '%s|' "$a"; done >> "${join(dir, 'calls')}"\necho >> "${join(dir, 'calls')}"\n`,
    );
    chmodSync(join(bin, 'sapgenpse'), 0o755);
    const work = join(dir, 'sec');
    mkdirSync(work);
    execFileSync('sh', [join(fix, 'import.sh')], {
      cwd: work,
      env: { PATH: `${bin}:/usr/bin:/bin` },
      stdio: 'pipe',
    });
    const everywhere = [...readdirSync(dir), ...readdirSync(work), ...readdirSync(fix)];
    assert.deepEqual(
      everywhere.filter((n) => n.startsWith('PWNED')),
      [],
      'no injected command ran',
    );
    const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
    assert.equal(calls.length, 2, calls.join('\n'));
    assert.match(calls[0] ?? '', /^maintain_pk\|-p\|SAPSSLC\.pse\|-a\|.*\/fix\/[A-Za-z0-9._-]+\|$/);
    assert.match(calls[1] ?? '', /^maintain_pk\|-p\|odd\$\(touch PWNED_ARG\) 'name\.pse\|-a\|/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
