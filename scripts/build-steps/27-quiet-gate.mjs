#!/usr/bin/env node
/**
 * @module Build step: writes dist/readers/sap-text/quiet-gate.json, the packed tables of the quiet-line
 * gate (src/readers/sap-text/quiet-lines.ts, src/readers/text/literal-gate.ts), from the literals of the
 * reader's line tests and the compiled knowledge model (dist/kb/recognizer.json, step 10). Deriving the
 * literals costs tens of ms, and packing them into the gate's tables a few more in code not yet
 * optimised; every `analyze` of a kernel trace would pay both at start. test/compiled-data.test.ts checks
 * the file equals the tables built from the literals derived at run time.
 */
import { writeFileSync } from 'node:fs';
import {
  COMPILED_QUIET_GATE,
  compileQuietGate,
  quietGateLiterals,
} from '../../dist/readers/sap-text/quiet-lines.js';

delete process.env.PSE_DOCTOR_NO_KB_MATCH;
const lit = quietGateLiterals();
if (!lit) {
  console.log('quiet gate: a line test yields no literals; no file written (every line takes the full path)');
} else {
  writeFileSync(COMPILED_QUIET_GATE, JSON.stringify(compileQuietGate(lit)));
  console.log(`quiet gate: ${lit.anywhere.length} literals packed (dist/readers/sap-text/quiet-gate.json)`);
}
