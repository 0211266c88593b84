/** @module missing-intermediate, probe outcome: the server does not send its intermediate and the trust list lacks it. */
import type { RuleMessage } from '../define.js';
import { LATER, probeAgain, probeImportSteps } from '../probe-steps.js';

export const probeMessages = () =>
  ({
    probeIntermediateMissing: {
      title: 'The server does not send its intermediate CA "{intermediateName}", and {list} lacks it',
      summary: `The server sends only part of its chain ({problem}). Browsers fill the gap from their cache or the AIA URL; the ICM does not fetch certificates, so the chain ends before any certificate of {list}. It reports SSSLERR_PEER_CERT_UNTRUSTED (-102).${LATER}`,
      steps: [
        'Ask the server owner to configure the full chain (server certificate plus intermediate CA certificates).',
        ...probeImportSteps('the intermediate'),
        'Make sure the root CA "{anchorName}" is in the list too.',
      ],
      confirm: [probeAgain('', 'shows no finding.', 'A new probe of {hostPort} shows no finding.')],
    },
  }) satisfies Record<string, RuleMessage>;
