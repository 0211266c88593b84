/**
 * @module Probe judgement, second section: the main handshake failed. A client certificate was asked
 * for (client-cert-required, cert-rejected-by-peer), SNI or another version would have worked
 * (server-cert-mismatch, handshake-rejected), an alert, a drop (connection-closed) or a timeout. The
 * words are the reporting rules' templates; this code states the facts.
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
        message: 'probeLocalRefusal',
        data: { outcome: describeOutcome(a) },
        cause: 'cipher-mismatch',
        confidence: 'possible',
        severity: 'error',
        errorCode: ICM_SSL_ERROR,
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

  /** Up to `max` CA names the server lists, " | "-separated, "…" when there are more. */
  protected caList(names: readonly string[], max: number): string | undefined {
    if (!names.length) return undefined;
    return `${names.slice(0, max).join(' | ')}${names.length > max ? ' | …' : ''}`;
  }

  protected alertText(a: HandshakeAttempt): string | undefined {
    return a.alert ? `${a.alert.name} (${a.alert.code})` : undefined;
  }

  protected clientCertMissing(a: HandshakeAttempt): string {
    const names = a.certificateRequest?.caNames ?? [];
    const alert = this.alertText(a);
    this.add({
      rule: 'client-cert-required',
      message: 'probeClientCertMissing',
      data: {
        issuer: names.length === 1 ? names[0] : undefined,
        caCount: names.length > 1 ? String(names.length) : undefined,
        alert,
        noAlert: alert ? undefined : 'yes',
        caList: this.caList(names, 5),
        noCaList: names.length ? undefined : 'yes',
      },
      cause: 'client-cert-missing',
      confidence: 'certain',
      severity: 'error',
      errorCode: ICM_SSL_ERROR,
      relatedCodes: [
        ...(a.alert ? [{ name: alertKbId(a.alert.code), number: a.alert.code }] : []),
        ...(alertCodeIs(a, 40) ? [ALERT_HANDSHAKE] : []),
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
    const notListed = issuerListed === false && names.length > 0;
    this.add({
      rule: 'cert-rejected-by-peer',
      message: 'probeClientCertRejected',
      data: {
        alert: this.alertText(a),
        noAlert: a.alert ? undefined : 'yes',
        reset: !a.alert && a.outcome === 'reset' ? 'yes' : undefined,
        closed: !a.alert && a.outcome !== 'reset' ? 'yes' : undefined,
        clientSubject: id?.subject,
        clientIssuer: notListed ? id?.issuer : undefined,
        caList: notListed ? this.caList(names, 3) : undefined,
        issuerNotListed: issuerListed === false ? 'yes' : undefined,
        issuerMaybeListed: issuerListed === false ? undefined : 'yes',
      },
      cause: 'client-cert-rejected',
      confidence: a.alert ? 'certain' : 'likely',
      severity: 'error',
      errorCode: ICM_SSL_ERROR,
      relatedCodes: a.alert ? [{ name: alertKbId(a.alert.code), number: a.alert.code }] : [],
      evidence: this.linesOf('main', false).concat(this.caNameLines('main')),
      kb: ['ICM_HTTP_SSL_ERROR', ...(a.alert ? [alertKbId(a.alert.code)] : [])],
    });
    return 'client-cert-rejected';
  }

  protected sniRequired(a: HandshakeAttempt, cmp: HandshakeAttempt): string {
    this.add({
      rule: 'server-cert-mismatch',
      message: 'probeSniRequired',
      data: { withoutSni: describeOutcome(a).replace(/^the server /, ''), sni: cmp.sni },
      cause: 'sni-missing',
      confidence: 'certain',
      severity: 'error',
      errorCode: a.outcome === 'alert' && a.alert?.code === 40 ? ALERT_HANDSHAKE : CONN_CLOSED,
      relatedCodes: [
        ICM_SSL_ERROR,
        ...(a.alert ? [{ name: alertKbId(a.alert.code), number: a.alert.code }] : []),
      ],
      parameters: [...SNI_PARAMETERS],
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
      message: onlyOld ? 'probeOnlyOldVersions' : 'probeOnlyOtherVersions',
      data: {
        acceptedList: accepted.join(' / '),
        accepted: accepted.join(' and '),
        outcome: describeOutcome(a),
      },
      cause: 'tls-version',
      confidence: 'certain',
      severity: 'error',
      errorCode,
      relatedCodes: [ICM_SSL_ERROR],
      parameters: [param],
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
        message: 'probeProtocolAlert',
        data: { alert },
        cause: 'tls-version',
        confidence: 'likely',
        severity: 'error',
        errorCode: ALERT_PROTOCOL,
        relatedCodes: [ICM_SSL_ERROR],
        parameters: [CIPHERS_WITH_OLD_TLS],
        evidence: [...this.line('main'), ...this.line('versions')],
        kb: ['SSSLERR_ALERT_PROTOCOL_VERSION', 'ssl/client_ciphersuites', alertKbId(code)],
      });
      return 'tls-version';
    }
    if (code === 112) {
      this.add({
        rule: 'server-cert-mismatch',
        message: 'probeUnrecognizedName',
        data: { alert, sni: a.sni, name: a.sni ?? this.r.target.host },
        cause: 'wrong-host',
        confidence: 'likely',
        severity: 'error',
        errorCode: ICM_SSL_ERROR,
        relatedCodes: [{ name: alertKbId(code), number: code }],
        evidence: this.line('main'),
        kb: ['ICM_HTTP_SSL_ERROR', alertKbId(code)],
      });
      return 'wrong-host';
    }
    const cipher = code === 40 || code === 71;
    this.add({
      rule: 'handshake-rejected',
      message: cipher ? 'probeNoCommonCipher' : 'probeAlert',
      data: { alert },
      cause: cipher ? 'cipher-mismatch' : 'unknown',
      confidence: cipher ? 'likely' : 'possible',
      severity: 'error',
      errorCode: code === 40 ? ALERT_HANDSHAKE : ICM_SSL_ERROR,
      relatedCodes: [...(code === 40 ? [ICM_SSL_ERROR] : []), { name: alertKbId(code), number: code }],
      ...(cipher ? { parameters: [CIPHERS_WITH_TLS13] } : {}),
      evidence: [...this.line('main'), ...this.line('versions')],
      kb: [code === 40 ? 'SSSLERR_ALERT_HANDSHAKE_FAILURE' : 'ICM_HTTP_SSL_ERROR', alertKbId(code)],
    });
    return cipher ? 'cipher-mismatch' : 'unknown';
  }

  protected droppedHandshake(a: HandshakeAttempt): string {
    const noneAccepted = (this.r.versions ?? []).every((v) => v.result !== 'accepted');
    this.add({
      rule: 'connection-closed',
      message: 'probeDropped',
      data: { outcome: describeOutcome(a), noneAccepted: noneAccepted ? 'yes' : undefined },
      cause: 'network',
      confidence: 'possible',
      severity: 'error',
      errorCode: CONN_CLOSED,
      relatedCodes: [ICM_SSL_ERROR],
      evidence: [...this.line('main'), ...this.line('sni-compare'), ...this.line('versions')],
      kb: ['SSSLERR_CONN_CLOSED', 'ICM_HTTP_SSL_ERROR'],
    });
    return 'network';
  }

  protected handshakeTimeout(a: HandshakeAttempt): string {
    this.add({
      rule: 'connection-failed',
      message: 'probeHandshakeTimeout',
      data: { outcome: describeOutcome(a) },
      cause: 'network',
      confidence: 'likely',
      severity: 'error',
      errorCode: icmCode(402),
      relatedCodes: [ICM_SSL_ERROR],
      evidence: this.line('main'),
      kb: ['ICM_HTTP_TIMEOUT', 'ICM_HTTP_SSL_ERROR'],
    });
    return 'network';
  }
}
