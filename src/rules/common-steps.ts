/**
 * @module Step templates several rules share: after-steps of a STRUST import or a profile change, and what to collect next.
 *
 * They are message templates (words as data), spread into rules' `messages`.
 */

/** After importing a certificate into a PSE with STRUST. */
export const AFTER_STRUST_IMPORT: readonly string[] = [
  'Save in STRUST. Message TRUST086 "SSL PSE was saved (ICM was notified)" means the ICM uses the new list at once; without it (TRUST085), restart the ICM: SMICM → Administration → ICM → Exit Soft → Global.',
  'If you added the certificate with sapgenpse on the host, add it in STRUST as well: STRUST keeps the PSE in the database and its next distribution overwrites the file.',
  'If you raised the ICM trace level, set it back to 1 (SMICM → Goto → Trace Level → Set).',
];

/** After changing profile parameters of the ICM / SSL layer. */
export const AFTER_PROFILE_CHANGE: readonly string[] = [
  'Set the parameter in the instance profile (RZ10, or the profile file), not only dynamically in RZ11: SSL parameters are read when the ICM starts.',
  'Restart the ICM (SMICM → Administration → ICM → Exit Soft → Global) or the instance, then check the value in RZ11.',
  'If you raised the ICM trace level, set it back to 1 (SMICM → Goto → Trace Level → Set).',
];

/** What to collect when the evidence is only a message or a level-1 trace. */
export const COLLECT_ICM_TRACE: readonly string[] = [
  'Raise the ICM trace level to 2 in SMICM (Goto → Trace Level → Set → 2), reproduce the call, then run "pse-doctor analyze dev_icm" on the trace (SMICM → Goto → Trace File → Display All, or the dev_icm file in the work directory).',
];

/** Collect line used when the trace header shows level 1. */
export const COLLECT_LEVEL_ONE =
  'This trace was written at ICM trace level {traceLevel}: at level 1 the ICM writes neither the SSL errorstack nor the certificate chain, so only the error code is known.';
