#!/usr/bin/env node
/** @module Builds the package: TypeScript to dist/, then every step in scripts/build-steps/ in name order (vendored X.509 stack, kb, root store, web UI, CLI bundle). */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tscBin = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync(tscBin)) {
  // Installed as a dependency without dev tools: dist/ ships prebuilt.
  process.exit(0);
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, [tscBin, '-p', 'tsconfig.build.json']);
const stepsDir = join(root, 'scripts', 'build-steps');
if (existsSync(stepsDir)) {
  for (const step of readdirSync(stepsDir)
    .filter((f) => f.endsWith('.mjs'))
    .sort()) {
    run(process.execPath, [join(stepsDir, step)]);
  }
}
