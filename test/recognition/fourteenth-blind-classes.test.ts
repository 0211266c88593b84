/**
 * @module The classes the fourteenth and fifteenth blind sets (2026-12-07) showed, each tested on
 * wordings other than their pastes: a kernel trace line is never an outside client's text, a client that
 * names its certificate in the paste (requests' `cert=`, .NET's ClientCertificates, VCLIENT=2) keeps the
 * refused client certificate first, RZ11's "Current Value" states a parameter, a stated minimum version
 * or an old version requested states a version problem, a front end's default certificate, a vague message
 * beside a telling one leads with a guess only, the ICF's "No suitable SAP user" page, and a JSON document
 * named alone (an API answer, an exported log record) read as text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analyze.js';
import type { Report } from '../../src/model/report.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const run = (text: string): Promise<Report> =>
  analyze([{ name: 'paste.txt', bytes: Buffer.from(text) }], { now: NOW });
const causes = async (text: string): Promise<string[]> => (await run(text)).findings.map((f) => f.cause);

test("a kernel trace line holding an outside client's words is not that client's message", async () => {
  // curl prints "SSL connect error"; the Web Dispatcher's server list says "(ssl connect error)".
  const trace = [
    '[Thr 140577905690368] Thu Feb 22 14:03:51:007 2024',
    '[Thr 140577905690368] *** WARNING => HttpSrvUpdateServerList: server s4papp02_S4P_00 marked inactive (ssl connect error)',
  ].join('\n');
  const r = await run(trace);
  assert.deepEqual(
    r.events.filter((e) => e.kind === 'message').map((e) => (e as { entry: string }).entry),
    [],
  );
  // The same words printed by curl itself still are curl's.
  const curl = await run('curl: (35) SSL connect error');
  assert.equal(curl.findings[0]?.kb[0], 'CURLE_SSL_CONNECT_ERROR');
});

test('a client that names its client certificate keeps "our certificate refused" first beside a lone printed certificate', async () => {
  const alert = 'ssl.SSLError: [SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca (_ssl.c:1006)';
  const lone = [
    '$ openssl x509 -in client.crt -noout -subject -issuer',
    'subject=CN = orders-bridge.apps.example',
    'issuer=CN = Example Build Intermediate CA, O = Example GmbH',
  ];
  for (const config of [
    'session.cert = ("/opt/bridge/client.crt", "/opt/bridge/client.key")  # requests: cert=(crt, key)',
    'resp = requests.post(url, json=body, cert=("/opt/bridge/client.crt", "/opt/bridge/client.key"))',
    'handler.ClientCertificates.Add(new X509Certificate2("bridge.pfx", secret));',
    'icm/server_port_2 = PROT=HTTPS,PORT=44301,VCLIENT=2,TIMEOUT=300',
    'The partner endpoint requires mutual TLS since Monday.',
  ]) {
    const got = await causes([config, ...lone, alert].join('\n'));
    assert.equal(got[0], 'client-cert-rejected', config);
    assert.equal(got[1], 'missing-intermediate', config);
  }
  // Without a client certificate named, the lone certificate's missing intermediate still leads.
  assert.equal((await causes([...lone, alert].join('\n')))[0], 'missing-intermediate');
  // A server's log of clients refusing its certificate: that certificate, printed, is the server's own.
  const serverLog = [
    '2025/03/02 10:14:09 http: TLS handshake error from 10.20.4.17:51122: remote error: tls: unknown certificate authority',
    '$ openssl x509 -in /etc/tls/tls.crt -noout -subject -issuer',
    'subject=CN = rates.apps.example',
    'issuer=CN = Example Platform Intermediate CA',
  ];
  assert.deepEqual((await causes(serverLog.join('\n'))).slice(0, 2), [
    'own-cert-rejected',
    'missing-intermediate',
  ]);
});

test("RZ11's Current Value (or a listing's TRUE/FALSE column) states a parameter the rules read (SNI off before a handshake failure)", async () => {
  const trace = [
    '[Thr 139900001] *** ERROR => SSL handshake with pay.example.net:443 failed: SSSLERR_SSL_READ (-58)',
    '[Thr 139900001]    SSL NI-hdl 12: local=10.1.1.5:40112 peer=20.50.2.9:443',
    '[Thr 139900001]    => "received a fatal SSLv3 handshake failure alert message from the peer"',
  ];
  for (const rz11 of [
    'RZ11  icm/HTTPS/client_sni_enabled    Current Value: FALSE',
    'icm/HTTPS/client_sni_enabled   current value FALSE',
    'ssl/client_sni_enabled  Aktueller Wert: FALSE',
    '  icm/HTTPS/client_sni_enabled      FALSE',
  ]) {
    assert.equal((await causes([rz11, ...trace].join('\n')))[0], 'sni-missing', rz11);
  }
  // Switched on, SNI is not the suspect.
  const on = await causes(['RZ11  icm/HTTPS/client_sni_enabled    Current Value: TRUE', ...trace].join('\n'));
  assert.notEqual(on[0], 'sni-missing');
});

test('a stated minimum version ("TLS 1.2 and higher") or an old version requested states a version problem', async () => {
  const alert =
    'ERROR SOAP: call failed: iaik.security.ssl.SSLException: Peer sent alert: Alert Fatal: handshake failure';
  for (const context of [
    'From 1 July the gateway accepts TLS 1.2 and higher only.',
    'ssl_debug(12): Sending v3 client_hello message to gw.partner.example:443, requesting version 3.1...',
    'ssl_debug(7): Received v3 client_hello handshake message. Client requested version 3.0.',
  ]) {
    assert.equal((await causes([context, alert].join('\n')))[0], 'tls-version', context);
  }
  // A client asking for TLS 1.2 (3.3) states no version problem.
  const modern = await causes(
    [
      'ssl_debug(12): Sending v3 client_hello message to gw.partner.example:443, requesting version 3.3...',
      alert,
    ].join('\n'),
  );
  assert.notEqual(modern[0], 'tls-version');
});

test("a front end's default certificate names the missing SNI first", async () => {
  for (const seen of [
    'subject=CN = TRAEFIK DEFAULT CERT\nissuer=CN = TRAEFIK DEFAULT CERT',
    '*  subject: CN=TRAEFIK DEFAULT CERT',
    'Certificate chain\n 0 s:/CN=TRAEFIK DEFAULT CERT\n   i:/CN=TRAEFIK DEFAULT CERT',
  ]) {
    const got = await causes(`$ openssl s_client -connect fiori.example.org:443\n${seen}`);
    assert.deepEqual(got.slice(0, 2), ['sni-missing', 'hostname-mismatch'], seen);
  }
});

test('a vague message beside a telling one of the same paste leads with a guess only', async () => {
  const ticket = 'Short description: channel CC_REST_PARTNER fails with SSL error since the weekend';
  const paste = [
    ticket,
    'Assignment group: SAP-INTEGRATION',
    '',
    '$ grep partner /etc/hosts',
    '10.20.9.44   api.partner.example   # old test balancer',
    '',
    '$ curl -sS https://api.partner.example/v1/health',
    "curl: (60) SSL: no alternative certificate subject name matches target host name 'api.partner.example'",
  ].join('\n');
  const r = await run(paste);
  // curl's message, with the hosts-file line, names the wrong server; the ticket's "SSL error" (the ICM's
  // generic text) does not list that cause and so cannot adopt it: its own first guess is only possible.
  assert.equal(r.findings[0]?.cause, 'wrong-host');
  assert.equal(r.findings[0]?.kb[0], 'CURL_HOSTNAME_MISMATCH');
  const vague = r.findings.filter((f) => f.kb[0] === 'ICM_HTTP_SSL_ERROR');
  assert.ok(vague.length > 0);
  assert.ok(vague.every((f) => f.confidence === 'possible'));
  // Alone, the vague message keeps its lead.
  const alone = await run(ticket);
  assert.equal(alone.findings[0]?.confidence, 'likely');
});

test('the ICF page "No suitable SAP user found for X.509 client certificate" is a refused certificate logon', async () => {
  const page =
    '<li>The following error text was processed in the system PRD : No suitable SAP user found for X.509 client certificate</li>';
  assert.equal((await causes(`HTTP 401 from PRD, body:\n${page}`))[0], 'client-cert-rejected');
  // The same page inside a JSON record (an API answer, a log record exported from Splunk), named or piped
  // in alone: read as text.
  assert.equal((await causes(JSON.stringify({ status: 401, body: page })))[0], 'client-cert-rejected');
});

test('a JSON document named alone is read as text; a report of our own is not', async () => {
  const record = JSON.stringify(
    {
      time: 1720533753.1,
      host: 'mule-rt-03',
      event: {
        message: 'SSL handshake with s4p.example.com:44300 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
      },
    },
    null,
    2,
  );
  const r = await run(record);
  assert.notEqual(r.inputs[0]?.format, 'json');
  assert.equal(r.findings[0]?.cause, 'untrusted-root');
  const report = JSON.stringify({
    tool: 'pse-doctor',
    schemaVersion: 1,
    findings: [{ cause: 'untrusted-root' }],
  });
  const own = await run(report);
  assert.equal(own.inputs[0]?.format, 'json');
  assert.equal(own.findings.length, 0);
});

test('a cipher list in the paste that names legacy suites (RC4, 3DES) puts the cipher mismatch first', async () => {
  const lists = [
    '|       TLS_RSA_WITH_RC4_128_SHA (rsa 2048) - C',
    'Accepted  TLSv1.2  112 bits  DES-CBC3-SHA',
    'Server offers only: SSL_RSA_WITH_3DES_EDE_CBC_SHA',
  ];
  const failures = [
    // An SAP Java product (PI/PO adapter), beside its message. (The facts of a paste travel with its
    // message events: an ICM trace with a scan and no recognised message does not carry them yet.)
    'com.sap.aii.af.ra.ms.api.RecoverableException: javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure',
    // An outside client's message, through the knowledge model.
    '140230:error:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:ssl/record/rec_layer_s3.c:1544:SSL alert number 40',
  ];
  for (const failure of failures) {
    for (const list of lists) {
      assert.equal(
        (await causes(`${failure}\n\nscan of the partner:\n${list}`))[0],
        'cipher-mismatch',
        `${failure}\n${list}`,
      );
    }
  }
  // A list of current suites only states nothing.
  const modern = await causes(
    `${failures[0]}\n|       TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (secp256r1) - A`,
  );
  assert.notEqual(modern[0], 'cipher-mismatch');
});

test('an ICM trust failure in a paste that names an inspecting proxy leads with interception, without a chain read', async () => {
  const failure = [
    "SM59 connection test Z_CLOUD_ALM: Status Text SSL handshake with eu10.alm.cloud.sap:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)#The peer's X.509 Certificate (chain) is untrusted#",
    '[Thr 140001] *** ERROR => SSL handshake with eu10.alm.cloud.sap:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
  ];
  for (const note of [
    'Note from the network team: outbound HTTPS of the data centre goes through Netskope since the weekend.',
    'We have SSL inspection on the corporate proxy for all destinations.',
  ]) {
    const r = await run([note, ...failure].join('\n'));
    assert.equal(r.findings[0]?.cause, 'interception', note);
    assert.equal(r.findings[0]?.rule, 'tls-interception', note);
  }
  // Without such words the untrusted root leads.
  assert.equal((await run(failure.join('\n'))).findings[0]?.cause, 'untrusted-root');
});

test('a client set not to send SNI (JVM option, SAP environment variable, -noservername) puts the missing SNI first', async () => {
  const mismatch =
    "javax.net.ssl.SSLPeerUnverifiedException: Certificate for <api.example.org> doesn't match any of the subject alternative names: [wd01.example.local]";
  for (const setting of [
    'exec java -Djsse.enableSNIExtension=false -jar bridge.jar',
    'export SAPSSL_CLIENT_SNI_ENABLED=FALSE',
    'icm/HTTPS/client_sni_enabled = FALSE',
  ]) {
    assert.equal((await causes(`${setting}\n${mismatch}`))[0], 'sni-missing', setting);
  }
  assert.equal(
    (await causes(`exec java -Djsse.enableSNIExtension=true -jar bridge.jar\n${mismatch}`))[0],
    'hostname-mismatch',
  );
});

test("Node's warning that NODE_EXTRA_CA_CERTS did not load names the file before the untrusted issuer", async () => {
  const paste = [
    'Warning: Ignoring extra certs from `/srv/app/certs/corp-root.pem`, load failed: error:02001002:system library:fopen:No such file or directory',
    'Error: unable to get local issuer certificate',
    "  code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'",
  ].join('\n');
  assert.equal((await causes(paste))[0], 'pse-missing');
});

test('the SAP NetWeaver RFC SDK that does not load is a library not found (PyRFC, node-rfc)', async () => {
  for (const line of [
    'ImportError: libsapnwrfc.so: cannot open shared object file: No such file or directory',
    'Error: libsapucum.so: cannot open shared object file: No such file or directory\n    at Module._extensions..node (node:internal/modules/cjs/loader:1460:18)',
  ]) {
    assert.equal((await causes(line))[0], 'lib-not-found', line);
  }
});

test('a handshake failure beside SNI switched off in other words (s_client -noservername, a JVM option) leads with SNI', async () => {
  const icm = [
    '[Thr 139645] *** ERROR => SSL handshake with api.vendor.example:443 failed: SSSLERR_SSL_READ (-58)',
    '[Thr 139645]    => "received a fatal SSLv3 handshake failure alert message from the peer"',
    '$ openssl s_client -connect api.vendor.example:443 -noservername',
    '40F7A1C1B27F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:ssl/record/rec_layer_s3.c:1605:SSL alert number 40',
  ].join('\n');
  const r = await run(icm);
  assert.equal(r.findings[0]?.cause, 'sni-missing');
  assert.equal(r.findings[0]?.rule, 'handshake-rejected');
  const java = [
    'JAVA_OPTS="-Xmx2g -Djsse.enableSNIExtension=false"',
    'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "https://events.cfapps.eu20.hana.ondemand.com/v1/publish": Received fatal alert: handshake_failure',
    'Caused by: javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure',
  ].join('\n');
  assert.equal((await causes(java))[0], 'sni-missing');
  // The same failures without the SNI words keep the version first.
  assert.notEqual((await causes(java.split('\n').slice(1).join('\n')))[0], 'sni-missing');
});

test('a Java PKIX failure beside a printed chain of the server certificate alone names the missing intermediate first', async () => {
  const pkix =
    'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target';
  const lone = [
    'Certificate chain',
    ' 0 s:CN = erp.corp.example',
    '   i:DC = example, DC = corp, CN = Corp Issuing CA 2',
    '---',
  ];
  const r = await run(
    [pkix, '$ openssl s_client -connect erp.corp.example:44300 -showcerts', ...lone].join('\n'),
  );
  assert.equal(r.findings[0]?.cause, 'missing-intermediate');
  assert.equal(r.findings[0]?.rule, 'java-trust-store');
  // The intermediate sent as well: the root the trust store lacks leads.
  const full = [
    'Certificate chain',
    ' 0 s:CN = erp.corp.example',
    '   i:DC = example, DC = corp, CN = Corp Issuing CA 2',
    ' 1 s:DC = example, DC = corp, CN = Corp Issuing CA 2',
    '   i:DC = example, DC = corp, CN = Corp Root CA',
    '---',
  ];
  const withIntermediate = await run(
    [pkix, '$ openssl s_client -connect erp.corp.example:44300 -showcerts', ...full].join('\n'),
  );
  assert.equal(withIntermediate.findings[0]?.cause, 'untrusted-root');
});

test("requests' 401 after a call with a client certificate is an unmapped certificate first; without one, a logon problem", async () => {
  const err =
    'requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://qs4.example.local:44301/sap/bc/ui2/start_up?sap-client=100';
  assert.equal(
    (await causes(`resp = session.get(url, cert=("/etc/rpa/bot.crt", "/etc/rpa/bot.key"))\n${err}`))[0],
    'client-cert-rejected',
  );
  assert.equal((await run(err)).findings[0]?.cause, 'unknown');
});

test('an SNC minor text that says a name did not match is an SNC name problem, whatever its wording', async () => {
  const block = (minor: string) =>
    [
      'LOCATION    CPIC (TCP/IP) on local host jcohost01 with Unicode',
      'ERROR       GSS-API(maj): Miscellaneous failure',
      `            GSS-API(min): ${minor}`,
      '            Target="p:CN=QAS, OU=SAP, O=Example, C=DE"',
      'COMPONENT   SNC (Secure Network Communication)',
      'MODULE      sncxxall.c',
      'DETAIL      SncPEstablishContext',
    ].join('\n');
  for (const minor of [
    'Name of the peer does not match the target name',
    'target name mismatch: the partner authenticated as p:CN=PRD',
  ]) {
    const got = await causes(block(minor));
    assert.equal(got[0], 'snc-name', minor);
  }
  // A minor text about missing credentials stays a credentials problem.
  assert.notEqual((await causes(block('No credentials were supplied')))[0], 'snc-name');
});

test("sapgenpse's 'Couldn't open PSE' followed by its wrong-PIN line is one credential problem, not a missing file", async () => {
  const out = [
    'qasadm> sapgenpse maintain_pk -l -p SAPSSLS.pse',
    ' Please enter PIN:',
    ' maintain_pk: Couldn\'t open PSE "/usr/sap/QAS/D01/sec/SAPSSLS.pse"',
    '   -> Wrong PIN or password',
  ].join('\n');
  const got = await causes(out);
  assert.equal(got[0], 'pse-credential');
  assert.ok(!got.includes('pse-missing'), got.join(' '));
});

test('an ICM handshake failure with the anonymous PSE, in a paste that says the partner requires a client certificate, names the missing certificate first', async () => {
  const trace = [
    '[Thr 139941] *** ERROR during SecudeSSL_SessionStart() from SSL_connect()==SSL_ERROR_SSL',
    '[Thr 139941]    session uses PSE file "/usr/sap/PRD/D00/sec/SAPSSLA.pse"',
    '[Thr 139941] SecudeSSL_SessionStart: SSL_connect() failed --',
    '  secude_error 536875072 (0x20001040) = "received a fatal SSLv3 handshake failure alert message from the peer"',
    '[Thr 139941] <<- ERROR: SapSSLSessionStart(sssl_hdl=0x7f46e401f5a0)==SSSLERR_SSL_CONNECT',
  ];
  for (const note of [
    'The bank requires mutual TLS for the payment API.',
    'Partner portal: "a client certificate is required for this endpoint".',
  ]) {
    const r = await run([note, ...trace].join('\n'));
    assert.equal(r.findings[0]?.cause, 'client-cert-missing', note);
    // The paste's facts travel with the SSL failure itself (the input has no message event).
    const failure = r.events.find((e) => e.kind === 'ssl-failure') as { context?: string[] } | undefined;
    assert.ok(failure?.context?.includes('client-cert-required-stated'), note);
  }
  // "Client certificate: not required" is no such statement.
  assert.notEqual(
    (await causes(['Client certificate: not required', ...trace].join('\n')))[0],
    'client-cert-missing',
  );
  // The own PSE (SAPSSLC, with a certificate) is no anonymous call.
  const own = trace.map((l) => l.replace('SAPSSLA.pse', 'SAPSSLC.pse'));
  assert.notEqual(
    (await causes(['The bank requires mutual TLS.', ...own].join('\n')))[0],
    'client-cert-missing',
  );
});

test('more inspecting products named in a paste (Fortinet, Palo Alto Networks, Sophos, Fiddler) state interception', async () => {
  const browser = 'NET::ERR_CERT_AUTHORITY_INVALID';
  for (const named of [
    'Issued by: CN = FGT60F0000000001, O = Fortinet, OU = Certificate Authority',
    'Our Palo Alto Networks firewall decrypts outbound HTTPS.',
    'Sophos endpoint web protection is on for these laptops.',
    'Fiddler is running on this machine to capture traffic.',
  ]) {
    assert.equal((await causes(`${browser}\n${named}`))[0], 'interception', named);
  }
  assert.notEqual(
    (await causes(`${browser}\nIssued by: CN = Example Issuing CA, O = Example AG`))[0],
    'interception',
  );
});

test("a Kafka client's store that does not load: the missing file first, the password second; a java.nio missing store file", async () => {
  const wrapper =
    'org.apache.kafka.common.KafkaException: Failed to load SSL keystore /opt/app/ssl/client.keystore.p12 of type PKCS12';
  assert.deepEqual((await causes(wrapper)).slice(0, 2), ['pse-missing', 'pse-credential']);
  const inner = `${wrapper}\nCaused by: java.io.IOException: keystore password was incorrect`;
  assert.equal((await causes(inner))[0], 'pse-credential');
  assert.equal(
    (await causes('Caused by: java.nio.file.NoSuchFileException: /etc/app/secrets/client.truststore.jks'))[0],
    'pse-missing',
  );
});

test("Chrome's 'version or cipher' error beside a cipher list of legacy suites leads with the cipher suites", async () => {
  const chrome =
    'This site can’t provide a secure connection\nbw.corp.example uses an unsupported protocol.\nERR_SSL_VERSION_OR_CIPHER_MISMATCH';
  assert.equal(
    (await causes(`${chrome}\nssl/ciphersuites = SSL_RSA_WITH_RC4_128_SHA:SSL_RSA_WITH_3DES_EDE_CBC_SHA`))[0],
    'cipher-mismatch',
  );
  assert.equal((await causes(chrome))[0], 'tls-version');
});

test("Windows' certificate dialog saying the certificate expired names the expiry (English, German)", async () => {
  const ps =
    'Invoke-RestMethod : The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.';
  for (const dialog of [
    'Certificate Information\n This certificate has expired or is not yet valid.\n Valid from 1/5/2023 to 1/5/2025',
    'Zertifikatsinformationen\n Dieses Zertifikat ist abgelaufen oder noch nicht gültig.',
  ]) {
    assert.equal((await causes(`${ps}\n${dialog}`))[0], 'expired-peer-cert', dialog);
  }
});

test('the only peer-trust failure of a paste, naming no host, takes the chain a client tool printed beside it', async () => {
  const paste = [
    '[Thr 140512] *** ERROR during SecudeSSL_SessionStart() from SSL_connect()==SSL_ERROR_SSL',
    '[Thr 140512]    session uses PSE file "/usr/sap/WD2/W00/sec/SAPSSLC.pse"',
    '[Thr 140512] SSL NI-hdl 77: local=10.1.5.20:41822  peer=10.1.8.31:44300',
    '[Thr 140512] <<- ERROR: SapSSLSessionStart(sssl_hdl=0x7fcb1c0a42d0)==SSSLERR_PEER_CERT_UNTRUSTED',
    '$ openssl s_client -connect erp-ci.corp.example:44300 -showcerts',
    'Certificate chain',
    ' 0 s:CN = erp-ci.corp.example',
    '   i:DC = example, DC = corp, CN = Corp Issuing CA 7',
    '---',
  ].join('\n');
  assert.equal((await causes(paste))[0], 'missing-intermediate');
});

test("sapgenpse's 'No SSO credentials available' before 'PSE (v2) open ok' is a notice, not a credential failure", async () => {
  const listing = [
    '$ sapgenpse maintain_pk -l -p SAPSSLC.pse',
    ' Opening PSE "/usr/sap/WD2/W00/sec/SAPSSLC.pse"...',
    ' No SSO credentials available',
    ' PSE (v2) open ok.',
    ' retrieving PKList',
  ].join('\n');
  assert.deepEqual(await causes(listing), []);
  // seclogin -l saying so is the missing credential.
  assert.equal(
    (await causes(' running seclogin with USER="wd2adm"\n No SSO credentials available'))[0],
    'pse-credential',
  );
});
