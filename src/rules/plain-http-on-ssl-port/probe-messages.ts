/** @module plain-http-on-ssl-port, probe outcomes: the port answered the ClientHello with something that is not TLS. */
import type { RuleMessage } from '../define.js';
import { probeAgain } from '../probe-steps.js';

const ANSWER = '[["{firstLine}"]][[{?noAnswer}data that is not TLS]]';
const SSSLERR_VARIES =
  'The ICM shows ICM_HTTP_SSL_ERROR; the SSSLERR code in dev_icm varies (the handshake fails while reading the answer).';
const CONFIRM = [
  probeAgain('', 'shows a TLS handshake.', 'A new probe of {hostPort} shows a TLS handshake.'),
];

export const probeMessages = () =>
  ({
    probePlainHttp: {
      title: '{hostPort} speaks plain HTTP, not TLS',
      summary: `The server answered the TLS ClientHello with ${ANSWER}: this is a plain HTTP port. ${SSSLERR_VARIES}`,
      steps: [
        'Use the HTTPS port of the server (often 443 or 443<nn>), or',
        'if the service really is plain HTTP, switch SSL off in the destination (SM59 → Logon & Security → SSL Inactive) — only when the data may travel unencrypted.',
      ],
      confirm: CONFIRM,
    },
    probeNotTls: {
      title: '{hostPort} does not speak TLS',
      summary: `The server answered the TLS ClientHello with ${ANSWER}[[{?ssh}: an SSH server]]. ${SSSLERR_VARIES}`,
      steps: ["Check the port: it belongs to another protocol. Use the server's HTTPS port."],
      confirm: CONFIRM,
    },
  }) satisfies Record<string, RuleMessage>;
