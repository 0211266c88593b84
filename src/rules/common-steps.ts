/**
 * @module Step templates several rules share: what to collect next, and the probe and download steps with their
 * terminal and web wording. The after-steps of a STRUST import or a profile change live in `pki/strust-steps`
 * (the verifier below the rules uses them too).
 *
 * They are message templates (words as data), spread into rules' `messages`.
 */
import type { StepTemplate } from './define.js';

/** What to collect when the evidence is only a message or a level-1 trace. */
export const COLLECT_ICM_TRACE: readonly StepTemplate[] = [
  {
    text: 'Raise the ICM trace level to 2 in SMICM (Goto → Trace Level → Set → 2), reproduce the call, then run "pse-doctor analyze dev_icm" on the trace (SMICM → Goto → Trace File → Display All, or the dev_icm file in the work directory).',
    web: 'Raise the ICM trace level to 2 in SMICM (Goto → Trace Level → Set → 2), reproduce the call, then analyze the new dev_icm here (SMICM → Goto → Trace File → Display All, or the dev_icm file in the work directory).',
    action: { kind: 'field', page: 'analyze' },
  },
];

/** Collect line used when the trace header shows level 1. */
export const COLLECT_LEVEL_ONE =
  'This trace was written at ICM trace level {traceLevel}: at level 1 the ICM writes neither the SSL errorstack nor the certificate chain, so only the error code is known.';

/**
 * A step that probes the endpoint: `pse-doctor probe <hostPort>` in a terminal, the Probe page on the web.
 * `cli` and `web` are the words around the probe ("{probe}" stands for it).
 */
export function probeStep(cli: string, web: string): StepTemplate {
  return {
    text: cli.replace('{probe}', '"pse-doctor probe {hostPort}"'),
    web: web.startsWith('{probe}')
      ? web.replace('{probe}', 'A probe of {hostPort} (Probe page)')
      : web.replace('{probe}', 'a probe of {hostPort} (Probe page)'),
    action: { kind: 'field', page: 'probe', value: '{hostPort}' },
  };
}

/** Get the certificate to import: a file with `--out` in a terminal, the download button on the web. */
export const GET_IMPORT_FILE: StepTemplate = {
  text: 'Use {fileName}, the certificate under "Import" (byte for byte as Node.js ships it); check its SHA-256 before importing: {sha256}.',
  web: 'Download {fileName} with the button above (byte for byte as Node.js ships it); check its SHA-256 before importing: {sha256}.',
  action: { kind: 'download', fileName: '{fileName}' },
};
