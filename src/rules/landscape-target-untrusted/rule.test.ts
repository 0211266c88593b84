/** @module landscape-target-untrusted: the PSE a call uses does not trust what the server sends today. */
import assert from 'node:assert/strict';
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import { generateChain } from '../../../test/pki/index.js';
import type { CertificateInfo } from '../../model/certificate.js';
import type { EvidenceEvent, LandscapeTargetEvent } from '../../model/evidence.js';
import { parseDerCertificate } from '../../readers/x509/read-certificates.js';
import rule from './rule.js';

const at = (system: string, instance: string) => ({ landscape: { system, instance } });
let rootSubject: string | undefined;

/** A generated chain; the target's server sends leaf and intermediate, app1 trusts the root, app2 not. */
async function untrustedOnApp2(): Promise<EvidenceEvent[]> {
  const chain = await generateChain();
  const [leaf, inter, root] = [chain.leaf, chain.intermediate, chain.root].map((c) =>
    parseDerCertificate(c.der, 'test'),
  ) as CertificateInfo[];
  rootSubject = root?.subject;
  const target: LandscapeTargetEvent = {
    kind: 'landscape-target',
    source: { input: 0, line: 2 },
    system: 'ABC',
    host: 'api.example.test',
    port: 8443,
    pse: 'SAPSSLC.pse',
    probe: { ok: true, certificates: [leaf as CertificateInfo, inter as CertificateInfo] },
  };
  return [
    pseList('ABC/app1/SAPSSLC.pse', [root as CertificateInfo], at('ABC', 'app1')),
    pseList('ABC/app2/SAPSSLC.pse', [cert('CN=Other Root')], at('ABC', 'app2')),
    target,
  ];
}

const base = {
  kind: 'landscape-target' as const,
  source: { input: 0, line: 1 },
  system: 'ABC',
  host: 'h',
  port: 1,
};

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'untrusted on app2 only, with the root to import; trusted on app1',
      events: untrustedOnApp2,
      findings: [{ severity: 'error', errorCode: 'SSSLERR_PEER_CERT_UNTRUSTED' }],
      check: ([f]) => {
        assert.match(f?.title ?? '', /Calls of ABC to api\.example\.test:8443 fail today on app2/);
        assert.match(f?.summary ?? '', /On app1 the same call works/);
        assert.ok(rootSubject);
        assert.equal(f?.import?.subject, rootSubject);
      },
    },
    {
      name: 'no such PSE on the system; info when the server could not be reached',
      events: [
        pseList('ABC/app1/SAPSSLA.pse', [], at('ABC', 'app1')),
        { ...base, pse: 'SAPSSLC.pse', probe: { ok: true, certificates: [cert('CN=h')] } },
        { ...base, pse: 'SAPSSLA.pse', probe: { ok: false, error: 'connection refused' } },
      ],
      findings: [
        { severity: 'error', title: 'ABC has no SAPSSLC.pse (SSL client Standard) for its call to h:1' },
        { severity: 'info', title: 'h:1 (called by ABC) could not be probed: connection refused' },
      ],
    },
  ],
  staysSilent: [
    {
      name: 'targets without --probe',
      events: [{ ...base, system: 'A', pse: 'SAPSSLC.pse' }],
    },
  ],
  notApplicable: [
    { name: 'no landscape target', events: [pseList('ABC/app1/SAPSSLC.pse', [], at('ABC', 'app1'))] },
  ],
});
