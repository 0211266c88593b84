#!/usr/bin/env node
/**
 * @module Build step: vendors @peculiar/x509 and its stack (tsyringe, asn1-schema, asn1js, …) into one
 * CommonJS file, dist/vendor/x509.cjs, which `x509()` and `asn1js()` (src/pki/x509.ts) require on first use.
 *
 * One file loads several times faster than the ~230 files under node_modules, and nothing loads it
 * until a certificate is parsed. Whitespace and syntax are minified, names are kept (error messages
 * and class names stay those of the library).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outfile = `${root}dist/vendor/x509.cjs`;

await build({
  stdin: {
    contents: "module.exports = { x509: require('@peculiar/x509'), asn1js: require('asn1js') };",
    resolveDir: root,
    loader: 'js',
  },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile,
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});
console.log('vendor: @peculiar/x509 stack and asn1js bundled into dist/vendor/x509.cjs');
