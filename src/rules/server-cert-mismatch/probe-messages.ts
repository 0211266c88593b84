/** @module server-cert-mismatch, probe outcomes: SNI needed or missing, a name the server does not serve, a certificate that does not name the host. */
import type { RuleMessage } from '../define.js';
import { LATER, probeAgain } from '../probe-steps.js';

export const probeMessages = () =>
  ({
    probeSniRequired: {
      title: '{hostPort} needs SNI: without it the handshake fails',
      summary:
        'Without SNI the server {withoutSni}; with SNI "{sni}" the handshake works. The ICM must send the server name.',
      steps: [
        'Set icm/HTTPS/client_sni_enabled = TRUE (and ssl/client_sni_enabled = TRUE for the other kernel clients) in the instance profile.',
        'Restart the ICM (SMICM → Administration → ICM → Restart) or the instance.',
        'Old kernels need the SNI corrections of SAP Notes 2124480 / 2384290.',
      ],
      confirm: [
        {
          text: '{probe} --no-sni fails and {probe} works; in dev_icm (trace level 2) the handshake shows the server name.',
          web: 'A probe of {hostPort} without SNI fails and with SNI works; in dev_icm (trace level 2) the handshake shows the server name.',
        },
      ],
    },
    probeUnrecognizedName: {
      title: '{hostPort} does not serve the name {name}',
      summary:
        'The server answered the server name [["{sni}"]] with {alert}: it hosts other names. The URL names a host this server does not serve, or the name resolves to the wrong server.',
      steps: [
        'Use the host name the service publishes (FQDN) in the destination.',
        'Check DNS / hosts entries on the application server (SAP KBA 3391859).',
      ],
    },
    probeNameMismatch: {
      title: 'The server certificate does not name {host}',
      summary: `The certificate "{leafName}" names {names|no usable names}, not "{host}". The ICM compares the host of the URL with the certificate's CN and SAN and reports SSSLERR_SERVER_CERT_MISMATCH (-30); the caller sees ICM_HTTP_SSL_CERT_MISMATCH (415).${LATER}`,
      steps: [
        'Use the host name the certificate names (the FQDN, not a short name or an IP address) in the destination.',
        'If the name is right, the server presents the wrong certificate: ask its owner to add the name to the SAN, or check DNS / hosts on the application server (a wrong IP reaches another server, SAP KBA 3391859).',
        'Only for Web Dispatcher back ends, wdisp/ssl_ignore_host_mismatch = TRUE is a workaround, not a fix.',
      ],
      confirm: [
        probeAgain('', 'shows no name mismatch.', 'A new probe of {hostPort} shows no name mismatch.'),
      ],
    },
    probeSniFixesName: {
      title: 'Without SNI, {hostPort} answers with a default certificate that does not name the host',
      summary:
        'Without SNI the server presents "{defaultName}" ({problem}); with SNI it presents "{sniName}", which names {host}. The ICM without SNI reports SSSLERR_SERVER_CERT_MISMATCH (-30) / ICM_HTTP_SSL_CERT_MISMATCH (415). Turn SNI on.',
      steps: [
        'Set icm/HTTPS/client_sni_enabled = TRUE (and ssl/client_sni_enabled = TRUE) in the instance profile.',
        'Restart the ICM (SMICM → Administration → ICM → Restart).',
      ],
      confirm: [
        probeAgain(
          ' (with SNI)',
          'shows no finding.',
          'A new probe of {hostPort} with SNI shows no finding.',
        ),
      ],
    },
    probeSniDepends: {
      title: '{hostPort} depends on SNI',
      summary:
        'With SNI the handshake works; without SNI the server [[answers with another certificate, "{otherName}"]][[{?otherNamesNotHost}, which does not name {host}]]{withoutSni}. An ICM that does not send SNI fails here with {code}. Make sure SNI is on.',
      steps: [
        'Check icm/HTTPS/client_sni_enabled (and ssl/client_sni_enabled) in the instance profile (RZ11 shows the current value); set TRUE if it is not.',
        'Restart the ICM after changing it.',
      ],
      confirm: ['In dev_icm (trace level 2) the handshake shows the server name (TLSextSNI).'],
    },
  }) satisfies Record<string, RuleMessage>;
