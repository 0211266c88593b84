/**
 * @module One probe = a small set of handshakes with one endpoint: the main handshake (as the ICM would make
 * it), the same with the SNI setting flipped, and one handshake per protocol version TLS 1.0–1.3.
 * Results are plain data (`ProbeResult`); judging them is the rules' job (`rules/probe-judgement`, reported by the registered rules).
 */

import { describeDer } from '../pki/describe-pem.js';
import { formatDnSap } from '../pki/dn.js';
import { x509 } from '../pki/x509.js';
import { TOOL_VERSION } from '../version.js';
import { type AttemptRecord, type AttemptSpec, runAttempt } from './handshake.js';
import { nameWireVersion } from './server-flight.js';
import {
  type HandshakeAttempt,
  type ProbeOptions,
  type ProbeResult,
  type ProbeTarget,
  TLS_VERSIONS,
  type TlsVersionName,
  type VersionSupport,
} from './types.js';

/** Defaults: generous for real networks; tests pass short limits. */
export const DEFAULT_TIMEOUT_MS = 8000;
export const DEFAULT_SETTLE_MS = 600;

/** Cipher list for the version scan: everything this OpenSSL can offer, so only the version decides. */
const SCAN_CIPHERS = 'ALL:!aNULL:!eNULL:@SECLEVEL=0';

/** What a probe returns: the serialisable result plus the raw DER the diagnosis may reuse. */
export interface ProbeRun {
  result: ProbeResult;
  /** Every attempt's raw record (DER certificates, CA names), main first. Not serialised. */
  records: AttemptRecord[];
}

/** Outcomes that end the probe after the main attempt: no TLS conversation is possible. */
function stopsEarly(a: HandshakeAttempt): boolean {
  if (a.outcome === 'ok') return false;
  if (a.outcome === 'not-tls') return true;
  return a.step === 'dns' || a.step === 'tcp' || a.step === 'proxy';
}

/** Run tasks with at most `limit` at a time, keeping order of results. */
async function runPool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i];
      if (task) results[i] = await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

/**
 * Probe `target`: main handshake, SNI comparison, version scan. Never throws for network or TLS problems
 * (they are results); throws only for bugs.
 */
export async function probeEndpoint(target: ProbeTarget, options: ProbeOptions = {}): Promise<ProbeRun> {
  const now = options.now ?? (() => Date.now());
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const settleMs = options.settleMs ?? Math.min(DEFAULT_SETTLE_MS, Math.max(100, Math.floor(timeoutMs / 2)));
  const sendSni = options.sni !== false && !target.isIp;
  const base: Omit<AttemptSpec, 'label' | 'minVersion' | 'maxVersion'> = {
    host: target.address ?? target.host,
    port: target.port,
    timeoutMs,
    settleMs,
    now,
    ...(options.proxy ? { proxy: options.proxy } : {}),
  };
  const startedAt = new Date().toISOString();
  const notes: string[] = [];

  const main = await runAttempt({
    ...base,
    label: 'main',
    ...(sendSni ? { sni: target.host } : {}),
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    ...(options.clientIdentity ? { identity: options.clientIdentity } : {}),
    ...(options.http
      ? {
          http: {
            method: options.http.method,
            path: target.path,
            hostHeader: target.port === 443 ? target.host : `${target.host}:${target.port}`,
            userAgent: `pse-doctor/${TOOL_VERSION}`,
          },
        }
      : {}),
  });
  const records: AttemptRecord[] = [main];

  let sniCompare: AttemptRecord | undefined;
  let versions: VersionSupport[] | undefined;
  const extra: AttemptRecord[] = [];
  if (!stopsEarly(main.attempt)) {
    const tasks: (() => Promise<AttemptRecord>)[] = [];
    const compare = options.sniCompare !== false && !target.isIp;
    if (compare) {
      tasks.push(() =>
        runAttempt({
          ...base,
          label: 'sni-compare',
          ...(sendSni ? {} : { sni: target.host }),
          minVersion: 'TLSv1.2',
          maxVersion: 'TLSv1.3',
          ...(options.clientIdentity ? { identity: options.clientIdentity } : {}),
        }),
      );
    }
    const scan = options.versionScan !== false ? versionsToScan(main.attempt) : [];
    for (const version of scan) {
      tasks.push(() =>
        runAttempt({
          ...base,
          label: `version:${version}`,
          ...(sendSni ? { sni: target.host } : {}),
          minVersion: version,
          maxVersion: version,
          ciphers: SCAN_CIPHERS,
          // The version is known once the ServerHello arrives; no need to wait for late rejections.
          settleMs: 0,
        }),
      );
    }
    const done = await runPool(tasks, options.concurrency ?? 3);
    if (compare) sniCompare = done.shift();
    extra.push(...done);
    if (options.versionScan !== false) versions = summariseVersions(main, extra, notes);
  }
  if (sniCompare) records.push(sniCompare);
  records.push(...extra);

  const result: ProbeResult = {
    target,
    startedAt,
    timeoutMs,
    main: main.attempt,
    attempts: extra.map((r) => r.attempt),
    notes,
  };
  if (options.proxy) {
    result.proxy = {
      host: options.proxy.host,
      port: options.proxy.port,
      ...(options.proxy.user !== undefined ? { user: options.proxy.user } : {}),
      withPassword: options.proxy.password !== undefined,
    };
  }
  if (sendSni) result.sni = target.host;
  if (sniCompare) result.sniCompare = sniCompare.attempt;
  if (versions) result.versions = versions;
  if (options.clientIdentity) {
    result.clientIdentity = options.clientIdentity.describe;
    if (main.attempt.protocol && !main.attempt.certificateRequest) {
      notes.push('The server did not ask for a client certificate, so the given identity was not sent.');
    }
  }

  const chosen = pickChainRecord(main, sniCompare, extra);
  if (chosen) {
    result.chain = chosen.attempt.chain ?? [];
    if (chosen.attempt.chainSource) result.chainSource = chosen.attempt.chainSource;
    result.chainFrom = chosen.attempt.label;
    result.certificates = chosen.certificates.map(describeDer);
    if (chosen.attempt.chainSource === 'peer-chain') {
      notes.push(
        'The chain could not be read from the handshake messages; it was taken from the TLS library with an empty trust store (order and extra certificates may differ from what the server sent).',
      );
    }
  }
  for (const record of records) fillCaNames(record);
  return { result, records };
}

/** Versions the scan must try: all four, minus the one the main handshake already proved. */
function versionsToScan(main: HandshakeAttempt): TlsVersionName[] {
  return TLS_VERSIONS.filter((v) => !(main.protocol === v && reachedServerHello(main)));
}

function reachedServerHello(a: HandshakeAttempt): boolean {
  return a.protocol !== undefined && (a.outcome === 'ok' || a.step !== 'tls' || a.chain !== undefined);
}

function summariseVersions(main: AttemptRecord, extra: AttemptRecord[], notes: string[]): VersionSupport[] {
  const out: VersionSupport[] = [];
  for (const version of TLS_VERSIONS) {
    if (main.attempt.protocol === version && reachedServerHello(main.attempt)) {
      out.push({
        version,
        result: 'accepted',
        outcome: main.attempt.outcome,
        ...(main.attempt.cipher ? { cipher: main.attempt.cipher.name } : {}),
      });
      continue;
    }
    const record = extra.find((r) => r.attempt.label === `version:${version}`);
    if (!record) continue;
    out.push(judgeVersion(version, record, notes));
  }
  return out;
}

function judgeVersion(version: TlsVersionName, record: AttemptRecord, notes: string[]): VersionSupport {
  const a = record.attempt;
  const wire = nameWireVersion(record.flight.version);
  const base: VersionSupport = { version, result: 'unknown', outcome: a.outcome };
  if (a.alert) base.alert = a.alert.name;
  if (a.cipher) base.cipher = a.cipher.name;
  // A ServerHello with exactly this version proves acceptance, even if the handshake failed later
  // (a required client certificate, say).
  if (wire === version || (a.outcome === 'ok' && a.protocol === version))
    return { ...base, result: 'accepted' };
  const code = a.error?.code ?? '';
  if (
    a.outcome === 'local-refusal' &&
    !wire &&
    (code === 'ERR_SSL_NO_PROTOCOLS_AVAILABLE' || code === 'ERR_SSL_NO_CIPHERS_AVAILABLE')
  ) {
    notes.push(
      `${version} could not be tested: the TLS library on this machine (OpenSSL ${process.versions.openssl}) refuses to offer it even at security level 0.`,
    );
    return { ...base, result: 'untestable' };
  }
  switch (a.outcome) {
    case 'alert':
    case 'closed':
    case 'reset':
    case 'local-refusal':
      return { ...base, result: 'refused' };
    default:
      return base;
  }
}

/** The chain to judge: the main attempt's, else the SNI comparison's, else the newest version that sent one. */
function pickChainRecord(
  main: AttemptRecord,
  sniCompare: AttemptRecord | undefined,
  extra: AttemptRecord[],
): AttemptRecord | undefined {
  if (main.certificates.length > 0) return main;
  // A version attempt only counts when the server answered with that version (a refused one may still
  // have sent a ServerHello with another version and its certificates).
  const versions = extra
    .filter(
      (r) => r.certificates.length > 0 && r.attempt.label === `version:${nameWireVersion(r.flight.version)}`,
    )
    .sort((a, b) => b.attempt.label.localeCompare(a.attempt.label));
  return versions[0] ?? (sniCompare && sniCompare.certificates.length > 0 ? sniCompare : undefined);
}

/** Turn the CertificateRequest's DER names into SAP-order DN strings. */
function fillCaNames(record: AttemptRecord): void {
  const req = record.attempt.certificateRequest;
  if (!req) return;
  req.caNames = record.caNames.map((der) => {
    try {
      return formatDnSap(new (x509().Name)(new Uint8Array(der)));
    } catch {
      return `(unreadable name, ${der.length} bytes)`;
    }
  });
  if (record.flight.certificateRequest?.truncated) req.caNamesTruncated = true;
}
