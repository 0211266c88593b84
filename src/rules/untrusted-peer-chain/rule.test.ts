/** @module untrusted-peer-chain: public root from the bundled store, private root, self-signed peer, no chain, not applicable. */
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

const LEAF = 'CN=github.com, O="GitHub, Inc.", L=San Francisco, SP=California, C=US';
const EV_CA = 'CN=DigiCert SHA2 Extended Validation Server CA, OU=www.digicert.com, O=DigiCert Inc, C=US';
const EV_ROOT = 'CN=DigiCert High Assurance EV Root CA, OU=www.digicert.com, O=DigiCert Inc, C=US';
const UNTRUSTED = { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 };
const PRIVATE_ROOT = 'CN=Corp Root CA, O=Corp, C=DE';
const SELF_SIGNED = 'CN=legacy.example.com';
/** The github.com chain as a trace dumps it (PSE named or not). */
const github = {
  origin: 'trace' as const,
  role: 'client' as const,
  error: UNTRUSTED,
  target: { host: 'github.com', port: 443 },
  certificates: [
    { depth: 0, subject: LEAF, issuer: EV_CA },
    { depth: 1, subject: EV_CA, issuer: EV_ROOT },
  ],
};

testRule(rule, {
  reports: [
    {
      name: "a chain whose issuer is a bundled root names that root, with the store's PEM and the sapgenpse command",
      events: [
        event('ssl-failure', {
          ...github,
          peer: { ip: '140.82.121.3', port: 443 },
          pseFile: '/usr/sap/ABC/D00/sec/SAPSSLA.pse',
        }),
      ],
      findings: [{ cause: 'untrusted-root', confidence: 'certain', role: 'client', importKind: 'root' }],
      check: ([f]) => {
        assert.ok(f);
        assert.equal(f.pse?.node, 'SSL client Anonymous');
        assert.equal(f.import?.source, 'bundled-roots');
        assert.ok(f.import?.pem, 'the PEM is present');
        assert.ok(tls.rootCertificates.includes(f.import.pem));
        assert.equal(
          f.import?.commands[0],
          'sapgenpse maintain_pk -p SAPSSLA.pse -a DigiCert_High_Assurance_EV_Root_CA.crt',
        );
        assert.match(f.title, /DigiCert High Assurance EV Root CA/);
        assert.ok(f.steps.some((s) => s.includes(f.import?.sha256 ?? 'x')));
        assert.ok(f.steps.some((s) => /TRUST086/.test(s)));
        assert.ok(f.steps.some((s) => /trace level, set it back to 1/.test(s)));
        assert.deepEqual(
          f.certificates?.map((c) => c.position),
          ['leaf', 'intermediate'],
        );
        assert.deepEqual(f.target, { host: 'github.com', port: 443, peerIp: '140.82.121.3' });
        assert.ok(f.kb.includes('SSSLERR_PEER_CERT_UNTRUSTED'));
      },
    },
    {
      name: 'a self-signed private root at the top is named as the root with how to obtain it',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: UNTRUSTED,
          target: { host: 'erp.corp.internal', port: 44300 },
          pseFile: '/usr/sap/ABC/D00/sec/SAPSSLC.pse',
          certificates: [
            { depth: 0, subject: 'CN=erp.corp.internal, O=Corp', issuer: 'CN=Corp Issuing CA, O=Corp, C=DE' },
            { depth: 1, subject: 'CN=Corp Issuing CA, O=Corp, C=DE', issuer: PRIVATE_ROOT },
            { depth: 2, subject: PRIVATE_ROOT, issuer: PRIVATE_ROOT },
          ],
        }),
      ],
      findings: { atLeast: 1 },
      check: ([f]) => {
        assert.equal(f?.confidence, 'certain');
        assert.equal(f?.import?.subject, PRIVATE_ROOT);
        assert.equal(f?.import?.source, 'not-found');
        assert.ok((f?.import?.howToObtain?.length ?? 0) > 0);
        assert.deepEqual(
          f?.certificates?.map((c) => c.position),
          ['leaf', 'intermediate', 'root'],
        );
        assert.equal(f?.pse?.node, 'SSL client Standard');
      },
    },
    {
      name: 'an issuer that is not a bundled root is named but not claimed as the root (likely); no PSE → both SSL client PSEs',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: UNTRUSTED,
          certificates: [
            { depth: 0, subject: 'CN=a.example.org', issuer: 'CN=Mid CA, O=X' },
            { depth: 1, subject: 'CN=Mid CA, O=X', issuer: 'CN=Unknown Upper CA, O=X' },
          ],
        }),
      ],
      findings: { atLeast: 1 },
      check: ([f]) => {
        assert.equal(f?.confidence, 'likely');
        assert.match(f?.summary ?? '', /root or another intermediate/);
        assert.deepEqual(
          f?.import?.into.map((t) => t.file),
          ['SAPSSLA.pse', 'SAPSSLC.pse'],
        );
      },
    },
    {
      name: 'no chain in the evidence (cut PSE name) → likely, with what to collect, no invented DN',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: UNTRUSTED,
          errorText: 'peer certificate (chain) is not trusted',
          pseFile: '/usr/sap/SID/HOST/sec/PSE_FILE_TH',
        }),
      ],
      findings: { atLeast: 1 },
      check: ([f]) => {
        assert.ok(f);
        assert.equal(f.cause, 'untrusted-root');
        assert.equal(f.confidence, 'likely');
        assert.equal(f.pse?.file, '/usr/sap/SID/HOST/sec/PSE_FILE_TH');
        assert.equal(f.pse?.node, undefined);
        assert.equal(f.import?.subjectKnown, false);
        assert.deepEqual(f.import?.commands, []);
        assert.deepEqual(f.import?.into, [{ file: '/usr/sap/SID/HOST/sec/PSE_FILE_TH' }]);
        assert.ok(f.collect?.some((c) => /trace level to 2/.test(c)));
      },
    },
    {
      name: 'a self-signed peer certificate is the certificate to trust',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: UNTRUSTED,
          certificates: [{ depth: 0, subject: SELF_SIGNED, issuer: SELF_SIGNED }],
        }),
      ],
      findings: { atLeast: 1 },
      check: ([f]) => assert.equal(f?.import?.kind, 'self-signed-peer'),
    },
    {
      name: '"missing certificate of <CN>" naming a bundled root gives that root (certain)',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: UNTRUSTED,
          errorText:
            "Peer's X.509 certificate (chain) validation failed (missing certificate of USERTrust RSA Certification Authority)",
          pseFile: 'SAPSSLA.pse',
        }),
      ],
      findings: { atLeast: 1 },
      check: ([f]) => {
        assert.equal(f?.confidence, 'certain');
        assert.equal(f?.import?.source, 'bundled-roots');
        assert.match(f?.import?.subject ?? '', /^CN=USERTrust RSA Certification Authority/);
      },
    },
    {
      name: '"missing certificate of <CN>" naming an unknown CA does not invent its root',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: UNTRUSTED,
          errorText: 'validation failed (missing certificate of Example Issuing CA 3)',
        }),
      ],
      findings: { atLeast: 1 },
      check: ([f]) => {
        assert.equal(f?.confidence, 'likely');
        assert.equal(f?.import?.subject, 'CN=Example Issuing CA 3');
        assert.equal(f?.import?.source, 'not-found');
        assert.match(f?.summary ?? '', /does not show which CA stands above it/);
      },
    },
    {
      name: 'a proven public root with the PSE named → certain, no "PSE unknown" step',
      events: [event('ssl-failure', { ...github, pseFile: '/usr/sap/ABC/D00/sec/SAPSSLC.pse' })],
      findings: { atLeast: 1 },
      check: ([named]) => {
        assert.equal(named?.confidence, 'certain');
        assert.equal(named?.import?.pseUnknown, undefined);
        assert.ok(named?.steps.every((s) => !/does not name the PSE/.test(s)));
      },
    },
    {
      name: 'the same root without the PSE named → likely, with both SSL client PSEs and how to find the PSE',
      events: [event('ssl-failure', github)],
      findings: { atLeast: 1 },
      check: ([unnamed]) => {
        assert.equal(unnamed?.confidence, 'likely');
        assert.equal(unnamed?.import?.pseUnknown, true);
        assert.deepEqual(
          unnamed?.import?.into.map((t) => t.file),
          ['SAPSSLA.pse', 'SAPSSLC.pse'],
        );
        assert.match(unnamed?.title ?? '', /into the SSL client PSE of the call$/);
        assert.match(unnamed?.steps[0] ?? '', /does not name the PSE the call used/);
      },
    },
  ],
  staysSilent: [
    {
      name: 'a different SSL failure is not a trust problem',
      events: [
        event('ssl-failure', {
          origin: 'trace',
          error: { name: 'SSSLERR_SERVER_CERT_MISMATCH', number: -30 },
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no SSL failure in the evidence', events: [event('snc-name', { name: 'CN=X' })] }],
});
