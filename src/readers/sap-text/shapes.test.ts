/** @module Evidence shapes beyond the real fixtures (facts §7 F–J, messages, Java, level-3 PEM dumps), one test each. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip } from '../../../test/helpers/fixtures.js';
import type { EventOf, EvidenceEvent, EvidenceKind } from '../../model/evidence.js';
import { bytesSource } from '../source.js';
import { readSapText } from './reader.js';

async function events(lines: string[]): Promise<EvidenceEvent[]> {
  const out = await readSapText(bytesSource('shape.txt', Buffer.from(lines.join('\n'))), { input: 0 });
  return out.events;
}

function only<K extends EvidenceKind>(all: EvidenceEvent[], kind: K): EventOf<K> {
  const found = all.filter((e) => e.kind === kind);
  assert.equal(found.length, 1, `one ${kind} in ${JSON.stringify(all.map((e) => e.kind))}`);
  return found[0] as EventOf<K>;
}

describe('connection failures before TLS (shape F)', () => {
  test('a proxy that refuses CONNECT: target, proxy and status; 407 means proxy credentials', async () => {
    const all = await events([
      '[Thr 7] *** ERROR => IcmConnInitClientSSL: Proxy connection to https://api.example.com:443 via proxy.corp:8080 failed (proxy returned 407 Proxy Authentication Required)',
    ]);
    const e = only(all, 'connection-failure');
    assert.equal(e.problem, 'proxy-auth');
    assert.deepEqual(e.target, { host: 'api.example.com', port: 443 });
    assert.deepEqual(e.proxy, { host: 'proxy.corp', port: 8080, status: 407 });
    assert.equal(all.filter((x) => x.kind === 'ssl-failure').length, 0);
  });

  test('NIECONN_REFUSED on a direct connect', async () => {
    const e = only(
      await events([
        '[Thr 7] *** ERROR => Direct connect to files.example.org:443 failed NIECONN_REFUSED(-10)',
      ]),
      'connection-failure',
    );
    assert.equal(e.problem, 'refused');
    assert.deepEqual(e.error, { name: 'NIECONN_REFUSED', number: -10 });
    assert.deepEqual(e.target, { host: 'files.example.org', port: 443 });
  });

  test('ICM codes that are network level: ICM_HTTP_CONNECTION_FAILED / SCLNT_HTTP411', async () => {
    const all = await events([
      'Connection to partner failed (ICM_HTTP_CONNECTION_FAILED)',
      '',
      'Message no. SCLNT_HTTP411',
    ]);
    const conn = all.filter((e) => e.kind === 'connection-failure');
    assert.deepEqual(
      conn.map((e) => (e.kind === 'connection-failure' ? [e.problem, e.error?.name] : [])),
      [
        ['other', 'ICM_HTTP_CONNECTION_FAILED'],
        ['refused', 'ICM_HTTP_CONNECTION_REFUSED'],
      ],
    );
  });
});

describe('server role and forwarded client certificates (shape G)', () => {
  test('an intermediary that is not trusted, with the forwarded certificate named', async () => {
    const all = await events([
      '[Thr 3] in: args = role=2 (SERVER), auth_type=1 (ASK_CLIENT_CERT)',
      '[Thr 3] out: cert_len = <no cert>',
      '[Thr 3] TLSv1.2 connection with anonymous client',
      '[Thr 3] HttpCertIsReverseProxyTrustworthy: client did not sent any cert ->intermediate not trustworthy',
      '[Thr 3] HttpIsReverseProxyTrustworthy: intermediary is NOT trusted',
      '[Thr 3] Forwarded Client certificate: subject=CN=P000123, O=Example, C=DE, issuer=CN=SCC CA, O=Example, C=DE',
      '[Thr 3] Reject untrusted forwarded certificate (received via HTTPS with untrusted certificate)',
    ]);
    const e = only(all, 'inbound-cert');
    assert.equal(e.problem, 'forwarded-cert-rejected');
    assert.equal(e.subject, 'CN=P000123, O=Example, C=DE');
    assert.equal(e.issuer, 'CN=SCC CA, O=Example, C=DE');
    assert.equal(e.authType, 'ASK_CLIENT_CERT');
    assert.equal(e.thread, '3');
  });

  test('an anonymous TLS client alone is no finding', async () => {
    const all = await events(['[Thr 3] TLSv1.2 connection with anonymous client']);
    assert.equal(all.length, 0);
  });

  test('SSSLERR_NO_CLIENT_CERT in server role', async () => {
    const e = only(
      await events([
        '[Thr 4] ->> SapSSLSessionInit(&sssl_hdl, role=2 (SERVER), auth_type=2 (REQUIRE_CLIENT_CERT))',
        '[Thr 4]   srv SSL session PSE "/usr/sap/ABC/D00/sec/SAPSSLS.pse"',
        '[Thr 4] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=7f11)==SSSLERR_NO_CLIENT_CERT',
      ]),
      'ssl-failure',
    );
    assert.equal(e.role, 'server');
    assert.ok(e.roleEvidence?.includes('role=2 (SERVER)'));
    assert.equal(e.error?.name, 'SSSLERR_NO_CLIENT_CERT');
    assert.equal(e.pseFile, '/usr/sap/ABC/D00/sec/SAPSSLS.pse');
  });
});

describe('ABAP-side messages (shape E)', () => {
  test('WSS040 is an ssl-failure with error WSS040 (client certificate missing), origin abap-message', async () => {
    const e = only(
      await events(['WSS040: Missing credential. Specify SSL client PSE used for authentication.']),
      'ssl-failure',
    );
    assert.deepEqual(e.error, { name: 'WSS040' });
    assert.equal(e.origin, 'abap-message');
    assert.equal(e.role, 'client');
  });

  test('ICM_HTTP_SSL_ERROR alone and SCLNT_HTTP407: an ssl-failure that keeps the ICM code', async () => {
    const a = only(await events(['SSL error (ICM_HTTP_SSL_ERROR)']), 'ssl-failure');
    assert.deepEqual(a.icm, { name: 'ICM_HTTP_SSL_ERROR', number: 407 });
    const b = only(await events(['Message no. SCLNT_HTTP421']), 'ssl-failure');
    assert.deepEqual(b.icm, { number: 421, name: 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED' });
  });

  test('spelling with spaces "(- 10)" and a #-joined text cut short', async () => {
    const e = only(
      await events([
        'SSL handshake with git.corp:443 failed: SSSLERR_CONN_CLOSED (- 10)#Remote Peer has closed the network connection##SapSSLSess',
      ]),
      'ssl-failure',
    );
    assert.deepEqual(e.error, { name: 'SSSLERR_CONN_CLOSED', number: -10 });
    assert.equal(e.errorText, 'Remote Peer has closed the network connection');
    assert.equal(e.origin, 'abap-message');
  });
});

describe('Java clients (shape H)', () => {
  test('PKIX with its cause chain is one event: the outer exception, the PKIX message', async () => {
    const e = only(
      await events([
        'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
        '\tat sun.security.ssl.Alert.createSSLException(Alert.java:131)',
        '\tat sun.security.ssl.TransportContext.fatal(TransportContext.java:324)',
        'Caused by: sun.security.validator.ValidatorException: PKIX path building failed',
        '\t... 42 more',
      ]),
      'java-tls-failure',
    );
    assert.equal(e.problem, 'pkix-path');
    assert.equal(e.exception, 'javax.net.ssl.SSLHandshakeException');
    assert.ok(e.message.startsWith('PKIX path building failed'));
  });

  test('expired certificate and host name problems are told apart', async () => {
    const expired = only(
      await events([
        'java.security.cert.CertificateExpiredException: NotAfter: Sun Jan 01 00:00:00 UTC 2023',
      ]),
      'java-tls-failure',
    );
    assert.equal(expired.problem, 'cert-expired');
    // "PKIX path validation failed … validity check failed": the chain reached a trust anchor, a
    // certificate in it is outside its validity — not a trust-store problem.
    const validation = only(
      await events([
        'javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed',
        'Caused by: java.security.cert.CertificateExpiredException: NotAfter: Tue Apr 15 23:59:59 UTC 2025',
      ]),
      'java-tls-failure',
    );
    assert.equal(validation.problem, 'cert-expired');
    const host = only(
      await events([
        'javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching api.example.com found.',
      ]),
      'java-tls-failure',
    );
    assert.equal(host.problem, 'hostname');
  });
});

describe('work-process traces and SNC (shape I)', () => {
  test('dev_w component prefixes and an A22 minor status', async () => {
    const e = only(
      await events([
        'M Tue May 24 13:51:07 2022',
        "N  *** ERROR => SncPEstablishContext() failed for target='p:CN=PRD, O=Example' [sncxxall.c 3638]",
        'N  GSS-API(maj): Miscellaneous failure',
        'N  GSS-API(min): A2200210:Peer certificate verification failed',
      ]),
      'snc-failure',
    );
    assert.equal(e.sncTarget, 'p:CN=PRD, O=Example');
    assert.deepEqual(e.gssMinor, { code: 'A2200210', text: 'Peer certificate verification failed' });
    assert.equal(e.timestamp, 'Tue May 24 13:51:07 2022');
  });

  test('an RFC client whose SNC library does not load (NW RFC SDK block): the library and the OS reason', async () => {
    const all = await events([
      'pyrfc._exception.CommunicationError: RFC_COMMUNICATION_FAILURE (rc=1): key=RFC_COMMUNICATION_FAILURE, message=',
      'LOCATION    CPIC (TCP/IP) on local host app01 with Unicode',
      'ERROR       SNC library not found',
      'TIME        Thu Feb 15 09:41:07 2024',
      'COMPONENT   SNC (Secure Network Communication)',
      'DETAIL      SncPDLInit(): dlopen("/usr/sap/sapcrypto/libsapcrypto.so") failed: /usr/sap/sapcrypto/libsapcrypto.so: cannot open shared object file: No such file or directory',
      'COUNTER     1',
    ]);
    const lib = only(all, 'lib-load-failure');
    assert.equal(lib.library, '/usr/sap/sapcrypto/libsapcrypto.so');
    assert.equal(lib.purpose, 'snc');
    assert.equal(lib.osError?.text, 'cannot open shared object file: No such file or directory');
  });
});

describe('SNI seen or not', () => {
  test('sniSeen: true with a TLSextSNI line, false when the context listing has none, absent otherwise', async () => {
    const ctx = [
      'SSL handshake with a.example:443 failed: SSSLRC_CONN_CLOSED (-10)',
      '  SSL_CTX ciphersuites=150:PFS:HIGH::EC_P256:EC_HIGH',
      '  Client SSL_CTX 7fa31407ac00 pvflags=896 (TLSv1.2,TLSv1.1,TLSv1.0)',
    ];
    assert.equal(
      only(await events([...ctx, '  TLSextSNI server_name="a.example"']), 'ssl-failure').sniSeen,
      true,
    );
    assert.equal(only(await events(ctx), 'ssl-failure').sniSeen, false);
    assert.equal(only(await events([ctx[0]!]), 'ssl-failure').sniSeen, undefined);
  });
});

describe('trace level 3 PEM dumps', fixturesOrSkip(), () => {
  test('a PEM block is read into the certificate it belongs to (subject, issuer, serial, validity)', async () => {
    const der = readFileSync(fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1_cert.der'));
    const b64 = der.toString('base64').match(/.{1,64}/g) ?? [];
    const e = only(
      await events([
        '[Thr 5] Peer not trusted',
        '[Thr 5] Certificate:',
        '[Thr 5]  Certificate:',
        '[Thr 5]   Subject:  CN=PSEOwner',
        '[Thr 5]   Issuer:   CN=PSEOwner',
        '[Thr 5] -----BEGIN CERTIFICATE-----',
        ...b64.map((l) => `[Thr 5] ${l}`),
        '[Thr 5] -----END CERTIFICATE-----',
        '[Thr 5] *** ERROR => SSL handshake with self.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
      ]),
      'ssl-failure',
    );
    assert.equal(e.certificates?.length, 1);
    const c = e.certificates![0]!;
    assert.equal(c.subject, 'CN=PSEOwner');
    assert.ok(c.pem?.startsWith('-----BEGIN CERTIFICATE-----'));
    assert.ok(c.pem?.includes(b64[0]!));
  });

  test('a PEM without a dumped subject becomes its own certificate with the parsed fields', async () => {
    const der = readFileSync(fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1_cert.der'));
    const b64 = der.toString('base64').match(/.{1,64}/g) ?? [];
    const e = only(
      await events([
        '[Thr 5] -----BEGIN CERTIFICATE-----',
        ...b64.map((l) => `[Thr 5] ${l}`),
        '[Thr 5] -----END CERTIFICATE-----',
        '[Thr 5] *** ERROR => SSL handshake with self.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
      ]),
      'ssl-failure',
    );
    const c = e.certificates?.[0];
    assert.equal(c?.subject, 'CN=PSEOwner');
    assert.equal(c?.issuer, 'CN=PSEOwner');
    assert.equal(c?.serial, '8C:3A:0D:BE:67:59:23:54');
    assert.ok(c?.notAfter && !Number.isNaN(Date.parse(c.notAfter)));
  });
});
