/**
 * @module Probe judgement, second section: the main handshake failed. A client certificate was asked
 * for (client-cert-required, cert-rejected-by-peer), SNI or another version would have worked
 * (server-cert-mismatch, handshake-rejected), an alert, a drop (connection-closed) or a timeout.
 */

import { icmCode } from '../../codes/sap-codes.js';
import { alertKbId, CLIENT_CERT_REJECTION_ALERTS } from '../../codes/tls-alerts.js';
import { describeOutcome } from '../../evidence/probe-transcript.js';
import type { EvidenceLine } from '../../model/evidence.js';
import type { HandshakeAttempt, TlsVersionName } from '../../model/probe.js';
import { sameDn } from '../../pki/dn.js';
import { ConnectionJudge } from './probe-connection.js';
import {
  ALERT_HANDSHAKE,
  ALERT_PROTOCOL,
  alertCodeIs,
  CIPHERS_WITH_OLD_TLS,
  CIPHERS_WITH_TLS13,
  CONN_CLOSED,
  ICM_SSL_ERROR,
  rank,
  SNI_PARAMETERS,
} from './probe-context.js';

/** The handshake section (see module comment). */
export class HandshakeJudge extends ConnectionJudge {
  /** Findings about the main handshake itself. Returns the cause it settled on, if any. */
  protected judgeHandshake(a: HandshakeAttempt): string | undefined {
    const requested = a.certificateRequest !== undefined;
    const failed = a.outcome !== 'ok';
    if (!failed) return undefined;
    const alertCode = a.alert?.direction === 'received' ? a.alert.code : undefined;

    // Client certificate: the server asked, and then refused.
    if (requested || alertCode === 116) {
      if (!a.withClientCert) return this.clientCertMissing(a);
      const rejectedByAlert =
        alertCode !== undefined && (CLIENT_CERT_REJECTION_ALERTS.has(alertCode) || alertCode === 40);
      const rejectedAfter =
        a.step === 'post-handshake' &&
        (a.outcome === 'closed' || a.outcome === 'reset' || a.outcome === 'alert');
      if (rejectedByAlert || rejectedAfter) return this.clientCertRejected(a);
    }

    // The other attempts tell what the server would have accepted.
    const cmp = this.r.sniCompare;
    if (cmp && cmp.outcome === 'ok' && !a.sni && cmp.sni) return this.sniRequired(a, cmp);
    const old = this.acceptedOutside(a);
    if (old.length > 0) return this.versionMismatch(a, old);

    if (a.outcome === 'alert' && alertCode !== undefined) return this.alertFailure(a, alertCode);
    if (a.outcome === 'closed' || a.outcome === 'reset') return this.droppedHandshake(a);
    if (a.outcome === 'timeout') return this.handshakeTimeout(a);
    if (a.outcome === 'local-refusal') {
      this.add({
        rule: 'handshake-rejected',
        cause: 'cipher-mismatch',
        confidence: 'possible',
        severity: 'error',
        title: `The handshake with ${this.hostPort()} fails on this side`,
        summary: `${describeOutcome(a)}. The server chose parameters a current TLS client refuses. The version scan found no version that works either.`,
        errorCode: ICM_SSL_ERROR,
        steps: ["Compare the server's TLS configuration with ssl/client_ciphersuites (SAP Note 510007 §7)."],
        evidence: this.line('main'),
        kb: ['ICM_HTTP_SSL_ERROR', 'ssl/client_ciphersuites'],
      });
      return 'cipher-mismatch';
    }
    return undefined;
  }

  /** Versions the server accepted that the main handshake did not offer. */
  protected acceptedOutside(a: HandshakeAttempt): TlsVersionName[] {
    const offered = new Set<TlsVersionName>(
      (['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as TlsVersionName[]).filter(
        (v) => rank(v) >= rank(a.minVersion) && rank(v) <= rank(a.maxVersion),
      ),
    );
    return (this.r.versions ?? [])
      .filter((v) => v.result === 'accepted' && !offered.has(v.version))
      .map((v) => v.version);
  }

  protected clientCertMissing(a: HandshakeAttempt): string {
    const names = a.certificateRequest?.caNames ?? [];
    const alert = a.alert ? `${a.alert.name} (${a.alert.code})` : undefined;
    this.add({
      rule: 'client-cert-required',
      cause: 'client-cert-missing',
      confidence: 'certain',
      severity: 'error',
      title: `${this.hostPort()} requires a client certificate and none was sent`,
      summary: `The server asked for a client certificate${names.length ? ` issued by ${names.length === 1 ? names[0] : `one of ${names.length} CAs`}` : ''} and ${alert ? `ended the handshake with ${alert}` : 'dropped the connection'} when none came. The SAP side must send its own certificate: the destination needs an SSL client identity (a PSE with a key and a certificate the server accepts). The ICM shows ICM_HTTP_SSL_ERROR; SOAMANAGER shows WSS040 when no SSL client PSE is set.`,
      errorCode: ICM_SSL_ERROR,
      relatedCodes: [
        ...(a.alert ? [{ name: alertKbId(a.alert.code), number: a.alert.code }] : []),
        ...(alertCodeIs(a, 40) ? [ALERT_HANDSHAKE] : []),
      ],
      steps: [
        'In SM59 (Logon & Security → SSL Certificate) choose an SSL client identity that has its own certificate, e.g. "DFAULT SSL Client (Standard)" or a dedicated identity created in STRUST; for web services, the SSL client PSE of the SOAMANAGER logical port.',
        names.length
          ? `That identity's certificate must be issued by a CA the server accepts: ${names.slice(0, 5).join(' | ')}${names.length > 5 ? ' | …' : ''}. Create a CSR in STRUST for it and have that CA sign it, or give the server owner your certificate's CA.`
          : 'The server lists no acceptable CAs: ask its owner which CA must have issued the client certificate.',
        'Have the server side map the certificate to a user, if it logs on with it.',
        {
          text: 'Check with --client-cert <file> (PEM with key, or PKCS#12 exported with "sapgenpse export_p12") before changing the destination.',
          web: 'Check by probing with the client certificate (under "Client certificate and proxy": PEM with key, PKCS#12 exported with "sapgenpse export_p12", or the PSE with its PIN) before changing the destination.',
          action: { kind: 'field', page: 'probe', value: this.hostPort() },
        },
      ],
      confirm: [
        this.probeAgain('completes the handshake.', {
          cli: ' --client-cert <file>',
          web: ' with the client certificate',
        }),
      ],
      evidence: this.linesOf('main', false).concat(this.caNameLines('main')),
      kb: [
        'ICM_HTTP_SSL_ERROR',
        'WSS040',
        'SSSLERR_NO_CLIENT_CERT',
        ...(a.alert ? [alertKbId(a.alert.code)] : []),
      ],
    });
    return 'client-cert-missing';
  }

  protected caNameLines(label: string): EvidenceLine[] {
    const start = this.transcript.attemptLine[label];
    if (start === undefined) return [];
    const out: EvidenceLine[] = [];
    for (let n = start + 1; n <= this.transcript.lines.length; n++) {
      const text = this.transcript.lines[n - 1] ?? '';
      if (!text.startsWith(`[${label}] `)) break;
      if (text.includes('asks for a client certificate')) out.push({ input: this.inputIndex, line: n, text });
    }
    return out;
  }

  protected clientCertRejected(a: HandshakeAttempt): string {
    const id = this.r.clientIdentity;
    const names = a.certificateRequest?.caNames ?? [];
    const issuerListed = id?.issuer ? names.some((n) => sameDn(n, id.issuer ?? '')) : undefined;
    const how = a.alert
      ? `answered with the alert ${a.alert.name} (${a.alert.code})`
      : a.outcome === 'reset'
        ? 'reset the connection right after the handshake'
        : 'closed the connection right after the handshake';
    const summary = [
      `The server ${how} after the client certificate ${id?.subject ? `"${id.subject}"` : ''} was sent: it does not accept it.`,
      issuerListed === false && names.length
        ? `Its issuer "${id?.issuer}" is not among the CAs the server accepts (${names.slice(0, 3).join(' | ')}${names.length > 3 ? ' | …' : ''}); CommonCryptoLib may not even offer it (its client sends a certificate when the server's CA list names its issuer).`
        : '',
      'The ICM shows ICM_HTTP_SSL_ERROR (the remote side refused our certificate).',
    ]
      .filter(Boolean)
      .join(' ');
    this.add({
      rule: 'cert-rejected-by-peer',
      cause: 'client-cert-rejected',
      confidence: a.alert ? 'certain' : 'likely',
      severity: 'error',
      title: `${this.hostPort()} rejects the client certificate`,
      summary,
      errorCode: ICM_SSL_ERROR,
      relatedCodes: a.alert ? [{ name: alertKbId(a.alert.code), number: a.alert.code }] : [],
      steps: [
        issuerListed === false
          ? "Use a client certificate issued by one of the CAs the server lists, or ask the server owner to trust your certificate's issuing CA."
          : 'Ask the server owner to trust the CA that issued your client certificate (and its chain) and to map the certificate to a user if it logs on with it.',
        'Make sure the SSL client PSE holds the full chain of its own certificate, so the ICM sends the intermediates too.',
        'Check that the client certificate is valid (not expired) and allows client authentication (extended key usage clientAuth).',
      ],
      confirm: [
        this.probeAgain('completes the handshake and keeps the connection.', {
          cli: ' --client-cert <file>',
          web: ' with the client certificate',
        }),
      ],
      ...(a.alert
        ? {}
        : {
            distinguish:
              'A closed connection right after the handshake is how some servers reject a client certificate; whether the server then answers an HTTP request tells it from a server that closes every connection.',
          }),
      evidence: this.linesOf('main', false).concat(this.caNameLines('main')),
      kb: ['ICM_HTTP_SSL_ERROR', ...(a.alert ? [alertKbId(a.alert.code)] : [])],
    });
    return 'client-cert-rejected';
  }

  protected sniRequired(a: HandshakeAttempt, cmp: HandshakeAttempt): string {
    this.add({
      rule: 'server-cert-mismatch',
      cause: 'sni-missing',
      confidence: 'certain',
      severity: 'error',
      title: `${this.hostPort()} needs SNI: without it the handshake fails`,
      summary: `Without SNI the server ${describeOutcome(a).replace(/^the server /, '')}; with SNI "${cmp.sni}" the handshake works. The ICM must send the server name.`,
      errorCode: a.outcome === 'alert' && a.alert?.code === 40 ? ALERT_HANDSHAKE : CONN_CLOSED,
      relatedCodes: [
        ICM_SSL_ERROR,
        ...(a.alert ? [{ name: alertKbId(a.alert.code), number: a.alert.code }] : []),
      ],
      parameters: [...SNI_PARAMETERS],
      steps: [
        'Set icm/HTTPS/client_sni_enabled = TRUE (and ssl/client_sni_enabled = TRUE for the other kernel clients) in the instance profile.',
        'Restart the ICM (SMICM → Administration → ICM → Restart) or the instance.',
        'Old kernels need the SNI corrections of SAP Notes 2124480 / 2384290.',
      ],
      confirm: [
        {
          text: `${this.probeCommand(' --no-sni')} fails and ${this.probeCommand()} works; in dev_icm (trace level 2) the handshake shows the server name.`,
          web: `A probe of ${this.hostPort()} (Probe page) with "Server name (SNI)" unticked fails and with it ticked works; in dev_icm (trace level 2) the handshake shows the server name.`,
          action: { kind: 'field', page: 'probe', value: this.hostPort() },
        },
      ],
      evidence: [...this.line('main'), ...this.line('sni-compare')],
      kb: [
        'icm/HTTPS/client_sni_enabled',
        'ssl/client_sni_enabled',
        'SSSLERR_CONN_CLOSED',
        'ICM_HTTP_SSL_ERROR',
      ],
    });
    return 'sni-missing';
  }

  protected versionMismatch(a: HandshakeAttempt, accepted: TlsVersionName[]): string {
    const onlyOld = accepted.every((v) => v === 'TLSv1' || v === 'TLSv1.1');
    const param = onlyOld ? CIPHERS_WITH_OLD_TLS : CIPHERS_WITH_TLS13;
    const errorCode =
      a.alert?.code === 70 ? ALERT_PROTOCOL : a.alert?.code === 40 ? ALERT_HANDSHAKE : CONN_CLOSED;
    this.add({
      rule: 'handshake-rejected',
      cause: 'tls-version',
      confidence: 'certain',
      severity: 'error',
      title: `${this.hostPort()} accepts only ${accepted.join(' / ')}`,
      summary: onlyOld
        ? `The server refuses TLS 1.2 and 1.3 (${describeOutcome(a)}) and accepts only ${accepted.join(' and ')}. An ICM configured as SAP recommends today offers TLS 1.2 and newer, so the handshake fails. The right fix is TLS 1.2 on the server; enabling the old protocol in SAP is a stop-gap.`
        : `The server accepts only ${accepted.join(' and ')}. The ICM offers TLS 1.3 only with a kernel and CommonCryptoLib that support it and a client cipher-suite string that enables it.`,
      errorCode,
      relatedCodes: [ICM_SSL_ERROR],
      parameters: [param],
      steps: onlyOld
        ? [
            'Ask the server owner to enable TLS 1.2 (TLS 1.0/1.1 are deprecated, RFC 8996).',
            'Only as a stop-gap: allow the old version in ssl/client_ciphersuites (a string with TLS 1.0 enabled, e.g. the 150 prefix of SAP Note 510007 §7), then restart the ICM.',
          ]
        : [
            'Update the kernel and CommonCryptoLib to levels with TLS 1.3 (SAP Notes 3318423, 2765639).',
            'Set ssl/client_ciphersuites to a string that enables TLS 1.3 (SAP Note 3346659), then restart the ICM.',
          ],
      confirm: ['A connection test in SM59 works; dev_icm (trace level 2) shows the negotiated protocol.'],
      evidence: [...this.line('main'), ...this.line('versions')],
      kb: ['ssl/client_ciphersuites', errorCode.name, 'ICM_HTTP_SSL_ERROR'],
    });
    return 'tls-version';
  }

  protected alertFailure(a: HandshakeAttempt, code: number): string {
    const alert = `${a.alert?.name ?? code} (${code})`;
    if (code === 70) {
      this.add({
        rule: 'handshake-rejected',
        cause: 'tls-version',
        confidence: 'likely',
        severity: 'error',
        title: `${this.hostPort()} refuses the offered TLS versions`,
        summary: `The server answered with ${alert} and the version scan found no version it accepts from this machine.`,
        errorCode: ALERT_PROTOCOL,
        relatedCodes: [ICM_SSL_ERROR],
        parameters: [CIPHERS_WITH_OLD_TLS],
        steps: ["Compare the server's TLS versions with ssl/client_ciphersuites (SAP Note 510007 §7)."],
        evidence: [...this.line('main'), ...this.line('versions')],
        kb: ['SSSLERR_ALERT_PROTOCOL_VERSION', 'ssl/client_ciphersuites', alertKbId(code)],
      });
      return 'tls-version';
    }
    if (code === 112) {
      this.add({
        rule: 'server-cert-mismatch',
        cause: 'wrong-host',
        confidence: 'likely',
        severity: 'error',
        title: `${this.hostPort()} does not serve the name ${a.sni ?? this.r.target.host}`,
        summary: `The server answered the server name ${a.sni ? `"${a.sni}"` : ''} with ${alert}: it hosts other names. The URL names a host this server does not serve, or the name resolves to the wrong server.`,
        errorCode: ICM_SSL_ERROR,
        relatedCodes: [{ name: alertKbId(code), number: code }],
        steps: [
          'Use the host name the service publishes (FQDN) in the destination.',
          'Check DNS / hosts entries on the application server (SAP KBA 3391859).',
        ],
        evidence: this.line('main'),
        kb: ['ICM_HTTP_SSL_ERROR', alertKbId(code)],
      });
      return 'wrong-host';
    }
    const cipher = code === 40 || code === 71;
    this.add({
      rule: 'handshake-rejected',
      cause: cipher ? 'cipher-mismatch' : 'unknown',
      confidence: cipher ? 'likely' : 'possible',
      severity: 'error',
      title: `${this.hostPort()} aborts the handshake with ${alert}`,
      summary: cipher
        ? `The server found nothing it accepts in the ClientHello: no common cipher suite or curve. The version scan found no protocol version that works either.`
        : `The server ended the handshake with ${alert}.`,
      errorCode: code === 40 ? ALERT_HANDSHAKE : ICM_SSL_ERROR,
      relatedCodes: [...(code === 40 ? [ICM_SSL_ERROR] : []), { name: alertKbId(code), number: code }],
      ...(cipher ? { parameters: [CIPHERS_WITH_TLS13] } : {}),
      steps: cipher
        ? [
            "Compare the server's cipher suites and curves with ssl/client_ciphersuites (SAP Note 510007 §7, 3346659).",
            'Update CommonCryptoLib if it is old (SAP Note 1848999).',
            'Check for a TLS-intercepting middlebox between the SAP system and the server.',
          ]
        : ['Raise the ICM trace to level 2, reproduce, and read the errorstack in dev_icm.'],
      collect: ['openssl s_client -connect <host>:<port> -servername <host> from the application server'],
      evidence: [...this.line('main'), ...this.line('versions')],
      kb: [code === 40 ? 'SSSLERR_ALERT_HANDSHAKE_FAILURE' : 'ICM_HTTP_SSL_ERROR', alertKbId(code)],
    });
    return cipher ? 'cipher-mismatch' : 'unknown';
  }

  protected droppedHandshake(a: HandshakeAttempt): string {
    const noneAccepted = (this.r.versions ?? []).every((v) => v.result !== 'accepted');
    this.add({
      rule: 'connection-closed',
      cause: 'network',
      confidence: 'possible',
      severity: 'error',
      title: `${this.hostPort()} drops the TLS handshake`,
      summary: `${describeOutcome(a)}, without a TLS alert. ${noneAccepted ? 'No protocol version worked in the version scan either. ' : ''}A firewall or IP filter, a server that refuses this client's address, or an unsupported ClientHello (cipher, curve) does this. The ICM reports SSSLERR_CONN_CLOSED (trace: "SSL::SiRecv() failed rc==SSSLRC_CONN_CLOSED", state "TLS read server hello").`,
      errorCode: CONN_CLOSED,
      relatedCodes: [ICM_SSL_ERROR],
      steps: [
        'Test from the application server itself; compare with another client (openssl s_client) there.',
        "Ask the server owner whether the SAP system's address is allowed and which TLS versions and ciphers it accepts.",
      ],
      collect: ['ICM trace level 2 of the failing call (SSL state at failure)'],
      evidence: [...this.line('main'), ...this.line('sni-compare'), ...this.line('versions')],
      kb: ['SSSLERR_CONN_CLOSED', 'ICM_HTTP_SSL_ERROR'],
    });
    return 'network';
  }

  protected handshakeTimeout(a: HandshakeAttempt): string {
    this.add({
      rule: 'connection-failed',
      cause: 'network',
      confidence: 'likely',
      severity: 'error',
      title: `${this.hostPort()} does not answer the TLS ClientHello`,
      summary: `The TCP connection opened, but no TLS answer came within ${this.r.timeoutMs} ms (${describeOutcome(a)}). A middlebox swallows the handshake, the server is overloaded, or the port expects another protocol that waits for the client to speak first. The ICM reports ICM_HTTP_TIMEOUT.`,
      errorCode: icmCode(402),
      relatedCodes: [ICM_SSL_ERROR],
      steps: [
        {
          text: 'Repeat with a longer --timeout to tell a slow server from a silent one.',
          web: 'Repeat the probe with a longer time-out (the command-line probe takes one) to tell a slow server from a silent one.',
        },
        'Check that the port is the TLS port of the service; a plain protocol that waits for the client (e.g. some plain HTTP servers) also looks like this.',
      ],
      distinguish:
        'If a probe with a 30-second time-out still gets no answer, the port is not a TLS endpoint for this client.',
      evidence: this.line('main'),
      kb: ['ICM_HTTP_TIMEOUT', 'ICM_HTTP_SSL_ERROR'],
    });
    return 'network';
  }
}
