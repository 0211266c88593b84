#!/usr/bin/env node
/**
 * @module Build step: writes dist/readers/sap-text/quiet-gate.json, the literals of the quiet-line gate
 * (src/readers/sap-text/quiet-lines.ts), derived from the reader's line tests and the compiled
 * knowledge model (dist/kb/recognizer.json, step 10). Deriving them costs tens of ms; every `analyze`
 * of a kernel trace would pay it at start. test/compiled-data.test.ts checks the file equals the
 * literals derived at run time.
 */
import { writeFileSync } from 'node:fs';
import { COMPILED_QUIET_GATE, quietGateLiterals } from '../../dist/readers/sap-text/quiet-lines.js';

delete process.env.PSE_DOCTOR_NO_KB_MATCH;
const lit = quietGateLiterals();
if (!lit) {
  console.log('quiet gate: a line test yields no literals; no file written (every line takes the full path)');
} else {
  writeFileSync(COMPILED_QUIET_GATE, JSON.stringify(lit));
  console.log(`quiet gate: ${lit.anywhere.length} literals (dist/readers/sap-text/quiet-gate.json)`);
}
