/**
 * @module The one door to @peculiar/x509 and asn1js, loaded on first use: `x509()` returns the library
 * (installing the metadata shim first), `asn1js()` the ASN.1 decoder.
 *
 * The X.509 stack (tsyringe, asn1-schema, asn1js, …) costs tens of milliseconds to load, so nothing
 * loads it before a certificate or PSE is actually parsed: a plain-text trace never does. Call these
 * (never import '@peculiar/x509' or 'asn1js' as values; `import type` is fine). They load synchronously,
 * so callers stay synchronous. The build vendors the stack into one file (`dist/vendor/x509.cjs`, see
 * scripts/build-steps/05-vendor-x509.mjs), which loads several times faster than the ~230 files under
 * node_modules, and asn1js alone into `dist/vendor/asn1js.cjs` (PSE reading needs only that); both are
 * found relative to this module. Without them (tests run from src/) the packages are required from
 * node_modules.
 */
import { createRequire } from 'node:module';
import type * as X509 from '@peculiar/x509';
import type * as Asn1js from 'asn1js';
import { installReflectShim } from './reflect-shim.js';

export type * from '@peculiar/x509';

/** The library's exports. */
export type X509Library = typeof X509;

/** Where the build puts the vendored single-file copy of the stack, relative to this module. */
export const VENDORED_X509 = '../vendor/x509.cjs';
/** The vendored copy of asn1js alone. */
export const VENDORED_ASN1JS = '../vendor/asn1js.cjs';

interface Stack {
  x509: X509Library;
  asn1js: typeof Asn1js;
}

let stack: Stack | undefined;
let asn1Only: typeof Asn1js | undefined;

/**
 * Require the vendored file when the build made it, else `pkg` from node_modules (or undefined when
 * `pkg` is empty). Any other failure is thrown.
 */
function requireVendored<T>(vendored: string, pkg: string): T {
  const require = createRequire(import.meta.url);
  try {
    return require(vendored) as T;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    if (!missing || !String((err as Error).message).includes(vendored.slice(vendored.lastIndexOf('/') + 1)))
      throw err;
    return (pkg ? require(pkg) : undefined) as T;
  }
}

function load(): Stack {
  if (stack) return stack;
  installReflectShim();
  stack = requireVendored<Stack | undefined>(VENDORED_X509, '') ?? {
    x509: createRequire(import.meta.url)('@peculiar/x509') as X509Library,
    asn1js: createRequire(import.meta.url)('asn1js') as typeof Asn1js,
  };
  return stack;
}

/** @peculiar/x509, loaded on the first call (synchronously; later calls return the same object). */
export function x509(): X509Library {
  return load().x509;
}

/**
 * asn1js, loaded on the first call: the one inside the X.509 stack when that is loaded, else a
 * vendored copy of asn1js alone (a PSE is read without loading the X.509 library).
 */
export function asn1js(): typeof Asn1js {
  if (stack) return stack.asn1js;
  asn1Only ??= requireVendored<typeof Asn1js>(VENDORED_ASN1JS, 'asn1js');
  return asn1Only;
}

/** Whether the X.509 library has been loaded in this process (tests check that plain text never loads it). */
export function x509Loaded(): boolean {
  return stack !== undefined;
}
