/** @module peer-cert-expired, probe outcomes: a certificate the server sent is expired or not yet valid. */
import type { RuleMessage } from '../define.js';
import { LATER, probeAgain } from '../probe-steps.js';

const REJECTS = `{problem}. The ICM rejects the chain (SSSLERR_PEER_CERT_EXPIRED; ICM_HTTP_SSL_PEER_CERT_EXPIRED, 418).${LATER}`;
const CONFIRM = [
  probeAgain('', 'shows the new validity dates.', 'A new probe of {hostPort} shows the new validity dates.'),
];

export const probeMessages = () =>
  ({
    probeExpired: {
      title: 'The {position} "{certName}" expired on {notAfter|?}',
      summary: REJECTS,
      steps: [
        'The server owner must renew the certificate (or the CA certificate) and install it with its chain.',
        'If the server shows a valid certificate in a browser, the SAP host may reach another (old) server: compare the IP the name resolves to on the application server (SAP KBA 3391859).',
      ],
      confirm: CONFIRM,
    },
    probeNotYetValid: {
      title: 'The {position} "{certName}" is not valid before {notBefore|?}',
      summary: `${REJECTS} A not-yet-valid certificate also points at a wrong clock on one side.`,
      steps: [
        'Check the clock of the application server (and this machine).',
        'Otherwise the server owner installed a certificate before its validity start: wait or re-issue.',
      ],
      confirm: CONFIRM,
    },
  }) satisfies Record<string, RuleMessage>;
