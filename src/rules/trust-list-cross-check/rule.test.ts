/** @module trust-list-cross-check: trace + trust lists turn a likely untrusted root into a proven gap, or into another finding. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip, readJson } from '../../../test/helpers/fixtures.js';
import { event, evidenceOf, runRule } from '../../../test/helpers/rule-tester.js';
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

describe('trust-list-cross-check', () => {
  let pki: TestPki;
  let root: CertificateInfo;
  let other: CertificateInfo;
  before(async () => {
    pki = await generateTestPki();
    root = describeCertificate(pki.rsa.root.x509);
    other = describeCertificate(pki.ec.root.x509);
  });
  const anonym = (certs: CertificateInfo[]) => list('SAPSSLA.pse', 'SSL client Anonymous', 'ANONYM', certs);
  const dfault = (certs: CertificateInfo[]) => list('SAPSSLC.pse', 'SSL client Standard', 'DFAULT', certs);
  const top = (events: EvidenceEvent[]) => runRules(evidenceOf(events), RULES, { now: NOW }).findings[0];

  test('the trace alone gives a likely untrusted root (private CA: the root is not proven)', () => {
    const f = top([failure(pki)]);
    assert.equal(f?.cause, 'untrusted-root');
    assert.equal(f?.confidence, 'likely');
    assert.notEqual(f?.rule, 'trust-list-cross-check');
  });

  test('with the used PSE lacking the root, the top finding is certain and names the list', () => {
    const f = top([failure(pki), anonym([other])]);
    assert.equal(f?.rule, 'trust-list-cross-check');
    assert.equal(f?.confidence, 'certain');
    assert.equal(f?.cause, 'untrusted-root');
    assert.equal(
      f?.title,
      '"PSE Doctor Test RSA Root CA" is not in SAPSSLA.pse (SSL client Anonymous), the PSE the failing call used',
    );
    assert.equal(f?.pse?.node, 'SSL client Anonymous');
    assert.deepEqual(f?.import?.into, [{ node: 'SSL client Anonymous', file: 'SAPSSLA.pse' }]);
    assert.equal(f?.import?.subject, root.subject);
    // Evidence quotes the failure and the list.
    assert.equal(f?.evidence.length, 2);
  });

  test('held in another PSE: the finding says which one, and the import carries its PEM', () => {
    const { findings } = runRule(rule, [failure(pki), anonym([other]), dfault([other, root])], NOW);
    const f = findings[0];
    assert.equal(f?.confidence, 'certain');
    assert.equal(
      f?.title,
      '"PSE Doctor Test RSA Root CA" is not in SAPSSLA.pse (SSL client Anonymous); it is in SAPSSLC.pse (SSL client Standard)',
    );
    assert.match(f?.summary ?? '', /The destination uses ANONYM/);
    assert.equal(f?.import?.source, 'input');
    assert.equal(f?.import?.sha256, root.sha256);
    assert.ok(f?.import?.pem);
    assert.ok(f?.steps.some((s) => /SSL Certificate: DFAULT/.test(s)));
  });

  test('present in the used PSE: a different finding (ICM not notified, other server), never certain', () => {
    const { findings } = runRule(rule, [failure(pki), anonym([other, root])], NOW);
    const f = findings[0];
    assert.equal(f?.confidence, 'likely');
    assert.match(
      f?.title ?? '',
      /is already in SAPSSLA\.pse \(SSL client Anonymous\), yet the peer was not trusted/,
    );
    assert.equal(f?.import?.alreadyPresent?.sha256, root.sha256);
    assert.ok(f?.steps.some((s) => /Exit Soft/.test(s)));
    assert.ok(f?.steps.some((s) => /Distribute/.test(s)));
    const all = top([failure(pki), anonym([other, root])]);
    assert.notEqual(all?.confidence, 'certain');
  });

  test('the trace names no PSE: in one list, not the other → likely, says where', () => {
    const ev = failure(pki, { pseFile: undefined });
    delete (ev as { pseFile?: string }).pseFile;
    const f = runRule(rule, [ev, anonym([other]), dfault([root])], NOW).findings[0];
    assert.equal(f?.confidence, 'likely');
    assert.equal(
      f?.title,
      '"PSE Doctor Test RSA Root CA" is in SAPSSLC.pse (SSL client Standard) but not in SAPSSLA.pse (SSL client Anonymous)',
    );
    assert.ok(f?.distinguish);
  });

  test('a look-alike root (same name, other serial): not present; likely from names, certain from PEM dumps', () => {
    const lookalike = describeCertificate(pki.rekeyed.root.x509);
    const printed = failure(pki).certificates ?? [];
    const byName = failure(pki, {
      certificates: [
        ...printed,
        { depth: 2, subject: root.subject, issuer: root.subject, serial: root.serial ?? '' },
      ],
    });
    const f = runRule(rule, [byName, anonym([lookalike])], NOW).findings[0];
    // Names and serials cannot prove a re-keyed CA apart from a re-issued one (same key): likely.
    assert.equal(f?.confidence, 'likely');
    assert.match(f?.title ?? '', /is not in SAPSSLA\.pse/);
    assert.ok(f?.steps.some((s) => /same name that is a different certificate/.test(s)));
    // Trace level 3 dumps the PEM: signatures decide, and the gap is proven.
    const dumped = failure(pki, {
      certificates: [
        { depth: 0, subject: pki.rsa.leaf.subject, pem: pki.rsa.leaf.pem },
        { depth: 1, subject: pki.rsa.intermediate.subject, pem: pki.rsa.intermediate.pem },
      ],
    });
    const g = runRule(rule, [dumped, anonym([lookalike])], NOW).findings[0];
    assert.equal(g?.confidence, 'certain');
    assert.ok(g?.steps.some((s) => s.includes(lookalike.sha256 ?? 'x')));
  });

  test('server-role lists are not judged for a client-role failure', () => {
    const server = event('trust-list', {
      list: {
        storeKind: 'sap-pse',
        basename: 'SAPSSLS.pse',
        node: 'SSL server Standard',
        context: 'SSLS',
        certificates: [root],
      },
    });
    const f = runRule(rule, [failure(pki), anonym([other]), server], NOW).findings[0];
    assert.equal(f?.title?.includes('SAPSSLS'), false);
  });

  test("one finding per failure and cause: the chain rules step aside when the used PSE's list is given", () => {
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
    const ev = failure(pki, { pseFile: undefined });
    delete (ev as { pseFile?: string }).pseFile;
    const undecided = all([ev, dfault([root])]);
    assert.ok(undecided.some((f) => f.rule === 'untrusted-peer-chain'));
  });

  test('not applicable without a trust list', () => {
    const r = runRule(rule, [failure(pki)], NOW);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.notApplicable, ['trust-list-cross-check']);
  });

  test('no chain and no named CA: nothing to compare, no finding', () => {
    const ev = failure(pki);
    delete (ev as { certificates?: unknown }).certificates;
    assert.deepEqual(runRule(rule, [ev, anonym([root])], NOW).findings, []);
  });

  test('"missing certificate of <CN>" without a chain is cross-checked by name', () => {
    const ev = failure(pki, {
      errorText:
        "Peer's X.509 certificate (chain) validation failed (missing certificate of PSE Doctor Test RSA Root CA)",
    });
    delete (ev as { certificates?: unknown }).certificates;
    const f = runRule(rule, [ev, anonym([other])], NOW).findings[0];
    assert.equal(f?.confidence, 'certain');
    assert.match(f?.title ?? '', /"PSE Doctor Test RSA Root CA" is not in SAPSSLA\.pse/);
  });
});

describe('trust-list-cross-check on a real chain dump (trace-006, github.com)', {
  ...fixturesOrSkip(),
}, () => {
  interface TraceJson {
    events: { certificates: { depth: number; subject: string; issuer: string; serial?: string }[] }[];
  }
  const chainOf = () =>
    readJson<TraceJson>(fixturePath('real', 'traces', 'trace-006.json')).events[0]?.certificates.map((c) => ({
      depth: c.depth,
      subject: c.subject,
      issuer: c.issuer,
      ...(c.serial ? { serial: c.serial } : {}),
    })) ?? [];

  test('the DigiCert EV root missing from SAPSSLA.pse is proven; present, it is not the cause', () => {
    const evRoot = findRoot({
      dn: 'CN=DigiCert High Assurance EV Root CA, OU=www.digicert.com, O=DigiCert Inc, C=US',
    });
    const isrg = findRoot({ dn: 'CN=ISRG Root X1, O=Internet Security Research Group, C=US' });
    assert.ok(evRoot && isrg);
    const ev = event('ssl-failure', {
      origin: 'trace',
      error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
      pseFile: 'SAPSSLA.pse',
      certificates: chainOf(),
    });
    const missing = runRule(rule, [ev, list('SAPSSLA.pse', 'SSL client Anonymous', 'ANONYM', [isrg])], NOW)
      .findings[0];
    assert.equal(missing?.confidence, 'certain');
    assert.equal(missing?.import?.source, 'bundled-roots');
    assert.equal(missing?.import?.sha256, evRoot.sha256);
    const present = runRule(
      rule,
      [ev, list('SAPSSLA.pse', 'SSL client Anonymous', 'ANONYM', [isrg, evRoot])],
      NOW,
    ).findings[0];
    assert.match(present?.title ?? '', /is already in SAPSSLA\.pse/);
    // The trace prints no fingerprint of the root: the match is by name, and the summary says so.
    assert.match(present?.summary ?? '', /matched by name only/);
  });
});
