/**
 * @module A probe as numbered lines: one per attempt plus its certificates, CA names and alerts. The lines are
 * the probe's "input text": findings quote them as evidence, the terminal view prints them.
 */
import type { CertificateInfo } from '../model/certificate.js';
import type { HandshakeAttempt, ProbeResult } from '../model/probe.js';
import { describePem } from '../pki/describe-pem.js';

/** The transcript and where each attempt starts in it. */
export interface ProbeTranscript {
  /** Line texts; line numbers are 1-based (`lines[0]` is line 1). */
  lines: string[];
  /** Attempt label → 1-based line of its header line. */
  attemptLine: Record<string, number>;
  /** Attempt label → 1-based lines of its certificates, in the order sent. */
  certificateLines: Record<string, number[]>;
}

const MAX_CA_NAMES_SHOWN = 12;

function range(a: HandshakeAttempt): string {
  return a.minVersion === a.maxVersion ? a.minVersion : `${a.minVersion}–${a.maxVersion}`;
}

/** One-line outcome of an attempt, in plain words. */
export function describeOutcome(a: HandshakeAttempt): string {
  return outcomeText(a).replace(/\s+/g, ' ').trim();
}

function outcomeText(a: HandshakeAttempt): string {
  const alert = a.alert ? `${a.alert.name} (${a.alert.code})` : undefined;
  const after = a.step === 'post-handshake' ? ' after the handshake' : '';
  switch (a.outcome) {
    case 'ok':
      return `handshake ok: ${a.protocol ?? '?'}, ${a.cipher?.name ?? '?'}`;
    case 'alert':
      return `the server sent the fatal alert ${alert ?? '?'}${after}`;
    case 'closed':
      return `the server closed the connection${after || ' during the handshake'}`;
    case 'reset':
      return `the connection was reset${after || (a.step === 'tcp' ? ' at TCP connect' : ' during the handshake')}`;
    case 'timeout':
      return `no answer within the time limit (${a.step === 'tcp' ? 'TCP connect' : a.step === 'proxy' ? 'proxy CONNECT' : a.step === 'http' ? 'HTTP answer' : 'TLS handshake'})`;
    case 'refused':
      return a.step === 'proxy' ? 'the proxy refused the TCP connection' : 'TCP connection refused';
    case 'host-unknown':
      return a.step === 'proxy'
        ? 'the proxy host name does not resolve'
        : 'the host name does not resolve (DNS)';
    case 'not-tls':
      return `the answer is not TLS: "${a.nonTls?.firstLine ?? '?'}"`;
    case 'proxy-auth':
    case 'proxy-refused':
    case 'proxy-error':
      return `the proxy answered CONNECT with ${a.proxyStatus ? `${a.proxyStatus.status} ${a.proxyStatus.statusText}`.trim() : (a.error?.message ?? '?')}`;
    case 'local-refusal':
      return `this side refused the server's choice${alert ? ` (alert ${alert} sent)` : ''}: ${a.error?.code ?? a.error?.message ?? '?'}${a.protocol ? `; the server chose ${a.protocol}` : ''}`;
    case 'error':
      return `error: ${a.error?.code ?? ''} ${a.error?.message ?? ''}`.trim();
  }
}

function certLine(n: number, cert: CertificateInfo): string {
  const until = cert.notAfter ? `, valid until ${cert.notAfter.slice(0, 10)}` : '';
  const issuer = cert.issuer ? ` — issued by ${cert.issuer}` : '';
  return `certificate ${n} sent: ${cert.subject}${issuer}${until}`;
}

/** Build the transcript of a probe. */
export function writeTranscript(result: ProbeResult): ProbeTranscript {
  const lines: string[] = [];
  const attemptLine: Record<string, number> = {};
  const certificateLines: Record<string, number[]> = {};
  const at = result.target.address ? ` at ${result.target.address}` : '';
  const target = `${result.target.host}:${result.target.port}${at}`;
  lines.push(
    `probe ${target}${result.proxy ? ` via proxy ${result.proxy.host}:${result.proxy.port}` : ''}, started ${result.startedAt}, time limit ${result.timeoutMs} ms per step`,
  );
  const all = [
    result.main,
    ...(result.sniCompare ? [result.sniCompare] : []),
    ...result.attempts.filter((a) => a.label !== 'sni-compare'),
  ];
  for (const a of all) {
    const sni = a.sni ? `SNI ${a.sni}` : 'no SNI';
    const cert = a.withClientCert ? ', with client certificate' : '';
    lines.push(`[${a.label}] ${sni}, ${range(a)}${cert} → ${describeOutcome(a)}${compareNote(result, a)}`);
    attemptLine[a.label] = lines.length;
    if (a.label.startsWith('version:')) continue;
    const certs =
      a.label === result.chainFrom && result.certificates
        ? result.certificates
        : (a.chain ?? []).map(describePem);
    certificateLines[a.label] = [];
    certs.forEach((c, i) => {
      lines.push(`[${a.label}]   ${certLine(i + 1, c)}`);
      certificateLines[a.label]?.push(lines.length);
    });
    if (a.certificateRequest) {
      const names = a.certificateRequest.caNames;
      const shown = names.slice(0, MAX_CA_NAMES_SHOWN).join(' | ');
      const more = names.length > MAX_CA_NAMES_SHOWN || a.certificateRequest.caNamesTruncated ? ' | …' : '';
      lines.push(
        `[${a.label}]   the server asks for a client certificate; acceptable CAs: ${names.length ? shown + more : '(none listed)'}`,
      );
    }
    if (a.http) {
      lines.push(`[${a.label}]   ${a.http.request} → ${a.http.statusLine ?? a.http.error ?? 'no answer'}`);
    }
  }
  if (result.versions?.length) {
    const parts = result.versions.map((v) => `${v.version} ${v.result}${v.alert ? ` (${v.alert})` : ''}`);
    lines.push(`versions: ${parts.join(', ')}`);
    attemptLine.versions = lines.length;
  }
  for (const f of result.fetchedIssuers ?? []) {
    lines.push(`AIA ${f.url} → ${f.error ? `failed: ${f.error}` : `${f.pem?.length ?? 0} certificate(s)`}`);
  }
  for (const note of result.notes) lines.push(`note: ${note}`);
  return { lines, attemptLine, certificateLines };
}

/** For the SNI comparison: is its certificate the same as the main handshake's? */
function compareNote(result: ProbeResult, a: HandshakeAttempt): string {
  if (a.label !== 'sni-compare') return '';
  const mine = a.chain?.[0];
  const main = result.main.chain?.[0];
  if (!mine || !main) return '';
  if (mine.replace(/\s+/g, '') === main.replace(/\s+/g, ''))
    return '; same certificate as the main handshake';
  return `; another certificate: ${describePem(mine).subject}`;
}
