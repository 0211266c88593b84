/** @module proxy-refused, probe outcomes: the forward proxy wants credentials, refuses the tunnel, or cannot be reached. */
import type { RuleMessage } from '../define.js';
import { probeAgain } from '../probe-steps.js';

const CONFIRM = [
  probeAgain(
    ' --proxy http://…@{proxyAt}',
    'reaches the TLS handshake.',
    'A new probe of {hostPort} through the proxy {proxyAt}, with its user, reaches the TLS handshake.',
  ),
];

const NO_TLS_407 =
  'No TLS with {hostPort} took place. The ICM reports ICM_HTTP_PROXY_UNAUTHORIZED. Note: this proxy 407 is not the "HTTP error 407" of SM59/abapGit, which is ICM_HTTP_SSL_ERROR.';

const AUTH_STEPS = [
  'Enter the proxy user and password in the destination (SM59 → Special Options → HTTP Proxy Options) or in SICF → Client → Proxy Settings.',
  'Check with the proxy team that this user may use CONNECT to the target host and port, and which authentication the proxy wants (Basic is what the ICM sends).',
];

const CONNECT_FAILED: Omit<RuleMessage, 'title'> = {
  summary: '{outcome}. No TLS with {hostPort} took place; the ICM reports {icmName}.',
  steps: [
    'Check the proxy host and port in the destination (SM59 → Special Options) or in SICF → Client → Proxy Settings.',
  ],
  confirm: CONFIRM,
};

export const probeMessages = () =>
  ({
    probeProxyCredentialsRejected: {
      title: 'The proxy {proxyAt} rejects the given credentials (407)',
      summary: `The proxy answered CONNECT with 407 although a user was given[[ (it asks for: {authenticate})]]. ${NO_TLS_407}`,
      steps: AUTH_STEPS,
      confirm: CONFIRM,
    },
    probeProxyAuthRequired: {
      title: 'The proxy {proxyAt} requires authentication (407)',
      summary: `The proxy answered CONNECT with 407 Proxy Authentication Required[[ (it asks for: {authenticate})]]. ${NO_TLS_407}`,
      steps: AUTH_STEPS,
      confirm: CONFIRM,
    },
    probeProxyRefusesTunnel: {
      title: 'The proxy {proxyAt} refuses the tunnel to {hostPort}[[ ({status})]]',
      summary:
        'The proxy answered CONNECT with {answer|an error}: its rules do not allow this target (host, port or category). No TLS took place. The ICM reports ICM_HTTP_PROXY_HTTP_ERROR ("proxy returned {status|…}").',
      steps: [
        'Ask the proxy team to allow CONNECT to this host and port for the SAP system.',
        'Or, if the target is internal, remove the proxy for it (no-proxy list of the destination).',
      ],
      confirm: CONFIRM,
    },
    probeProxyRefusesTcp: { title: 'The proxy {proxyAt} refuses the TCP connection', ...CONNECT_FAILED },
    probeProxyHostUnknown: { title: 'The proxy host {proxyHost} does not resolve', ...CONNECT_FAILED },
    probeProxyTimeout: { title: 'The proxy {proxyAt} does not answer in time', ...CONNECT_FAILED },
    probeProxyFailed: { title: 'The connection through the proxy {proxyAt} failed', ...CONNECT_FAILED },
  }) satisfies Record<string, RuleMessage>;
