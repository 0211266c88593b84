/** @module pse-client-lists-differ: CAs in SAPSSLC but not in SAPSSLA (and the other way), per sec folder. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testRule } from '../../../test/helpers/rule-tester.js';
import { cert, NOW, pseList } from '../../../test/helpers/trust-list-evidence.js';
import { certificateFileName } from '../pse-trust-lists.js';
import rule from './rule.js';

const SEC = '/usr/sap/ABC/D00/sec';
const shared = cert('CN=Shared Root');
const digicert = cert('CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US', {
  pem: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n',
});
const a1 = cert('CN=Only A 1');
const a2 = cert('CN=Only A 2', { isCA: true, selfSigned: false });
const expired = cert('CN=Old Only C', { notAfter: '2020-06-01T00:00:00.000Z' });
const leaf = cert('CN=partner.example.com', { isCA: false, selfSigned: false });
const c1 = cert('CN=Only C');

testRule(rule, {
  now: NOW,
  reports: [
    {
      name: 'one root only in SAPSSLC gives an import plan into SSL client Anonymous',
      events: [
        pseList(`${SEC}/SAPSSLC.pse`, [shared, digicert], {}, 0),
        pseList(`${SEC}/SAPSSLA.pse`, [shared], {}, 1),
      ],
      findings: [
        {
          title:
            '1 CA certificate(s) trusted in SAPSSLC.pse (SSL client Standard) are missing in SAPSSLA.pse (SSL client Anonymous)',
          cause: 'untrusted-root',
          confidence: 'possible',
          importKind: 'root',
        },
      ],
      check: ([f]) => {
        assert.equal(f?.pse?.basename, 'SAPSSLA.pse');
        assert.match(f?.summary ?? '', /abapGit/);
        assert.equal(f?.import?.subject, digicert.subject);
        assert.deepEqual(f?.import?.into, [{ node: 'SSL client Anonymous', file: 'SAPSSLA.pse' }]);
        assert.deepEqual(f?.import?.commands, [
          'sapgenpse maintain_pk -p SAPSSLA.pse -a DigiCert_Global_Root_G2.crt',
        ]);
        assert.ok(f?.import?.pem);
        assert.deepEqual(
          f?.evidence.map((e) => e.input),
          [0, 1],
        );
      },
    },
    {
      name: 'same issuer and name but another serial: missing (both ways)',
      events: [
        pseList(`${SEC}/SAPSSLA.pse`, [cert('CN=Listed Root', { sha256: undefined, serial: '00:1A:2B' })]),
        pseList(`${SEC}/SAPSSLC.pse`, [cert('CN=Listed Root', { sha256: undefined, serial: '1a2c' })]),
      ],
      findings: [{}, {}],
    },
    {
      name: 'both directions, several certificates → commands as lead steps; expired and leaf certs are ignored',
      events: [pseList(`${SEC}/SAPSSLA.pse`, [a1, a2]), pseList(`${SEC}/SAPSSLC.pse`, [c1, expired, leaf])],
      findings: [{}, {}],
      check: (findings) => {
        assert.deepEqual(
          findings.map((f) => [f.pse?.basename, f.certificates?.map((c) => c.subject)]),
          [
            ['SAPSSLA.pse', ['CN=Only C']],
            ['SAPSSLC.pse', ['CN=Only A 1', 'CN=Only A 2']],
          ],
        );
        const toC = findings[1];
        assert.equal(toC?.import, undefined);
        assert.deepEqual(toC?.steps.slice(0, 2), [
          'On the host: sapgenpse maintain_pk -p SAPSSLC.pse -a Only_A_1.crt',
          'On the host: sapgenpse maintain_pk -p SAPSSLC.pse -a Only_A_2.crt',
        ]);
        assert.equal(toC?.certificates?.[1]?.position, 'intermediate');
      },
    },
  ],
  staysSilent: [
    {
      name: 'the same CA read from a sapgenpse listing (no SHA-256) counts as present by issuer and serial',
      events: [
        pseList(`${SEC}/SAPSSLA.pse`, [
          cert('CN=Listed Root', { sha256: undefined, serial: '00:1A:2B', issuer: 'CN=Listed Root' }),
        ]),
        pseList(`${SEC}/SAPSSLC.pse`, [
          cert('CN=Listed Root', { sha256: undefined, serial: '1a2b', issuer: 'CN=Listed Root' }),
        ]),
      ],
    },
    {
      name: 'a re-issued CA with the same name and key counts as present',
      events: [
        pseList(`${SEC}/SAPSSLA.pse`, [cert('CN=Root R', { subjectKeyId: 'AA:BB' })]),
        pseList(`${SEC}/SAPSSLC.pse`, [cert('CN=Root R', { subjectKeyId: 'AA:BB' })]),
      ],
    },
    {
      name: 'the client PSEs are in different folders',
      events: [pseList('/a/sec/SAPSSLA.pse', [cert('CN=X')]), pseList('/b/sec/SAPSSLC.pse', [cert('CN=Y')])],
    },
    {
      name: 'only one client PSE in the folder',
      events: [pseList(`${SEC}/SAPSSLC.pse`, [cert('CN=Y')]), pseList(`${SEC}/SAPSSLS.pse`, [cert('CN=Z')])],
    },
  ],
  notApplicable: [{ name: 'no trust list', events: [] }],
});

test('certificate file names are safe', () => {
  assert.equal(certificateFileName(cert('CN=../../etc/passwd')), 'etc_passwd.crt');
  assert.equal(certificateFileName(cert('CN=Über CA: "x"')), 'ber_CA_x.crt');
});
