/** @module landscape-target-untrusted: the PSE a call uses does not trust what the server sends today. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import { generateChain } from '../../../test/pki/index.js';
import { runRules } from '../../engine/run-rules.js';
import type { EvidenceEvent, LandscapeTargetEvent } from '../../model/evidence.js';
import { parseDerCertificate } from '../../readers/x509/read-certificates.js';
import rule from './rule.js';

const run = (events: EvidenceEvent[]) =>
  runRules({ inputs: [], events, lines: {} }, [rule], { now: NOW }).findings;
const at = (system: string, instance: string) => ({ landscape: { system, instance } });

test('fail: untrusted on app2 only, with the root to import; trusted on app1', async () => {
  const chain = await generateChain();
  const [leaf, inter, root] = [chain.leaf, chain.intermediate, chain.root].map((c) =>
    parseDerCertificate(c.der, 'test'),
  );
  const target: LandscapeTargetEvent = {
    kind: 'landscape-target',
    source: { input: 0, line: 2 },
    system: 'ABC',
    host: 'api.example.test',
    port: 8443,
    pse: 'SAPSSLC.pse',
    probe: { ok: true, certificates: [leaf!, inter!] },
  };
  const findings = run([
    pseList('ABC/app1/SAPSSLC.pse', [root!], at('ABC', 'app1')),
    pseList('ABC/app2/SAPSSLC.pse', [cert('CN=Other Root')], at('ABC', 'app2')),
    target,
  ]);
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f?.severity, 'error');
  assert.match(f?.title ?? '', /Calls of ABC to api\.example\.test:8443 fail today on app2/);
  assert.match(f?.summary ?? '', /On app1 the same call works/);
  assert.equal(f?.errorCode?.name, 'SSSLERR_PEER_CERT_UNTRUSTED');
  assert.equal(f?.import?.subject, root?.subject);
});

test('fail: no such PSE on the system; info when the server could not be reached', () => {
  const base = {
    kind: 'landscape-target' as const,
    source: { input: 0, line: 1 },
    system: 'ABC',
    host: 'h',
    port: 1,
  };
  const findings = run([
    pseList('ABC/app1/SAPSSLA.pse', [], at('ABC', 'app1')),
    { ...base, pse: 'SAPSSLC.pse', probe: { ok: true, certificates: [cert('CN=h')] } },
    { ...base, pse: 'SAPSSLA.pse', probe: { ok: false, error: 'connection refused' } },
  ]);
  assert.deepEqual(
    findings.map((f) => [f.severity, f.title]),
    [
      ['error', 'ABC has no SAPSSLC.pse (SSL client Standard) for its call to h:1'],
      ['info', 'h:1 (called by ABC) could not be probed: connection refused'],
    ],
  );
});

test('not applicable: targets without --probe', () => {
  assert.deepEqual(
    run([
      {
        kind: 'landscape-target',
        source: { input: 0, line: 1 },
        system: 'A',
        host: 'h',
        port: 1,
        pse: 'SAPSSLC.pse',
      },
    ]),
    [],
  );
});
