/**
 * @module The classes the twentieth and twenty-first blind sets (2026-12-07/08) showed, each tested on
 * wordings other than their pastes: RZ11's display copied line by line (name, then Current Value) states a
 * parameter; a paste saying another client works (browser, curl) puts SNI first for a front end's default
 * certificate; the server's text tells more than its client's when both fit as many causes; a chain listed in
 * a trace block (`[0] Subject:` lines) is the peer's chain; a client calling a public service is not calling SAP;
 * a PSE the trace could not open; a front end's default certificate; an alert line inside a block; SSL client
 * Anonymous named for a call to a partner wanting mutual TLS.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analyze.js';
import type { Report } from '../../src/model/report.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const run = (text: string): Promise<Report> =>
  analyze([{ name: 'paste.txt', bytes: Buffer.from(text) }], { now: NOW });
const causes = async (text: string): Promise<string[]> => (await run(text)).findings.map((f) => f.cause);

test("RZ11's display copied line by line (the name, then its Current Value) states the parameter", async () => {
  const trace = [
    '[Thr 140001] *** ERROR => SSL handshake with ingest.partner.example:443 failed: SSSLERR_SSL_CONNECT (-57)',
    '[Thr 140001]    SSL NI-hdl 44: local=10.2.1.8:51220 peer=52.29.1.77:443',
    '[Thr 140001]   secude_error 536875072 (0x20001040) = "received a fatal TLS handshake failure alert message from the peer"',
  ];
  const screens = [
    [
      'Parameter Name   ssl/client_sni_enabled',
      'Short Description  SNI for SSL clients',
      'Current Value    FALSE',
    ],
    ['Parametername: icm/HTTPS/client_sni_enabled', 'Aktueller Wert: FALSE', 'Defaultwert: FALSE'],
  ];
  for (const screen of screens)
    assert.equal((await causes([...trace, '', ...screen].join('\n')))[0], 'sni-missing', screen[0]);
  const on = ['Parameter Name   ssl/client_sni_enabled', 'Current Value    TRUE'];
  assert.notEqual((await causes([...trace, '', ...on].join('\n')))[0], 'sni-missing');
  // A value far below the name (another screen's field) is not the parameter's.
  const far = ['Parameter Name   ssl/client_sni_enabled', 'a', 'b', 'c', 'd', 'e', 'Current Value    FALSE'];
  assert.notEqual((await causes([...trace, '', ...far].join('\n')))[0], 'sni-missing');
});

test('ingress-nginx’s Fake Certificate: SNI first when another client gets the right one, the Secret otherwise', async () => {
  const received = [
    '2026-02-11 08:30:02 Error  HTTP: Call failed: iaik.security.ssl.SSLCertificateException: Peer certificate rejected by ChainVerifier',
    'ssl_debug(41): Server sent a 2048 bit RSA certificate, chain has 1 elements.',
    'ssl_debug(41):   [0] subject: CN=Kubernetes Ingress Controller Fake Certificate,O=Acme Co',
  ];
  assert.equal((await causes(received.join('\n')))[0], 'pse-missing');
  for (const statement of [
    'The same URL works fine in the browser.',
    'curl from this server shows the correct certificate for billing.partner.example',
    'Chrome and Postman work.',
  ]) {
    assert.equal((await causes([statement, ...received].join('\n')))[0], 'sni-missing', statement);
  }
  // "curl fails too" is no such statement.
  assert.equal((await causes(['curl fails with the same error.', ...received].join('\n')))[0], 'pse-missing');
});

test('a chain listed in a trace block without an errorstack ([0] Subject / Issuer lines) is the chain the peer sent', async () => {
  const block = (listing: string[]) =>
    [
      '[Thr 140220] Tue Feb 10 07:12:44:301 2026',
      '[Thr 140220]   SSL NI-hdl 88: local=10.4.4.2:40210  peer=198.51.100.61:443',
      '[Thr 140220]   <<- ERROR: SapSSLSessionStartNB(sssl_hdl=0x7f1c2c0019a0)==SSSLERR_PEER_CERT_UNTRUSTED',
      ...listing,
      '[Thr 140220] *** ERROR => SSL handshake with orders.fabrikam.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
    ].join('\n');
  const leafOnly = block([
    '[Thr 140220]     Certificate chain received from the peer (1 certificate):',
    '[Thr 140220]       #0 Subject: CN=orders.fabrikam.example, O=Fabrikam Ltd, C=GB',
    '[Thr 140220]          Issuer:  CN=Sectigo RSA Domain Validation Secure Server CA, O=Sectigo Limited, C=GB',
    '[Thr 140220]          Validity: 2026-01-05 00:00:00 UTC - 2026-12-31 23:59:59 UTC',
  ]);
  const r = await run(leafOnly);
  assert.equal(r.findings[0]?.cause, 'missing-intermediate');
  const ev = r.events.find((e) => e.kind === 'ssl-failure');
  assert.equal(ev?.kind === 'ssl-failure' && ev.certificates?.[0]?.notAfter, '2026-12-31 23:59:59 UTC');
  // The whole chain up to a private root: that root is what the PSE lacks.
  const full = block([
    '[Thr 140220]     peer certificate chain (2 certificates):',
    '[Thr 140220]       [0] Subject: CN=orders.fabrikam.example, O=Fabrikam Ltd, C=GB',
    '[Thr 140220]           Issuer:  CN=Fabrikam Issuing CA 3, O=Fabrikam Ltd, C=GB',
    '[Thr 140220]       [1] Subject: CN=Fabrikam Issuing CA 3, O=Fabrikam Ltd, C=GB',
    '[Thr 140220]           Issuer:  CN=Fabrikam Root CA, O=Fabrikam Ltd, C=GB',
  ]);
  assert.equal((await causes(full))[0], 'untrusted-root');
});

test('an outside client calling a well-known public service is not calling the SAP system (no server-side note)', async () => {
  const error = (host: string) =>
    [
      `Upload to https://${host}/extracts failed`,
      '---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot',
    ].join('\n');
  const cloud = await run(error('acmeexport.blob.core.windows.net'));
  assert.ok(cloud.findings.length > 0);
  for (const f of cloud.findings) {
    assert.notEqual(f.role, 'server');
    assert.ok(!f.summary.includes('The SAP system is the server'), f.summary);
  }
  // An SAP system on premise or in SAP's cloud is the server the client calls.
  for (const host of ['s4p.corp.example', 'my401234-api.s4hana.cloud.sap'])
    assert.equal((await run(error(host))).findings[0]?.role, 'server', host);
});

test("a name mismatch whose block lists the server's certificate under a related name is the certificate's name first", async () => {
  const trace = [
    '[Thr 140311] Thu Apr 30 09:02:10:004 2026',
    '[Thr 140311]   SSL NI-hdl 311: local=10.40.12.31:48812  peer=10.40.14.90:44300',
    '[Thr 140311]   Server certificate:',
    '[Thr 140311]     Subject: CN=crmapp07.corp.example.net, O=Example Corp, C=DE',
    '[Thr 140311]     Issuer:  CN=CORP Issuing CA 03, DC=corp, DC=example, DC=net',
    '[Thr 140311] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=0x7f11)==SSSLERR_SERVER_CERT_MISMATCH',
    '[Thr 140311] *** ERROR => SSL handshake with crm.corp.example.net:44300 failed: SSSLERR_SERVER_CERT_MISMATCH (-30)',
  ].join('\n');
  const r = await run(trace);
  assert.equal(r.findings[0]?.cause, 'hostname-mismatch');
  assert.equal(r.findings[0]?.confidence, 'likely');
});

test('a trace saying a PSE could not be opened names the file and why: missing, or a PIN without its SSO credential', async () => {
  const at = (line: string) =>
    ['[Thr 139001] Tue Jan 13 04:10:55:012 2026', `[Thr 139001] *** ERROR => ${line}`].join('\n');
  const missing = await run(
    at(
      'SapSSLInit: PSE "/usr/sap/DEV/DVEBMGS00/sec/SAPSSLS.pse" cannot be opened: no such file or directory',
    ),
  );
  assert.equal(missing.findings[0]?.cause, 'pse-missing');
  assert.equal(missing.findings[0]?.role, 'server');
  assert.equal(missing.findings[0]?.pse?.file, '/usr/sap/DEV/DVEBMGS00/sec/SAPSSLS.pse');
  assert.ok(
    !missing.findings.some((f) => f.cause === 'pse-credential'),
    'a missing file is not a PIN problem',
  );
  const pin = await run(at('Unable to open client PSE "SAPSSLC.pse": PIN required, no SSO credential found'));
  assert.equal(pin.findings[0]?.cause, 'pse-credential');
  assert.equal(pin.findings[0]?.role, 'client');
  // A PSE line of a working session is no failure.
  const fine = await run('[Thr 139001]   cli SSL session PSE "/usr/sap/DEV/DVEBMGS00/sec/SAPSSLC.pse"');
  assert.deepEqual(fine.findings, []);
});

test("a front end's default certificate in an ICM trace is the missing server name, never a CA to import", async () => {
  const trace = (host: string, sni: string[], cn: string) =>
    [
      '[Thr 140411] Wed Nov 11 10:01:02:330 2026',
      `[Thr 140411]   SSL NI-hdl 71: local=10.40.12.33:52001  peer=10.60.8.20:443`,
      ...sni,
      '[Thr 140411] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=0x7f8a)==SSSLERR_PEER_CERT_UNTRUSTED',
      `[Thr 140411] *** ERROR => SSL handshake with ${host}:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)`,
      '[Thr 140411]    Server certificate:',
      `[Thr 140411]      Subject: CN=${cn}, O=Acme Co`,
      `[Thr 140411]      Issuer:  CN=${cn}, O=Acme Co`,
    ].join('\n');
  const byIp = await run(trace('10.60.8.20', [], 'Kubernetes Ingress Controller Fake Certificate'));
  assert.deepEqual(
    byIp.findings.map((f) => f.cause),
    ['sni-missing', 'hostname-mismatch'],
  );
  assert.ok(!byIp.findings.some((f) => f.import), 'no certificate to import');
  assert.ok(byIp.findings[0]!.summary.includes('IP address 10.60.8.20'));
  // The trace shows the name was sent: the front end lacks a route for it.
  const named = await run(
    trace(
      'mes.plant.example',
      ['[Thr 140411]   TLSextSNI server_name="mes.plant.example"'],
      'TRAEFIK DEFAULT CERT',
    ),
  );
  assert.equal(named.findings[0]?.cause, 'hostname-mismatch');
  assert.ok(named.findings[0]?.kb.includes('FRONTEND_DEFAULT_CERT'));
});

test("CommonCryptoLib's alert text on a line of its own belongs to the failure block it is printed in", async () => {
  const block = (alert: string) =>
    [
      '[Thr 140520] Tue Jun 23 13:40:02:918 2026',
      '[Thr 140520]   cli SSL session PSE "/usr/sap/S4P/D00/sec/SAPSSLZMTLS.pse"',
      '[Thr 140520] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=0x7f6a3c0d)==SSSLERR_SSL_READ',
      `[Thr 140520]    ${alert}`,
      '[Thr 140520] *** ERROR => SSL handshake with gw.partner.example:443 failed: SSSLERR_SSL_READ (-58)',
    ].join('\n');
  const r = await run(block('received a fatal TLS unknown CA alert message from the peer'));
  const ev = r.events.find((e) => e.kind === 'ssl-failure');
  assert.equal(
    ev?.kind === 'ssl-failure' && ev.alert?.text,
    'received a fatal TLS unknown CA alert message from the peer',
  );
  assert.equal(r.findings[0]?.cause, 'client-cert-rejected');
  // Alone, the same line is the knowledge base's: no failure block is made of it.
  const alone = await run(
    '[Thr 140520]    received a fatal TLS protocol version alert message from the peer',
  );
  assert.ok(!alone.events.some((e) => e.kind === 'ssl-failure'));
  assert.equal(alone.findings[0]?.cause, 'tls-version');
});

test('a paste naming SSL client Anonymous for a call to a partner that wants mutual TLS puts the missing client certificate first', async () => {
  const trace = [
    '[Thr 140530] Thu Oct  1 08:17:43:402 2026',
    '[Thr 140530] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=0x7f6a3c12)==SSSLERR_SSL_READ',
    '[Thr 140530]    received a fatal TLS handshake failure alert message from the peer',
    '[Thr 140530] *** ERROR => SSL handshake with api.bank.example:443 failed: SSSLERR_SSL_READ (-58)',
  ];
  const context = [
    'The bank requires mutual TLS since Monday.',
    'SM59 destination ZBANK: Logon & Security, SSL Certificate  ANONYM   SSL Client (Anonymous)',
  ];
  assert.equal((await causes([...context, ...trace].join('\n')))[0], 'client-cert-missing');
  // Without the mutual TLS statement the handshake failure keeps its usual order.
  assert.notEqual((await causes([context[1]!, ...trace].join('\n')))[0], 'client-cert-missing');
});

test("the server's own log beside the ICM's refused handshake says why: its cause leads", async () => {
  const trace = [
    '[Thr 140540] Wed Jul 15 07:31:07 2026',
    '[Thr 140540] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=0x7fac6404)==SSSLERR_SSL_READ',
    '[Thr 140540]    => "received a fatal TLS handshake failure alert message from the peer"',
    '[Thr 140540] *** ERROR => SSL handshake with mes.corp.example:443 failed: SSSLERR_SSL_READ (-58)',
  ];
  const alone = await causes(trace.join('\n'));
  assert.equal(alone[0], 'tls-version');
  const schannel = [
    'Source: Schannel   Event ID: 36874',
    'An TLS 1.2 connection request was received from a remote client application, but none of the cipher suites supported by the client application are supported by the server. The TLS connection request has failed.',
  ];
  assert.equal((await causes([...trace, '', ...schannel].join('\n')))[0], 'cipher-mismatch');
});

test('a chain printed for a public service that ends in a private CA was replaced on the way, also when the product is not named', async () => {
  const java =
    'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target';
  const chain = (leafCn: string) => [
    'Certificate chain',
    ` 0 s:C = DE, O = SAP SE, CN = ${leafCn}`,
    '   i:C = FR, O = Contoso SAS, OU = Sécurité, CN = CONTOSO-EGRESS-CA',
    ' 1 s:C = FR, O = Contoso SAS, OU = Sécurité, CN = CONTOSO-EGRESS-CA',
    '   i:C = FR, O = Contoso SAS, OU = Sécurité, CN = CONTOSO-EGRESS-CA',
    '---',
  ];
  assert.equal((await causes([java, ...chain('*.cf.us10.hana.ondemand.com')].join('\n')))[0], 'interception');
  // The same private chain for a company host is that company's CA to trust, not an interception.
  assert.equal((await causes([java, ...chain('erp.contoso.example')].join('\n')))[0], 'untrusted-root');
});

test('a chain dump whose issuers follow a "Chain:" heading is read whole: the public root the PSE lacks is named', async () => {
  const trace = [
    '[Thr 140600] Tue Feb 10 09:14:22:318 2026',
    '[Thr 140600]   session uses PSE file "/usr/sap/P01/DVEBMGS00/sec/SAPSSLA.pse"',
    '[Thr 140600] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=0x7fa9e402)==SSSLERR_PEER_CERT_UNTRUSTED',
    '[Thr 140600] >>            Begin of Secude-SSL Errorstack            >>',
    '[Thr 140600] ERROR in ssl3_get_server_certificate: (524300/0x0008000c) Peer not trusted',
    '[Thr 140600]      Certificate:',
    '[Thr 140600]        Subject: CN=shop-api.partner.example',
    "[Thr 140600]        Issuer:  CN=R10, O=Let's Encrypt, C=US",
    '[Thr 140600]      Chain:',
    "[Thr 140600]        Subject: CN=R10, O=Let's Encrypt, C=US",
    '[Thr 140600]        Issuer:  CN=ISRG Root X1, O=Internet Security Research Group, C=US',
    '[Thr 140600] <<            End of Secude-SSL Errorstack',
    '[Thr 140600] *** ERROR => SSL handshake with shop-api.partner.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
  ].join('\n');
  const r = await run(trace);
  assert.equal(r.findings[0]?.cause, 'untrusted-root');
  assert.match(r.findings[0]?.import?.subject ?? '', /ISRG Root X1/);
});

test("SAProuter's route permission denied is the router refusing by its table (proxy), not an unreachable network", async () => {
  const text = [
    'com.sap.conn.jco.JCoException: (102) JCO_ERROR_COMMUNICATION: Connect to SAP gateway failed',
    'LOCATION    SAProuter 40.4 on router02',
    'ERROR       route permission denied (10.9.4.20 to erp-ci.corp.example, sapgw10)',
    'TIME        Thu Mar  5 10:11:12 2026',
    'RELEASE     753',
    'COMPONENT   NI (network interface)',
    'VERSION     40',
    'RC          -94',
    'MODULE      nirout.cpp',
    'LINE        2835',
    'DETAIL      NiRClientHandle: route permission denied (10.9.4.20 to erp-ci.corp.example, sapgw10)',
    'COUNTER     1',
  ].join('\n');
  const r = await run(text);
  assert.equal(r.findings[0]?.cause, 'proxy');
  assert.match(r.findings[0]?.title ?? '', /erp-ci\.corp\.example \(sapgw10\)/);
  assert.ok(r.findings[0]?.steps.some((s) => s.includes('saprouttab')));
});

test('an SNC partner name that is not the target system’s snc/identity/as is the name problem, certain', async () => {
  const failure = [
    'Error Details  ERROR: GSS-API(maj): Miscellaneous failure',
    'Error Details  COMPONENT: SNC (Secure Network Communication)',
    'Error Details  DETAIL: SncPEstablishContext',
  ];
  const names = (own: string) => [
    'SM59 ZERP_RFC -> Logon & Security -> SNC',
    '  Partner: p:CN=ERP, OU=SAP, O=Corp, C=DE',
    'RZ11 on ERP, snc/identity/as:',
    `  ${own}`,
  ];
  const differ = await run([...failure, ...names('p:CN=SAPERP, OU=Basis, O=Corp, C=DE')].join('\n'));
  assert.equal(differ.findings[0]?.cause, 'snc-name');
  assert.equal(differ.findings[0]?.confidence, 'certain');
  // The same name, spaced otherwise, is no mismatch.
  const same = await run([...failure, ...names('p:CN=ERP,OU=SAP,O=Corp,C=DE')].join('\n'));
  assert.notEqual(same.findings[0]?.confidence === 'certain' && same.findings[0]?.cause, 'snc-name');
  const info = same.events.find((e) => e.kind === 'trace-info');
  assert.equal(info?.kind === 'trace-info' && info.sncNames?.own, 'p:CN=ERP,OU=SAP,O=Corp,C=DE');
});

test('a Palo Alto "Forward Trust" CA in a chain or named in the paste is the inspecting proxy', async () => {
  const node = [
    'Error: self-signed certificate in certificate chain',
    "    at TLSSocket.onConnectSecure (node:_tls_wrap:1674:34) { code: 'SELF_SIGNED_CERT_IN_CHAIN' }",
  ];
  assert.notEqual((await causes(node.join('\n')))[0], 'interception');
  const named = 'The certificate in the browser is issued by "ACME Forward-Trust ECDSA CA", not by DigiCert.';
  assert.equal((await causes([...node, named].join('\n')))[0], 'interception');
});

test("keytool's listing of the server's chain (-printcert -sslserver) is the chain the Java side was sent", async () => {
  const error =
    'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target';
  const listing = [
    '$ keytool -printcert -sslserver billing.vendor.example:443',
    'Certificate #0',
    '====================================',
    'Owner: CN=billing.vendor.example, O=Vendor Inc, C=US',
    'Issuer: CN=Vendor Issuing CA 7, O=Vendor Inc, C=US',
    'Serial number: 5a1f',
    'Valid from: Mon Jan 05 09:00:00 UTC 2026 until: Tue Jan 05 09:00:00 UTC 2027',
    '',
    'Certificate #1',
    '====================================',
    'Owner: CN=Vendor Issuing CA 7, O=Vendor Inc, C=US',
    'Issuer: CN=Vendor Root CA, O=Vendor Inc, C=US',
    'Valid from: Mon Jan 04 09:00:00 UTC 2021 until: Sat Jan 04 09:00:00 UTC 2031',
  ];
  const r = await run([error, ...listing].join('\n'));
  assert.equal(r.findings[0]?.cause, 'untrusted-root');
  assert.ok(r.findings[0]?.summary.includes('Vendor Root CA'), r.findings[0]?.summary);
});

test('"no SSO credentials available for PSE" at the ICM start is the PIN-protected PSE without its credential, per PSE', async () => {
  const trace = [
    'System copy done at the weekend, since then no HTTPS.',
    '[Thr 140034] *** ERROR => SapSSLSessionInit(): no SSO credentials available for PSE "/usr/sap/QAS/D00/sec/SAPSSLS.pse" [ssslxx.c 1623]',
    '[Thr 140034] <<- ERROR: SapSSLSessionInit(role=2 (SERVER), cred_name="SAPSSLS.pse")==SSSLERR_NO_SSO_CRED',
  ].join('\n');
  const r = await run(trace);
  assert.equal(r.findings[0]?.cause, 'pse-credential');
  assert.equal(r.findings[0]?.pse?.file, '/usr/sap/QAS/D00/sec/SAPSSLS.pse');
  // The return-code line with its nested brackets belongs to the same failure: one event, not two.
  assert.equal(r.events.filter((e) => e.kind === 'ssl-failure').length, 1);
});

test('a wrapper that defers to its inner exception, or a symptom with no cause, never names the failure over the text it wraps', async () => {
  const dotnet = [
    'System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.',
    ' ---> System.Security.Authentication.AuthenticationException: Authentication failed, see inner exception.',
    ' ---> Interop+Crypto+OpenSslCryptographicException: error:0A000412:SSL routines::sslv3 alert bad certificate',
    'handler.ClientCertificates.Add(new X509Certificate2("/certs/orders.pfx", pw));',
  ].join('\n');
  const r = await run(dotnet);
  assert.equal(r.findings[0]?.cause, 'client-cert-rejected');
  assert.ok(r.findings[0]?.kb.includes('TLS_ALERT_BAD_CERTIFICATE'));
  const cors = [
    "Access to XMLHttpRequest at 'https://bw.corp.example:44300/sap/bw/ina/GetServerInfo' from origin 'https://acme.eu10.hcs.cloud.sap' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    'GET https://bw.corp.example:44300/sap/bw/ina/GetServerInfo net::ERR_CERT_DATE_INVALID',
  ].join('\n');
  assert.equal((await causes(cors))[0], 'expired-own-cert');
});

test("sapgenpse's 'No SSO credentials' followed by its PIN prompt is the credential problem, ahead of the handshake it breaks", async () => {
  const paste = [
    'curl: (35) OpenSSL/3.1.4: error:0A000410:SSL routines::sslv3 alert handshake failure',
    '$ sapgenpse get_my_name -p /usr/sap/WDQ/W01/sec/SAPSSLS.pse',
    ' Opening PSE "/usr/sap/WDQ/W01/sec/SAPSSLS.pse"...',
    'No SSO credentials found for this PSE.',
    'Please enter PIN:',
  ].join('\n');
  const r = await run(paste);
  assert.equal(r.findings[0]?.cause, 'pse-credential');
  assert.equal(r.findings[0]?.severity, 'error');
  // Opened without a PIN afterwards, the same notice is no error.
  const ok = await run(
    [
      '$ sapgenpse get_my_name -p SAPSSLS.pse',
      'No SSO credentials found for this PSE.',
      ' PSE (v2) open ok.',
    ].join('\n'),
  );
  assert.ok(!ok.findings.some((f) => f.severity === 'error'));
});

test("curl -v showing the server's certificate request before a handshake failure names the missing client certificate", async () => {
  const curl = (extra: string[]) =>
    [
      '*   Trying 198.51.100.30:443...',
      '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
      '* TLSv1.2 (IN), TLS handshake, Server hello (2):',
      '* TLSv1.2 (IN), TLS handshake, Certificate (11):',
      ...extra,
      '* TLSv1.2 (IN), TLS handshake, Server finished (14):',
      '* TLSv1.2 (IN), TLS alert, handshake failure (552):',
      'curl: (35) OpenSSL/3.0.15: error:0A000410:SSL routines::sslv3 alert handshake failure',
    ].join('\n');
  assert.notEqual((await causes(curl([])))[0], 'client-cert-missing');
  assert.equal(
    (await causes(curl(['* TLSv1.2 (IN), TLS handshake, Request CERT (13):'])))[0],
    'client-cert-missing',
  );
});

test('a hosts-file pin for the name beside a DNS answer with another address puts the wrong server first', async () => {
  const error = ['curl: (60) SSL certificate problem: certificate has expired'];
  const pin = ['$ grep erp /etc/hosts', '10.20.4.21   erp.corp.example erp    # old app server'];
  const lookup = [
    '$ nslookup erp.corp.example',
    'Server:  10.20.0.53',
    'Address: 10.20.0.53#53',
    '',
    'Name:   erp.corp.example',
    'Address: 10.20.7.15',
  ];
  const url = ['$ curl -v https://erp.corp.example/sap/bc/ui2/flp'];
  assert.equal((await causes([...url, ...error, ...pin].join('\n')))[0], 'expired-peer-cert');
  assert.equal((await causes([...url, ...error, ...pin, ...lookup].join('\n')))[0], 'wrong-host');
  const r = await run([...url, ...error, ...pin, ...lookup].join('\n'));
  const info = r.events.find((e) => e.kind === 'trace-info');
  assert.equal(info?.kind === 'trace-info' && info.dns?.['erp.corp.example'], '10.20.7.15');
});

test("a HANA client's failed validation beside a printed chain from an inspecting proxy is the interception", async () => {
  const hana =
    "hdbcli.dbapi.Error: (-10709, 'Connection failed (RTE:[300015] SSL certificate validation failed: Cannot verify peer certificate chain)')";
  const chain = (issuer: string) => [
    '$ openssl s_client -connect abc.hana.prod-eu10.hanacloud.ondemand.com:443 | openssl x509 -noout -subject -issuer',
    'subject=CN = *.hana.prod-eu10.hanacloud.ondemand.com',
    `issuer=${issuer}`,
  ];
  const alone = await run(hana);
  assert.equal(alone.findings[0]?.cause, 'untrusted-root');
  assert.equal(alone.findings[0]?.confidence, 'certain');
  const inspected = await run(
    [hana, ...chain('C = US, O = Contoso, CN = Contoso Zscaler Intermediate')].join('\n'),
  );
  assert.equal(inspected.findings[0]?.cause, 'interception');
});
