#!/usr/bin/env node
/**
 * @module Build step: bundles the CLI (dist/cli/main.js and everything it imports, dynamic imports
 * included) with esbuild into dist/bundle/, which bin/pse-doctor.js runs.
 *
 * Generic over the command registry: every command is a dynamic `import()` in
 * src/cli/commands/index.ts, and esbuild turns each into its own chunk, so a new command is bundled
 * without touching this script, and `explain` never parses the code of `serve`. Dependencies are
 * bundled too, except native ones (better-sqlite3) and the vendored X.509 stack (dist/vendor/x509.cjs,
 * required on first use by src/pki/x509.ts). The web UI stays apart in dist/web.
 *
 * `import.meta.url` of every bundled module is rewritten to the URL its unbundled twin would have
 * (dist/<same path>), so files found relative to a module (dist/kb/*.json, dist/web/, kb/, the vendored
 * stack, any generated data file) resolve exactly as in the unbundled build, whatever the chunk's name.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = `${root}dist${sep}`;
const outdir = `${root}dist/bundle`;

/** Native add-ons cannot be bundled; they are loaded from node_modules at run time. */
const EXTERNAL = ['better-sqlite3'];

const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        // Resolve against the path the module has in the unbundled tree, not the chunk's.
        const twin = relative(outdir, args.path).split(sep).join('/');
        contents = contents.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(twin)}, import.meta.url).href`,
        );
      }
      return { contents, loader: 'js' };
    });
  },
};

/**
 * commander requires node:child_process (and with it net and dgram) at load time, only to run
 * executable subcommands, which pse-doctor has none of: give it a stand-in that loads the real module
 * on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(?:node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'lazy-child-process', namespace: 'pse-doctor' }
        : undefined,
    );
    b.onLoad({ filter: /^lazy-child-process$/, namespace: 'pse-doctor' }, () => ({
      contents:
        "let real;\nmodule.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

// Chunk names change with their content: start empty so no stale chunk stays behind.
await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: `${dist}cli/main.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  plugins: [keepModuleUrls, lazyChildProcess],
  // Less text for V8 to parse at every start; identifiers (and so function and class names) are kept.
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies inside an ES module bundle still call require() for node built-ins.
  banner: {
    js: "import { createRequire as __pseCreateRequire } from 'node:module';\nconst require = __pseCreateRequire(import.meta.url);",
  },
  chunkNames: '[name]-[hash]',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
// For size analysis (which module landed in which chunk): PSE_DOCTOR_BUNDLE_META=<file>.
if (process.env.PSE_DOCTOR_BUNDLE_META)
  await writeFile(process.env.PSE_DOCTOR_BUNDLE_META, JSON.stringify(result.metafile));
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`bundle: CLI bundled into dist/bundle (${files.length} files, ${(bytes / 1024).toFixed(0)} KiB)`);
