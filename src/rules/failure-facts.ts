/**
 * @module What every SSL-failure finding shows, derived once from the event: role, target, PSE, codes, chain.
 *
 * Rules decide the cause; this file only lifts the facts an event carries into finding fields, so
 * every rule reports them the same way.
 */
import { ALERTS_IN_FAILURE_TEXTS } from '../codes/tls-alerts.js';
import type { Role } from '../model/cause.js';
import type { EvidenceEvent, SslFailureEvent, TraceCertificate, TraceInfoEvent } from '../model/evidence.js';
import type { ReportCertificate, ReportPse } from '../model/report.js';
import { sameDn } from '../pki/dn.js';
import { describePse, type PseDescription } from '../pki/pse-nodes.js';
import { memoPerRun } from './run-memo.js';
import { displayErrorCode, ICM_CODES, icmNumberOf, kbIdOfSsl, sslCodeOf } from './sap-codes.js';

/** The role of the SAP side: stated by the reader, else implied by the PSE, else by the message shape. */
export function failureRole(ev: SslFailureEvent): Role | undefined {
  if (ev.role) return ev.role;
  if (ev.pseFile) {
    const role = describePse(ev.pseFile).role;
    if (role) return role;
  }
  // "SSL handshake with <host>:<port> failed", Target Hostname, ABAP HTTP client messages: outbound.
  if (ev.target?.host || ev.targetHostname || ev.sni) return 'client';
  const code = sslCodeOf(ev);
  if (
    code &&
    ['NO_CLIENT_CERT', 'HTTP_REQUEST', 'NO_SSL_REQUEST', 'HTTPS_PROXY_REQUEST', 'SSL_ACCEPT'].includes(code)
  )
    return 'server';
  if (
    code &&
    ['SERVER_CERT_MISMATCH', 'PEER_CERT_UNTRUSTED', 'MISSING_TARGET_HOSTNAME', 'SSL_CONNECT'].includes(code)
  )
    return 'client';
  return undefined;
}

export interface FindingTarget {
  host?: string;
  port?: number | string;
  peerIp?: string;
}

/** A finding's target from an event's host and port, or undefined when neither is known. */
export function targetOf(
  target: { host?: string; port?: number | string } | undefined,
): FindingTarget | undefined {
  const t: FindingTarget = {};
  if (target?.host) t.host = target.host;
  if (target?.port !== undefined) t.port = target.port;
  return Object.keys(t).length > 0 ? t : undefined;
}

/** Host, port and peer IP of the failing connection, as printed (placeholders kept literally). */
export function failureTarget(ev: SslFailureEvent): FindingTarget | undefined {
  const t: FindingTarget = {};
  const host = ev.target?.host ?? ev.targetHostname;
  if (host) t.host = host;
  const port = ev.target?.port ?? (ev.role === 'server' ? ev.local?.port : ev.peer?.port);
  if (port !== undefined) t.port = port;
  if (ev.peer?.ip) t.peerIp = ev.peer.ip;
  return Object.keys(t).length > 0 ? t : undefined;
}

/** A PSE description as a report shows it (no internal flags). */
export function toReportPse(
  pse: Pick<ReportPse, 'file' | 'basename' | 'node' | 'context' | 'application'>,
  inferred = false,
): ReportPse {
  const out: ReportPse = {};
  if (pse.file) out.file = pse.file;
  if (pse.basename) out.basename = pse.basename;
  if (pse.node) out.node = pse.node;
  if (pse.context) out.context = pse.context;
  if (pse.application) out.application = pse.application;
  if (inferred) out.inferred = true;
  return out;
}

/**
 * The PSE the failing session used: named by the trace, else (server role) the SSL server Standard PSE
 * marked as inferred. Client calls without a PSE line return undefined: ANONYM or DFAULT depends on
 * the destination.
 */
export function failurePse(
  ev: SslFailureEvent,
  role = failureRole(ev),
): { report: ReportPse; pse: PseDescription } | undefined {
  if (ev.pseFile) {
    const pse = describePse(ev.pseFile);
    return { report: toReportPse(pse), pse };
  }
  if (role === 'server') {
    const pse = describePse('SAPSSLS.pse');
    return { report: toReportPse(pse, true), pse: { ...pse, file: undefined } as PseDescription };
  }
  return undefined;
}

/**
 * The verification of the peer's chain failed on a date, as the errorstack or the text says
 * (CommonCryptoLib's `verification failed: validity period`, `certificate has expired`).
 */
export const EXPIRY_NAMED =
  /verification failed: validity period|certificate (?:has |is )?expired|validity check of (?:the )?certificate failed/;

/**
 * The proxy did not open the tunnel (lower-cased failure text): the ICM's `proxy returned 407`, Java's
 * `Unable to tunnel through proxy. Proxy returns "HTTP/1.1 407 …"`, Apache HttpClient's `CONNECT refused by
 * proxy: HTTP/1.1 403`. Group 1 or 2 holds the proxy's status when the text names it.
 */
export const PROXY_TUNNEL_TEXT =
  /proxy return(?:ed|s) "?(?:http\/1\.[01] )?(\d{3})|connect refused by proxy:? (?:http\/1\.[01] )?(\d{3})|proxy connection to .{0,200} failed|unable to tunnel through proxy/;

/** Every text the event carries, lower-cased, for phrase tests (`peer not trusted`, `server hello`). */
export const failureText: (ev: SslFailureEvent) => string = memoPerRun((ev: SslFailureEvent): string => {
  const parts: (string | undefined)[] = [
    ev.errorText,
    ev.alert?.text,
    ev.alert?.description,
    ev.appMessage,
    ev.openSslError,
    ev.operation,
    ev.sslState?.text,
    ev.function,
    ...(ev.details ?? []),
    ...(ev.errorstack ?? []).flatMap((e) => [e.text, e.function]),
  ];
  return parts.filter(Boolean).join('\n').toLowerCase();
});

/** TLS alert names (RFC 8446, underscores) recognised in alert texts, from the one alert table. */
const ALERTS: [RegExp, string][] = ALERTS_IN_FAILURE_TEXTS.map((name) => [
  new RegExp(name.replace(/_/g, '[ _]')),
  name,
]);

/** Every alert name `alertOf` can report (for kb cross-checks). */
export const ALERT_NAMES: readonly string[] = ALERTS.map(([, name]) => name);

export interface AlertFacts {
  /** RFC name, e.g. `handshake_failure`. */
  name: string;
  /** `received` = the peer sent it (the peer refused us). */
  direction?: 'received' | 'sent';
  text: string;
}

/** The TLS alert of a failure, when its text names one (cut texts like `received a f` name none). */
export function alertOf(ev: SslFailureEvent): AlertFacts | undefined {
  const sources = [ev.alert?.description, ev.alert?.text, ev.errorText, ...(ev.details ?? [])];
  for (const text of sources) {
    if (!text) continue;
    const lower = text.toLowerCase();
    if (!lower.includes('alert')) continue;
    for (const [re, name] of ALERTS) {
      if (!re.test(lower)) continue;
      const direction =
        ev.alert?.direction ??
        (/received|from the peer|peer (sent|aborted)|server aborted/.test(lower)
          ? 'received'
          : /\bsent\b/.test(lower)
            ? 'sent'
            : undefined);
      return direction ? { name, direction, text } : { name, text };
    }
  }
  // The SapSSL code itself may name the alert (SSSLERR_ALERT_HANDSHAKE_FAILURE).
  const code = sslCodeOf(ev);
  if (code?.startsWith('ALERT_'))
    return { name: code.slice(6).toLowerCase(), direction: 'received', text: code };
  return undefined;
}

/** The kb id of a TLS alert (`TLS_ALERT_HANDSHAKE_FAILURE`). */
export function alertKbId(alert: AlertFacts | undefined): string | undefined {
  return alert ? `TLS_ALERT_${alert.name.toUpperCase()}` : undefined;
}

/** Related codes a finding shows beside the main one: ICM code, SCLNT_HTTP message, alert. */
export function relatedCodesOf(ev: SslFailureEvent): { name: string; number?: number }[] {
  const codes: { name: string; number?: number }[] = [];
  const icm = icmNumberOf(ev);
  if (icm !== undefined || ev.icm?.name) {
    const name = ev.icm?.name ?? (icm !== undefined ? ICM_CODES[icm] : undefined) ?? `ICM ${icm}`;
    codes.push(icm !== undefined ? { name, number: icm } : { name });
    if (icm !== undefined) codes.push({ name: `SCLNT_HTTP${icm}`, number: icm });
  }
  const alert = alertOf(ev);
  if (alert && !sslCodeOf(ev)?.startsWith('ALERT_')) codes.push({ name: alertKbId(alert) as string });
  return codes;
}

/** kb ids for the codes an event shows (SapSSL code, ICM code, alert). */
export function failureKb(ev: SslFailureEvent): string[] {
  const ids: string[] = [];
  const ssl = kbIdOfSsl(sslCodeOf(ev));
  if (ssl) ids.push(ssl);
  const icm = icmNumberOf(ev);
  if (icm !== undefined && ICM_CODES[icm]) ids.push(ICM_CODES[icm] as string);
  const alert = alertKbId(alertOf(ev));
  if (alert) ids.push(alert);
  return ids;
}

/** Certificates the trace printed, leaf first, with their chain position. */
export function reportCertificates(certs: readonly TraceCertificate[] | undefined): ReportCertificate[] {
  if (!certs || certs.length === 0) return [];
  const sorted = [...certs].sort((a, b) => a.depth - b.depth);
  return sorted.map((c, i) => {
    const selfSigned = c.issuer !== undefined && sameDn(c.subject, c.issuer);
    const position: ReportCertificate['position'] =
      i === 0 ? (selfSigned && sorted.length === 1 ? 'root' : 'leaf') : selfSigned ? 'root' : 'intermediate';
    const out: ReportCertificate = { subject: c.subject, position };
    if (c.issuer) out.issuer = c.issuer;
    if (c.serial) out.serial = c.serial;
    if (c.notBefore) out.notBefore = c.notBefore;
    if (c.notAfter) out.notAfter = c.notAfter;
    return out;
  });
}

/** The structured fields every SSL-failure finding carries. */
export interface FailureParts {
  role?: Role;
  target?: FindingTarget;
  errorCode?: { name: string; number?: number };
  relatedCodes?: { name: string; number?: number }[];
  pse?: ReportPse;
  certificates?: ReportCertificate[];
  events: EvidenceEvent[];
  kb: string[];
}

/** Lift the common finding fields from one failure. */
export function failureParts(ev: SslFailureEvent): FailureParts {
  const role = failureRole(ev);
  const parts: FailureParts = { events: [ev], kb: failureKb(ev) };
  if (role) parts.role = role;
  const target = failureTarget(ev);
  if (target) parts.target = target;
  const code = displayErrorCode(ev);
  if (code) parts.errorCode = code;
  const related = relatedCodesOf(ev);
  if (related.length) parts.relatedCodes = related;
  const pse = failurePse(ev, role);
  if (pse) parts.pse = pse.report;
  const certs = reportCertificates(ev.certificates);
  if (certs.length) parts.certificates = certs;
  return parts;
}

/** Template data common to SSL failures: `{host}`, `{hostPort}`, `{peerIp}`, `{code}`, `{pseFile}`, `{node}`. */
export function failureData(
  ev: SslFailureEvent,
  infos?: readonly TraceInfoEvent[],
): Record<string, string | undefined> {
  const level = traceInfoFor(ev, infos)?.traceLevel;
  const target = failureTarget(ev);
  const code = displayErrorCode(ev);
  const pse = failurePse(ev);
  const hostPort = target?.host
    ? target.port !== undefined
      ? `${target.host}:${target.port}`
      : target.host
    : undefined;
  return {
    host: target?.host,
    port: target?.port !== undefined ? String(target.port) : undefined,
    hostPort,
    peerIp: target?.peerIp,
    code: code ? (code.number !== undefined ? `${code.name} (${code.number})` : code.name) : undefined,
    pseFile: pse?.report.file ?? pse?.report.basename,
    pseBase: pse?.report.basename,
    node: pse?.report.node,
    sni: ev.sni,
    // Only a level-1 trace is worth saying: it explains why the evidence is thin.
    traceLevel: level !== undefined && level <= 1 ? String(level) : undefined,
  };
}

/** The trace header of the input an event came from, when the reader saw one. */
export function traceInfoFor(
  ev: EvidenceEvent,
  infos: readonly TraceInfoEvent[] | undefined,
): TraceInfoEvent | undefined {
  return infos?.find((i) => i.source.input === ev.source.input);
}

/**
 * True when the failure came from a trace written at level 1 (no errorstack, no chain dump), or from a
 * one-line message: the evidence cannot show more than the code.
 */
export function isThin(ev: SslFailureEvent, infos?: readonly TraceInfoEvent[]): boolean {
  const detailed =
    (ev.errorstack?.length ?? 0) > 0 || (ev.certificates?.length ?? 0) > 0 || Boolean(ev.sslState);
  if (detailed) return false;
  const level = traceInfoFor(ev, infos)?.traceLevel;
  return level === undefined || level <= 1 || ev.origin !== 'trace';
}

/** Was SNI sent? true/false when the evidence shows it, undefined when it does not. */
export function sniSent(ev: SslFailureEvent, info: TraceInfoEvent | undefined): boolean | undefined {
  if (ev.sni) return true;
  const param =
    info?.parameters?.['icm/HTTPS/client_sni_enabled'] ?? info?.parameters?.['ssl/client_sni_enabled'];
  if (param) return /^(true|1|on|yes)$/i.test(param.trim());
  // A complete client handshake block (context lines printed) without a TLSextSNI line: not sent.
  if (ev.origin === 'trace' && ev.sslCtx && ev.pseFile && !ev.truncated) return false;
  return undefined;
}
