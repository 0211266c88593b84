/**
 * @module One handshake attempt: TCP (or proxy tunnel), TLS with chosen versions/SNI/identity, the raw server
 * flight recorded, then a clear outcome. Sends no application data unless an HTTP request is asked for.
 */
import { connect as connectTls, type SecureVersion, type TLSSocket } from 'node:tls';
import { nameAlert, readAlertFromError } from '../codes/tls-alerts.js';
import { CaptureSocket } from './capture-socket.js';
import { classifySocketError, connectTarget } from './connect.js';
import { nameWireVersion, readServerFlight, type ServerFlight } from './server-flight.js';
import { readKeyLog } from './tls13-keys.js';
import type {
  AttemptOutcome,
  AttemptStep,
  ClientIdentity,
  HandshakeAttempt,
  ProxyConfig,
  TlsVersionName,
} from './types.js';

/** What one attempt should do. */
export interface AttemptSpec {
  label: string;
  host: string;
  port: number;
  /** SNI to send; undefined sends none. */
  sni?: string;
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName;
  /** OpenSSL cipher list; undefined keeps Node's default. */
  ciphers?: string;
  identity?: ClientIdentity;
  proxy?: ProxyConfig;
  /** Time limit of each step, ms. */
  timeoutMs: number;
  /** Wait after the handshake for a late rejection when the server asked for a client certificate (0 = none). */
  settleMs: number;
  /** One HTTP request after the handshake (`--http`). */
  http?: { method: 'HEAD' | 'GET'; path: string; hostHeader: string; userAgent: string };
  now: () => number;
}

/** An attempt's public record plus the raw facts the probe uses (DER certificates, CA names). */
export interface AttemptRecord {
  attempt: HandshakeAttempt;
  flight: ServerFlight;
  /** DER certificates in the order the server sent them. */
  certificates: Buffer[];
  /** DER DNs of the CertificateRequest's acceptable CAs. */
  caNames: Buffer[];
}

/** Cap on the HTTP answer bytes read for `--http` (only the status line matters). */
const MAX_HTTP_ANSWER = 8 * 1024;

/** Run one attempt. Never throws for network or TLS problems; they become the outcome. */
export async function runAttempt(spec: AttemptSpec): Promise<AttemptRecord> {
  const started = spec.now();
  const base: HandshakeAttempt = {
    label: spec.label,
    ...(spec.sni ? { sni: spec.sni } : {}),
    minVersion: spec.minVersion,
    maxVersion: spec.maxVersion,
    withClientCert: spec.identity !== undefined,
    outcome: 'error',
    step: 'tcp',
    durationMs: 0,
  };
  const tcp = await connectTarget(spec.host, spec.port, spec.timeoutMs, spec.proxy);
  if (!tcp.ok) {
    const attempt: HandshakeAttempt = {
      ...base,
      outcome: tcp.outcome,
      step: tcp.step,
      error: tcp.error,
      ...(tcp.proxyStatus ? { proxyStatus: tcp.proxyStatus } : {}),
      durationMs: spec.now() - started,
    };
    return { attempt, flight: {}, certificates: [], caNames: [] };
  }
  if (tcp.proxyStatus) base.proxyStatus = tcp.proxyStatus;
  const capture = new CaptureSocket(tcp.socket);
  return handshake(spec, base, capture, started);
}

interface TlsState {
  handshakeDone: boolean;
  step: AttemptStep;
  keylog: string[];
  peerChain: Buffer[];
  protocol?: string;
  cipher?: { name: string; standardName?: string };
  ticket: boolean;
  http?: HandshakeAttempt['http'];
}

function handshake(
  spec: AttemptSpec,
  base: HandshakeAttempt,
  capture: CaptureSocket,
  started: number,
): Promise<AttemptRecord> {
  return new Promise((resolve) => {
    const state: TlsState = { handshakeDone: false, step: 'tls', keylog: [], peerChain: [], ticket: false };
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let socket: TLSSocket;

    const finish = (outcome: AttemptOutcome | undefined, err?: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      // Orderly end when all went well (close_notify); otherwise just drop the connection.
      if (outcome === 'ok' && !socket.destroyed) socket.end();
      socket.destroy();
      capture.destroy();
      resolve(buildRecord(spec, base, capture, state, outcome, err, spec.now() - started));
    };
    const arm = (ms: number, onExpire: () => void) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(onExpire, ms);
    };

    try {
      socket = connectTls({
        socket: capture,
        // An empty string sends no SNI; Node would otherwise derive nothing from a pre-connected socket.
        servername: spec.sni ?? '',
        minVersion: spec.minVersion as SecureVersion,
        maxVersion: spec.maxVersion as SecureVersion,
        ...(spec.ciphers ? { ciphers: spec.ciphers } : {}),
        // Judge the chain ourselves, offline; an empty CA list keeps Node from completing it locally.
        rejectUnauthorized: false,
        ca: [],
        checkServerIdentity: () => undefined,
        ...identityOptions(spec.identity),
      });
    } catch (err) {
      capture.destroy();
      const e = err as NodeJS.ErrnoException;
      resolve(buildRecord(spec, base, capture, state, 'local-refusal', e, spec.now() - started));
      return;
    }

    socket.on('keylog', (line: Buffer) => {
      if (state.keylog.length < 16) state.keylog.push(line.toString('latin1'));
    });
    socket.on('session', () => {
      state.ticket = true;
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(undefined, err));
    socket.on('close', () => finish(state.handshakeDone && state.step === 'done' ? 'ok' : undefined));
    arm(spec.timeoutMs, () => finish('timeout'));

    socket.once('secureConnect', () => {
      state.handshakeDone = true;
      state.protocol = socket.getProtocol() ?? undefined;
      const cipher = socket.getCipher();
      state.cipher = {
        name: cipher.name,
        ...(cipher.standardName ? { standardName: cipher.standardName } : {}),
      };
      state.peerChain = readPeerChain(socket);
      // Keep reading so a late alert or close is seen; the probe sent no request, so no payload is expected.
      socket.on('data', () => {});
      const flight = readServerFlight(capture.bytes(), readKeyLog(state.keylog));
      const asked = flight.certificateRequest !== undefined;
      const afterSettle = () => {
        if (spec.http) {
          state.step = 'http';
          sendHttp(spec, socket, state, finish, arm);
        } else {
          state.step = 'done';
          finish('ok');
        }
      };
      if (asked && spec.settleMs > 0) {
        state.step = 'post-handshake';
        arm(spec.settleMs, afterSettle);
      } else {
        afterSettle();
      }
    });
  });
}

function identityOptions(identity: ClientIdentity | undefined): Record<string, unknown> {
  if (!identity) return {};
  if (identity.pfx)
    return {
      pfx: identity.pfx,
      ...(identity.passphrase !== undefined ? { passphrase: identity.passphrase } : {}),
    };
  return {
    cert: identity.certPem,
    key: identity.keyPem,
    ...(identity.passphrase !== undefined ? { passphrase: identity.passphrase } : {}),
  };
}

/** Node's view of the peer chain with an empty trust store: only certificates the server sent, linked by issuer. */
function readPeerChain(socket: TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let cert = socket.getPeerCertificate(true) as
    | (ReturnType<TLSSocket['getPeerCertificate']> & { issuerCertificate?: unknown })
    | undefined;
  while (cert?.raw && out.length < 16) {
    const fp = cert.fingerprint256;
    if (seen.has(fp)) break;
    seen.add(fp);
    out.push(Buffer.from(cert.raw));
    cert = cert.issuerCertificate as typeof cert;
  }
  return out;
}

function sendHttp(
  spec: AttemptSpec,
  socket: TLSSocket,
  state: TlsState,
  finish: (outcome: AttemptOutcome | undefined, err?: NodeJS.ErrnoException) => void,
  arm: (ms: number, onExpire: () => void) => void,
): void {
  const http = spec.http;
  if (!http) return;
  const request = `${http.method} ${http.path} HTTP/1.1`;
  state.http = { request };
  let answer = Buffer.alloc(0);
  const done = () => {
    state.step = 'done';
    finish('ok');
  };
  socket.removeAllListeners('data');
  socket.on('data', (chunk: Buffer) => {
    answer = Buffer.concat([answer, chunk]).subarray(0, MAX_HTTP_ANSWER);
    const text = answer.toString('latin1');
    const eol = text.indexOf('\r\n');
    if (eol >= 0 || answer.length >= MAX_HTTP_ANSWER) {
      const statusLine = (eol >= 0 ? text.slice(0, eol) : text).slice(0, 200).replace(/[^\x20-\x7e]/g, '.');
      const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1];
      state.http = { request, statusLine, ...(status ? { status: Number(status) } : {}) };
      done();
    }
  });
  arm(spec.timeoutMs, () => {
    state.http = { request, error: `no HTTP answer within ${spec.timeoutMs} ms` };
    done();
  });
  socket.write(
    `${request}\r\nHost: ${http.hostHeader}\r\nUser-Agent: ${http.userAgent}\r\nAccept: */*\r\nConnection: close\r\n\r\n`,
  );
}

function buildRecord(
  spec: AttemptSpec,
  base: HandshakeAttempt,
  capture: CaptureSocket,
  state: TlsState,
  forced: AttemptOutcome | undefined,
  err: NodeJS.ErrnoException | undefined,
  durationMs: number,
): AttemptRecord {
  const flight = readServerFlight(capture.bytes(), readKeyLog(state.keylog));
  const attempt: HandshakeAttempt = { ...base, durationMs };
  const protocol = state.protocol ?? nameWireVersion(flight.version);
  if (protocol) attempt.protocol = protocol;
  if (state.cipher) attempt.cipher = state.cipher;
  if (flight.certificateRequest) attempt.certificateRequest = { caNames: [] };
  if (state.ticket || flight.ticket) attempt.ticketReceived = true;
  if (state.http) attempt.http = state.http;

  let certificates: Buffer[] = [];
  if (flight.certificates && flight.certificates.length > 0) {
    certificates = flight.certificates;
    attempt.chainSource = 'handshake-message';
  } else if (state.peerChain.length > 0) {
    certificates = state.peerChain;
    attempt.chainSource = 'peer-chain';
  }
  if (certificates.length > 0) attempt.chain = certificates.map(toPem);

  const { outcome, step } = classify(state, forced, err, flight, capture);
  attempt.outcome = outcome;
  attempt.step = step;
  if (err && outcome !== 'ok')
    attempt.error = err.code ? { code: err.code, message: err.message } : { message: err.message };
  if (outcome === 'timeout' && !attempt.error) {
    attempt.error = {
      code: 'ETIMEDOUT',
      message:
        step === 'post-handshake' || step === 'http'
          ? `no answer within ${spec.timeoutMs} ms after the handshake`
          : `no TLS answer within ${spec.timeoutMs} ms`,
    };
  }
  const alert = pickAlert(flight, err);
  if (alert && (outcome === 'alert' || outcome === 'local-refusal')) attempt.alert = alert;
  if (flight.nonTls) attempt.nonTls = flight.nonTls;
  return { attempt, flight, certificates, caNames: flight.certificateRequest?.caNames ?? [] };
}

function pickAlert(flight: ServerFlight, err: NodeJS.ErrnoException | undefined): HandshakeAttempt['alert'] {
  if (flight.alert && flight.alert.code !== 0) {
    return {
      level: flight.alert.level === 1 ? 'warning' : 'fatal',
      code: flight.alert.code,
      name: nameAlert(flight.alert.code),
      direction: 'received',
    };
  }
  const fromError = err ? readAlertFromError(err.message) : undefined;
  if (fromError) {
    return {
      level: 'fatal',
      code: fromError.code,
      name: nameAlert(fromError.code),
      direction: fromError.received ? 'received' : 'sent',
    };
  }
  return undefined;
}

function classify(
  state: TlsState,
  forced: AttemptOutcome | undefined,
  err: NodeJS.ErrnoException | undefined,
  flight: ServerFlight,
  capture: CaptureSocket,
): { outcome: AttemptOutcome; step: AttemptStep } {
  const step: AttemptStep = state.handshakeDone ? state.step : 'tls';
  if (forced === 'ok') return { outcome: 'ok', step: 'done' };
  if (forced === 'timeout') return { outcome: 'timeout', step };
  if (forced === 'local-refusal') return { outcome: 'local-refusal', step: 'tls' };
  if (flight.nonTls) return { outcome: 'not-tls', step: 'tls' };
  const alert = pickAlert(flight, err);
  if (alert?.direction === 'received' && alert.level === 'fatal') return { outcome: 'alert', step };
  if (capture.peerEnd === 'reset') return { outcome: 'reset', step };
  if (capture.peerEnd === 'fin') return { outcome: 'closed', step };
  if (err) {
    const byCode = classifySocketError(err);
    if (byCode !== 'error') return { outcome: byCode, step };
    // OpenSSL refused what the server chose (version outside our range, no shared cipher …).
    if (err.code?.startsWith('ERR_SSL_')) return { outcome: 'local-refusal', step };
    return { outcome: 'error', step };
  }
  // Closed without an error event: the handshake never completed, or the server hung up after it.
  return { outcome: 'closed', step };
}

function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END CERTIFICATE-----\n`;
}
