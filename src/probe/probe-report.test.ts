/** @module Diagnosis of saved probe results (no network): cases a local test server cannot stage, and re-diagnosis. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseProbe } from './probe-report.js';
import type { HandshakeAttempt, ProbeResult } from './types.js';

function attempt(over: Partial<HandshakeAttempt>): HandshakeAttempt {
  return {
    label: 'main',
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    withClientCert: false,
    outcome: 'ok',
    step: 'done',
    durationMs: 1,
    ...over,
  };
}

function result(main: HandshakeAttempt, over: Partial<ProbeResult> = {}): ProbeResult {
  return {
    target: { host: 'api.example.test', port: 443, path: '/', isIp: false },
    startedAt: '2026-01-15T12:00:00.000Z',
    timeoutMs: 8000,
    main,
    attempts: [],
    notes: [],
    ...over,
  };
}

test('a host name that does not resolve: network, ICM_HTTP_HOST_UNKNOWN', () => {
  const { findings } = diagnoseProbe({
    result: result(
      attempt({ outcome: 'host-unknown', step: 'dns', error: { code: 'ENOTFOUND', message: 'x' } }),
    ),
  });
  assert.equal(findings.length, 1);
  assert.equal(findings[0]?.cause, 'network');
  assert.deepEqual(findings[0]?.errorCode, { name: 'ICM_HTTP_HOST_UNKNOWN', number: 417 });
  assert.equal(findings[0]?.evidence[0]?.line, 2);
});

test('a proxy that refuses TCP: proxy, ICM_HTTP_PROXY_CONN_REFUSED', () => {
  const { findings } = diagnoseProbe({
    result: result(attempt({ outcome: 'refused', step: 'proxy' }), {
      proxy: { host: 'proxy.example', port: 3128, withPassword: false },
    }),
  });
  assert.equal(findings[0]?.cause, 'proxy');
  assert.deepEqual(findings[0]?.errorCode, { name: 'ICM_HTTP_PROXY_CONN_REFUSED', number: 412 });
});

test('no SNI → dropped; with SNI → fine: sni-missing names both parameters', () => {
  const main = attempt({ outcome: 'reset', step: 'tls' });
  delete main.sni;
  const { findings } = diagnoseProbe({
    result: result(main, {
      sniCompare: attempt({ label: 'sni-compare', sni: 'api.example.test', protocol: 'TLSv1.3' }),
    }),
  });
  const f = findings.find((x) => x.cause === 'sni-missing');
  assert.ok(f);
  assert.equal(f.severity, 'error');
  assert.deepEqual(
    f.parameters?.map((p) => `${p.name}=${p.value}`),
    ['icm/HTTPS/client_sni_enabled=TRUE', 'ssl/client_sni_enabled=TRUE'],
  );
  assert.deepEqual(f.errorCode, { name: 'SSSLERR_CONN_CLOSED', number: -10 });
});

test('handshake_failure with no version that works: cipher-mismatch (likely), -122', () => {
  const main = attempt({
    sni: 'api.example.test',
    outcome: 'alert',
    step: 'tls',
    alert: { level: 'fatal', code: 40, name: 'handshake_failure', direction: 'received' },
  });
  const { findings } = diagnoseProbe({
    result: result(main, {
      versions: (['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((version) => ({
        version,
        result: 'refused' as const,
      })),
    }),
  });
  assert.equal(findings[0]?.cause, 'cipher-mismatch');
  assert.equal(findings[0]?.confidence, 'likely');
  assert.deepEqual(findings[0]?.errorCode, { name: 'SSSLERR_ALERT_HANDSHAKE_FAILURE', number: -122 });
  assert.ok(findings[0]?.kb.includes('TLS_ALERT_HANDSHAKE_FAILURE'));
});

test('a saved result (JSON round trip) gives the same findings', () => {
  const r = result(
    attempt({
      outcome: 'not-tls',
      step: 'tls',
      nonTls: { kind: 'http', firstLine: 'HTTP/1.0 400', status: 400 },
    }),
  );
  const a = diagnoseProbe({ result: r, now: new Date('2026-01-15T00:00:00Z') });
  const b = diagnoseProbe({
    result: JSON.parse(JSON.stringify(r)) as ProbeResult,
    now: new Date('2026-01-15T00:00:00Z'),
  });
  assert.deepEqual(a.findings, b.findings);
  assert.equal(a.findings[0]?.cause, 'not-ssl-port');
});
