/**
 * @module The peer refused the handshake itself: no common TLS version or cipher suite (-58, -122, handshake_failure/protocol_version alerts).
 *
 * SSSLERR_SSL_READ (-58) during the handshake and SSSLERR_ALERT_HANDSHAKE_FAILURE (-122) mean the peer
 * sent a fatal alert; a protocol_version alert names the version problem outright. Old SAP defaults
 * offer TLS versions/ciphers that modern servers dropped (GitHub, 2018), so the version is the first
 * suspect, the cipher list the second; a server demanding a client certificate can send the same alert.
 */
import type { Cause, Confidence, Role } from '../../model/cause.js';
import type {
  ClientErrorEvent,
  EvidenceEvent,
  JavaTlsFailureEvent,
  SslFailureEvent,
} from '../../model/evidence.js';
import type { ReportParameter, ReportPse } from '../../model/report.js';
import { AFTER_PROFILE_CHANGE, SNI_PARAMETERS } from '../../pki/strust-steps.js';
import { COLLECT_ICM_TRACE, COLLECT_LEVEL_ONE, probeStep } from '../common-steps.js';
import { defineRule } from '../define.js';
import {
  alertOf,
  failureData,
  failureParts,
  failureText,
  isThin,
  sniSent,
  traceInfoFor,
} from '../failure-facts.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { sslCodeOf } from '../sap-codes.js';
import { inputStates, serverTells } from '../telling-message.js';
import { probeMessages } from './probe-messages.js';

/** Recommended values (SAP Note 510007 §7; newer strings in note 3346659). */
const CLIENT_CIPHERS = '150:PFS:HIGH::EC_P256:EC_HIGH';
const SERVER_CIPHERS = '135:PFS:HIGH::EC_P256:EC_HIGH';
const NEWER_NOTE =
  'Kernels with TLS 1.3 support use the newer strings of SAP Note 3346659 (e.g. 1174:PFS:HIGH::EC_X25519:EC_P256:EC_HIGH for the client side).';

const CERT_ALERTS = new Set([
  'certificate_unknown',
  'unknown_ca',
  'bad_certificate',
  'certificate_expired',
  'certificate_revoked',
  'unsupported_certificate',
  'certificate_required',
]);

function parametersFor(role: Role | undefined): ReportParameter[] {
  const client = {
    name: 'ssl/client_ciphersuites',
    value: CLIENT_CIPHERS,
    where: 'instance profile',
    note: NEWER_NOTE,
  };
  const server = {
    name: 'ssl/ciphersuites',
    value: SERVER_CIPHERS,
    where: 'instance profile',
    note: 'SAP Note 510007 §7',
  };
  return role === 'server' ? [server, client] : [client, server];
}

/** pvflags text lists the versions the SAP side offers; no TLSv1.2 there is decisive. */
function offersTls12(ev: SslFailureEvent): boolean | undefined {
  const versions = ev.sslCtx?.protocolVersions;
  if (!versions || versions.length === 0) return undefined;
  return versions.some((v) => /TLSv1\.[23]/i.test(v));
}

/** Principal propagation: the back end must accept the Cloud Connector's system certificate. */
const CC_CLIENT_CERT_NOTE =
  " With principal propagation the Cloud Connector sends its system certificate (Configuration → On Premise → System Certificate); the back end's SSL server PSE must trust the CA that issued it.";

export default defineRule({
  id: 'handshake-rejected',
  causes: ['tls-version', 'cipher-mismatch', 'client-cert-missing', 'sni-missing', 'unknown'],
  needs: ['ssl-failure', 'java-tls-failure', 'client-error', 'probe'],
  uses: ['trace-info', 'message'],
  kb: [
    'SSSLERR_SSL_READ',
    'SSSLERR_ALERT_HANDSHAKE_FAILURE',
    'TLS_ALERT_HANDSHAKE_FAILURE',
    'TLS_ALERT_PROTOCOL_VERSION',
    'ssl/client_ciphersuites',
    'ssl/ciphersuites',
  ],
  citation: ['SAP Note 510007', 'SAP Note 3346659', 'RFC 8446 §6.2'],
  rank: 30,
  messages: () => ({
    ...probeMessages(),
    version: {
      title: 'No common TLS version with {hostPort|the peer}{versionHint}',
      summary:
        '{code|The handshake} failed because the peer refused the handshake{alertClause}. The most common reason is that the {sapSide} offers only TLS versions the peer no longer accepts (old SAP defaults include TLS 1.0/1.1; many servers require TLS 1.2 or 1.3){offered}.',
      steps: [
        'Set {paramName|ssl/client_ciphersuites} = {paramValue|150:PFS:HIGH::EC_P256:EC_HIGH} (SAP Note 510007 §7), which offers TLS 1.2 with forward-secret ciphers.',
        'Check the CommonCryptoLib version (SMICM trace header or "sapgenpse -v"); below 8.4.38 it cannot offer these ciphers: update it (SAP Notes 1848999, 2450794).',
        ...AFTER_PROFILE_CHANGE,
      ],
      confirm: [
        'Repeat the call: it succeeds.',
        probeStep(
          '{probe} shows which versions and ciphers the peer accepts.',
          '{probe} shows which versions and ciphers the peer accepts.',
        ),
      ],
      collect: [COLLECT_LEVEL_ONE, ...COLLECT_ICM_TRACE],
      distinguish:
        'A protocol_version alert names the version problem outright; the ICM trace at level 2 shows the offered versions (pvflags line) and the alert the peer sent.',
    },
    sniOff: {
      title: '{hostPort|The peer} may need the server name (SNI), which this system does not send',
      summary:
        'The peer ended the handshake{alertClause}, and SNI is switched off here ({sniParameter|icm/HTTPS/client_sni_enabled} = FALSE). Front ends that serve many names (CDNs, cloud load balancers, API gateways) refuse a ClientHello without a server name with a handshake_failure alert, whatever the TLS version.',
      steps: [
        'Set icm/HTTPS/client_sni_enabled = TRUE (ICM HTTP client) and ssl/client_sni_enabled = TRUE (other kernel SSL clients) in the instance profile.',
        ...AFTER_PROFILE_CHANGE,
      ],
      confirm: [
        'The ICM trace (level 2) shows a TLSextSNI server_name line for {hostPort|the host} and the call succeeds.',
      ],
      distinguish:
        'A curl or openssl s_client from the application server succeeds with SNI (openssl s_client -connect {hostPort|<host>:443} -servername <host>) and fails with -noservername; with SNI on, the version and cipher lists are the next suspects.',
    },
    sniStated: {
      title: '{hostPort|The peer} may need the server name (SNI), which the client is set not to send',
      summary:
        'The peer ended the handshake{alertClause}, and the evidence shows the client set not to send SNI (a JVM started with -Djsse.enableSNIExtension=false, SAPSSL_CLIENT_SNI_ENABLED=FALSE, a client_sni_enabled parameter set to FALSE) or the failure reproduced with openssl s_client -noservername. Front ends that serve many names (CDNs, cloud load balancers, BTP and API gateways) refuse a ClientHello without a server name with a handshake_failure alert, whatever the TLS version.',
      steps: [
        'Remove the setting that switches SNI off: the JVM option -Djsse.enableSNIExtension=false, SAPSSL_CLIENT_SNI_ENABLED=FALSE in the environment, or for the SAP kernel set icm/HTTPS/client_sni_enabled = TRUE and ssl/client_sni_enabled = TRUE in the instance profile.',
        'Call the host by its DNS name, not by IP address (no SNI is sent for an address).',
      ],
      confirm: [
        'The call succeeds; openssl s_client -connect {hostPort|<host>:443} -servername <host> succeeds where -noservername fails.',
      ],
      distinguish:
        'With SNI sent the handshake succeeds; then the version and cipher lists are not the problem.',
    },
    cipher: {
      title: 'No common cipher suite with {hostPort|the peer}',
      summary:
        'The peer refused the handshake{alertClause}. With a TLS version in common, the offered cipher suites or elliptic curves may not overlap with what the peer accepts (e.g. only ECDHE/AES-GCM, or only newer curves).',
      steps: [
        'Set {paramName|ssl/client_ciphersuites} = {paramValue|150:PFS:HIGH::EC_P256:EC_HIGH} so PFS/HIGH ciphers and the P-256 curve are offered.',
        {
          text: 'Compare with what the peer accepts: "openssl s_client -connect {hostPort|<host>:<port>} -tls1_2" from the application server, or "pse-doctor probe {hostPort|<host>:<port>}".',
          web: 'Compare with what the peer accepts: "openssl s_client -connect {hostPort|<host>:<port>} -tls1_2" from the application server, or a probe of {hostPort|the server} (Probe page).',
          action: { kind: 'field', page: 'probe', value: '{hostPort|}' },
        },
        ...AFTER_PROFILE_CHANGE,
      ],
      confirm: ['Repeat the call: it succeeds.'],
      collect: [COLLECT_LEVEL_ONE, ...COLLECT_ICM_TRACE],
      distinguish:
        'If TLS 1.2 is offered (pvflags line in the trace) and still refused, the cipher list is the next suspect.',
    },
    clientCert: {
      title: '{hostPort|The peer} may require a client certificate',
      summary:
        'Some servers end the handshake with handshake_failure when they require a client certificate and the SAP side sends none (e.g. the call uses the SSL client Anonymous PSE).',
      steps: [
        'Ask the server owner whether {hostPort|the endpoint} requires client certificates (mutual TLS).',
        'If it does: create or use an SSL client identity with a certificate the server accepts (STRUST → SSL client Standard or an own identity), and select it in the destination (SM59 → Logon & Security → SSL Certificate).',
      ],
      distinguish:
        'The ICM trace at level 2 shows a CertificateRequest from the server before the alert when a client certificate is asked for.',
    },
    browserVersion: {
      title: 'The browser and {product|the SAP server} share no TLS version or cipher{portClause}',
      summary:
        'The browser reports {code|a handshake failure alert}: the server ended the handshake. Typically the server allows only versions or ciphers the browser no longer offers (or the reverse), e.g. an older configuration without TLS 1.2.',
      steps: [
        '{productFix}',
        'For an AS ABAP / ICM server: set ssl/ciphersuites = {serverCiphers} (SAP Note 510007 §7) in the instance profile and restart the ICM.',
        'Test with "openssl s_client -connect {hostPort|<host>:<port>} -tls1_2" to see which versions the server accepts.',
      ],
      confirm: ['The page opens in the browser without the handshake error.'],
      distinguish:
        'A protocol version problem shows in "openssl s_client -tls1_2" / "-tls1_3" succeeding for one version and failing for the other.',
    },
    clientCipher: {
      title: 'No common cipher suite between the client and {product|the server}',
      summary:
        'With a TLS version in common, the client and the server may still share no cipher suite or elliptic curve (e.g. a server limited to old CBC suites, or a client limited to AES-GCM/ECDHE).',
      steps: [
        'Compare the suites: "openssl s_client -connect {hostPort|<host>:<port>} -tls1_2 -cipher ECDHE" succeeds only when ECDHE suites are offered by the server.',
        'Allow current suites (ECDHE with AES-GCM) on the server; for an AS ABAP / ICM server set ssl/ciphersuites = {serverCiphers} (SAP Note 510007 §7).',
      ],
      confirm: ['The client connects without the handshake error.'],
    },
    javaClientCert: {
      title: 'A client certificate may be required by {product|the server}',
      summary:
        'A server that requires a client certificate (ICM: icm/HTTPS/verify_client = 2 or VCLIENT=2 on the port) ends the handshake with handshake_failure when the Java side has no certificate from a CA the server accepts.{ccNote}',
      steps: [
        "Check whether the server requires client certificates (ICM: icm/HTTPS/verify_client and the port's VCLIENT; other servers: their mutual-TLS setting).",
        "If it does, give the client a key pair signed by a CA listed in the server's trust list (ICM: the certificate list of SSL server Standard in STRUST), or stop requiring client certificates on that port.",
      ],
      confirm: ['The client connects without the handshake error.'],
      distinguish:
        'A handshake debug log (-Djavax.net.debug=ssl:handshake) shows a CertificateRequest from the server followed by an empty Certificate message from the client.',
    },
    clientVersion: {
      title: 'The client and {hostPort|the server} share no TLS version or cipher',
      summary:
        'The client reports {code|a handshake failure}: client and server could not agree on a TLS version or cipher suite. Old JVMs and clients offer TLS 1.0/1.1 only; current servers require TLS 1.2 or 1.3.',
      steps: [
        'Java clients (Cloud Connector, SAP JVM, buildpacks): run a current JVM and allow TLS 1.2/1.3 (e.g. -Djdk.tls.client.protocols=TLSv1.2,TLSv1.3, or https.protocols for HttpsURLConnection).',
        'If the server is an AS ABAP / ICM: set ssl/ciphersuites = {serverCiphers} (SAP Note 510007 §7) in its instance profile and restart the ICM.',
        'Test with "openssl s_client -connect {hostPort|<host>:<port>} -tls1_2" to see which versions the server accepts.',
      ],
      confirm: ['The client connects without the handshake error.'],
      distinguish:
        'A protocol_version message or alert names the version problem; with TLS 1.2 on both sides the cipher list is the suspect.',
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('handshake-rejected', events.probe, now, ctx);
    const infos = events['trace-info'];
    const messages = events.message;
    for (const ev of events['ssl-failure']) {
      const code = sslCodeOf(ev);
      const alert = alertOf(ev);
      const text = failureText(ev);
      if (alert && CERT_ALERTS.has(alert.name)) continue;
      const handshakeAlert =
        alert &&
        [
          'handshake_failure',
          'protocol_version',
          'insufficient_security',
          'illegal_parameter',
          'inappropriate_fallback',
        ].includes(alert.name);
      const matches =
        code === 'SSL_READ' ||
        code === 'ALERT_HANDSHAKE_FAILURE' ||
        code === 'ALERT_PROTOCOL_VERSION' ||
        ((code === 'SSL_CONNECT' || code === 'SSL_ACCEPT' || !code) && handshakeAlert) ||
        /server aborted tls handshake/.test(text);
      if (!matches) continue;
      const parts = failureParts(ev);
      const role = parts.role;
      const params = parametersFor(role);
      const first = params[0] as ReportParameter;
      const tls12 = offersTls12(ev);
      const sniParam = Object.keys(traceInfoFor(ev, infos)?.parameters ?? {}).find((k) =>
        /client_sni_enabled$/.test(k),
      );
      const data = {
        ...failureData(ev, events['trace-info']),
        sniParameter: sniParam,
        alertClause: alert ? ` (alert: ${alert.name.replace(/_/g, ' ')})` : undefined,
        sapSide: role === 'server' ? 'SAP server' : 'SAP system',
        offered: ev.sslCtx?.protocolVersions?.length
          ? `; this one offered ${ev.sslCtx.protocolVersions.join(', ')}`
          : undefined,
        versionHint: tls12 === false ? ' (TLS 1.2 is not offered)' : undefined,
        paramName: first.name,
        paramValue: first.value,
      };
      const ranked: [Cause, Confidence, 'version' | 'cipher' | 'clientCert' | 'sniOff' | 'sniStated'][] = [];
      // The input states SNI is off (a profile value the trace or the paste shows; a trace merely
      // without a TLSextSNI line is not enough here): a front end serving many names refuses such a
      // ClientHello with the same alert.
      const sniMayMatter =
        role !== 'server' &&
        alert?.name !== 'protocol_version' &&
        code !== 'ALERT_PROTOCOL_VERSION' &&
        tls12 !== false;
      const sniOff = sniMayMatter && sniParam !== undefined && sniSent(ev, traceInfoFor(ev, infos)) === false;
      // The paste shows SNI switched off in words the parameters do not hold (an environment variable,
      // an s_client run with -noservername that fails the same way).
      const sniStated = sniMayMatter && !sniOff && inputStates(ev, messages, 'sni-off-stated');
      if (sniOff || sniStated) {
        ranked.push(['sni-missing', 'likely', sniOff ? 'sniOff' : 'sniStated']);
        ranked.push(['tls-version', 'possible', 'version'], ['cipher-mismatch', 'possible', 'cipher']);
      } else if (alert?.name === 'protocol_version' || code === 'ALERT_PROTOCOL_VERSION' || tls12 === false) {
        ranked.push(['tls-version', 'certain', 'version'], ['cipher-mismatch', 'possible', 'cipher']);
      } else if (tls12 === true || inputStates(ev, messages, 'legacy-ciphers-stated')) {
        // TLS 1.2 offered, or the paste lists legacy suites (RC4, 3DES) a side still relies on.
        ranked.push(['cipher-mismatch', 'likely', 'cipher'], ['tls-version', 'possible', 'version']);
      } else {
        ranked.push(['tls-version', 'likely', 'version'], ['cipher-mismatch', 'possible', 'cipher']);
      }
      const anonymous = !ev.pseFile || /sapssla/i.test(ev.pseFile);
      if (role !== 'server' && anonymous) {
        // The call went out with the anonymous PSE (no own certificate: the trace's PSE line, or the paste
        // names SSL client Anonymous for it) and the paste says the partner wants a client certificate
        // (mutual TLS): the certificate it never got comes first.
        const shownAnonymous = ev.pseFile !== undefined || inputStates(ev, messages, 'anonymous-client');
        if (shownAnonymous && inputStates(ev, messages, 'client-cert-required-stated')) {
          if (ranked[0] && ranked[0][1] === 'likely') ranked[0][1] = 'possible';
          ranked.unshift(['client-cert-missing', 'likely', 'clientCert']);
        } else ranked.push(['client-cert-missing', 'possible', 'clientCert']);
      }
      // The server's own log in the paste says why it ended the handshake (Schannel 36874: no shared cipher
      // suite): its cause leads, unless the trace already proves one.
      const told =
        ranked[0]?.[1] === 'certain'
          ? undefined
          : serverTells(
              ev,
              messages,
              ranked.map((r) => r[0]),
            );
      const at = told ? ranked.findIndex((r) => r[0] === told) : -1;
      if (at > 0) {
        const [item] = ranked.splice(at, 1);
        if (ranked[0]?.[1] === 'likely') ranked[0][1] = 'possible';
        ranked.unshift([item![0], 'likely', item![2]]);
      }
      // One line of text proves nothing beyond "the peer refused": never certain then.
      const thin = isThin(ev, infos) && !alert;
      for (const [cause, confidence, message] of ranked) {
        report({
          message,
          data,
          cause,
          confidence: thin && confidence === 'certain' ? 'likely' : confidence,
          severity: 'error',
          ...parts,
          ...(cause === 'sni-missing'
            ? { parameters: [...SNI_PARAMETERS] }
            : cause !== 'client-cert-missing'
              ? { parameters: params }
              : {}),
        });
      }
    }

    for (const ev of [...events['java-tls-failure'], ...events['client-error']] as (
      | JavaTlsFailureEvent
      | ClientErrorEvent
    )[]) {
      const isBrowser = ev.kind === 'client-error' && ev.client === 'browser';
      const problem = ev.problem;
      if (problem !== 'handshake-failure' && problem !== 'protocol-version') continue;
      // A Java program that is not SAP software (no SAP product named) calls the SAP server: its own
      // settings, not ssl/client_ciphersuites, are the fix — the knowledge base's entry judges it.
      if (
        ev.kind === 'java-tls-failure' &&
        !ev.product &&
        !/cloud ?connector|iaik|com\.sap\.|sapjvm/i.test(ev.message)
      )
        continue;
      const message = ev.message.toLowerCase();
      const cloudConnector =
        /cloud ?connector/.test(message) ||
        (ev.kind === 'java-tls-failure' && /cloud ?connector/i.test(ev.product ?? ''));
      const port =
        ev.kind === 'client-error' ? (ev.target?.port ?? /\bport (\d{2,5})\b/.exec(message)?.[1]) : undefined;
      const host = ev.kind === 'client-error' ? ev.target?.host : undefined;
      // A browser or HANA/Java client talks to the SAP side: SAP is the server for browsers.
      const role: Role = isBrowser ? 'server' : 'client';
      const pse: ReportPse | undefined =
        cloudConnector && isBrowser ? { node: 'Cloud Connector UI keystore' } : undefined;
      const code = ev.kind === 'client-error' ? ev.code : ev.exception;
      const events: EvidenceEvent[] = [ev];
      const data = {
        code,
        hostPort: host ? (port !== undefined ? `${host}:${port}` : host) : undefined,
        portClause: port !== undefined ? ` (port ${port})` : undefined,
        // The browser talks to the Cloud Connector's administration UI; the Cloud Connector's own JVM is
        // the client of a back end (or of BTP).
        product: cloudConnector
          ? isBrowser
            ? 'the SAP Cloud Connector administration UI'
            : 'the back end the Cloud Connector calls'
          : undefined,
        ccNote: cloudConnector && !isBrowser ? CC_CLIENT_CERT_NOTE : undefined,
        productFix:
          cloudConnector && isBrowser
            ? 'Cloud Connector: allow TLS 1.2 for the administration UI (SAP KBA 2958529: Configuration → User Interface → protocols/cipher suites, or the "protocols" of the HTTPS connector in its server configuration), then restart the Cloud Connector.'
            : 'Allow TLS 1.2 (and 1.3) with current cipher suites on the server the browser connects to.',
        serverCiphers: SERVER_CIPHERS,
        alertClause: undefined,
        sapSide: 'SAP system',
        paramName: 'ssl/client_ciphersuites',
        paramValue: CLIENT_CIPHERS,
      };
      const kb = ev.kind === 'client-error' && ev.code ? [ev.code] : [];
      const target =
        host || port !== undefined
          ? { ...(host ? { host } : {}), ...(port !== undefined ? { port } : {}) }
          : undefined;
      const common = {
        role,
        events,
        severity: 'error' as const,
        kb,
        ...(ev.kind === 'client-error' && ev.code ? { errorCode: { name: ev.code } } : {}),
        ...(pse ? { pse } : {}),
        ...(target ? { target } : {}),
      };
      const primary = isBrowser ? 'browserVersion' : 'clientVersion';
      const versionConfidence: Confidence =
        problem === 'protocol-version' && !isBrowser ? 'certain' : 'likely';
      // A client set not to send SNI (a JVM option, an environment variable) before a handshake_failure.
      if (problem === 'handshake-failure' && !isBrowser && inputStates(ev, messages, 'sni-off-stated')) {
        report({ message: 'sniStated', data, cause: 'sni-missing', confidence: 'likely', ...common });
        report({ message: primary, data, cause: 'tls-version', confidence: 'possible', ...common });
        report({
          message: 'clientCipher',
          data,
          cause: 'cipher-mismatch',
          confidence: 'possible',
          ...common,
        });
        continue;
      }
      // A code that names the cipher suites (Firefox SSL_ERROR_NO_CYPHER_OVERLAP), or a paste that lists
      // legacy suites (RC4, 3DES) a side still relies on, puts them first.
      // Chrome's ERR_SSL_VERSION_OR_CIPHER_MISMATCH names either: a stated cipher list decides.
      const eitherCode = code === 'ERR_SSL_VERSION_OR_CIPHER_MISMATCH';
      if (
        (problem !== 'protocol-version' || eitherCode) &&
        ((code && /CYPHER|CIPHER_OVERLAP|NO_SHARED_CIPHER/.test(code)) ||
          inputStates(ev, messages, 'legacy-ciphers-stated'))
      ) {
        report({ message: 'clientCipher', data, cause: 'cipher-mismatch', confidence: 'likely', ...common });
        report({ message: primary, data, cause: 'tls-version', confidence: 'possible', ...common });
        continue;
      }
      report({ message: primary, data, cause: 'tls-version', confidence: versionConfidence, ...common });
      report({ message: 'clientCipher', data, cause: 'cipher-mismatch', confidence: 'possible', ...common });
      // A server that demands a client certificate the Java side cannot send also ends in handshake_failure.
      if (!isBrowser && ev.kind === 'java-tls-failure' && problem === 'handshake-failure')
        report({
          message: 'javaClientCert',
          data,
          cause: 'client-cert-missing',
          confidence: 'possible',
          ...common,
        });
    }
  },
});
