/**
 * @module The classes the seventh to ninth blind sets (2026-12-07) showed, each tested on wordings other
 * than their pastes: rustls texts of Rust programs, .NET and Windows socket messages in Chinese, Korean,
 * Russian and Polish, the reverse proxies' own configuration failures (nginx, Apache, ingress-nginx,
 * HAProxy, Cloudflare, Azure Application Gateway), a server's log that says a client certificate did not
 * verify, and the paste's other words: a documentation link is not the call's host, a refused protocol
 * version to a public host is not interception, a Go server log names what clients refused, PHP without a
 * CA file, a named inspecting proxy beside a Java PKIX failure, an ICM errorstack naming an inspecting CA.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analyze.js';
import type { Report } from '../../src/model/report.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const run = (text: string): Promise<Report> =>
  analyze([{ name: 'paste.txt', bytes: Buffer.from(text) }], { now: NOW });
const first = async (text: string): Promise<{ cause?: string; kb?: string; stack?: string }> => {
  const r = await run(text);
  const f = r.findings[0];
  return { cause: f?.cause, kb: f?.kb[0], stack: f?.printedBy?.stack };
};

test('rustls texts (Display and Debug forms) name their entries and the Rust stack', async () => {
  const cases: Array<[string, string, string]> = [
    [
      'Error: reqwest::Error { kind: Request, source: hyper::Error(Connect, Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) }) }',
      'RUSTLS_UNKNOWN_ISSUER',
      'untrusted-root',
    ],
    [
      'error: failed to fetch: error trying to connect: invalid peer certificate: NotValidForName',
      'RUSTLS_NOT_VALID_FOR_NAME',
      'hostname-mismatch',
    ],
    [
      'thread main panicked at src/main.rs:12:5: invalid peer certificate: Expired',
      'RUSTLS_EXPIRED',
      'expired-peer-cert',
    ],
    [
      'Caused by: error trying to connect: received corrupt message of type InvalidContentType',
      'RUSTLS_CORRUPT_MESSAGE',
      'not-ssl-port',
    ],
    [
      'Error: io error: peer is incompatible: ServerDoesNotSupportTls12Or13',
      'RUSTLS_NO_COMMON_VERSION',
      'tls-version',
    ],
    [
      'ERROR ureq: transport: peer is incompatible: NoCipherSuitesInCommon',
      'RUSTLS_NO_COMMON_CIPHER',
      'cipher-mismatch',
    ],
    [
      'Error: hyper::Error(Connect, received fatal alert: CertificateRequired)',
      'TLS_ALERT_CERTIFICATE_REQUIRED',
      'client-cert-missing',
    ],
  ];
  for (const [line, kb, cause] of cases) {
    const got = await first(line);
    assert.equal(got.kb, kb, line);
    assert.equal(got.cause, cause, line);
    assert.equal(got.stack, 'rust', line);
  }
});

test('.NET and Windows socket messages in Chinese, Korean, Russian and Polish name their entries', async () => {
  const cases: Array<[string, string, string]> = [
    [
      'System.Net.WebException: 基础连接已经关闭: 未能为 SSL/TLS 安全通道建立信任关系。',
      'DOTNET_REMOTE_CERT_INVALID',
      'untrusted-root',
    ],
    [
      'System.Net.WebException: 请求被中止: 未能创建 SSL/TLS 安全通道。',
      'SEC_E_ALGORITHM_MISMATCH',
      'tls-version',
    ],
    [
      'System.Net.Http.HttpRequestException: 远程主机强迫关闭了一个现有的连接。',
      'TCP_CONNECTION_RESET',
      'network',
    ],
    ['System.Net.Sockets.SocketException: 不知道这样的主机。', 'DNS_NAME_NOT_RESOLVED', 'network'],
    [
      'System.Security.Cryptography.CryptographicException: 지정된 네트워크 암호가 올바르지 않습니다.',
      'PKCS12_WRONG_PASSWORD',
      'pse-credential',
    ],
    [
      'System.Net.WebException: 기본 연결이 닫혔습니다. SSL/TLS 보안 채널에 대한 트러스트 관계를 설정할 수 없습니다.',
      'DOTNET_REMOTE_CERT_INVALID',
      'untrusted-root',
    ],
    [
      'System.Net.WebException: Запрос был прерван: Не удалось создать защищенный канал SSL/TLS.',
      'SEC_E_ALGORITHM_MISMATCH',
      'tls-version',
    ],
    [
      'System.Security.Authentication.AuthenticationException: Удаленный сертификат недействителен согласно результатам проверки подлинности.',
      'DOTNET_REMOTE_CERT_INVALID',
      'untrusted-root',
    ],
    [
      'System.Net.WebException: Połączenie podstawowe zostało zamknięte: Nie można ustanowić relacji zaufania dla bezpiecznego kanału SSL/TLS.',
      'DOTNET_REMOTE_CERT_INVALID',
      'untrusted-root',
    ],
    [
      'System.Net.Sockets.SocketException (10060): A connection attempt failed.',
      'TCP_CONNECT_TIMEOUT',
      'network',
    ],
    [
      'Cannot connect to sqlsrv01. (provider: SSL Provider, error: 0 - The certificate chain was issued by an authority that is not trusted.) (Microsoft SQL Server, Error: -2146893019)',
      'SEC_E_UNTRUSTED_ROOT',
      'untrusted-root',
    ],
  ];
  for (const [line, kb, cause] of cases) {
    const got = await first(line);
    assert.equal(got.kb, kb, line);
    assert.equal(got.cause, cause, line);
  }
});

test("reverse proxies' own failures: files that do not load, plain HTTP to their TLS port, missing secrets", async () => {
  const cases: Array<[string, string, string]> = [
    [
      '2025/05/02 07:00:01 [emerg] 811#811: cannot load certificate key "/etc/nginx/tls/portal.key": PEM_read_bio_PrivateKey() failed (SSL: error:1C800064:Provider routines::bad decrypt)',
      'NGINX_CANNOT_LOAD_CERT',
      'pse-missing',
    ],
    [
      '[Tue Apr 01 02:03:04.000001 2025] [ssl:emerg] [pid 99] AH02580: Init: Pass phrase incorrect for key portal.example.test:443:0',
      'APACHE_PASS_PHRASE_INCORRECT',
      'pse-credential',
    ],
    [
      'php: error while loading shared libraries: libcrypto.so.1.1: cannot open shared object file: No such file or directory',
      'OPENSSL_LIBRARY_NOT_LOADED',
      'lib-not-found',
    ],
    [
      "Bad Request. You're speaking plain HTTP to an SSL-enabled server port. Instead use the HTTPS scheme to access this URL, please.",
      'NGINX_PLAIN_HTTP_TO_HTTPS_PORT',
      'not-ssl-port',
    ],
    [
      'W0101 00:00:00.000000 7 controller.go:1400] Error getting SSL certificate "shop/web-tls": local SSL certificate shop/web-tls was not found. Using default certificate',
      'INGRESS_NGINX_DEFAULT_CERT',
      'pse-missing',
    ],
    [
      'haproxy[7]: 192.0.2.1:5000 [01/Jan/2025:00:00:00.000] fe_mtls/1: SSL client CA chain cannot be verified',
      'HAPROXY_CLIENT_CERT_NOT_TRUSTED',
      'client-cert-rejected',
    ],
    [
      'Error 526 Ray ID: 1a2b3c4d5e6f • Invalid SSL certificate. The origin web server does not have a valid SSL certificate.',
      'CLOUDFLARE_526_INVALID_ORIGIN_CERT',
      'own-cert-rejected',
    ],
    [
      '"healthProbeLog": "The intermediate certificate was not found in the certificate chain presented by the backend server."',
      'AZURE_APPGW_BACKEND_INTERMEDIATE_MISSING',
      'missing-intermediate',
    ],
    [
      'SSL Library Error: error:1417C086:SSL routines:tls_process_client_certificate:certificate verify failed',
      'OPENSSL_CLIENT_CERT_VERIFY_FAILED',
      'client-cert-rejected',
    ],
  ];
  for (const [line, kb, cause] of cases) {
    const got = await first(line);
    assert.equal(got.kb, kb, line);
    assert.equal(got.cause, cause, line);
  }
});

test('developer tools: PFX passphrase in Node, cf CLI, kubectl credentials, a missing key store, urllib3 without SNI', async () => {
  const cases: Array<[string, string, string]> = [
    [
      'Error: mac verify failure\n    at configSecureContext (node:internal/tls/secure-context:278:15)',
      'PKCS12_WRONG_PASSWORD',
      'pse-credential',
    ],
    [
      "Invalid SSL Cert for api.cf.example.test\nTIP: Use 'cf api --skip-ssl-validation' to continue with an insecure API endpoint",
      'CF_CLI_INVALID_SSL_CERT',
      'untrusted-root',
    ],
    [
      'error: You must be logged in to the server (the server has asked for the client to provide credentials)',
      'KUBECTL_CLIENT_CREDENTIALS',
      'expired-own-cert',
    ],
    [
      'Caused by: java.io.FileNotFoundException: C:\\apps\\conf\\truststore.jks (The system cannot find the file specified)',
      'JAVA_KEYSTORE_FILE_NOT_FOUND',
      'pse-missing',
    ],
    [
      'SNIMissingWarning: An HTTPS request has been made, but the SNI (Server Name Indication) extension to TLS is not available on this platform.',
      'PYTHON_SNI_MISSING_WARNING',
      'sni-missing',
    ],
    [
      'curl: (60) schannel: SNI or certificate check failed: SEC_E_WRONG_PRINCIPAL (0x80090322) - The target principal name is incorrect.',
      'SCHANNEL_TLS_WRONG_PRINCIPAL',
      'hostname-mismatch',
    ],
    [
      'Warning Schannel: The remote server has requested TLS client authentication, but no suitable client certificate could be found. An anonymous connection will be attempted.',
      'SCHANNEL_NO_CLIENT_CERT_EVENT',
      'client-cert-missing',
    ],
  ];
  for (const [line, kb, cause] of cases) {
    const got = await first(line);
    assert.equal(got.kb, kb, line);
    assert.equal(got.cause, cause, line);
  }
});

test('a documentation link in the message is not the host of the call', async () => {
  const r = await run(
    [
      "> Could not GET 'https://repo.example.test/maven2/org/x/1.0/x-1.0.pom'.",
      "   > The server may not support the client's requested TLS protocol versions: (TLSv1.2, TLSv1.3). See: https://docs.gradle.org/8.5/userguide/build_environment.html#gradle_system_properties",
      '      > Received fatal alert: protocol_version',
    ].join('\n'),
  );
  const f = r.findings[0];
  assert.equal(f?.cause, 'tls-version');
  assert.equal(f?.printedBy?.stack, 'java');
  assert.ok(
    !JSON.stringify(r.findings).includes('docs.gradle.org'),
    'the documentation host is named nowhere',
  );
});

test('a refused protocol version towards a public service is a version problem, not interception', async () => {
  const r = await run(
    'curl: (35) error:0A00042E:SSL routines::tlsv1 alert protocol version\nhttps://api.github.com/',
  );
  assert.equal(r.findings[0]?.cause, 'tls-version');
  // A failed verification towards the same public host still says interception first.
  const t = await run(
    'curl: (60) SSL certificate problem: unable to get local issuer certificate\nhttps://api.github.com/',
  );
  assert.equal(t.findings[0]?.cause, 'interception');
});

test("a Go server's log: an alert in 'http: TLS handshake error from' came from a client refusing our certificate", async () => {
  const line =
    '2025/01/01 10:00:00 http: TLS handshake error from 192.0.2.7:50123: remote error: tls: unknown certificate authority';
  assert.equal((await first(line)).cause, 'own-cert-rejected');
  // The same alert printed by a Go client is about its own certificate.
  assert.equal(
    (await first('Get "https://x.example.test/": remote error: tls: unknown certificate authority')).cause,
    'client-cert-rejected',
  );
});

test('PHP without a CA file: an unknown issuer is first a missing CA bundle', async () => {
  const paste = (ini: string) =>
    `cURL error 60: SSL certificate problem: unable to get local issuer certificate for https://api.example.test/v1\n${ini}`;
  assert.equal((await first(paste(';curl.cainfo =\n;openssl.cafile='))).cause, 'pse-missing');
  assert.equal(
    (await first(paste('curl.cainfo = "C:\\php\\extras\\ssl\\cacert.pem"'))).cause,
    'untrusted-root',
  );
});

test('a Java PKIX failure in a paste that names the inspecting proxy ranks interception first', async () => {
  const pkix =
    'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target';
  assert.equal((await first(`Our laptops go through Netskope.\n${pkix}`)).cause, 'interception');
  assert.equal((await first(pkix)).cause, 'untrusted-root');
});

test("an ICM errorstack that looks for an inspecting product's CA puts interception first", async () => {
  const trace = (ca: string) =>
    [
      '[Thr 1] *** ERROR during SecudeSSL_SessionStart() from SSL_connect()==SSL_ERROR_SSL',
      '[Thr 1] >>            Begin of Secude-SSL Errorstack            >>',
      '[Thr 1] ERROR in ssl3_get_server_certificate: (536875072/0x20001040) Certificate verification failed',
      `[Thr 1] ERROR in af_verify_Certificates: (524296/0x00080008) Unable to get issuer certificate (${ca})`,
      '[Thr 1] <<            End of Secude-SSL Errorstack',
      '[Thr 1] <<- ERROR: SapSSLSessionStart(sssl_hdl=0x1)==SSSLERR_PEER_CERT_UNTRUSTED',
    ].join('\n');
  const intercepted = await run(trace('CN=Forcepoint Web Security Root,O=Forcepoint,C=US'));
  assert.equal(intercepted.findings[0]?.cause, 'interception');
  assert.match(intercepted.findings[0]?.title ?? '', /Forcepoint Web Security Root/);
  const own = await run(trace('CN=Example Corp Root CA,O=Example Corp,C=DE'));
  assert.equal(own.findings[0]?.cause, 'untrusted-root');
});

test("the ICM's -30 rule: a certificate naming the same machine by its short name is a name problem", async () => {
  const r = await run(
    [
      '[Thr 7] SSL NI-hdl 61: local=10.0.0.1:39814 peer=10.0.0.25:44300',
      '[Thr 7]   Server certificate does not match supplied TargetHostname (rfc2818 section 3.1)',
      '[Thr 7]   TargetHostname     = "s4hci01.corp.example.test"',
      '[Thr 7]   ServerCert.subject = CN=s4hci01, OU=I0020212345, OU=SAP Web AS, O=SAP Trust Community, C=DE',
      '[Thr 7] <<- ERROR: SapSSLSessionStart(sssl_hdl=0x1)==SSSLERR_SERVER_CERT_MISMATCH',
    ].join('\n'),
  );
  assert.equal(r.findings[0]?.cause, 'hostname-mismatch');
  assert.equal(r.findings[0]?.confidence, 'likely');
});

test("the issuer curl -v or wget prints: a public CA's intermediate the client lacks was not sent", async () => {
  const curl = (issuer: string) =>
    [
      '* Server certificate:',
      '*  subject: CN=api.partner.example',
      `*  issuer: ${issuer}`,
      '* SSL certificate problem: unable to get local issuer certificate',
      'curl: (60) SSL certificate problem: unable to get local issuer certificate',
    ].join('\n');
  assert.equal(
    (await first(curl('C=US; O=DigiCert Inc; CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1'))).cause,
    'missing-intermediate',
  );
  // A company CA or an inspecting proxy's CA is no public intermediate: the root import stays first.
  assert.equal(
    (await first(curl('C=DE; O=Example Corp; CN=Example Corp Issuing CA 03'))).cause,
    'untrusted-root',
  );
  const wget =
    "ERROR: cannot verify files.partner.example's certificate, issued by ‘CN=GeoTrust TLS RSA CA G1,OU=www.digicert.com,O=DigiCert Inc,C=US’:\n  Unable to locally verify the issuer's authority.";
  assert.equal((await first(wget)).cause, 'missing-intermediate');
});

test('files and libraries a TLS program needs: libsapcrypto for sapgenpse, a Node key file', async () => {
  assert.deepEqual(
    await first(
      '/usr/sap/QAS/SYS/exe/uc/linuxx86_64/sapgenpse: error while loading shared libraries: libsapcrypto.so: cannot open shared object file: No such file or directory',
    ),
    { cause: 'lib-not-found', kb: 'SAPCRYPTOLIB_NOT_LOADED', stack: 'sapgenpse' },
  );
  const node = await first(
    "Error: ENOENT: no such file or directory, open '/etc/app/tls/client.pem'\n    at Object.openSync (node:fs:573:18)",
  );
  assert.equal(node.kb, 'NODE_KEY_FILE_NOT_FOUND');
  assert.equal(node.cause, 'pse-missing');
});

test('more stacks: OkHttp pinning, Android trust anchors, WCF anonymous 403, Netty and undici time-outs, HANA JDBC names', async () => {
  const cases: Array<[string, string, string]> = [
    [
      'javax.net.ssl.SSLPeerUnverifiedException: Certificate pinning failure!\n  Peer certificate chain:\n    sha256/AAAA=: CN=api.example.test',
      'OKHTTP_CERTIFICATE_PINNING_FAILURE',
      'interception',
    ],
    [
      'javax.net.ssl.SSLHandshakeException: java.security.cert.CertPathValidatorException: Trust anchor for certification path not found.',
      'ANDROID_TRUST_ANCHOR_NOT_FOUND',
      'untrusted-root',
    ],
    [
      "System.ServiceModel.Security.MessageSecurityException: The HTTP request was forbidden with client authentication scheme 'Anonymous'.",
      'WCF_FORBIDDEN_ANONYMOUS',
      'client-cert-missing',
    ],
    [
      'io.netty.channel.ConnectTimeoutException: connection timed out: s4h.example.test/10.0.0.9:44300',
      'TCP_CONNECT_TIMEOUT',
      'network',
    ],
    [
      '  [cause]: ConnectTimeoutError: Connect Timeout Error (attempted address: s4h.example.test:443, timeout: 10000ms)',
      'TCP_CONNECT_TIMEOUT',
      'network',
    ],
    [
      "SAP DBTech JDBC: Cannot connect to jdbc:sap://hana-vip.example.test:30015 [SSL handshake failed : Host name 'hana-vip.example.test' does not match the name in the server certificate 'hana01.example.test'], -813.",
      'X509_V_ERR_HOSTNAME_MISMATCH',
      'hostname-mismatch',
    ],
  ];
  for (const [line, kb, cause] of cases) {
    const got = await first(line);
    assert.equal(got.kb, kb, line);
    assert.equal(got.cause, cause, line);
  }
});

test("an ICM errorstack's 'Certificate is expired' names the expiry, not the root", async () => {
  const r = await run(
    [
      '[Thr 9] <<- ERROR: SapSSLSessionStart(sssl_hdl=0x1)==SSSLERR_PEER_CERT_UNTRUSTED',
      '[Thr 9]   >>            Begin of Secude-SSL Errorstack            >>',
      '[Thr 9]   0xa0600264 | SSL | ssl3_get_server_certificate',
      '[Thr 9]     Certificate verification failed',
      '[Thr 9]   0xa0400077 | X509 | verify_certificate_chain',
      '[Thr 9]     Certificate is expired (NotAfter: 250101000000Z)',
      '[Thr 9]   <<            End of Secude-SSL Errorstack            <<',
      '[Thr 9] *** ERROR => SSL handshake with api.vendor.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
    ].join('\n'),
  );
  assert.equal(r.findings[0]?.cause, 'expired-peer-cert');
});

test('GnuTLS, Erlang/OTP, PHP, Perl, IBM MQ and Apple texts name their entries and stacks', async () => {
  const cases: Array<[string, string, string, string]> = [
    [
      '- Status: The certificate is NOT trusted. The certificate issuer is unknown.',
      'GNUTLS_CERT_NOT_TRUSTED',
      'untrusted-root',
      'gnutls',
    ],
    [
      '- Status: The certificate is NOT trusted. The certificate chain uses insecure algorithm.',
      'GNUTLS_INSECURE_ALGORITHM',
      'weak-signature',
      'gnutls',
    ],
    [
      '- Status: The certificate is NOT trusted. The certificate chain uses expired certificate.',
      'GNUTLS_CERT_EXPIRED',
      'expired-peer-cert',
      'gnutls',
    ],
    [
      '- Status: The certificate is NOT trusted. The name in the certificate does not match the expected.',
      'GNUTLS_NAME_MISMATCH',
      'hostname-mismatch',
      'gnutls',
    ],
    [
      '** (Mint.TransportError) {:tls_alert, {:unknown_ca, ~c"TLS client: In state certify at ssl_handshake.erl:2138 generated CLIENT ALERT: Fatal - Unknown CA\\n"}}',
      'ERLANG_CLIENT_ALERT_UNKNOWN_CA',
      'untrusted-root',
      'erlang',
    ],
    [
      '{error,{tls_alert,{handshake_failure,"TLS client: In state certify generated CLIENT ALERT: Fatal - Handshake Failure - {bad_cert,hostname_check_failed}"}}}',
      'ERLANG_HOSTNAME_CHECK_FAILED',
      'hostname-mismatch',
      'erlang',
    ],
    [
      '[notice] TLS :client: In state :hello received SERVER ALERT: Fatal - Protocol Version',
      'TLS_ALERT_PROTOCOL_VERSION',
      'tls-version',
      'erlang',
    ],
    [
      'PHP Warning:  fsockopen(): Unable to find the socket transport "ssl" - did you forget to enable it when you configured PHP?',
      'PHP_OPENSSL_EXTENSION_MISSING',
      'lib-not-found',
      'php',
    ],
    [
      "500 Can't verify SSL peers without knowing which Certificate Authorities to trust",
      'PERL_LWP_NO_CA',
      'pse-missing',
      'perl',
    ],
    [
      "AMQ9641E: Remote CipherSpec error for channel 'TO.SAPPO' to host 'mq01(1414)'.",
      'IBM_MQ_CIPHERSPEC_MISMATCH',
      'cipher-mismatch',
      'ibm-mq',
    ],
    [
      'Error Domain=NSURLErrorDomain Code=-1202 "The certificate for this server is invalid." UserInfo={_kCFStreamErrorCodeKey=-9813}',
      'APPLE_NSURL_CERT_INVALID',
      'untrusted-root',
      'apple',
    ],
  ];
  for (const [line, kb, cause, stack] of cases) {
    const got = await first(line);
    assert.deepEqual(got, { kb, cause, stack }, line);
  }
});

test('an SAP code named in prose beside an s_client run that shows a lone leaf: the missing intermediate leads', async () => {
  const r = await run(
    [
      'SM59 ZPARTNER fails with SSSLERR_PEER_CERT_UNTRUSTED. From the application server:',
      'depth=0 CN = api.partner.example',
      'verify error:num=20:unable to get local issuer certificate',
      'verify error:num=21:unable to verify the first certificate',
    ].join('\n'),
  );
  assert.equal(r.findings[0]?.cause, 'missing-intermediate');
  // The code alone still names the root first.
  assert.equal((await first('SM59 ZPARTNER fails with SSSLERR_PEER_CERT_UNTRUSTED')).cause, 'untrusted-root');
});
