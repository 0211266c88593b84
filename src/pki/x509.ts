/**
 * @module The one door to @peculiar/x509: installs the metadata shim first, then re-exports the library.
 *
 * Import `* as x509 from '../pki/x509.js'` (never '@peculiar/x509' directly): the library's CommonJS build
 * needs a `Reflect.getMetadata` polyfill to load, and ESM evaluates `./reflect-shim.js` before it here.
 */
import './reflect-shim.js';

export * from '@peculiar/x509';
