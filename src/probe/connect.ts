/**
 * @module The TCP leg of a probe: a direct connection, or a tunnel through an HTTP forward proxy
 * (CONNECT, optional Basic authentication), each step with its own time limit.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { isIPv6Address } from '../model/ip-address.js';
import type { AttemptOutcome, AttemptStep, ProxyConfig } from './types.js';

/** A connected socket ready for the TLS handshake. */
export interface TcpConnected {
  ok: true;
  socket: Socket;
  /** The proxy's answer to CONNECT, when a proxy was used. */
  proxyStatus?: { status: number; statusText: string };
}

/** Why no TCP connection (or tunnel) came about. */
export interface TcpFailed {
  ok: false;
  outcome: AttemptOutcome;
  step: AttemptStep;
  error: { code?: string; message: string };
  proxyStatus?: { status: number; statusText: string; authenticate?: string };
}

/** Largest proxy answer header the probe reads. */
const MAX_PROXY_HEADER = 16 * 1024;

/** Map a socket error to an attempt outcome. */
export function classifySocketError(err: NodeJS.ErrnoException): AttemptOutcome {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return 'host-unknown';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'error';
  }
}

/** A safe one-line error (Node messages carry host and port, never credentials here). */
function describeError(err: NodeJS.ErrnoException): { code?: string; message: string } {
  return err.code ? { code: err.code, message: err.message } : { message: err.message };
}

/** Open a TCP connection within `timeoutMs`. */
function openTcp(host: string, port: number, timeoutMs: number): Promise<TcpConnected | TcpFailed> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port });
    let settled = false;
    const finish = (value: TcpConnected | TcpFailed) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('error', onError);
      resolve(value);
    };
    const onError = (err: NodeJS.ErrnoException) => {
      socket.destroy();
      finish({ ok: false, outcome: classifySocketError(err), step: stepFor(err), error: describeError(err) });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      finish({
        ok: false,
        outcome: 'timeout',
        step: 'tcp',
        error: { code: 'ETIMEDOUT', message: `no TCP connection to ${host}:${port} within ${timeoutMs} ms` },
      });
    }, timeoutMs);
    socket.once('error', onError);
    socket.once('connect', () => finish({ ok: true, socket }));
  });
}

function stepFor(err: NodeJS.ErrnoException): AttemptStep {
  return classifySocketError(err) === 'host-unknown' ? 'dns' : 'tcp';
}

/** `host:port` for a CONNECT line, with IPv6 literals bracketed. */
function authority(host: string, port: number): string {
  return `${isIPv6Address(host) ? `[${host}]` : host}:${port}`;
}

/** Read the proxy's answer header (up to the blank line), within `timeoutMs`. */
function readProxyAnswer(
  socket: Socket,
  timeoutMs: number,
): Promise<{ head: string; rest: Buffer } | { error: TcpFailed }> {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    let settled = false;
    const finish = (value: { head: string; rest: Buffer } | { error: TcpFailed }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.removeListener('end', onEnd);
      resolve(value);
    };
    const fail = (outcome: AttemptOutcome, error: { code?: string; message: string }) =>
      finish({ error: { ok: false, outcome, step: 'proxy', error } });
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end >= 0) {
        socket.pause();
        finish({ head: buffered.subarray(0, end).toString('latin1'), rest: buffered.subarray(end + 4) });
      } else if (buffered.length > MAX_PROXY_HEADER) {
        fail('proxy-error', { message: `the proxy's answer header exceeds ${MAX_PROXY_HEADER} bytes` });
      }
    };
    const onError = (err: NodeJS.ErrnoException) => fail(classifySocketError(err), describeError(err));
    const onEnd = () =>
      fail('proxy-error', { message: 'the proxy closed the connection without answering CONNECT' });
    const timer = setTimeout(
      () =>
        fail('timeout', {
          code: 'ETIMEDOUT',
          message: `the proxy did not answer CONNECT within ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('end', onEnd);
  });
}

/**
 * Connect to `host:port`, directly or through `proxy` (HTTP CONNECT). Each step (TCP, CONNECT answer) has
 * its own `timeoutMs`. The proxy password is used for the Basic header only and never returned.
 */
export async function connectTarget(
  host: string,
  port: number,
  timeoutMs: number,
  proxy?: ProxyConfig,
): Promise<TcpConnected | TcpFailed> {
  if (!proxy) return openTcp(host, port, timeoutMs);
  const opened = await openTcp(proxy.host, proxy.port, timeoutMs);
  if (!opened.ok) {
    // The proxy itself is unreachable: say so, in the proxy step.
    return { ...opened, step: 'proxy' };
  }
  const socket = opened.socket;
  const target = authority(host, port);
  const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
  if (proxy.user !== undefined) {
    const token = Buffer.from(`${proxy.user}:${proxy.password ?? ''}`, 'utf8').toString('base64');
    lines.push(`Proxy-Authorization: Basic ${token}`);
  }
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  const answer = await readProxyAnswer(socket, timeoutMs);
  if ('error' in answer) {
    socket.destroy();
    return answer.error;
  }
  const statusLine = answer.head.split('\r\n', 1)[0] ?? '';
  const m = /^HTTP\/\d(?:\.\d)? (\d{3}) ?([^\r\n]{0,200})/.exec(statusLine);
  if (!m?.[1]) {
    socket.destroy();
    return {
      ok: false,
      outcome: 'proxy-error',
      step: 'proxy',
      error: {
        message: `the proxy answered CONNECT with something that is not HTTP: ${printable(statusLine)}`,
      },
    };
  }
  const status = Number(m[1]);
  const statusText = printable(m[2] ?? '');
  if (status >= 200 && status < 300) {
    if (answer.rest.length > 0) socket.unshift(answer.rest);
    return { ok: true, socket, proxyStatus: { status, statusText } };
  }
  socket.destroy();
  const authenticate = /^proxy-authenticate:[ \t]*([^\r\n]{0,200})/im.exec(answer.head)?.[1];
  const proxyStatus = {
    status,
    statusText,
    ...(authenticate ? { authenticate: printable(authenticate) } : {}),
  };
  const outcome: AttemptOutcome =
    status === 407 ? 'proxy-auth' : status === 403 ? 'proxy-refused' : 'proxy-error';
  return {
    ok: false,
    outcome,
    step: 'proxy',
    error: { message: `the proxy answered CONNECT ${target} with ${status} ${statusText}`.trim() },
    proxyStatus,
  };
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '.').slice(0, 200);
}
