/**
 * @module The classes the third blind set (2026-12-06) showed, each tested on wordings other than its
 * dev-set paste: the target of a failure named on the line above it, a hosts-file line beside a -30, a -40
 * whose trace says PIN, the TLS versions a paste states, SChannel 36887/36888 certificate alerts on either
 * side, STARTTLS ports, SM59's status lines on a certificate logon, JSch's changed host key.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analyze.js';
import type { Report } from '../../src/model/report.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const run = (text: string): Promise<Report> =>
  analyze([{ name: 'paste.txt', bytes: Buffer.from(text) }], { now: NOW });
const causes = (r: Report): string[] => r.findings.map((f) => f.cause);

test('a public host named on the line above a PKIX failure (no URL) puts interception first', async () => {
  const r = await run(
    [
      '2025-05-30 10:00:01 ERROR [main] c.a.Client - Connection to api.sap.com:443 failed',
      'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
    ].join('\n'),
  );
  assert.equal(causes(r)[0], 'interception');
  // The same failure against a company host keeps the missing root first.
  const own = await run(
    [
      'Connection to erp.corp.example:44300 failed',
      'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
    ].join('\n'),
  );
  assert.equal(causes(own)[0], 'untrusted-root');
});

test('a hosts-file line that pins the -30 target name ranks the wrong host first; without it, it does not', async () => {
  const trace = [
    '[Thr 1401] SapSSLSessionStartNB(): Server certificate does not match supplied TargetHostname (rfc2818 section 3.1)',
    '[Thr 1401]    TargetHostname = "bw-prod.corp.example"',
    '[Thr 1401]    ServerCert.subject = CN=oldbw.corp.example',
    '[Thr 1401] <<- ERROR: SapSSLSessionStartNB(hdl=0x1)==SSSLERR_SERVER_CERT_MISMATCH',
  ];
  const pinned = await run(
    [...trace, 'cat /etc/hosts:', '127.0.0.1\tlocalhost', '10.3.3.3\tbw-prod.corp.example\tbw-prod'].join(
      '\n',
    ),
  );
  assert.equal(pinned.findings[0]?.cause, 'wrong-host');
  assert.match(pinned.findings[0]!.title, /10\.3\.3\.3/);
  // A hosts line for another name says nothing about this target.
  const other = await run([...trace, '10.3.3.3   intranet.corp.example'].join('\n'));
  assert.notEqual(other.findings[0]?.cause, 'wrong-host');
  // The -30 text of the first line belongs to the trace's failure: judged once, by the trace rule.
  assert.deepEqual([...new Set(other.findings.map((f) => f.rule))], ['server-cert-mismatch']);
});

test('-40 whose trace line says PIN is a credential problem; a bare -40 stays a missing PSE', async () => {
  const pin = await run(
    [
      '[Thr 140] *** ERROR => SapSSLInit(): PSE /usr/sap/X/D00/sec/SAPSSLS.pse requires a PIN [ssslxx.c 900]',
      '[Thr 140] SapSSLInit()==SSSLERR_PSE_ERROR (-40)',
    ].join('\n'),
  );
  assert.deepEqual(causes(pin), ['pse-credential', 'pse-missing']);
  assert.match(pin.findings[0]!.steps.join(' '), /sapgenpse seclogin/);
  // The reason on the code's own line counts the same.
  const oneLine = await run(
    '[Thr 1] *** ERROR => SapSSLInit()==SSSLERR_PSE_ERROR (-40): PIN required for SAPSSLS.pse\n',
  );
  assert.equal(oneLine.findings[0]?.cause, 'pse-credential');
  const bare = await run('[Thr 140] SapSSLInit()==SSSLERR_PSE_ERROR (-40)\n');
  assert.equal(bare.findings[0]?.cause, 'pse-missing');
});

test('a paste that states the TLS versions a side accepts ranks the version first for a refused handshake', async () => {
  const alert = 'javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure';
  for (const stated of [
    'The partner disabled TLS 1.0 and 1.1 on their gateway yesterday.',
    'their load balancer only supports TLS 1.3',
    'The new API requires TLS 1.2 or higher.',
    'TLSv1.1 was deactivated by the security team',
  ]) {
    const r = await run(`${alert}\n${stated}\n`);
    assert.equal(r.findings[0]?.cause, 'tls-version', stated);
  }
  const curl = await run(
    'curl: (35) OpenSSL/3.0.13: error:0A000410:SSL routines::sslv3 alert handshake failure\n',
  );
  const stated = await run(
    'curl: (35) OpenSSL/3.0.13: error:0A000410:SSL routines::sslv3 alert handshake failure\nthe server is TLS 1.3 only\n',
  );
  assert.equal(stated.findings[0]?.cause, 'tls-version');
  assert.deepEqual(new Set(causes(curl)), new Set(causes(stated)), 'the fact only reorders');
});

test('SChannel certificate alerts: the event direction and whether an SAP system calls this machine decide', async () => {
  const received =
    'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.';
  const sent =
    'A fatal alert was generated and sent to the remote endpoint. This may result in termination of the connection. The TLS protocol defined fatal alert code is 48. The Windows SChannel error state is 552.';
  const client = await run(`${received}\n`);
  assert.equal(client.findings[0]?.cause, 'client-cert-rejected');
  assert.equal(client.findings[0]?.role, 'server');
  const server = await run(`Our ECC calls this IIS via SM59 Z_IIS.\n${received}\n`);
  assert.equal(server.findings[0]?.cause, 'untrusted-root');
  assert.equal(server.findings[0]?.role, 'client');
  assert.match(server.findings[0]!.steps.join(' '), /STRUST/);
  const sentClient = await run(`${sent}\n`);
  assert.equal(sentClient.findings[0]?.cause, 'untrusted-root');
  assert.equal(sentClient.findings[0]?.role, 'server');
  const sentServer = await run(
    `The S/4 system calls https://iis02.corp.example/api with a client certificate.\n${sent}\n`,
  );
  assert.equal(sentServer.findings[0]?.cause, 'client-cert-rejected');
  assert.equal(sentServer.findings[0]?.role, 'client');
});

test('TLS spoken to a mail, LDAP or FTP port says STARTTLS; to an HTTP port it does not', async () => {
  const mail = await run(
    [
      'javax.mail.MessagingException: Could not connect to SMTP host: mail.corp.example, port: 25;',
      '  nested exception is:',
      '\tjavax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?',
    ].join('\n'),
  );
  assert.equal(mail.findings[0]?.cause, 'not-ssl-port');
  assert.match(mail.findings[0]!.steps.join(' '), /STARTTLS/);
  const http = await run('curl: (35) error:0A00010B:SSL routines::wrong version number\n');
  assert.equal(http.findings[0]?.cause, 'not-ssl-port');
  assert.doesNotMatch(http.findings[0]!.steps.join(' '), /STARTTLS/);
});

test('SM59 status lines: 401/403 is a certificate mapping when the destination logs on with a certificate', async () => {
  const status = 'Connection Test Z_CONCUR\nStatus HTTP Response 403\nStatus Text Forbidden\n';
  const plain = await run(status);
  assert.equal(plain.findings[0]?.cause, 'unknown');
  assert.equal(plain.findings[0]?.printedBy?.stack, 'abap');
  const cert = await run(`${status}Logon with X.509 certificate, no user\n`);
  assert.equal(cert.findings[0]?.cause, 'client-cert-rejected');
});

test("JSch's changed host key is the SFTP trust decision (known_hosts)", async () => {
  const r = await run(
    'com.jcraft.jsch.JSchException: HostKey has been changed: [sftp.partner.example]:2222\n',
  );
  assert.equal(r.findings[0]?.cause, 'untrusted-root');
  assert.match(r.findings[0]!.steps.join(' '), /known_hosts/);
});

test('SAC: a CORS block is no certificate problem; the Secure Login Client prints the Windows trust texts it shows', async () => {
  const cors = await run(
    [
      'SAP Analytics Cloud: The connection is not reachable.',
      "Access to XMLHttpRequest at 'https://bw4.corp.example:44300/sap/bc/ina/service/v2/GetServerInfo' from origin 'https://acme.eu10.hcs.cloud.sap' has been blocked by CORS policy: Response to preflight request doesn't pass access control check",
    ].join('\n'),
  );
  assert.equal(cors.findings[0]?.cause, 'unknown');
  assert.match(cors.findings[0]!.steps.join(' '), /UCONCOCKPIT/);
  const slc = await run(
    [
      'Secure Login Client: Authentication failed',
      'Secure Login Server https://sls.corp.example:50001/SecureLoginServer/slc3/doLogin',
      'Error: The certificate chain was issued by an authority that is not trusted.',
    ].join('\n'),
  );
  assert.equal(slc.findings[0]?.cause, 'untrusted-root');
  assert.equal(slc.findings[0]?.printedBy?.stack, 'slc');
  assert.match(slc.findings[0]!.steps.join(' '), /Trusted Root Certification Authorities/);
});
