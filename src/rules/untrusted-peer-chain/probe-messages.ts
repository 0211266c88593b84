/** @module untrusted-peer-chain, probe outcomes: the trust list lacks the root (or the self-signed server certificate), or no list was given. */
import type { RuleMessage } from '../define.js';
import { LATER, probeAgain, probeImportSteps } from '../probe-steps.js';

const UNTRUSTED = `[[{?trustGiven}The ICM holding {list}]][[{?noTrustGiven}An SSL client PSE without it]] cannot verify the server's chain: {problem}. It reports SSSLERR_PEER_CERT_UNTRUSTED (-102); the caller sees ICM_HTTP_SSL_PEER_CERT_UNTRUSTED (421).${LATER}`;
const CONFIRM = [
  probeAgain(
    '',
    'shows no finding; the SM59 connection test works.',
    'A new probe of {hostPort} shows no finding; the SM59 connection test works.',
  ),
];

export const probeMessages = () =>
  ({
    probeRootMissing: {
      title: 'Root CA "{rootName}" is missing from {list}',
      summary: UNTRUSTED,
      steps: probeImportSteps('the certificate'),
      confirm: CONFIRM,
    },
    probeSelfSigned: {
      title: `The server's self-signed certificate "{leafName}" is not in {list}`,
      summary: UNTRUSTED,
      steps: probeImportSteps('the certificate'),
      confirm: CONFIRM,
    },
    probeRootNeeded: {
      title: 'SAP needs the root CA "{rootName}" in its SSL client PSE',
      summary:
        'The server\'s chain leads to "{rootName}". Without a trust list, pse-doctor cannot tell whether SAPSSLA.pse / SAPSSLC.pse hold it; if they do not, the ICM reports SSSLERR_PEER_CERT_UNTRUSTED (-102). Probe again with the PSE (or its sapgenpse listing, or its certificates as PEM) as the trust list to check.',
      steps: probeImportSteps('the root'),
      confirm: [
        probeAgain(
          ' --trust SAPSSLA.pse',
          'shows no finding.',
          'A new probe of {hostPort} with SAPSSLA.pse as the trust list shows no finding.',
        ),
      ],
    },
  }) satisfies Record<string, RuleMessage>;
