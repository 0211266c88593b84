/** @module java-trust-store: PKIX → the JVM trust store (not STRUST); expired and host name problems. */
import assert from 'node:assert/strict';
import { event, testRule } from '../../../test/helpers/rule-tester.js';
import rule from './rule.js';

testRule(rule, {
  reports: [
    {
      name: 'PKIX path building failed → untrusted root in the JVM store, never STRUST',
      events: [
        event('java-tls-failure', {
          message: 'unable to find valid certification path to requested target',
          problem: 'pkix-path',
          exception: 'SunCertPathBuilderException',
        }),
      ],
      findings: [
        { cause: 'untrusted-root', confidence: 'likely' },
        { cause: 'missing-intermediate', confidence: 'possible' },
        { cause: 'interception', confidence: 'possible' },
      ],
      check: ([f]) => {
        assert.equal(f?.import?.into[0]?.store, 'java-keystore');
        assert.equal(f?.import?.strustPath, undefined);
        assert.match(f?.summary ?? '', /not an SAP PSE/);
      },
    },
    {
      name: 'Cloud Connector messages point to its trust store',
      events: [
        event('java-tls-failure', {
          message: 'PKIX path building failed',
          problem: 'pkix-path',
          product: 'Cloud Connector',
        }),
      ],
      findings: [
        { cause: 'untrusted-root', confidence: 'likely' },
        { cause: 'missing-intermediate', confidence: 'possible' },
        { cause: 'interception', confidence: 'possible' },
      ],
      check: ([f]) => assert.equal(f?.import?.into[0]?.store, 'cloud-connector'),
    },
    {
      name: 'expired and host name problems get their own causes',
      events: [
        event('java-tls-failure', { message: 'NotAfter: …', problem: 'cert-expired' }),
        event('java-tls-failure', {
          message: 'No subject alternative DNS name matching x found',
          problem: 'hostname',
        }),
      ],
      findings: [{}, {}, {}, {}],
      check: (findings) => {
        assert.deepEqual(
          findings
            .filter((f) => f.confidence === 'likely')
            .map((f) => f.cause)
            .sort(),
          ['expired-peer-cert', 'hostname-mismatch'],
        );
        // A message alone proves nothing: the other server or the default certificate (SNI) is offered.
        assert.deepEqual(
          findings
            .filter((f) => f.confidence === 'possible')
            .map((f) => f.cause)
            .sort(),
          ['sni-missing', 'wrong-host'],
        );
        assert.ok(findings.every((f) => f.printedBy?.stack === 'java' && f.printedBy.side === 'client'));
      },
    },
    {
      name: 'a Java program the input shows calling an SAP system: the SAP side is the server',
      events: [
        event('java-tls-failure', {
          message: 'unable to find valid certification path to requested target',
          problem: 'pkix-path',
        }),
        event('message', {
          entry: 'PKIX_PATH_BUILDING_FAILED',
          stack: 'java',
          text: 'PKIX path building failed',
          matched: 'PKIX path building failed',
          host: 's4h.example.com',
          callsSap: true,
        }),
      ],
      findings: [{ cause: 'untrusted-root' }, {}, {}],
      check: ([f]) => assert.equal(f?.role, 'server'),
    },
  ],
  staysSilent: [
    {
      name: "handshake failures are the handshake rule's",
      events: [
        event('java-tls-failure', {
          message: 'Received fatal alert: handshake_failure',
          problem: 'handshake-failure',
        }),
      ],
    },
  ],
  notApplicable: [{ name: 'no Java failure', events: [] }],
});
