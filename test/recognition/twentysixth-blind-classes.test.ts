/**
 * @module The classes the twenty-sixth to thirty-first blind sets (2026-12-08) showed, each tested on
 * wordings other than their pastes: a proxy's refusal inside a Java stack is not a plain port; a TLS alert the
 * peer sent tells more than a wrapper without one; the ICM as server saying the peer returned no certificate;
 * a hosts file searched with grep or Select-String beside what DNS answers; a validity check named in the
 * errorstack; a chain listed as the handshake's Certificate message; the peer's fields printed after the
 * errorstack (`SubjectName:`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analyze.js';
import type { Report } from '../../src/model/report.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const run = (text: string): Promise<Report> =>
  analyze([{ name: 'paste.txt', bytes: Buffer.from(text) }], { now: NOW });
const causes = async (text: string): Promise<string[]> => (await run(text)).findings.map((f) => f.cause);

test("a proxy's refusal quoted in an SSL failure is the proxy, not a plain HTTP port", async () => {
  for (const refusal of [
    'Caused by: java.io.IOException: Unable to tunnel through proxy. Proxy returns "HTTP/1.1 407 Proxy Authentication Required"',
    'Caused by: org.apache.http.impl.execchain.TunnelRefusedException: CONNECT refused by proxy: HTTP/1.1 403 Forbidden',
  ]) {
    const paste = [
      '2026-02-02 10:22:40 ERROR [sync-3] SSL handshake with https://api.partner.example failed',
      refusal,
    ].join('\n');
    const found = await causes(paste);
    assert.equal(found[0], 'proxy', refusal);
    assert.ok(!found.includes('not-ssl-port'), refusal);
  }
  // A plain HTTP answer without a proxy is still the plain port.
  const plain = [
    '2026-02-02 10:22:40 ERROR [sync-3] SSL handshake with https://api.partner.example:8080 failed',
    'Caused by: javax.net.ssl.SSLException: Unsupported or unrecognized SSL message: HTTP/1.1 400 Bad Request',
  ].join('\n');
  assert.equal((await causes(plain))[0], 'not-ssl-port');
});

test('a TLS alert the peer sent tells more than a wrapper of as many causes without one', async () => {
  const wrapper =
    'System.Net.WebException: The request was aborted: Could not create SSL/TLS secure channel.';
  const alert =
    'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 42.';
  for (const paste of [
    [wrapper, '', 'Source: Schannel  Event ID: 36887', alert],
    ['Source: Schannel  Event ID: 36887', alert, '', wrapper],
  ]) {
    const report = await run(paste.join('\n'));
    assert.equal(report.findings[0]?.cause, 'client-cert-rejected');
    // The wrapper's own lead becomes a guess.
    const wrapperLead = report.findings.find((f) => f.printedBy?.stack === 'dotnet');
    assert.equal(wrapperLead?.confidence, 'possible');
  }
});

test('the ICM as server: "peer did not return a certificate" in its block is the missing client certificate', async () => {
  const block = [
    '[Thr 4410] IcmConnInitServerSSL: SSL handshake for 10.9.1.7:51234 (port 44302)',
    '[Thr 4410] *** ERROR => IcmConnInitServerSSL: SapSSLSessionStart failed (-56): SSSLERR_SSL_ACCEPT {000b12e4} [icxxconn.c 3105]',
    '[Thr 4410]   secude_error 536875130 (0x2000107a) = "peer did not return a certificate"',
  ];
  const report = await run(block.join('\n'));
  assert.equal(report.findings[0]?.cause, 'client-cert-missing');
  assert.equal(report.findings[0]?.rule, 'client-cert-required');
  // As the client, the same words are the server's complaint about us: not this finding.
  const asClient = [
    '[Thr 4410] *** ERROR => SSL handshake with partner.example:443 failed: SSSLERR_SSL_CONNECT (-57)',
    '[Thr 4410]   secude_error 536875130 (0x2000107a) = "peer did not return a certificate"',
    '[Thr 4410]   SapSSLSessionStartNB(): SSL_connect() failed',
  ];
  assert.ok(!(await run(asClient.join('\n'))).findings.some((f) => f.rule === 'client-cert-required'));
});

test('a hosts file searched with grep -n or Select-String, beside what DNS answers, puts the wrong server first', async () => {
  const failure = [
    'PS C:\\> Invoke-WebRequest https://erp.corp.example:44300/sap/public/ping',
    'Invoke-WebRequest : The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.',
  ];
  const dns = [
    [
      'PS C:\\> Resolve-DnsName erp.corp.example -Type A',
      'Name   Type TTL Section IPAddress',
      'erp.corp.example   A   3600   Answer   10.20.7.40',
    ],
    ['> nslookup erp.corp.example', 'Name:    erp.corp.example', 'Address:  10.20.7.40'],
  ];
  const pins = [
    'C:\\Windows\\System32\\drivers\\etc\\hosts:24:10.20.5.31     erp.corp.example   # dry run',
    '/etc/hosts:12:10.20.5.31 erp.corp.example',
    '12:10.20.5.31 erp.corp.example',
  ];
  for (const answer of dns)
    for (const pin of pins) {
      const found = await causes([...failure, '', ...answer, '', pin].join('\n'));
      assert.equal(found[0], 'wrong-host', `${answer[2]} / ${pin}`);
    }
  // The same address in DNS and the hosts file proves nothing.
  const same = [...failure, '', ...dns[1]!.slice(0, 2), 'Address:  10.20.5.31', '', pins[1]!];
  assert.notEqual((await causes(same.join('\n')))[0], 'wrong-host');
});

test('an errorstack naming the validity check is the expired certificate, before a chain without its intermediate', async () => {
  const block = [
    '[Thr 5812] *** ERROR during SecudeSSL_SessionStart() from SSL_connect()==SSS_SP_VERIFY_FAILED',
    '[Thr 5812]    session uses PSE file "/usr/sap/ECP/DVEBMGS00/sec/SAPSSLC.pse"',
    '[Thr 5812] >>            Begin of Secude-SSL Errorstack            >>',
    '[Thr 5812] ERROR in af_verify_Certificates: (-2146680808/0x80044018) Certificate verification failed',
    'ERROR in af_check_validity: (-2146680831/0x80044001) Validity check of certificate failed',
    '[Thr 5812] <<            End of Secude-SSL Errorstack',
    '[Thr 5812]   SubjectName: "CN=ws.broker.example, O=Broker SARL, C=FR"',
    '[Thr 5812]   IssuerName:  "CN=Broker Issuing CA 2020, O=Broker SARL, C=FR"',
    '[Thr 5812] *** ERROR => IcmConnInitClientSSL: SapSSLSessionStart failed (-102): SSSLERR_PEER_CERT_UNTRUSTED {0000c2a5} [icxxconn_mt.c 2424]',
  ];
  const report = await run(block.join('\n'));
  assert.equal(report.findings[0]?.cause, 'expired-peer-cert');
  // The certificate printed after the errorstack is the peer's: its issuer is named, quotes removed.
  const intermediate = report.findings.find((f) => f.cause === 'missing-intermediate');
  assert.equal(intermediate?.confidence, 'possible');
  assert.match(intermediate?.title ?? '', /"Broker Issuing CA 2020"/);
});

test("a chain listed as the handshake's Certificate message is the chain the server sent", async () => {
  const lines = (count: number, certs: string[]) => [
    '[Thr 7001] ->> SapSSLSessionInit(&sssl_hdl, role=2 (CLIENT), auth_type=1 (SERVER_AUTH_ONLY))',
    '[Thr 7001] ->> SapSSLSessionStartNB(sssl_hdl=0x7fee58016a20)',
    `[Thr 7001]   SSL handshake: Certificate message received, ${count} certificate(s), 1874 bytes`,
    ...certs,
    '[Thr 7001] *** ERROR during SecudeSSL_SessionStart() from SSL_connect()==SSS_SP_VERIFY_FAILED',
    '[Thr 7001]    session uses PSE file "/usr/sap/PRD/DVEBMGS00/sec/SAPSSLC.pse"',
    '[Thr 7001] *** ERROR => IcmConnInitClientSSL: SapSSLSessionStart failed (-102): SSSLERR_PEER_CERT_UNTRUSTED {00091b4c} [icxxconn_mt.c 2424]',
  ];
  const leafUnder = (issuer: string) => [
    '[Thr 7001]     #0 Subject: CN=portal.hub.example, O=Hub Ltd, C=GB',
    `[Thr 7001]        Issuer:  ${issuer}`,
    '[Thr 7001]        Valid:   2026-01-01 00:00:00 .. 2027-01-01 23:59:59',
  ];
  // Issued by a public intermediate and sent alone: the intermediate is missing.
  const publicIssuer = 'CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US';
  assert.equal((await causes(lines(1, leafUnder(publicIssuer)).join('\n')))[0], 'missing-intermediate');
  // A private issuer may be the root: the listing is read all the same (the issuer is named).
  const leaf = leafUnder('CN=Hub Issuing CA 3, O=Hub Ltd, C=GB');
  const report = await run(lines(1, leaf).join('\n'));
  assert.ok(
    report.findings.some((f) => f.cause === 'missing-intermediate' && /Hub Issuing CA 3/.test(f.title)),
  );
  // The dates of the listing are read: an expired member comes first.
  const expired = [
    ...leaf,
    '[Thr 7001]     #1 Subject: CN=Hub Issuing CA 3, O=Hub Ltd, C=GB',
    '[Thr 7001]        Issuer:  CN=Hub Root CA, O=Hub Ltd, C=GB',
    '[Thr 7001]        Valid:   2020-01-01 00:00:00 .. 2025-12-31 23:00:00',
  ];
  assert.equal((await causes(lines(2, expired).join('\n')))[0], 'expired-peer-cert');
});

test("a Java trust failure beside a front end's default certificate leads with the front end, not the trust store", async () => {
  const java =
    'javax.net.ssl.SSLHandshakeException: sun.security.validator.ValidatorException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target';
  const fake = [
    '$ openssl s_client -connect orders.apps.example:443',
    'depth=0 O = Acme Co, CN = Kubernetes Ingress Controller Fake Certificate',
    'verify error:num=18:self signed certificate',
  ];
  // The placeholder's own entry leads (SNI when another client gets the right certificate, else the
  // front end's missing certificate); the trust store is only possible.
  for (const [statement, lead] of [
    ['Postman on my laptop works fine.', 'sni-missing'],
    ['', 'pse-missing'],
  ] as const) {
    const found = await run([statement, ...fake, '', java].join('\n'));
    assert.equal(found.findings[0]?.cause, lead, statement);
    const trust = found.findings.find((f) => f.rule === 'java-trust-store' && f.cause === 'untrusted-root');
    assert.equal(trust?.confidence, 'possible', statement);
  }
  // Without the placeholder the trust store leads as before.
  const plain = await run(java);
  assert.equal(plain.findings[0]?.cause, 'untrusted-root');
  assert.equal(plain.findings[0]?.confidence, 'likely');
});

test('a server log whose accept call is written in lower case (SAP ASE, ssl_accept:) is a server log', async () => {
  const line =
    '00:0006:00000:00000:2026/02/22 06:00:12.30 kernel  ssl_accept: SSL handshake failed with client 10.20.7.21 (error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca)';
  assert.equal((await causes(line))[0], 'own-cert-rejected');
  // The same alert in a client's output is the client certificate's CA.
  assert.equal(
    (await causes('curl: (35) error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca'))[0],
    'client-cert-rejected',
  );
});

test('a -30 to an IP address or a short name ranks the name used first, also without the certificate shown', async () => {
  const text = (host: string) =>
    `Status Text             SSL handshake with ${host}:44300 failed: SSSLERR_SERVER_CERT_MISMATCH (-30)`;
  for (const host of ['crm', '10.20.1.31']) {
    const found = await run(text(host));
    assert.equal(found.findings[0]?.cause, 'hostname-mismatch', host);
    assert.equal(found.findings[0]?.confidence, 'likely', host);
  }
  // A full name without the certificate: nothing to compare, the cheapest check (SNI) stays first.
  assert.notEqual((await causes(text('crm.corp.example')))[0], 'hostname-mismatch');
});

test('a paste saying a certificate expired in words of its own puts the expired peer certificate first', async () => {
  const hana =
    'C  *** ERROR => Connect to database failed, rc=1, rcSQL=-10709 (Connection failed (RTE:[300015] SSL certificate validation failed: SSL error [536871970]: Unknown error';
  for (const said of [
    'C    Certificate verification failed. => certificate expired',
    'C    Certificate (subject "CN=hana01.corp.example") has expired at 2026-02-03 22:00:00 UTC',
    'The DBA says the certificate is expired since Sunday.',
  ]) {
    const report = await run([hana, said].join('\n'));
    assert.equal(report.findings[0]?.cause, 'expired-peer-cert', said);
  }
  assert.notEqual((await causes(hana))[0], 'expired-peer-cert');
  // An alert's name is the peer refusing this side's certificate, not a statement about the peer's.
  const alert = await run(
    [hana, 'error:14094415:SSL routines:ssl3_read_bytes:sslv3 alert certificate expired'].join('\n'),
  );
  assert.ok(
    !alert.findings.some(
      (f) =>
        f.cause === 'expired-peer-cert' && f.printedBy?.stack === 'hana-client' && f.confidence === 'likely',
    ),
  );
});
