/**
 * @module Probe judgement, first section: no TLS conversation happened (DNS, TCP, the forward proxy, a
 * port that does not speak TLS). Reported by connection-failed, proxy-refused and plain-http-on-ssl-port;
 * the words are their templates, this code states the facts.
 */

import { icmCode } from '../../codes/sap-codes.js';
import { describeOutcome } from '../../evidence/probe-transcript.js';
import type { EvidenceLine } from '../../model/evidence.js';
import type { HandshakeAttempt } from '../../model/probe.js';
import { ICM_SSL_ERROR, ProbeContext } from './probe-context.js';

/** ICM codes of a connection to the proxy that failed before CONNECT was answered. */
const PROXY_CONNECT_CODES: Record<string, { name: string; number: number; message: string }> = {
  refused: { name: 'ICM_HTTP_PROXY_CONN_REFUSED', number: 412, message: 'probeProxyRefusesTcp' },
  'host-unknown': { name: 'ICM_HTTP_PROXY_HOST_UNKNOWN', number: 413, message: 'probeProxyHostUnknown' },
  timeout: { name: 'ICM_HTTP_TIMEOUT', number: 402, message: 'probeProxyTimeout' },
};

/** The connection section (see module comment). */
export class ConnectionJudge extends ProbeContext {
  /** Findings when no TLS conversation happened. Returns true when nothing further can be judged. */
  protected judgeConnection(a: HandshakeAttempt): boolean {
    const evidence = this.line('main');
    if (a.step === 'proxy') {
      this.judgeProxy(a, evidence);
      return true;
    }
    const common = {
      rule: 'connection-failed',
      cause: 'network' as const,
      severity: 'error' as const,
      evidence,
    };
    switch (a.outcome) {
      case 'host-unknown':
        this.add({
          ...common,
          message: 'probeHostUnknown',
          confidence: 'certain',
          errorCode: icmCode(417),
          kb: ['ICM_HTTP_HOST_UNKNOWN'],
        });
        return true;
      case 'refused':
        if (a.step !== 'tcp') return false;
        this.add({
          ...common,
          message: 'probeRefused',
          data: { viaProxy: this.r.proxy ? `${this.r.proxy.host}:${this.r.proxy.port}` : undefined },
          confidence: 'certain',
          errorCode: icmCode(400),
          relatedCodes: [{ name: 'NIECONN_REFUSED', number: -10 }],
          kb: ['ICM_HTTP_CONNECTION_FAILED'],
        });
        return true;
      case 'timeout':
        if (a.step !== 'tcp') return false;
        this.add({
          ...common,
          message: 'probeTcpTimeout',
          confidence: 'likely',
          errorCode: icmCode(400),
          relatedCodes: [icmCode(402)],
          kb: ['ICM_HTTP_CONNECTION_FAILED', 'ICM_HTTP_TIMEOUT'],
        });
        return true;
      case 'reset':
        if (a.step !== 'tcp') return false;
        this.add({
          ...common,
          message: 'probeReset',
          confidence: 'likely',
          errorCode: icmCode(401),
          kb: ['ICM_HTTP_CONNECTION_BROKEN'],
        });
        return true;
      case 'not-tls':
        this.judgeNotTls(a, evidence);
        return true;
      default:
        return false;
    }
  }

  protected judgeProxy(a: HandshakeAttempt, evidence: EvidenceLine[]): void {
    const proxy = this.r.proxy;
    const status = a.proxyStatus?.status;
    const common = {
      rule: 'proxy-refused',
      cause: 'proxy' as const,
      severity: 'error' as const,
      evidence,
    };
    if (a.outcome === 'proxy-auth') {
      const withCreds = proxy?.user !== undefined;
      this.add({
        ...common,
        message: withCreds ? 'probeProxyCredentialsRejected' : 'probeProxyAuthRequired',
        data: { authenticate: a.proxyStatus?.authenticate },
        confidence: 'certain',
        errorCode: icmCode(416),
        kb: ['ICM_HTTP_PROXY_UNAUTHORIZED'],
      });
      return;
    }
    if (a.outcome === 'proxy-refused' || a.outcome === 'proxy-error') {
      this.add({
        ...common,
        message: 'probeProxyRefusesTunnel',
        data: {
          status: status !== undefined ? String(status) : undefined,
          answer: status
            ? `${status} ${a.proxyStatus?.statusText ?? ''}`.trim()
            : (a.error?.message ?? undefined),
        },
        confidence: 'certain',
        errorCode: icmCode(426),
        kb: ['ICM_HTTP_PROXY_HTTP_ERROR'],
      });
      return;
    }
    const m = PROXY_CONNECT_CODES[a.outcome] ?? {
      name: 'ICM_HTTP_SSLPROXY_ERROR',
      number: 408,
      message: 'probeProxyFailed',
    };
    this.add({
      ...common,
      message: m.message,
      data: { proxyHost: proxy?.host, outcome: describeOutcome(a), icmName: m.name },
      confidence: a.outcome === 'timeout' ? 'likely' : 'certain',
      errorCode: { name: m.name, number: m.number },
      kb: [m.name],
    });
  }

  protected judgeNotTls(a: HandshakeAttempt, evidence: EvidenceLine[]): void {
    const answer = a.nonTls;
    const http = answer?.kind === 'http';
    this.add({
      rule: 'plain-http-on-ssl-port',
      message: http ? 'probePlainHttp' : 'probeNotTls',
      data: {
        firstLine: answer?.firstLine,
        noAnswer: answer ? undefined : 'yes',
        ssh: answer?.kind === 'ssh' ? 'yes' : undefined,
      },
      cause: 'not-ssl-port',
      confidence: answer ? 'certain' : 'likely',
      severity: 'error',
      errorCode: ICM_SSL_ERROR,
      evidence,
      kb: ['ICM_HTTP_SSL_ERROR'],
    });
  }
}
