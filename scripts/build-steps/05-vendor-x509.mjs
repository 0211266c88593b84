#!/usr/bin/env node
/**
 * @module Build step: vendors @peculiar/x509 and its stack (tsyringe, asn1-schema, asn1js, …) into one
 * CommonJS file, dist/vendor/x509.cjs, and asn1js alone into dist/vendor/asn1js.cjs, which `x509()` and
 * `asn1js()` (src/pki/x509.ts) require on first use.
 *
 * One file loads several times faster than the ~230 files under node_modules, and nothing loads it
 * until a certificate is parsed. Whitespace and syntax are minified, names are kept (error messages
 * and class names stay those of the library).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const VENDORED = {
  'x509.cjs': "module.exports = { x509: require('@peculiar/x509'), asn1js: require('asn1js') };",
  // PSE reading needs only asn1js (OIDs, times) until a certificate falls back to the full parser.
  'asn1js.cjs': "module.exports = require('asn1js');",
};

for (const [name, contents] of Object.entries(VENDORED)) {
  await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: `${root}dist/vendor/${name}`,
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}
console.log('vendor: @peculiar/x509 stack and asn1js bundled into dist/vendor/');
