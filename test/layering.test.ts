/** @module Imports go one way along the pipeline: lower layers never import the layers built on them. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** Layer → the top-level src folders its (non-test) modules must not import. */
const FORBIDDEN: Record<string, string[]> = {
  // The formats of the files the build compiles, read by kb and pki alike: beneath both.
  compiled: [
    'model',
    'readers',
    'evidence',
    'pki',
    'rules',
    'engine',
    'report',
    'kb',
    'probe',
    'store',
    'server',
    'cli',
  ],
  model: ['readers', 'evidence', 'pki', 'rules', 'engine', 'report', 'kb', 'probe', 'store', 'server', 'cli'],
  // pki sits below the readers (they parse with it), so it may not use them back: the cycle
  // pki/aia → readers/x509 → pki is what this line keeps out.
  pki: ['readers', 'evidence', 'rules', 'engine', 'report', 'kb', 'probe', 'store', 'server', 'cli'],
  rules: ['report', 'store', 'server', 'cli', 'probe'],
  engine: ['report', 'store', 'server', 'cli'],
  report: ['rules', 'engine', 'store', 'server', 'cli'],
};

/** A static `import … from '…'` / `export … from '…'` at the start of a line. */
const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm;

function modulesOf(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) modulesOf(path, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

/** The top-level src folder a relative import lands in, or undefined for packages and node: modules. */
function layerOf(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = relative(SRC, resolve(from, '..', spec));
  return target.startsWith('..') ? undefined : target.split(/[/\\]/)[0];
}

test('no lower layer imports a higher one (pki does not depend on readers or rules, …)', () => {
  const violations: string[] = [];
  for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
    for (const file of modulesOf(join(SRC, layer))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT)) {
        const target = layerOf(file, m[1] as string);
        if (target && forbidden.includes(target))
          violations.push(`${relative(SRC, file)} imports ${m[1]} (${layer} → ${target})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('the check sees a pki → readers import (it would fail on the old aia.ts)', () => {
  const old = "import { readCertificatesSync } from '../readers/x509/read-certificates.js';";
  const [m] = old.matchAll(IMPORT);
  assert.equal(layerOf(join(SRC, 'pki', 'aia.ts'), m?.[1] ?? ''), 'readers');
  assert.ok(FORBIDDEN.pki?.includes('readers'));
});
