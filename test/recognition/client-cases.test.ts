/**
 * @module The client-side dev set: realistic multi-line pastes of the non-SAP stacks as users post them
 * (a Spring Boot stack trace with its Caused by chain, a CAP/axios error object, PowerShell errors, a
 * Python traceback, Go log lines, curl -v and wget output, openssl s_client output with verify errors
 * 10/19/20/21/62, browser error pages, Postman, proxy interception), each with the expected first cause,
 * the printing stack, the SAP side's role and, where the paste shows a chain, the CA to import
 * (test/recognition/cases/client-*.txt + .json). Each paste is also read with Windows line ends and
 * indented, as mail clients and forums pass it on.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeText, devCases, stacksOf } from './dev-cases.js';

/** What a client case expects. */
interface ClientCase {
  cause: string;
  stack: string;
  /** The SAP side's role, when SAP is one side of the connection. */
  role?: 'client' | 'server';
  /** A name the import plan of the trust finding must carry (the chain's top CA). */
  import?: string;
  notes: string;
}

/** Words that show the fix names the printing stack's own trust store. */
const STORE_WORDS: Record<string, RegExp> = {
  java: /keytool|cacerts|trust ?store/i,
  node: /NODE_EXTRA_CA_CERTS/,
  dotnet: /Trusted Root Certification Authorities/,
  python: /REQUESTS_CA_BUNDLE/,
  go: /SSL_CERT_FILE|RootCAs/,
  curl: /--cacert|update-ca-certificates/,
  wget: /--ca-certificate|update-ca-certificates/,
  openssl: /-CAfile|update-ca-certificates/,
  browser: /Trusted Root Certification Authorities|Keychain/,
  iaik: /TrustedCAs/,
};

describe('client-side dev set (test/recognition/cases/client-*)', () => {
  const cases = devCases<ClientCase>('client');

  test('the dev set covers the non-SAP client stacks', () => {
    const stacks = new Set(cases.map((c) => c.expected.stack));
    for (const s of ['java', 'iaik', 'node', 'dotnet', 'python', 'go', 'curl', 'wget', 'openssl', 'browser'])
      assert.ok(stacks.has(s), `no dev-set case for ${s}`);
    assert.ok(cases.length >= 30, `${cases.length} cases`);
  });

  for (const c of cases) {
    test(`${c.name}: ${c.expected.cause} first, printed by ${c.expected.stack}`, async () => {
      const report = await analyzeText(c.name, c.text);
      const first = report.findings[0];
      const got = report.findings.map((f) => `${f.cause}/${f.confidence}/${f.rule}`).join(', ');
      assert.equal(first?.cause, c.expected.cause, `first cause; got ${got}`);
      assert.ok(
        stacksOf(report).has(c.expected.stack),
        `stack ${c.expected.stack} not named; got ${[...stacksOf(report)].join(', ')}`,
      );
      if (c.expected.role) assert.equal(first!.role, c.expected.role, 'the SAP side’s role');
      assert.ok(
        report.findings.every((f) => f.confidence !== 'certain' || f.cause === c.expected.cause),
        `a certain finding for another cause: ${got}`,
      );
      assert.ok(
        report.findings.length >= 2 || first!.confidence === 'certain',
        'a second thought is offered',
      );
      const words = [first!.title, first!.summary, ...first!.steps].join(' ');
      const store = STORE_WORDS[c.expected.stack];
      if (store && ['untrusted-root', 'missing-intermediate'].includes(c.expected.cause))
        assert.match(words, store, 'the fix names the stack’s own trust store');
      // Failures below TLS (the network, a proxy) and protocol settings change nothing in the SAP server's certificate.
      if (
        c.expected.role === 'server' &&
        !['not-ssl-port', 'tls-version', 'network', 'proxy'].includes(c.expected.cause)
      )
        assert.ok(
          report.findings.some((f) => f.steps.some((s) => /SAP server|SSL server PSE|STRUST/.test(s))),
          'says what changes on the SAP server',
        );
      if (c.expected.import) {
        const planned = report.findings.find((f) => f.import);
        assert.ok(planned, 'a finding names the CA to import');
        assert.ok(
          planned!.import!.subject.includes(c.expected.import),
          `import ${planned!.import!.subject}, expected ${c.expected.import}`,
        );
      }
      // No finding contradicts its own evidence: a printed chain names the CA.
      if (/Certificate chain|"certificate_list"|chain \[0\]/.test(c.text))
        for (const f of report.findings)
          assert.doesNotMatch(
            [f.summary, f.import?.subject ?? ''].join(' '),
            /not (?:named|shown) in the evidence|does not name the CA/,
            `${f.rule}: ${f.title}`,
          );
    });

    test(`${c.name}: the same with Windows line ends and indented`, async () => {
      const text = c.text
        .split('\n')
        .map((l) => (l === '' ? l : `  ${l}`))
        .join('\r\n');
      const report = await analyzeText(c.name, text);
      assert.equal(report.findings[0]?.cause, c.expected.cause);
    });
  }
});
