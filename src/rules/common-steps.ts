/**
 * @module Step templates several rules share: what to collect next. The after-steps of a STRUST import or a
 * profile change live in `pki/strust-steps` (the verifier below the rules uses them too).
 *
 * They are message templates (words as data), spread into rules' `messages`.
 */

/** What to collect when the evidence is only a message or a level-1 trace. */
export const COLLECT_ICM_TRACE: readonly string[] = [
  'Raise the ICM trace level to 2 in SMICM (Goto → Trace Level → Set → 2), reproduce the call, then run "pse-doctor analyze dev_icm" on the trace (SMICM → Goto → Trace File → Display All, or the dev_icm file in the work directory).',
];

/** Collect line used when the trace header shows level 1. */
export const COLLECT_LEVEL_ONE =
  'This trace was written at ICM trace level {traceLevel}: at level 1 the ICM writes neither the SSL errorstack nor the certificate chain, so only the error code is known.';
