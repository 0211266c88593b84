/**
 * @module A PSE that other instances of a system hold is missing on one instance: calls that need it
 * fail there (SSSLERR_CRED_NOT_FOUND / ICM 414 for an SSL client PSE, no HTTPS for a server PSE).
 */
import type { EvidenceEvent } from '../../model/evidence.js';
import { describePse } from '../../pki/pse-nodes.js';
import { defineRule } from '../define.js';
import { groupLandscape, instancesText } from '../landscape-lists.js';

export default defineRule({
  id: 'landscape-pse-missing',
  causes: ['pse-missing'],
  needs: ['trust-list', 'pse-problem'],
  kb: ['STRUST', 'SSSLERR_CRED_NOT_FOUND'],
  rank: 25,
  messages: () => ({
    missing: {
      title: '{pse} is missing on {missing} of {system}',
      summary:
        '{pse} exists on {present} of {system} but was not collected from {missing}. Calls that use it fail on the instance without it (an SSL client PSE gives SSSLERR_CRED_NOT_FOUND, ICM code 414; an SSL server PSE means no HTTPS there), so they fail or succeed depending on which instance runs them.',
      steps: [
        'Check the sec folder of {missing} (/usr/sap/{system}/<instance>/sec): if the file is really absent, open {node|the PSE} in STRUST on {system} and save it, which distributes it to every application server.',
        'If the collection simply missed it, run the collection script again on that instance.',
        'Restart the ICM of that instance if STRUST did not report TRUST086.',
      ],
      confirm: ['"pse-doctor landscape" on a fresh collection lists {pseFile} on every instance.'],
    },
  }),
  check({ events }, { report }) {
    for (const sys of groupLandscape(events['trust-list'], events['pse-problem'])) {
      if (sys.instances.length < 2) continue;
      for (const { name, at } of sys.byPse.values()) {
        const missing = sys.instances.filter((i) => !at.has(i));
        if (missing.length === 0) continue;
        const present = sys.instances.filter((i) => at.has(i));
        const described = describePse(name);
        const sources: EvidenceEvent[] = [...at.values()].map((c) => c.event);
        report({
          message: 'missing',
          data: {
            pse: `${name}${described.node ? ` (${described.node})` : ''}`,
            pseFile: name,
            node: described.node,
            system: sys.system,
            missing: instancesText(missing),
            present: instancesText(present),
          },
          cause: 'pse-missing',
          confidence: 'certain',
          severity: 'warning',
          events: sources,
          landscape: { system: sys.system, instances: missing },
          pse: {
            file: name,
            basename: name,
            ...(described.node ? { node: described.node } : {}),
            ...(described.context ? { context: described.context } : {}),
            ...(described.application ? { application: described.application } : {}),
          },
        });
      }
    }
  },
});
