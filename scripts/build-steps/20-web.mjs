#!/usr/bin/env node
/** @module Build step: bundles the preact web UI (src/server/web) with vite into dist/web — no CDN, works offline. */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Tests build into a private folder first and swap it in (several test files may build at once).
const outDir = process.env.PSE_DOCTOR_WEB_OUT ?? `${root}dist/web`;

await build({
  root: `${root}src/server/web`,
  base: '/',
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  // preact's automatic JSX runtime, through vite's own transformer (no preset plugin needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    // The strict CSP allows no inline script or data: module, so nothing may be inlined.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
console.log(`web: UI bundled into ${outDir.startsWith(root) ? outDir.slice(root.length) : outDir}`);
