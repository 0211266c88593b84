/** @module handshake-rejected, probe outcomes: versions, cipher suites or an alert end the handshake. */
import type { RuleMessage } from '../define.js';

const VERSION_CONFIRM = [
  'A connection test in SM59 works; dev_icm (trace level 2) shows the negotiated protocol.',
];
const COLLECT_S_CLIENT = [
  'openssl s_client -connect <host>:<port> -servername <host> from the application server',
];

export const probeMessages = () =>
  ({
    probeLocalRefusal: {
      title: 'The handshake with {hostPort} fails on this side',
      summary:
        '{outcome}. The server chose parameters a current TLS client refuses. The version scan found no version that works either.',
      steps: ["Compare the server's TLS configuration with ssl/client_ciphersuites (SAP Note 510007 §7)."],
    },
    probeOnlyOldVersions: {
      title: '{hostPort} accepts only {acceptedList}',
      summary:
        'The server refuses TLS 1.2 and 1.3 ({outcome}) and accepts only {accepted}. An ICM configured as SAP recommends today offers TLS 1.2 and newer, so the handshake fails. The right fix is TLS 1.2 on the server; enabling the old protocol in SAP is a stop-gap.',
      steps: [
        'Ask the server owner to enable TLS 1.2 (TLS 1.0/1.1 are deprecated, RFC 8996).',
        'Only as a stop-gap: allow the old version in ssl/client_ciphersuites (a string with TLS 1.0 enabled, e.g. the 150 prefix of SAP Note 510007 §7), then restart the ICM.',
      ],
      confirm: VERSION_CONFIRM,
    },
    probeOnlyOtherVersions: {
      title: '{hostPort} accepts only {acceptedList}',
      summary:
        'The server accepts only {accepted}. The ICM offers TLS 1.3 only with a kernel and CommonCryptoLib that support it and a client cipher-suite string that enables it.',
      steps: [
        'Update the kernel and CommonCryptoLib to levels with TLS 1.3 (SAP Notes 3318423, 2765639).',
        'Set ssl/client_ciphersuites to a string that enables TLS 1.3 (SAP Note 3346659), then restart the ICM.',
      ],
      confirm: VERSION_CONFIRM,
    },
    probeProtocolAlert: {
      title: '{hostPort} refuses the offered TLS versions',
      summary:
        'The server answered with {alert} and the version scan found no version it accepts from this machine.',
      steps: ["Compare the server's TLS versions with ssl/client_ciphersuites (SAP Note 510007 §7)."],
    },
    probeNoCommonCipher: {
      title: '{hostPort} aborts the handshake with {alert}',
      summary:
        'The server found nothing it accepts in the ClientHello: no common cipher suite or curve. The version scan found no protocol version that works either.',
      steps: [
        "Compare the server's cipher suites and curves with ssl/client_ciphersuites (SAP Note 510007 §7, 3346659).",
        'Update CommonCryptoLib if it is old (SAP Note 1848999).',
        'Check for a TLS-intercepting middlebox between the SAP system and the server.',
      ],
      collect: COLLECT_S_CLIENT,
    },
    probeAlert: {
      title: '{hostPort} aborts the handshake with {alert}',
      summary: 'The server ended the handshake with {alert}.',
      steps: ['Raise the ICM trace to level 2, reproduce, and read the errorstack in dev_icm.'],
      collect: COLLECT_S_CLIENT,
    },
    probeOnlyTls13: {
      title: '{hostPort} accepts only TLS 1.3',
      summary:
        'The server refuses TLS 1.2 and older. Many SAP systems offer TLS 1.2 only: their ICM fails here unless kernel, CommonCryptoLib and ssl/client_ciphersuites support TLS 1.3.',
      steps: [
        'Check whether the SAP kernel and CommonCryptoLib support TLS 1.3 (SAP Notes 3318423, 2765639).',
        'Set ssl/client_ciphersuites to a string that enables TLS 1.3 (SAP Note 3346659) and restart the ICM.',
      ],
      confirm: ['dev_icm (trace level 2) shows a TLSv1.3 handshake.'],
    },
  }) satisfies Record<string, RuleMessage>;
