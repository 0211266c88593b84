/** @module The build (tsconfig.build.json) compiles no test code: nothing it emits into dist imports node:test or test/. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

test('no module compiled into dist imports node:test or the test helpers', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const configPath = fileURLToPath(new URL('../tsconfig.build.json', import.meta.url));
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  assert.ok(parsed && parsed.fileNames.length > 50, 'the build config lists the sources');
  const offenders = parsed.fileNames
    .filter((f) => /from\s+'(?:node:test|(?:\.\.\/)+test\/[^']*)'/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
  // The store contract suite is still there for the store tests that import it.
  assert.ok(parsed.fileNames.every((f) => !f.endsWith('src/store/contract.ts')));
});
