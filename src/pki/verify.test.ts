/** @module The verification matrix: every generated defect × every profile gives the expected verdict. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  generateChain,
  generateTestPki,
  TEST_NOW,
  type TestCert,
  type TestPki,
} from '../../test/pki/index.js';
import type { CertificateInfo } from '../model/certificate.js';
import { problemSentence } from '../rules/chain-problem.js';
import { describeCertificate } from './certificate-info.js';
import {
  checkHostName,
  mapProblemToSap,
  matchDnsName,
  type ProfileId,
  type ProfileVerdict,
  verifyChain,
  verifyWithProfile,
} from './verify.js';

const info = (c: TestCert): CertificateInfo => describeCertificate(c.x509);
const HOST = 'api.example.test';

interface Case {
  name: string;
  chain: () => CertificateInfo[];
  host?: string;
  /** Stores hold the RSA test root unless this says otherwise. */
  stores?: () => CertificateInfo[];
  fetched?: () => CertificateInfo[];
  expect: Record<ProfileId, string>;
  /** Warnings expected per profile (kind list). */
  warn?: Partial<Record<ProfileId, string[]>>;
}

describe('verification matrix', () => {
  let pki: TestPki;
  let cnOnly: CertificateInfo[];
  before(async () => {
    pki = await generateTestPki();
    const c = await generateChain({ leafHosts: [], names: { leaf: 'cnonly.example.test' } });
    cnOnly = [info(c.leaf), info(c.intermediate)];
  });
  const sent = (k: keyof Omit<TestPki, 'selfSigned'>) => () => [info(pki[k].leaf), info(pki[k].intermediate)];

  const cases: Case[] = [
    { name: 'trusted chain', chain: sent('rsa'), expect: all('trusted') },
    {
      name: 'trusted EC chain',
      chain: sent('ec'),
      stores: () => [info(pki.ec.root)],
      expect: all('trusted'),
    },
    {
      name: 'root missing from the list',
      chain: sent('rsa'),
      stores: () => [info(pki.ec.root)],
      expect: all('root-missing'),
    },
    {
      name: 'root sent by the server but not in the list',
      chain: () => [...sent('rsa')(), info(pki.rsa.root)],
      stores: () => [info(pki.ec.root)],
      expect: all('root-missing'),
    },
    { name: 'intermediate not sent', chain: () => [info(pki.rsa.leaf)], expect: all('intermediate-missing') },
    {
      name: 'intermediate not sent, fetched via AIA',
      chain: () => [info(pki.rsa.leaf)],
      fetched: () => [info(pki.rsa.intermediate)],
      // Only the browser builds with fetched certificates; SAP and Java never fetch.
      expect: { 'sap-icm': 'intermediate-missing', browser: 'trusted', java: 'intermediate-missing' },
    },
    {
      name: 'intermediate not sent but held in the list (SAP trusts any list member)',
      chain: () => [info(pki.rsa.leaf)],
      stores: () => [info(pki.rsa.intermediate)],
      expect: all('trusted'),
    },
    { name: 'expired leaf', chain: sent('expiredLeaf'), expect: all('expired') },
    { name: 'not-yet-valid leaf', chain: sent('notYetValidLeaf'), expect: all('not-yet-valid') },
    { name: 'expired intermediate', chain: sent('expiredIntermediate'), expect: all('expired') },
    {
      name: 'SHA-1 signed leaf',
      chain: sent('sha1Leaf'),
      expect: { 'sap-icm': 'trusted', browser: 'weak-signature', java: 'trusted' },
      warn: { 'sap-icm': ['weak-signature'], java: ['weak-signature'] },
    },
    {
      name: 'RSA-1024 leaf',
      chain: sent('rsa1024Leaf'),
      expect: { 'sap-icm': 'trusted', browser: 'weak-signature', java: 'trusted' },
      warn: { 'sap-icm': ['weak-signature'], java: ['weak-signature'] },
    },
    { name: 'wrong host name', chain: sent('wrongNameLeaf'), expect: all('name-mismatch') },
    { name: 'wildcard, right depth', chain: sent('wildcardLeaf'), expect: all('trusted') },
    {
      name: 'wildcard, two labels deep',
      chain: sent('wildcardLeaf'),
      host: 'a.b.example.test',
      expect: all('name-mismatch'),
    },
    {
      name: 'wildcard, bare domain',
      chain: sent('wildcardLeaf'),
      host: 'example.test',
      expect: all('name-mismatch'),
    },
    {
      name: 'CN only, no SAN',
      chain: () => cnOnly,
      host: 'cnonly.example.test',
      expect: { 'sap-icm': 'trusted', browser: 'name-mismatch', java: 'trusted' },
    },
    {
      name: 'self-signed server certificate',
      chain: () => [info(pki.selfSigned)],
      host: 'selfsigned.example.test',
      expect: all('self-signed'),
    },
    {
      name: 'self-signed server certificate imported into the list',
      chain: () => [info(pki.selfSigned)],
      host: 'selfsigned.example.test',
      stores: () => [info(pki.selfSigned)],
      expect: all('trusted'),
    },
    {
      name: 'same subject, other key (re-keyed CA)',
      chain: sent('rekeyed'),
      expect: all('root-missing'),
    },
  ];

  for (const c of cases) {
    test(c.name, () => {
      const stores = c.stores ? c.stores() : [info(pki.rsa.root)];
      const verdicts = verifyChain(
        {
          chain: c.chain(),
          host: c.host ?? HOST,
          now: TEST_NOW,
          trust: stores,
          trustName: 'SAPSSLA.pse',
          browserRoots: stores,
          javaStore: stores,
          ...(c.fetched ? { fetched: c.fetched() } : {}),
        },
        ['sap-icm', 'browser', 'java'],
      );
      const got = Object.fromEntries(verdicts.map((v) => [v.profile, v.kind]));
      assert.deepEqual(got, c.expect, explain(verdicts));
      for (const v of verdicts) {
        assert.equal(v.ok, v.kind === 'trusted');
        const expectedWarnings = c.warn?.[v.profile];
        if (expectedWarnings)
          assert.deepEqual(
            v.warnings.map((w) => w.kind),
            expectedWarnings,
          );
      }
    });
  }

  test('the verdict names the missing link and maps it to the ICM codes', () => {
    const [v] = verifyChain(
      {
        chain: [info(pki.rsa.leaf), info(pki.rsa.intermediate)],
        now: TEST_NOW,
        trust: [info(pki.ec.root)],
        trustName: 'SAPSSLA.pse',
      },
      ['sap-icm'],
    );
    assert.ok(v);
    assert.equal(v.first?.missing?.kind, 'root');
    assert.equal(v.first?.missing?.subject, pki.rsa.root.subject);
    assert.match(sentence(v), /root CA "PSE Doctor Test RSA Root CA" is not in SAPSSLA\.pse/);
    assert.deepEqual(v.sap?.error, { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 });
    assert.deepEqual(v.sap?.icm, { name: 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED', number: 421 });
    assert.equal(v.sap?.cause, 'untrusted-root');
  });

  test('the rekeyed trap names the look-alike certificate in the list', () => {
    const v = verifyWithProfile('sap-icm', {
      chain: [info(pki.rekeyed.leaf), info(pki.rekeyed.intermediate)],
      now: TEST_NOW,
      trust: [info(pki.rsa.root)],
    });
    assert.equal(v.first?.sameNameOtherKey?.[0]?.sha256, pki.rsa.root.sha256);
    assert.match(sentence(v), /same name|that name but another key/);
  });

  test('an expired intermediate held in the list is replaced by the valid one (trusted first)', () => {
    const v = verifyWithProfile('sap-icm', {
      chain: [info(pki.expiredIntermediate.leaf), info(pki.expiredIntermediate.intermediate)],
      now: TEST_NOW,
      trust: [info(pki.rsa.intermediate)],
    });
    assert.equal(v.kind, 'trusted');
    assert.equal(v.anchor?.cert.sha256, pki.rsa.intermediate.sha256);
  });

  test('browser profile defaults to the bundled Mozilla roots', () => {
    const v = verifyWithProfile('browser', {
      chain: [info(pki.rsa.leaf), info(pki.rsa.intermediate)],
      now: TEST_NOW,
    });
    assert.equal(v.kind, 'root-missing');
    assert.equal(v.nativeCode, 'NET::ERR_CERT_AUTHORITY_INVALID');
    assert.equal(v.listName, 'the Mozilla root store');
  });

  test('no host given: no name check', () => {
    const v = verifyWithProfile('sap-icm', {
      chain: [info(pki.wrongNameLeaf.leaf), info(pki.wrongNameLeaf.intermediate)],
      now: TEST_NOW,
      trust: [info(pki.rsa.root)],
    });
    assert.equal(v.kind, 'trusted');
    assert.equal(v.host, undefined);
  });
});

describe('host names', () => {
  test('wildcards cover exactly one left-most label', () => {
    assert.ok(matchDnsName('*.example.com', 'API.Example.com'));
    assert.ok(!matchDnsName('*.example.com', 'a.b.example.com'));
    assert.ok(!matchDnsName('*.example.com', 'example.com'));
    assert.ok(!matchDnsName('*.com', 'example.com'));
    assert.ok(!matchDnsName('f*.example.com', 'foo.example.com'));
    assert.ok(!matchDnsName('a.*.example.com', 'a.b.example.com'));
    assert.ok(matchDnsName('host.example.com.', 'host.example.com'));
  });

  test('IP addresses match IP SAN entries (and CN for the ICM)', () => {
    const cert: CertificateInfo = { subject: 'CN=10.0.0.1', subjectAltNames: ['host.example', '::1'] };
    assert.equal(checkHostName('10.0.0.1', cert, 'cn-or-san').ok, true);
    assert.equal(checkHostName('10.0.0.1', cert, 'san-only').ok, false);
    assert.equal(checkHostName('[0:0:0:0:0:0:0:1]', cert, 'san-only').ok, true);
  });
});

test('problem kinds map to cause tags and SAP codes', () => {
  assert.equal(mapProblemToSap('intermediate-missing')?.cause, 'missing-intermediate');
  assert.deepEqual(mapProblemToSap('name-mismatch')?.error, {
    name: 'SSSLERR_SERVER_CERT_MISMATCH',
    number: -30,
  });
  assert.equal(mapProblemToSap('name-mismatch')?.icm?.number, 415);
  assert.equal(mapProblemToSap('expired')?.icm?.name, 'ICM_HTTP_SSL_PEER_CERT_EXPIRED');
  assert.equal(mapProblemToSap('expired')?.error?.name, 'SSSLERR_PEER_CERT_EXPIRED');
  assert.equal(mapProblemToSap('weak-signature')?.cause, 'weak-signature');
});

/** The verdict's problem in words (the rules' template; verify itself hands over facts only). */
function sentence(v: ProfileVerdict): string {
  return v.first ? problemSentence(v.first, v.listName) : '';
}

function all(kind: string): Record<ProfileId, string> {
  return { 'sap-icm': kind, browser: kind, java: kind };
}

function explain(verdicts: ProfileVerdict[]): string {
  return verdicts
    .map(
      (v) =>
        `${v.profile}: ${v.kind} [${[...v.problems, ...v.warnings].map((p) => problemSentence(p, v.listName)).join('; ')}]`,
    )
    .join('\n');
}

test('hostile chains give a verdict, not a hang', () => {
  const deep: CertificateInfo[] = Array.from({ length: 50 }, (_, i) => ({
    subject: `CN=c${i}`,
    issuer: `CN=c${i + 1}`,
  }));
  const [v] = verifyChain({ chain: deep, trust: [{ subject: 'CN=c50', issuer: 'CN=c50' }], now: TEST_NOW }, [
    'sap-icm',
  ]);
  assert.equal(v?.kind, 'chain-too-long');
  assert.equal(v?.sap?.error?.number, -102);
  const loop: CertificateInfo[] = [
    { subject: 'CN=a', issuer: 'CN=b' },
    { subject: 'CN=b', issuer: 'CN=a' },
  ];
  assert.equal(verifyWithProfile('sap-icm', { chain: loop, now: TEST_NOW }).kind, 'chain-loop');
  assert.equal(verifyWithProfile('sap-icm', { chain: [], now: TEST_NOW }).kind, 'empty');
  const junk = verifyWithProfile('sap-icm', {
    chain: [{ subject: '', notAfter: 'not a date' }],
    host: '***',
    now: TEST_NOW,
  });
  assert.equal(junk.ok, false);
});
