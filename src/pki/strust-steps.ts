/**
 * @module After-steps of a trust fix (STRUST import, profile change), shared by the rules.
 *
 * They live here, below the rules, because the certificate verifier builds findings too and must not
 * depend on the rules layer. Message templates: words as data.
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

/** The two profile parameters that make the kernel send SNI (ICM HTTP client, other kernel SSL clients). */
export const SNI_PARAMETERS: readonly { name: string; value: string; where: string }[] = [
  { name: 'icm/HTTPS/client_sni_enabled', value: 'TRUE', where: 'instance profile' },
  { name: 'ssl/client_sni_enabled', value: 'TRUE', where: 'instance profile' },
];
