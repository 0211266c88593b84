/**
 * @module Probe judgement, first section: no TLS conversation happened (DNS, TCP, the forward proxy, a
 * port that does not speak TLS). Reported by connection-failed, proxy-refused and plain-http-on-ssl-port.
 */

import { icmCode } from '../../codes/sap-codes.js';
import { describeOutcome } from '../../evidence/probe-transcript.js';
import type { Severity } from '../../model/cause.js';
import type { EvidenceLine } from '../../model/evidence.js';
import type { HandshakeAttempt } from '../../model/probe.js';
import { ICM_SSL_ERROR, ProbeContext } from './probe-context.js';

/** The connection section (see module comment). */
export class ConnectionJudge extends ProbeContext {
  /** Findings when no TLS conversation happened. Returns true when nothing further can be judged. */
  protected judgeConnection(a: HandshakeAttempt): boolean {
    const evidence = this.line('main');
    const hp = this.hostPort();
    const viaProxy = this.r.proxy ? ` (through the proxy ${this.r.proxy.host}:${this.r.proxy.port})` : '';
    if (a.step === 'proxy') {
      this.judgeProxy(a, evidence);
      return true;
    }
    switch (a.outcome) {
      case 'host-unknown':
        this.add({
          rule: 'connection-failed',
          cause: 'network',
          confidence: 'certain',
          severity: 'error',
          title: `The host name ${this.r.target.host} does not resolve`,
          summary: `DNS gives no address for ${this.r.target.host} on this machine, so no connection is made. The ICM reports ICM_HTTP_HOST_UNKNOWN when its host cannot resolve the name either.`,
          errorCode: icmCode(417),
          steps: [
            'Check the host name in the SM59 destination / logical port for typos.',
            "Resolve it on the application server itself (nslookup, /etc/hosts): the ICM uses that host's DNS, not this machine's.",
            'If only a proxy can resolve external names, set the proxy in the destination (SM59 → Special Options / SICF client proxy).',
          ],
          confirm: [this.probeAgain('reaches the TLS handshake.')],
          evidence,
          kb: ['ICM_HTTP_HOST_UNKNOWN'],
        });
        return true;
      case 'refused':
        if (a.step !== 'tcp') return false;
        this.add({
          rule: 'connection-failed',
          cause: 'network',
          confidence: 'certain',
          severity: 'error',
          title: `${hp} refuses the TCP connection`,
          summary: `Nothing listens on port ${this.r.target.port} of ${this.r.target.host}${viaProxy}, or a firewall rejects the connection. The ICM reports this as ICM_HTTP_CONNECTION_FAILED; its trace shows NIECONN_REFUSED. It is not a certificate problem.`,
          errorCode: icmCode(400),
          relatedCodes: [{ name: 'NIECONN_REFUSED', number: -10 }],
          steps: [
            'Check host and port of the destination (HTTPS usually 443; the SAP ICM HTTPS port is often 443<nn> or 44300).',
            'Test from the application server itself (the ICM host), not only from a workstation: firewalls differ.',
            'If the target is outside the company network, the call probably needs the forward proxy (SM59 → Special Options, or SICF → Client → Proxy Settings).',
          ],
          confirm: [this.probeAgain('reaches the TLS handshake.')],
          evidence,
          kb: ['ICM_HTTP_CONNECTION_FAILED'],
        });
        return true;
      case 'timeout':
        if (a.step !== 'tcp') return false;
        this.add({
          rule: 'connection-failed',
          cause: 'network',
          confidence: 'likely',
          severity: 'error',
          title: `No TCP connection to ${hp} within ${this.r.timeoutMs} ms`,
          summary: `The connection attempt got no answer: a firewall drops the packets, the host is down, or the network route is missing. The ICM reports ICM_HTTP_CONNECTION_FAILED (or ICM_HTTP_TIMEOUT) in that case.`,
          errorCode: icmCode(400),
          relatedCodes: [icmCode(402)],
          steps: [
            'Test the TCP connection from the application server (the ICM host).',
            'Ask the network team whether a firewall drops traffic to this host and port, or whether the call must go through the proxy.',
          ],
          distinguish: 'A probe with a longer time-out tells a slow network from a silent drop.',
          evidence,
          kb: ['ICM_HTTP_CONNECTION_FAILED', 'ICM_HTTP_TIMEOUT'],
        });
        return true;
      case 'reset':
        if (a.step !== 'tcp') return false;
        this.add({
          rule: 'connection-failed',
          cause: 'network',
          confidence: 'likely',
          severity: 'error',
          title: `${hp} resets the TCP connection at once`,
          summary:
            'The connection is reset before any TLS message: a firewall or load balancer rejects this client. The ICM reports a broken connection (ICM_HTTP_CONNECTION_BROKEN / NIECONN_BROKEN).',
          errorCode: icmCode(401),
          steps: ["Check firewall and load-balancer rules for the application server's address."],
          evidence,
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
    const at = proxy ? `${proxy.host}:${proxy.port}` : 'the proxy';
    const status = a.proxyStatus?.status;
    const common = {
      rule: 'proxy-refused',
      cause: 'proxy' as const,
      severity: 'error' as Severity,
      evidence,
    };
    const confirm = [
      this.probeAgain('reaches the TLS handshake.', {
        cli: ` --proxy http://…@${at}`,
        web: ` through the proxy ${at} (with its user, under "Client certificate and proxy")`,
      }),
    ];
    if (a.outcome === 'proxy-auth') {
      const withCreds = proxy?.user !== undefined;
      this.add({
        ...common,
        confidence: 'certain',
        title: withCreds
          ? `The proxy ${at} rejects the given credentials (407)`
          : `The proxy ${at} requires authentication (407)`,
        summary: `${withCreds ? 'The proxy answered CONNECT with 407 although a user was given' : 'The proxy answered CONNECT with 407 Proxy Authentication Required'}${a.proxyStatus?.authenticate ? ` (it asks for: ${a.proxyStatus.authenticate})` : ''}. No TLS with ${this.hostPort()} took place. The ICM reports ICM_HTTP_PROXY_UNAUTHORIZED. Note: this proxy 407 is not the "HTTP error 407" of SM59/abapGit, which is ICM_HTTP_SSL_ERROR.`,
        errorCode: icmCode(416),
        steps: [
          'Enter the proxy user and password in the destination (SM59 → Special Options → HTTP Proxy Options) or in SICF → Client → Proxy Settings.',
          'Check with the proxy team that this user may use CONNECT to the target host and port, and which authentication the proxy wants (Basic is what the ICM sends).',
        ],
        confirm,
        kb: ['ICM_HTTP_PROXY_UNAUTHORIZED'],
      });
      return;
    }
    if (a.outcome === 'proxy-refused' || a.outcome === 'proxy-error') {
      this.add({
        ...common,
        confidence: 'certain',
        title: `The proxy ${at} refuses the tunnel to ${this.hostPort()}${status ? ` (${status})` : ''}`,
        summary: `The proxy answered CONNECT with ${status ? `${status} ${a.proxyStatus?.statusText ?? ''}`.trim() : (a.error?.message ?? 'an error')}: its rules do not allow this target (host, port or category). No TLS took place. The ICM reports ICM_HTTP_PROXY_HTTP_ERROR ("proxy returned ${status ?? '…'}").`,
        errorCode: icmCode(426),
        steps: [
          'Ask the proxy team to allow CONNECT to this host and port for the SAP system.',
          'Or, if the target is internal, remove the proxy for it (no-proxy list of the destination).',
        ],
        confirm,
        kb: ['ICM_HTTP_PROXY_HTTP_ERROR'],
      });
      return;
    }
    const map: Record<string, { name: string; number: number; title: string }> = {
      refused: {
        name: 'ICM_HTTP_PROXY_CONN_REFUSED',
        number: 412,
        title: `The proxy ${at} refuses the TCP connection`,
      },
      'host-unknown': {
        name: 'ICM_HTTP_PROXY_HOST_UNKNOWN',
        number: 413,
        title: `The proxy host ${proxy?.host ?? ''} does not resolve`,
      },
      timeout: { name: 'ICM_HTTP_TIMEOUT', number: 402, title: `The proxy ${at} does not answer in time` },
    };
    const m = map[a.outcome] ?? {
      name: 'ICM_HTTP_SSLPROXY_ERROR',
      number: 408,
      title: `The connection through the proxy ${at} failed`,
    };
    this.add({
      ...common,
      confidence: a.outcome === 'timeout' ? 'likely' : 'certain',
      title: m.title,
      summary: `${describeOutcome(a)}. No TLS with ${this.hostPort()} took place; the ICM reports ${m.name}.`,
      errorCode: { name: m.name, number: m.number },
      steps: [
        'Check the proxy host and port in the destination (SM59 → Special Options) or in SICF → Client → Proxy Settings.',
      ],
      confirm,
      kb: [m.name],
    });
  }

  protected judgeNotTls(a: HandshakeAttempt, evidence: EvidenceLine[]): void {
    const answer = a.nonTls;
    const http = answer?.kind === 'http';
    this.add({
      rule: 'plain-http-on-ssl-port',
      cause: 'not-ssl-port',
      confidence: answer ? 'certain' : 'likely',
      severity: 'error',
      title: http ? `${this.hostPort()} speaks plain HTTP, not TLS` : `${this.hostPort()} does not speak TLS`,
      summary: `The server answered the TLS ClientHello with ${answer ? `"${answer.firstLine}"` : 'data that is not TLS'}${http ? ': this is a plain HTTP port' : answer?.kind === 'ssh' ? ': an SSH server' : ''}. The ICM shows ICM_HTTP_SSL_ERROR; the SSSLERR code in dev_icm varies (the handshake fails while reading the answer).`,
      errorCode: ICM_SSL_ERROR,
      steps: http
        ? [
            'Use the HTTPS port of the server (often 443 or 443<nn>), or',
            'if the service really is plain HTTP, switch SSL off in the destination (SM59 → Logon & Security → SSL Inactive) — only when the data may travel unencrypted.',
          ]
        : ["Check the port: it belongs to another protocol. Use the server's HTTPS port."],
      confirm: [this.probeAgain('shows a TLS handshake.')],
      evidence,
      kb: ['ICM_HTTP_SSL_ERROR'],
    });
  }
}
