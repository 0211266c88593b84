/** @module Table-driven check of the SAP text reader against every real trace and case fixture. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { fixturesOrSkip, listFixtures, readJson } from '../../../test/helpers/fixtures.js';
import type { EvidenceEvent, TraceInfoEvent } from '../../model/evidence.js';
import { bytesSource } from '../source.js';
import { readSapText, type SapTextReadOptions } from './reader.js';

type Json = Record<string, unknown>;

async function read(path: string, opts: SapTextReadOptions = {}) {
  return readSapText(bytesSource(basename(path), readFileSync(path)), { input: 0 }, opts);
}

const ws = (s: unknown) => String(s).replace(/\s+/g, ' ').trim();
const FAILURE_KINDS = new Set([
  'ssl-failure',
  'snc-failure',
  'lib-load-failure',
  'java-tls-failure',
  'client-error',
  'connection-failure',
  'inbound-cert',
  'kerberos-failure',
]);

/** Fields of the fixture JSON that the model does not carry, per kind (documented, not silently ignored). */
const NOT_IN_MODEL = new Set([
  'origin',
  'separator',
  'protocol',
  'component',
  'version',
  'algorithms',
  'trace_levels_seen',
  'error_name_note',
  'error_number_note',
  'role_note',
  'note',
  'verification_source',
  'tid',
]);

type Check = (ev: EvidenceEvent, value: unknown) => string | undefined;
const eq =
  (get: (e: Json) => unknown): Check =>
  (ev, v) => {
    const actual = get(ev as unknown as Json);
    const want = v === null ? undefined : v;
    return ws(JSON.stringify(actual)) === ws(JSON.stringify(want))
      ? undefined
      : `want ${JSON.stringify(want)}, got ${JSON.stringify(actual)}`;
  };
const includes =
  (get: (e: Json) => unknown): Check =>
  (ev, v) => {
    const list = (get(ev as unknown as Json) as unknown[] | undefined) ?? [];
    const values = Array.isArray(v) ? v : [v];
    for (const one of values)
      if (!list.some((x) => ws(x) === ws(one)))
        return `${JSON.stringify(one)} not in ${JSON.stringify(list)}`;
    return undefined;
  };
const o = (e: Json, ...path: string[]): unknown =>
  path.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Json)[k] : undefined), e);

const SSL_FIELDS: Record<string, Check> = {
  role: eq((e) => e.role),
  role_evidence: (ev, v) => {
    const phrases = [...String(v).matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    const got = (ev as { roleEvidence?: string }).roleEvidence ?? '';
    const miss = phrases.filter((p) => !got.includes(p));
    return miss.length === 0 ? undefined : `roleEvidence ${JSON.stringify(got)} lacks ${miss.join(', ')}`;
  },
  error_name: eq((e) => o(e, 'error', 'name')),
  error_number: eq((e) => o(e, 'error', 'number')),
  error_text: eq((e) => e.errorText),
  function: eq((e) => e.function),
  sub_error: includes((e) => e.details),
  detail: includes((e) => e.details),
  trace_error: includes((e) => e.details),
  target_host: eq((e) => o(e, 'target', 'host')),
  target_port: eq((e) => o(e, 'target', 'port')),
  sni_server_name: eq((e) => e.sni),
  peer_ip: eq((e) => o(e, 'peer', 'ip')),
  peer_port: eq((e) => o(e, 'peer', 'port')),
  local_ip: eq((e) => o(e, 'local', 'ip')),
  local_port: eq((e) => o(e, 'local', 'port')),
  ni_handle: eq((e) => e.niHandle),
  sssl_hdl: eq((e) => e.ssslHandle),
  pse_file: eq((e) => e.pseFile),
  pse_basename: eq((e) => (typeof e.pseFile === 'string' ? e.pseFile.split(/[\\/]/).pop() : undefined)),
  ssl_state: eq((e) => o(e, 'sslState', 'text')),
  ssl_state_code: eq((e) => o(e, 'sslState', 'code')),
  ciphersuites: eq((e) => e.ciphersuites),
  ssl_ctx: (ev, v) => {
    const want = v as Json;
    const ctx = (ev as unknown as Json).sslCtx as Json | undefined;
    if (!ctx) return 'no sslCtx';
    const got: Json = { side: ctx.side, address: ctx.address, pvflags: ctx.pvflags };
    if ('protocol_versions' in want) got.protocol_versions = ctx.protocolVersions;
    if ('pvflags_text' in want) got.pvflags_text = (ctx.protocolVersions as string[] | undefined)?.join(',');
    return JSON.stringify(got) === JSON.stringify(want) ? undefined : `sslCtx ${JSON.stringify(got)}`;
  },
  openssl_error: eq((e) => e.openSslError),
  operation: eq((e) => e.operation),
  crypto_rc: eq((e) => {
    const rc = e.cryptoRc as { decimal?: string; hex: string } | undefined;
    return rc ? `${rc.decimal}/${rc.hex}` : undefined;
  }),
  alert_text: eq((e) => o(e, 'alert', 'text')),
  alert_text_as_printed: eq((e) => o(e, 'alert', 'text')),
  alert_text_truncated: eq((e) => o(e, 'alert', 'truncated')),
  timestamp: eq((e) => e.timestamp),
  thread: eq((e) => e.thread),
  source_location: eq((e) => e.sourceLocation),
  server_cert_subject: eq((e) => e.serverCertSubject),
  app_message: eq((e) => e.appMessage),
  errorstack: (ev, v) => {
    const want = v as Json[];
    const got = (ev as unknown as Json).errorstack as Json[] | undefined;
    if (!got || got.length !== want.length) return `errorstack length ${got?.length}`;
    for (let i = 0; i < want.length; i++) {
      const w = want[i]!;
      const g = got[i]!;
      const pairs: [unknown, unknown][] = [
        [w.code_hex, g.code],
        [w.component, g.component],
        [w.function, g.function],
        [w.text ?? undefined, g.text],
      ];
      for (const [a, b] of pairs)
        if (ws(JSON.stringify(a)) !== ws(JSON.stringify(b))) return `errorstack[${i}] ${JSON.stringify(g)}`;
    }
    return undefined;
  },
  certificates: (ev, v) => {
    const want = v as Json[];
    const got = ((ev as unknown as Json).certificates as Json[] | undefined) ?? [];
    for (const w of want) {
      const g = got.find((c) => c.depth === w.depth);
      if (!g) return `no certificate at depth ${w.depth}`;
      const verification = (g.verification as Json | undefined) ?? {};
      const checks: [unknown, unknown][] = [
        [w.subject, g.subject],
        [w.issuer, g.issuer],
        [w.serial, g.serial],
      ];
      if ('verification_status' in w) checks.push([w.verification_status, verification.Status]);
      if ('signer_status' in w) checks.push([w.signer_status, verification.SignerStatus]);
      for (const [k, val] of Object.entries((w.verification_details as Json | undefined) ?? {}))
        checks.push([val, verification[k]]);
      for (const [a, b] of checks)
        if (a !== undefined && a !== b) return `certificate ${w.depth}: want ${a}, got ${b}`;
    }
    return undefined;
  },
};

const SNC_FIELDS: Record<string, Check> = {
  role: eq((e) => e.role),
  thread: eq((e) => e.thread),
  timestamp: eq((e) => e.timestamp),
  error_name: eq((e) => o(e, 'error', 'name')),
  trace_error: includes((e) => e.details),
  source_location: eq((e) => e.sourceLocation),
  rfc_error: eq((e) => e.rfcError),
  location: eq((e) => e.location),
  error: (ev, v) => {
    const e = ev as unknown as Json;
    const s = String(v);
    if (s.startsWith('GSS-API(maj)')) return eq((x) => x.gssMajor)(ev, v);
    return includes((x) => x.details)(ev, v) && `error ${s} not in details ${JSON.stringify(e.details)}`;
  },
  error_detail: eq((e) => e.errorDetail),
  snc_target: eq((e) => e.sncTarget),
  release: eq((e) => e.release),
  rc: eq((e) => e.rc),
  module: eq((e) => e.module),
  line: eq((e) => e.moduleLine),
  detail: eq((e) => e.detail),
  system_call: eq((e) => e.systemCall),
  counter: eq((e) => e.counter),
  follow_up: includes((e) => e.followUp),
  library: eq((e) => e.library),
};

const KERBEROS_FIELDS: Record<string, Check> = {
  process: eq((e) => e.process),
  timestamp: eq((e) => e.timestamp),
  failed_call: eq((e) => e.failedCall),
  return_code: eq((e) => e.returnCode),
  spn: eq((e) => e.spn),
  user: eq((e) => e.user),
  status: eq((e) => e.status),
  status_text: eq((e) => e.statusText),
};

function expectedKind(exp: Json): { kind: string; fields: Record<string, Check> } {
  const protocol = String(exp.protocol ?? '');
  if (/^Kerberos/.test(protocol)) return { kind: 'kerberos-failure', fields: KERBEROS_FIELDS };
  if (protocol === 'SNC') return { kind: 'snc-failure', fields: SNC_FIELDS };
  return { kind: 'ssl-failure', fields: SSL_FIELDS };
}

/** Differences between one expected event and one actual event ('' = matches). */
function diff(exp: Json, ev: EvidenceEvent, fields: Record<string, Check>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(exp)) {
    if (NOT_IN_MODEL.has(key)) continue;
    const check = fields[key];
    if (!check) {
      problems.push(`fixture field "${key}" has no mapping in this test`);
      continue;
    }
    const p = check(ev, value);
    if (p) problems.push(`${key}: ${p}`);
  }
  return problems;
}

const traces = listFixtures('real/traces', '.json');
const cases = listFixtures('real/cases', '.txt');

describe('sap-text reader: real trace fixtures', fixturesOrSkip(), () => {
  test('the fixture set is present', () => {
    assert.ok(traces.length >= 17, `expected the real traces, found ${traces.length}`);
  });

  for (const jsonPath of traces) {
    const id = basename(jsonPath, '.json');
    test(`${id}: yields the events the fixture lists`, async () => {
      const fixture = readJson<Json>(jsonPath);
      const out = await read(jsonPath.replace(/\.json$/, '.txt'));
      const failures = out.events.filter((e) => FAILURE_KINDS.has(e.kind));
      const expected = ((fixture.events as Json[] | undefined) ?? []).filter(
        (e) => e.type !== 'listing' && e.type !== 'listing_error',
      );
      const isListing = ((fixture.events as Json[] | undefined) ?? []).some((e) => e.type !== undefined);
      if (fixture.expected_negative || isListing) {
        assert.deepEqual(
          failures.map((e) => e.kind),
          [],
          'a negative / listing fixture must yield no failure event from the text reader',
        );
        // A certificate REQUEST subject is never read as a certificate of any kind.
        assert.ok(!JSON.stringify(out.events).includes('Myserver'), 'request subject leaked into events');
      }
      for (const exp of expected) {
        const { kind, fields } = expectedKind(exp);
        const candidates = failures.filter((e) => e.kind === kind);
        const results = candidates.map((e) => diff(exp, e, fields));
        const best = results.sort((a, b) => a.length - b.length)[0];
        assert.ok(candidates.length > 0, `${id}: no ${kind} event for ${JSON.stringify(exp)}`);
        assert.deepEqual(best, [], `${id}: closest ${kind} event differs:\n  ${best?.join('\n  ')}`);
      }
      if (expected.length > 0) {
        // Every failure event the reader gives stands for one the fixture lists (no invented extras).
        const sslLike = failures.filter(
          (e) => e.kind === 'ssl-failure' || e.kind === 'snc-failure' || e.kind === 'kerberos-failure',
        );
        assert.equal(sslLike.length, expected.length, `${id}: event count`);
      }
      const header = fixture.header as Json | undefined;
      if (header) {
        const info = out.events.find((e): e is TraceInfoEvent => e.kind === 'trace-info');
        assert.ok(info, 'trace header read');
        assert.equal(info.traceFile, header.trace_file);
        assert.equal(info.traceLevel, header.trace_level);
        assert.equal(info.release, header.release);
        assert.equal(info.sid, header.sid);
      }
      const init = fixture.ssl_init as Json | undefined;
      if (init) {
        const info = out.events.find((e): e is TraceInfoEvent => e.kind === 'trace-info');
        assert.ok(info, 'SSL initialisation read');
        assert.equal(info.cryptoLib?.file, init.library);
        assert.ok(String(init.cryptolib).includes(info.cryptoLib?.version ?? '∅'));
        assert.equal(info.parameters?.['ssl/ciphersuites'], init.ssl_ciphersuites);
        assert.equal(info.parameters?.['ssl/client_ciphersuites'], init.ssl_client_ciphersuites);
      }
    });
  }

  test('every fixture gives the same failure events with the byte prefilter on from the first byte', async () => {
    // The trace header and SSL initialisation are facts of a trace's head, which is always read in
    // full; every failure must be found through the prefilter alone.
    const failuresOf = (events: EvidenceEvent[]) => events.filter((e) => e.kind !== 'trace-info');
    const all = [...traces.map((p) => p.replace(/\.json$/, '.txt')), ...cases];
    for (const path of all) {
      const full = await read(path, { noPrefilter: true });
      const filtered = await read(path, { fullReadBytes: 0 });
      assert.deepEqual(
        failuresOf(filtered.events),
        failuresOf(full.events),
        `${basename(path)}: prefilter changed the events`,
      );
      assert.ok(filtered.summary.skippedLines !== undefined);
    }
  });
});

/** What each diagnosis case needs from the reader. A new case file must get an entry here. */
const CASE_NEEDS: Record<string, (events: EvidenceEvent[], lines: Record<string, string>) => void> = {
  'case-002': (events) => {
    const e = one(events, 'ssl-failure');
    assert.deepEqual(e.error, { name: 'SSSLERR_SERVER_CERT_MISMATCH', number: -30 });
    assert.equal(e.peer?.ip, '<incorrect target HTTPS server IP address>');
    assert.equal(e.target?.host, '<target HTTPS server FQDN>');
    assert.equal(e.serverCertSubject, '<CN=<mismatched hostname with the target HTTPS server FQDN>, (...)>');
    assert.equal(e.role, 'client');
  },
  'case-003': (events) => {
    const e = one(events, 'ssl-failure');
    assert.equal(e.error?.name, 'SSSLERR_PEER_CERT_EXPIRED');
    assert.equal(e.peer?.ip, '<incorrect target HTTPS server IP address>');
    assert.equal(e.target?.host, '<target HTTPS FQDN>');
  },
  'case-007': (events) => {
    const e = one(events, 'ssl-failure');
    assert.deepEqual(e.error, { name: 'SSSLERR_SSL_READ', number: -58 });
    assert.deepEqual(e.icm, { number: 407, name: 'ICM_HTTP_SSL_ERROR' });
    assert.deepEqual(e.target, { host: 'github.com', port: 443 });
    assert.equal(e.origin, 'abap-message');
  },
  'case-010': (events) => {
    const e = one(events, 'lib-load-failure');
    assert.equal(e.error?.name, 'DLENOACCESS');
    assert.equal(e.library, 'C:\\Users\\test\\Desktop\\sapcrypto.dll');
    assert.deepEqual(e.osError, { code: '5', text: 'Access is denied.' });
  },
  'case-011': (events) => {
    const snc = one(events, 'snc-failure');
    assert.equal(snc.error?.name, 'SNCERR_GSSAPI');
    assert.equal(snc.gssMajor, 'GSS-API(maj): No credentials were supplied');
    assert.equal(snc.sncTarget, 'p:CN=BW5');
    const krb = one(events, 'kerberos-failure');
    assert.equal(krb.spn, 'SAP/BW5');
    assert.equal(krb.status, 'C000018B');
  },
  'case-012': (events) => {
    const e = one(events, 'snc-name');
    assert.equal(e.name, 'CN=DAVID@XS.CONTOSO.COM@CONTOSO.COM');
    assert.equal(e.anomaly, 'doubled-realm');
  },
  'case-013': (events) => {
    const e = one(events, 'snc-name');
    assert.equal(e.name, 'CN=DAVID@CONTOSO.COM');
    assert.equal(e.anomaly, undefined);
  },
  'case-014': (events) => {
    const e = one(events, 'client-error');
    assert.equal(e.client, 'hana-client');
    assert.equal(e.code, 'RTE_300010');
    assert.equal(e.problem, 'trust-store-missing');
    assert.equal(e.path, '/Users/< username >/.ssl/trust.pem');
    assert.deepEqual(e.target, { host: '< hana-cloud-endpoint >', port: 443 });
  },
  'case-015': (events) => {
    const e = one(events, 'java-tls-failure');
    assert.equal(e.problem, 'pkix-path');
    assert.equal(e.exception, 'sun.security.provider.certpath.SunCertPathBuilderException');
  },
  'case-027': (events) => {
    const e = one(events, 'client-error');
    assert.equal(e.client, 'browser');
    assert.equal(e.code, 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT');
    assert.equal(e.problem, 'handshake-failure');
    assert.equal(e.target?.port, 8443);
  },
  'case-028': (events, lines) => {
    const e = one(events, 'ssl-failure');
    assert.deepEqual(e.error, { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 });
    assert.equal(e.pseFile, '/usr/sap/SID/HOST/sec/PSE_FILE_TH');
    assert.equal(e.truncated, true, 'the PSE path was cut in the source');
    assert.equal(e.role, 'client');
    const pseLine = Object.values(lines).find((t) => t.includes('session uses PSE file'));
    assert.ok(pseLine, 'the PSE line is quoted in Evidence.lines');
  },
};

function one<K extends EvidenceEvent['kind']>(
  events: EvidenceEvent[],
  kind: K,
): Extract<EvidenceEvent, { kind: K }> {
  const found = events.filter((e) => e.kind === kind);
  assert.equal(found.length, 1, `one ${kind} event expected, got ${found.length}`);
  return found[0] as Extract<EvidenceEvent, { kind: K }>;
}

describe('sap-text reader: diagnosis cases', fixturesOrSkip(), () => {
  for (const path of cases) {
    const id = basename(path, '.txt');
    test(`${id}: the evidence its cause needs is extracted`, async () => {
      const needs = CASE_NEEDS[id];
      assert.ok(needs, `${id} has no entry in CASE_NEEDS: add what the cause needs`);
      const out = await read(path);
      needs(out.events, out.lines);
      const expected = readJson<Json>(path.replace(/\.txt$/, '.json'));
      for (const e of out.events) {
        if (e.kind === 'ssl-failure' || e.kind === 'snc-failure') {
          if (expected.role) assert.equal(e.role, expected.role, `${id}: role`);
        }
      }
      // Every event points at lines whose text is kept.
      for (const e of out.events) {
        for (const no of e.source.keyLines ?? [e.source.line])
          assert.ok(out.lines[`0:${no}`] !== undefined, `${id}: line ${no} text kept`);
      }
    });
  }
});
