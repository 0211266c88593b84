/**
 * @module Step templates the probe outcomes of several rules share: probing again (the command in a
 * terminal, the Probe page on the web) and importing a certificate the probe named into the SSL client PSEs.
 */
import type { StepTemplate } from './define.js';

/** "<probe command><extra> <then>" in a terminal; "<web>" on the web (no command line there). */
export function probeAgain(extra: string, then: string, web: string): StepTemplate {
  return {
    text: `{probe}${extra} ${then}`,
    web,
    action: { kind: 'field', page: 'probe', value: '{hostPort}' },
  };
}

/** Save the certificate and import it in STRUST; `fallback` names it when the plan has no file name. */
export function probeImportSteps(fallback: string): StepTemplate[] {
  return [
    {
      text: `Save the certificate as {fileName|${fallback}} (--out writes it).`,
      web: `Save the certificate as {fileName|${fallback}} (the download button above).`,
    },
    `In STRUST, open "{nodes|}", import {fileName|${fallback}}, choose "Add to Certificate List" and save (SSL client PSEs used by the destination; abapGit uses SSL client Anonymous).`,
    'Saving in STRUST notifies the ICM (TRUST086). If you changed the PSE file with sapgenpse instead, restart the ICM (SMICM → Administration → ICM → Exit Soft).',
  ];
}

/** Sentence added when another problem of the chain comes first. */
export const LATER = '[[{?later} Once the first problem is fixed, the ICM would report this next.]]';
