/**
 * @module The classes the fourth blind set (2026-12-07) showed, each tested on wordings other than its
 * pastes: .NET and Windows socket messages as localized Windows prints them (a Japanese text is one run of
 * characters without spaces), nginx and ingress-nginx upstream and client-certificate lines, HAProxy's
 * Layer6 check failures, Azure Application Gateway backend health, and the dates `openssl x509 -noout
 * -dates` prints for the server's certificate.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/analyze.js';
import type { Report } from '../../src/model/report.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const run = (text: string): Promise<Report> =>
  analyze([{ name: 'paste.txt', bytes: Buffer.from(text) }], { now: NOW });
const first = async (text: string): Promise<{ cause: string | undefined; kb: string | undefined }> => {
  const r = await run(text);
  return { cause: r.findings[0]?.cause, kb: r.findings[0]?.kb[0] };
};

test('.NET messages in German, French, Spanish, Portuguese, Italian and Japanese name their entries', async () => {
  const cases: Array<[string, string, string]> = [
    [
      'Die zugrunde liegende Verbindung wurde geschlossen: Für den geschützten SSL/TLS-Kanal konnte keine Vertrauensstellung hergestellt werden.',
      'DOTNET_REMOTE_CERT_INVALID',
      'untrusted-root',
    ],
    [
      "System.Security.Authentication.AuthenticationException: Le certificat distant n'est pas valide selon la procédure de validation.",
      'DOTNET_REMOTE_CERT_INVALID',
      'untrusted-root',
    ],
    [
      'Invoke-RestMethod : Se anuló la solicitud: No se puede crear un canal seguro SSL/TLS.',
      'SEC_E_ALGORITHM_MISMATCH',
      'tls-version',
    ],
    [
      'System.ComponentModel.Win32Exception: O cliente e o servidor não podem se comunicar porque não possuem um algoritmo em comum',
      'SEC_E_ALGORITHM_MISMATCH',
      'tls-version',
    ],
    [
      'System.IO.IOException: Fehler beim Handshake aufgrund eines unerwarteten Paketformats.',
      'DOTNET_UNEXPECTED_PACKET_FORMAT',
      'not-ssl-port',
    ],
    [
      'System.Net.WebException: 要求は中止されました: SSL/TLS のセキュリティで保護されているチャネルを作成できませんでした',
      'SEC_E_ALGORITHM_MISMATCH',
      'tls-version',
    ],
    [
      'System.Security.Authentication.AuthenticationException: 検証プロシージャによると、リモート証明書は無効です。',
      'DOTNET_REMOTE_CERT_INVALID',
      'untrusted-root',
    ],
    [
      'System.Net.Sockets.SocketException: Es konnte keine Verbindung hergestellt werden, da der Zielcomputer die Verbindung verweigerte 10.1.2.3:44300',
      'TCP_CONNECTION_REFUSED',
      'network',
    ],
    [
      'System.Net.WebException: Der Remoteserver hat einen Fehler zurückgegeben: (407) Proxyauthentifizierung erforderlich.',
      'PROXY_TUNNEL_FAILED',
      'proxy',
    ],
  ];
  for (const [line, kb, cause] of cases) {
    const got = await first(line);
    assert.equal(got.kb, kb, line);
    assert.equal(got.cause, cause, line);
  }
  // A short Japanese word is no recogniser: a line holding only it gives no finding.
  assert.equal((await run('証明書の確認')).findings.length, 0);
});

test('nginx: upstream alerts rank SNI first, the verify code decides the trust cause, a name mismatch is named', async () => {
  const alert = await run(
    '2025/05/30 08:00:01 [error] 31#31: *77 SSL_do_handshake() failed (SSL: error:0A000458:SSL routines::tlsv1 unrecognized name:SSL alert number 112) while SSL handshaking to upstream, client: 10.0.0.5, server: _, request: "GET / HTTP/1.1", upstream: "https://10.9.9.9:44300/"',
  );
  // Alert 112 is its own entry (unrecognized_name); the step is still nginx's setting.
  assert.equal(alert.findings[0]?.cause, 'sni-missing');
  assert.match(JSON.stringify(alert.findings[0]), /proxy_ssl_server_name on/);
  const handshake = await first(
    '2025/05/30 08:00:01 [error] 31#31: *76 SSL_do_handshake() failed (SSL: error:0A000410:SSL routines::sslv3 alert handshake failure:SSL alert number 40) while SSL handshaking to upstream, client: 10.0.0.5',
  );
  assert.deepEqual(handshake, { cause: 'sni-missing', kb: 'NGINX_UPSTREAM_HANDSHAKE_ALERT' });
  const closed = await first(
    '2025/05/30 08:00:01 [error] 31#31: *78 peer closed connection in SSL handshake (104: Connection reset by peer) while SSL handshaking to upstream, client: 10.0.0.5',
  );
  assert.equal(closed.cause, 'sni-missing');
  // The OpenSSL verify code in parentheses decides: 10 is a date, 21 an intermediate.
  const expired = await run(
    '2025/05/30 08:00:01 [error] 31#31: *79 upstream SSL certificate verify error: (10:certificate has expired) while SSL handshaking to upstream, client: 10.0.0.5',
  );
  assert.equal(expired.findings[0]?.cause, 'expired-peer-cert');
  const leaf = await run(
    '2025/05/30 08:00:01 [error] 31#31: *80 upstream SSL certificate verify error: (21:unable to verify the first certificate) while SSL handshaking to upstream',
  );
  assert.equal(leaf.findings[0]?.cause, 'missing-intermediate');
  // The fix names nginx's own setting, not a PSE or a system store.
  assert.match(JSON.stringify(leaf.findings[0]), /proxy_ssl_trusted_certificate/);
  const name = await run(
    '2025/05/30 08:00:01 [error] 31#31: *81 upstream SSL certificate does not match "backend_s4" while SSL handshaking to upstream',
  );
  assert.equal(name.findings[0]?.cause, 'hostname-mismatch');
  assert.match(JSON.stringify(name.findings[0]), /proxy_ssl_name/);
});

test('nginx as TLS server: no client certificate, and one it could not verify', async () => {
  assert.deepEqual(
    await first(
      '2025/05/30 08:00:01 [info] 31#31: *82 client sent no required SSL certificate while reading client request headers, client: 10.0.0.7',
    ),
    { cause: 'client-cert-missing', kb: 'NGINX_CLIENT_CERT_REQUIRED' },
  );
  assert.deepEqual(await first('<html><head><title>400 The SSL certificate error</title></head></html>'), {
    cause: 'client-cert-rejected',
    kb: 'NGINX_CLIENT_CERT_VERIFY_ERROR',
  });
});

test('HAProxy Layer6 check failures and Azure Application Gateway backend health are recognised', async () => {
  const ha = await first(
    'Jun  1 02:00:00 lb haproxy[99]: Health check for server be_fiori/app3 failed, reason: Layer6 invalid response, info: "SSL handshake failure", check duration: 2ms, status: 0/2 DOWN.',
  );
  assert.equal(ha.kb, 'HAPROXY_LAYER6_SSL_HANDSHAKE');
  assert.equal(ha.cause, 'untrusted-root');
  const azure = await first(
    'Unhealthy: The root certificate of the server certificate used by the backend does not match the trusted root certificate added to the application gateway.',
  );
  assert.deepEqual(azure, { cause: 'untrusted-root', kb: 'AZURE_APPGW_BACKEND_ROOT_MISMATCH' });
  const cn = await first(
    'Backend health: The Common Name (CN) of the backend certificate does not match the host header of the probe.',
  );
  assert.equal(cn.cause, 'hostname-mismatch');
});

test('the dates openssl x509 prints for the server certificate put an expired certificate first', async () => {
  const check =
    'Jun  1 02:00:00 lb haproxy[99]: Server be_fiori/app3 is DOWN, reason: Layer6 invalid response, info: "SSL handshake failure"';
  const dates = (notAfter: string) =>
    [
      check,
      '$ openssl s_client -connect app3:44300 </dev/null | openssl x509 -noout -subject -issuer -dates',
      'subject=CN = app3.corp.example',
      'issuer=CN = Corp Issuing CA 2',
      'notBefore=Jan 10 08:00:00 2024 GMT',
      `notAfter=${notAfter}`,
    ].join('\n');
  const expired = await run(dates('May 20 08:00:00 2025 GMT'));
  assert.equal(expired.findings[0]?.cause, 'expired-peer-cert');
  // Valid dates leave the trust cause first.
  const valid = await run(dates('Jan 10 08:00:00 2026 GMT'));
  assert.equal(valid.findings[0]?.cause, 'untrusted-root');
});

test('a hosts-file line (a comment after it too) that pins the failing name ranks the wrong host first', async () => {
  const java =
    'javax.net.ssl.SSLHandshakeException: java.security.cert.CertificateException: No subject alternative DNS name matching api.partner.example found.';
  const pinned = await run(
    [java, '$ grep partner /etc/hosts', '10.4.4.4   api.partner.example   # old VPN'].join('\n'),
  );
  assert.equal(pinned.findings[0]?.cause, 'wrong-host');
  assert.match(pinned.findings[0]!.title, /10\.4\.4\.4/);
  // A line for another name says nothing about this one.
  const other = await run([java, '10.4.4.4   intranet.corp.example'].join('\n'));
  assert.equal(other.findings[0]?.cause, 'hostname-mismatch');
  // The same for a message the knowledge model judges (curl's name check).
  const curl = [
    "curl: (60) SSL: no alternative certificate subject name matches target host name 'api.partner.example'",
    '10.4.4.4 api.partner.example',
  ].join('\n');
  const viaKb = await run(curl);
  assert.equal(viaKb.findings[0]?.cause, 'wrong-host');
  assert.match(JSON.stringify(viaKb.findings[0]), /10\.4\.4\.4/);
});

test('a vague message takes the cause a more telling message of the same paste names first', async () => {
  // curl's closing text fits several causes; the verify text above it names the date.
  const paste = [
    '* TLSv1.2 (OUT), TLS alert, certificate expired (557):',
    '* SSL certificate problem: certificate has expired',
    'curl: (60) SSL certificate problem: certificate has expired',
    'More details here: https://curl.se/docs/sslcerts.html',
    '',
    'curl failed to verify the legitimacy of the server and therefore could not',
    'establish a secure connection to it.',
  ].join('\n');
  const r = await run(paste);
  const vague = r.findings.filter((f) => f.kb[0] === 'CURLE_PEER_FAILED_VERIFICATION');
  assert.ok(vague.length > 0, "curl's own text is a finding of its own");
  assert.equal(vague[0]?.cause, 'expired-peer-cert');
  assert.match(vague[0]!.summary, /the same paste's/);
  // Alone, the vague message keeps its own order.
  const alone = await run(paste.split('\n').slice(5).join('\n'));
  assert.equal(alone.findings[0]?.kb[0], 'CURLE_PEER_FAILED_VERIFICATION');
  assert.notEqual(alone.findings[0]?.cause, 'expired-peer-cert');
});

test('a chain openssl s_client printed for the same host is the chain an SAP trust failure judges', async () => {
  const sm59 =
    "SSL handshake with api.vendor.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)#The peer's X.509 Certificate (chain) is untrusted##SapSSLSessionStartNB()==SSSLERR_PEER_CERT_UNTRUSTED";
  const sclient = (host: string, issuer: string) => [
    `$ openssl s_client -connect ${host}:443 -servername ${host} </dev/null`,
    'Certificate chain',
    ` 0 s:CN = ${host}`,
    `   i:${issuer}`,
    '---',
  ];
  // One certificate under a public intermediate: the server omits it.
  const leaf = await run(
    [
      sm59,
      ...sclient(
        'api.vendor.example',
        'C = US, O = DigiCert Inc, CN = DigiCert Global G2 TLS RSA SHA256 2020 CA1',
      ),
    ].join('\n'),
  );
  assert.equal(leaf.findings[0]?.cause, 'missing-intermediate');
  assert.equal(leaf.findings[0]?.rule, 'missing-intermediate');
  // The same chain issued by an inspecting proxy's CA.
  const proxy = await run(
    [
      sm59,
      ...sclient(
        'api.vendor.example',
        'O = Zscaler Inc., CN = Zscaler Intermediate Root CA (zscalertwo.net) (t)',
      ),
    ].join('\n'),
  );
  assert.equal(proxy.findings[0]?.cause, 'interception');
  // A chain printed for another host says nothing about this failure.
  const other = await run(
    [
      sm59,
      ...sclient(
        'www.other.example',
        'C = US, O = DigiCert Inc, CN = DigiCert Global G2 TLS RSA SHA256 2020 CA1',
      ),
    ].join('\n'),
  );
  const icm = other.findings.find((f) => f.rule === 'untrusted-peer-chain');
  assert.equal(icm?.cause, 'untrusted-root');
  // The missing intermediate stays the rule's second thought, not a finding from the chain.
  assert.ok(!other.findings.some((f) => f.rule === 'missing-intermediate' && f.confidence !== 'possible'));
});

test("a proxy's answer printed far between two lines of one trust failure is a finding of its own", async () => {
  const r = await run(
    [
      'Yesterday the SM59 test failed with SSSLERR_PEER_CERT_UNTRUSTED, so we imported the root CA.',
      'Today the test shows:',
      '  Status HTTP Response   407',
      '  Status Text            Proxy Authentication Required',
      '',
      'dev_icm:',
      '[Thr 7] HttpProxyConnect: sending CONNECT api.vendor.example:443 HTTP/1.1 to proxy proxy.corp.example:8080',
      '[Thr 7] HttpProxyConnect: proxy response: HTTP/1.1 407 Proxy Authentication Required',
      '',
      'some more notes',
      'and more',
      'and more',
      '(from yesterday:)',
      '[Thr 7] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=0x7f3b600a1ec0)==SSSLERR_PEER_CERT_UNTRUSTED',
    ].join('\n'),
  );
  assert.ok(
    r.findings.some((f) => f.cause === 'proxy' && f.confidence !== 'possible'),
    r.findings.map((f) => `${f.cause}/${f.confidence}`).join(' '),
  );
});

test('a URL in the prose names the call; an address as its host puts the name check first', async () => {
  const dotnet =
    'System.Net.WebException: The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel. ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure.';
  const byIp = await run(
    [dotnet, '', 'The app.config has: https://10.41.8.23:44301/sap/opu/odata/sap/ZSTOCK_SRV'].join('\n'),
  );
  assert.equal(byIp.findings[0]?.cause, 'hostname-mismatch');
  assert.match(byIp.findings[0]!.summary, /10\.41\.8\.23/);
  const byName = await run(
    [dotnet, '', 'The app.config has: https://erpprd.corp.example:44301/sap/opu/odata/sap/ZSTOCK_SRV'].join(
      '\n',
    ),
  );
  assert.equal(byName.findings[0]?.cause, 'untrusted-root');
  assert.equal(byName.findings[0]?.target?.host, 'erpprd.corp.example');
  // Several URLs away from the failure name no one call; a documentation link names none.
  const many = await run(
    [
      dotnet,
      '',
      'We tried both of our gateways, same result:',
      '',
      '',
      'https://a.corp.example/x',
      'https://b.corp.example/y',
    ].join('\n'),
  );
  assert.equal(many.findings[0]?.target?.host, undefined);
  const docs = await run([dotnet, '', 'a', 'b', 'c', 'See https://aka.ms/tls for help'].join('\n'));
  assert.equal(docs.findings[0]?.target?.host, undefined);
});

test('a well-known public service under a private CA is intercepted (likely)', async () => {
  const r = await run(
    [
      "HTTP 500, SSL handshake with github.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)#The peer's X.509 Certificate (chain) is untrusted",
      '',
      'We imported the GitHub certificates into STRUST as the guide says.',
      'The proxy is maintained in the abapGit settings.',
      'Basis restarted the ICM afterwards.',
      '',
      'The Basis team sent this part of dev_icm:',
      '[Thr 1403] *** ERROR during SecudeSSL_SessionStart() from SSL_connect()==SSSLERR_PEER_CERT_UNTRUSTED',
      '[Thr 1403]    session uses PSE file "/usr/sap/S4X/D00/sec/SAPSSLA.pse"',
      '[Thr 1403]   Certificate:',
      '[Thr 1403]     Subject: CN=github.com',
      '[Thr 1403]     Issuer:  CN=Corp Web Filter CA, O=Corp AG, C=DE',
      '[Thr 1403] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=0x7faf2c0516d0)==SSSLERR_PEER_CERT_UNTRUSTED',
    ].join('\n'),
  );
  assert.equal(r.findings[0]?.cause, 'interception');
  assert.equal(r.findings[0]?.confidence, 'likely');
  assert.match(r.findings[0]!.title, /github\.com/);
});
