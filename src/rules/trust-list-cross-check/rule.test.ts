/** @module trust-list-cross-check: trace + trust lists turn a likely untrusted root into a proven gap, or into another finding. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip, readJson } from '../../../test/helpers/fixtures.js';
import { event, evidenceOf, testRule } from '../../../test/helpers/rule-tester.js';
import { generateTestPki, type TestPki } from '../../../test/pki/index.js';
import { runRules } from '../../engine/run-rules.js';
import type { CertificateInfo, TrustList } from '../../model/certificate.js';
import type { EvidenceEvent, SslFailureEvent, TrustListEvent } from '../../model/evidence.js';
import { describeCertificate } from '../../pki/certificate-info.js';
import { findRoot } from '../../pki/root-store.js';
import { RULES } from '../index.js';
import rule from './rule.js';

const NOW = new Date('2026-01-15T12:00:00Z');

function failure(pki: TestPki, fields: Partial<SslFailureEvent> = {}): SslFailureEvent {
  const { leaf, intermediate } = pki.rsa;
  return event('ssl-failure', {
    origin: 'trace',
    role: 'client',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    target: { host: 'api.example.test', port: 443 },
    pseFile: '/usr/sap/ABC/D00/sec/SAPSSLA.pse',
    // As a level-2 trace prints them: names and serials, no PEM.
    certificates: [
      { depth: 0, subject: leaf.subject, issuer: leaf.issuer, serial: describeCertificate(leaf.x509).serial },
      { depth: 1, subject: intermediate.subject, issuer: intermediate.issuer },
    ],
    ...fields,
  });
}

/** A failure whose trace names no PSE. */
function failureWithoutPse(pki: TestPki): SslFailureEvent {
  const ev = failure(pki, { pseFile: undefined });
  delete (ev as { pseFile?: string }).pseFile;
  return ev;
}

function list(basename: string, node: string, application: string, certs: CertificateInfo[]): TrustListEvent {
  const l: TrustList = {
    storeKind: 'sap-pse',
    file: `/usr/sap/ABC/D00/sec/${basename}`,
    basename,
    node,
    context: 'SSLC',
    application,
    certificates: certs,
  };
  return event('trust-list', { list: l });
}
const anonym = (certs: CertificateInfo[]) => list('SAPSSLA.pse', 'SSL client Anonymous', 'ANONYM', certs);
const dfault = (certs: CertificateInfo[]) => list('SAPSSLC.pse', 'SSL client Standard', 'DFAULT', certs);

/** The test PKI, made once; its RSA root, the EC root (an unrelated CA) and a re-keyed RSA root. */
interface Pki {
  pki: TestPki;
  root: CertificateInfo;
  other: CertificateInfo;
  lookalike: CertificateInfo;
}
let made: Promise<Pki> | undefined;
let P: Pki;
function withPki(build: (p: Pki) => EvidenceEvent[]): () => Promise<EvidenceEvent[]> {
  return async () => {
    made ??= generateTestPki().then((pki) => ({
      pki,
      root: describeCertificate(pki.rsa.root.x509),
      other: describeCertificate(pki.ec.root.x509),
      lookalike: describeCertificate(pki.rekeyed.root.x509),
    }));
    P = await made;
    return build(P);
  };
}

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'held in another PSE: the finding says which one, and the import carries its PEM',
      events: withPki(({ pki, root, other }) => [failure(pki), anonym([other]), dfault([other, root])]),
      findings: [
        {
          confidence: 'certain',
          title:
            '"PSE Doctor Test RSA Root CA" is not in SAPSSLA.pse (SSL client Anonymous); it is in SAPSSLC.pse (SSL client Standard)',
        },
      ],
      check: ([f]) => {
        assert.match(f?.summary ?? '', /The destination uses ANONYM/);
        assert.equal(f?.import?.source, 'input');
        assert.equal(f?.import?.sha256, P.root.sha256);
        assert.ok(f?.import?.pem);
        assert.ok(f?.steps.some((s) => /SSL Certificate: DFAULT/.test(s)));
      },
    },
    {
      name: 'present in the used PSE: a different finding (ICM not notified, other server), never certain',
      events: withPki(({ pki, root, other }) => [failure(pki), anonym([other, root])]),
      findings: [{ confidence: 'likely' }],
      check: ([f]) => {
        assert.match(
          f?.title ?? '',
          /is already in SAPSSLA\.pse \(SSL client Anonymous\), yet the peer was not trusted/,
        );
        assert.equal(f?.import?.alreadyPresent?.sha256, P.root.sha256);
        assert.ok(f?.steps.some((s) => /Exit Soft/.test(s)));
        assert.ok(f?.steps.some((s) => /Distribute/.test(s)));
      },
    },
    {
      name: 'the trace names no PSE: in one list, not the other → likely, says where',
      events: withPki(({ pki, root, other }) => [failureWithoutPse(pki), anonym([other]), dfault([root])]),
      findings: [
        {
          confidence: 'likely',
          title:
            '"PSE Doctor Test RSA Root CA" is in SAPSSLC.pse (SSL client Standard) but not in SAPSSLA.pse (SSL client Anonymous)',
        },
      ],
      check: ([f]) => assert.ok(f?.distinguish),
    },
    {
      // Names and serials cannot prove a re-keyed CA apart from a re-issued one (same key): likely.
      name: 'a look-alike root (same name, other serial) named by the trace: not present, likely',
      events: withPki(({ pki, root, lookalike }) => [
        failure(pki, {
          certificates: [
            ...(failure(pki).certificates ?? []),
            { depth: 2, subject: root.subject, issuer: root.subject, serial: root.serial ?? '' },
          ],
        }),
        anonym([lookalike]),
      ]),
      findings: [{ confidence: 'likely' }],
      check: ([f]) => {
        assert.match(f?.title ?? '', /is not in SAPSSLA\.pse/);
        assert.ok(f?.steps.some((s) => /same name that is a different certificate/.test(s)));
      },
    },
    {
      // Trace level 3 dumps the PEM: signatures decide, and the gap is proven.
      name: 'a look-alike root against a PEM dump of the chain: certain',
      events: withPki(({ pki, lookalike }) => [
        failure(pki, {
          certificates: [
            { depth: 0, subject: pki.rsa.leaf.subject, pem: pki.rsa.leaf.pem },
            { depth: 1, subject: pki.rsa.intermediate.subject, pem: pki.rsa.intermediate.pem },
          ],
        }),
        anonym([lookalike]),
      ]),
      findings: [{ confidence: 'certain' }],
      check: ([g]) => assert.ok(g?.steps.some((s) => s.includes(P.lookalike.sha256 ?? 'x'))),
    },
    {
      name: 'server-role lists are not judged for a client-role failure',
      events: withPki(({ pki, root, other }) => [
        failure(pki),
        anonym([other]),
        event('trust-list', {
          list: {
            storeKind: 'sap-pse',
            basename: 'SAPSSLS.pse',
            node: 'SSL server Standard',
            context: 'SSLS',
            certificates: [root],
          },
        }),
      ]),
      findings: [{ cause: 'untrusted-root' }],
      check: ([f]) => assert.equal(f?.title?.includes('SAPSSLS'), false),
    },
    {
      name: '"missing certificate of <CN>" without a chain is cross-checked by name',
      events: withPki(({ pki, other }) => {
        const ev = failure(pki, {
          errorText:
            "Peer's X.509 certificate (chain) validation failed (missing certificate of PSE Doctor Test RSA Root CA)",
        });
        delete (ev as { certificates?: unknown }).certificates;
        return [ev, anonym([other])];
      }),
      findings: [{ confidence: 'certain' }],
      check: ([f]) => assert.match(f?.title ?? '', /"PSE Doctor Test RSA Root CA" is not in SAPSSLA\.pse/),
    },
  ],
  staysSilent: [
    {
      name: 'no chain and no named CA: nothing to compare',
      events: withPki(({ pki, root }) => {
        const ev = failure(pki);
        delete (ev as { certificates?: unknown }).certificates;
        return [ev, anonym([root])];
      }),
    },
  ],
  notApplicable: [{ name: 'a failure without a trust list', events: withPki(({ pki }) => [failure(pki)]) }],
});

interface TraceJson {
  events: { certificates: { depth: number; subject: string; issuer: string; serial?: string }[] }[];
}
/** trace-006 (github.com): the chain as a level-2 trace prints it, with SAPSSLA.pse holding `roots`. */
function realChainWith(roots: () => CertificateInfo[]): () => EvidenceEvent[] {
  return () => {
    const chain =
      readJson<TraceJson>(fixturePath('real', 'traces', 'trace-006.json')).events[0]?.certificates.map(
        (c) => ({
          depth: c.depth,
          subject: c.subject,
          issuer: c.issuer,
          ...(c.serial ? { serial: c.serial } : {}),
        }),
      ) ?? [];
    const ev = event('ssl-failure', {
      origin: 'trace',
      error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
      pseFile: 'SAPSSLA.pse',
      certificates: chain,
    });
    return [ev, list('SAPSSLA.pse', 'SSL client Anonymous', 'ANONYM', roots())];
  };
}
const bundled = (dn: string) => {
  const c = findRoot({ dn });
  assert.ok(c, dn);
  return c;
};
const evRoot = () =>
  bundled('CN=DigiCert High Assurance EV Root CA, OU=www.digicert.com, O=DigiCert Inc, C=US');
const isrg = () => bundled('CN=ISRG Root X1, O=Internet Security Research Group, C=US');

testRule(rule, {
  title: 'on a real chain dump (trace-006, github.com)',
  ...fixturesOrSkip(),
  now: NOW,
  reports: [
    {
      name: 'the DigiCert EV root missing from SAPSSLA.pse is proven',
      events: realChainWith(() => [isrg()]),
      findings: [{ confidence: 'certain' }],
      check: ([missing]) => {
        assert.equal(missing?.import?.source, 'bundled-roots');
        assert.equal(missing?.import?.sha256, evRoot().sha256);
      },
    },
    {
      name: 'present, the DigiCert EV root is not the cause (matched by name only, and the summary says so)',
      events: realChainWith(() => [isrg(), evRoot()]),
      findings: [{}],
      check: ([present]) => {
        assert.match(present?.title ?? '', /is already in SAPSSLA\.pse/);
        // The trace prints no fingerprint of the root: the match is by name, and the summary says so.
        assert.match(present?.summary ?? '', /matched by name only/);
      },
    },
  ],
});

// How the cross-check ranks among every registered rule (the engine over the whole registry).
describe('trust-list-cross-check among every rule', () => {
  let p: Pki;
  before(async () => {
    await withPki(() => [])();
    p = P;
  });
  const top = (events: EvidenceEvent[]) => runRules(evidenceOf(events), RULES, { now: NOW }).findings[0];

  test('the trace alone gives a likely untrusted root (private CA: the root is not proven)', () => {
    const f = top([failure(p.pki)]);
    assert.equal(f?.cause, 'untrusted-root');
    assert.equal(f?.confidence, 'likely');
    assert.notEqual(f?.rule, 'trust-list-cross-check');
  });

  test('with the used PSE lacking the root, the top finding is certain and names the list', () => {
    const f = top([failure(p.pki), anonym([p.other])]);
    assert.equal(f?.rule, 'trust-list-cross-check');
    assert.equal(f?.confidence, 'certain');
    assert.equal(f?.cause, 'untrusted-root');
    assert.equal(
      f?.title,
      '"PSE Doctor Test RSA Root CA" is not in SAPSSLA.pse (SSL client Anonymous), the PSE the failing call used',
    );
    assert.equal(f?.pse?.node, 'SSL client Anonymous');
    assert.deepEqual(f?.import?.into, [{ node: 'SSL client Anonymous', file: 'SAPSSLA.pse' }]);
    assert.equal(f?.import?.subject, p.root.subject);
    // Evidence quotes the failure and the list.
    assert.equal(f?.evidence.length, 2);
  });

  test('present in the used PSE: the top finding over every rule is never certain', () => {
    assert.notEqual(top([failure(p.pki), anonym([p.other, p.root])])?.confidence, 'certain');
  });

  test("one finding per failure and cause: the chain rules step aside when the used PSE's list is given", () => {
    const { pki, root, other } = p;
    // Findings about this failure (folder-level findings such as pse-client-lists-differ name no target).
    const all = (events: EvidenceEvent[]) =>
      runRules(evidenceOf(events), RULES, { now: NOW }).findings.filter(
        (f) => f.target?.host === 'api.example.test',
      );
    for (const lists of [[anonym([other])], [anonym([other, root])], [anonym([other]), dfault([root])]]) {
      const findings = all([failure(pki), ...lists]);
      const trust = findings.filter(
        (f) => f.cause === 'untrusted-root' || f.cause === 'missing-intermediate',
      );
      assert.deepEqual(
        trust.map((f) => f.rule),
        ['trust-list-cross-check'],
        `lists: ${lists.map((l) => l.list.basename).join(', ')}`,
      );
    }
    // A lone leaf (intermediate not sent): missing-intermediate steps aside as well.
    const leafOnly = failure(pki, { certificates: failure(pki).certificates?.slice(0, 1) });
    const lone = all([leafOnly, anonym([other])]).filter(
      (f) => f.cause === 'untrusted-root' || f.cause === 'missing-intermediate',
    );
    assert.deepEqual(
      lone.map((f) => f.rule),
      ['trust-list-cross-check'],
    );
    // Without the used PSE's list the cross-check cannot decide: the chain rule keeps its finding.
    const undecided = all([failureWithoutPse(pki), dfault([root])]);
    assert.ok(undecided.some((f) => f.rule === 'untrusted-peer-chain'));
  });
});
