/** @module chain-verdict: a chain-check event judged as the ICM (primary), a browser and Java would. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import { generateTestPki, TEST_NOW } from '../../../test/pki/index.js';
import { describePem } from '../../pki/describe-pem.js';
import rule from './rule.js';

const pki = await generateTestPki();
const chainOf = (c: { leaf: { pem: string }; intermediate: { pem: string } }) =>
  [c.leaf.pem, c.intermediate.pem].map(describePem);

testRule(rule, {
  reports: [
    {
      name: 'the root is missing from the PSE list → one certain untrusted-root error with the import plan',
      now: TEST_NOW,
      events: [
        event('chain-check', {
          chain: chainOf(pki.rsa),
          profiles: ['sap-icm'],
          trust: [],
          trustName: 'SAPSSLA.pse (SSL client Anonymous)',
          trustPse: { basename: 'SAPSSLA.pse', node: 'SSL client Anonymous' },
          host: 'api.example.test',
        }),
      ],
      findings: [
        {
          cause: 'untrusted-root',
          confidence: 'certain',
          severity: 'error',
          errorCode: 'SSSLERR_PEER_CERT_UNTRUSTED',
          importKind: 'root',
        },
      ],
      check: ([f]) => {
        assert.equal(f?.import?.subject, pki.rsa.root.subject);
        assert.ok((f?.steps.length ?? 0) > 0);
        assert.ok(f?.title.startsWith('SAP ICM'), f?.title);
      },
    },
    {
      name: 'the leaf names another host → hostname-mismatch with the SNI parameter',
      now: TEST_NOW,
      events: [
        event('chain-check', {
          chain: chainOf(pki.wrongNameLeaf),
          profiles: ['sap-icm'],
          trust: [describePem(pki.wrongNameLeaf.root.pem)],
          trustName: 'SAPSSLA.pse',
          host: 'api.example.test',
        }),
      ],
      findings: [{ cause: 'hostname-mismatch', severity: 'error' }],
      check: ([f]) => assert.equal(f?.parameters?.[0]?.name, 'icm/HTTPS/client_sni_enabled'),
    },
    {
      name: 'the PSE holds the root; a browser lacks the private test root → only a browser warning',
      now: TEST_NOW,
      events: [
        event('chain-check', {
          chain: chainOf(pki.rsa),
          profiles: ['sap-icm', 'browser'],
          trust: [describePem(pki.rsa.root.pem)],
          trustName: 'SAPSSLA.pse',
          host: 'api.example.test',
        }),
      ],
      findings: [{ cause: 'untrusted-root', severity: 'warning' }],
      check: ([f]) => assert.ok(f?.title.startsWith('Browser'), f?.title),
    },
  ],
  staysSilent: [
    {
      name: 'the PSE holds the root and the leaf names the host',
      now: TEST_NOW,
      events: [
        event('chain-check', {
          chain: chainOf(pki.rsa),
          profiles: ['sap-icm'],
          trust: [describePem(pki.rsa.root.pem)],
          trustName: 'SAPSSLA.pse',
          host: 'api.example.test',
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no chain-check evidence', events: [event('trace-info', {})] }],
});
