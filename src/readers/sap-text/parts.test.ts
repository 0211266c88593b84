/** @module Tests of the SAP text reader's parts: endpoints, prefixes, codes, sniffing, the line-type gate. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fixturesOrSkip, listFixtures } from '../../../test/helpers/fixtures.js';
import { CertDump } from './cert-dump.js';
import { ICM_CODES, knownCodes, sapSslNumber, tlsAlertKbId } from './codes.js';
import { readEndpoint, readQuoted, readUrlOrEndpoint } from './endpoint.js';
import { splitLine } from './line-prefix.js';
import { LINE_TYPES } from './line-types.js';
import { BROAD_MARKERS, KERNEL_MARKERS, MAYBE_INTERESTING_PARTS, maybeInteresting } from './markers.js';
import { sniffSapText } from './reader.js';

describe('endpoints and quoted values', () => {
  test('host:port, placeholders kept literally, IPv6, URLs', () => {
    assert.deepEqual(readEndpoint('github.com:443 failed', 0).endpoint, { host: 'github.com', port: 443 });
    assert.deepEqual(
      readEndpoint('<target HTTPS server FQDN>:<target HTTPS server HTTPS port> failed', 0).endpoint,
      {
        host: '<target HTTPS server FQDN>',
        port: '<target HTTPS server HTTPS port>',
      },
    );
    assert.deepEqual(readEndpoint('<CN=<nested>, (...)>:443', 0).endpoint, {
      host: '<CN=<nested>, (...)>',
      port: 443,
    });
    assert.deepEqual(readEndpoint('[2001:db8::1]:8443', 0).endpoint, { host: '2001:db8::1', port: 8443 });
    assert.deepEqual(readUrlOrEndpoint('https://proxy.corp:8080/path x', 0).endpoint, {
      host: 'proxy.corp',
      port: 8080,
    });
    assert.deepEqual(readEndpoint('host-only', 0).endpoint, { host: 'host-only' });
  });

  test('quoted values: closed, cut (no closing quote), typographic quotes', () => {
    assert.deepEqual(readQuoted('cli SSL session PSE "/usr/sap/A/D00/sec/SAPSSLC.pse"', 'SSL session PSE'), {
      value: '/usr/sap/A/D00/sec/SAPSSLC.pse',
      truncated: false,
    });
    assert.deepEqual(
      readQuoted('session uses PSE file "/usr/sap/SID/HOST/sec/PSE_FILE_TH', 'session uses PSE file'),
      {
        value: '/usr/sap/SID/HOST/sec/PSE_FILE_TH',
        truncated: true,
      },
    );
    assert.deepEqual(readQuoted('path \u201cE:\\usr\\sap\\local.pse\u201d', 'path'), {
      value: 'E:\\usr\\sap\\local.pse',
      truncated: false,
    });
    assert.equal(readQuoted('no quotes here', 'quotes'), undefined);
  });
});

describe('line prefixes and joined lines', () => {
  test('[Thr] prefixes, including placeholders for the thread id', () => {
    assert.deepEqual(splitLine('[Thr 140484128118528]   Target Hostname="x"')[0], {
      text: '  Target Hostname="x"',
      thread: '140484128118528',
      traceStyle: true,
      joined: false,
    });
    assert.equal(splitLine('[Thr number] *** ERROR during x')[0]!.thread, 'number');
  });

  test('#-joined ABAP texts split only when they carry SAP SSL wording', () => {
    assert.deepEqual(
      splitLine(
        'SSSLERR_CONN_CLOSED (-10)#Remote Peer has closed the network connection##SapSSLSessionStartNB()==SSSLERR_CONN_CLOSED##',
      ).map((s) => s.text),
      [
        'SSSLERR_CONN_CLOSED (-10)',
        'Remote Peer has closed the network connection',
        '',
        'SapSSLSessionStartNB()==SSSLERR_CONN_CLOSED',
        '',
        '',
      ],
    );
    assert.equal(splitLine(' Element #1: issue #42').length, 1);
  });

  test('sectrace records pasted onto one line are split, each with its header', () => {
    const segs = splitLine(
      '[2020.05.26 14:21:28.668325][4][disp+work ][SAPCRYPTOLIB][435584] { gss_display_name [2020.05.26 14:21:28.668338][4][disp+work ][GSS ][435584] CN=A@B',
    );
    assert.deepEqual(
      segs.map((s) => [s.sectrace?.component, s.thread, s.text]),
      [
        ['SAPCRYPTOLIB', '435584', '{ gss_display_name'],
        ['GSS', '435584', 'CN=A@B'],
      ],
    );
  });
});

describe('certificate chain dumps', () => {
  test('each SignerCert is one level deeper; signer verification lands on the signer', () => {
    const dump = new CertDump();
    const lines = [
      ' Certificate:',
      '  Subject: CN=leaf',
      '  Issuer: CN=inter',
      ' Verification result:',
      '  Status: Not successful',
      '  SignerVerificationResult:',
      '   ObjectStatus: Not successful',
      '   SignerCert:',
      '    Certificate:',
      '     Subject: CN=inter',
      '     Issuer: CN=root',
      '    Verification result:',
      '      SignerCert:',
      '       Certificate:',
      '        Subject: CN=root',
    ];
    for (const [i, l] of lines.entries()) assert.ok(dump.feed(l, i + 1), l);
    assert.equal(dump.feed('Target Hostname="x"', 99), false);
    assert.deepEqual(
      dump.certs.map((c) => [c.depth, c.subject, c.issuer, c.verification]),
      [
        [0, 'CN=leaf', 'CN=inter', { Status: 'Not successful' }],
        [1, 'CN=inter', 'CN=root', { ObjectStatus: 'Not successful' }],
        [2, 'CN=root', undefined, undefined],
      ],
    );
    assert.equal(dump.hasFailure(), true);
  });
});

describe('codes', () => {
  test('knownCodes has unique ids and names what the knowledge base must explain', () => {
    const ids = knownCodes().map((c) => c.kbId);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of [
      'SSSLERR_PEER_CERT_UNTRUSTED',
      'SSSLERR_CONN_CLOSED',
      'ICM_HTTP_SSL_ERROR',
      'SNCERR_GSSAPI',
      'DLENOACCESS',
      'WSS040',
      'A2200210',
      'TLS_ALERT_HANDSHAKE_FAILURE',
      'TLS_ALERT_CERTIFICATE_UNKNOWN',
      'TLS_ALERT_UNKNOWN_CA',
      'TLS_ALERT_PROTOCOL_VERSION',
      'PKIX_PATH_BUILDING_FAILED',
      'RTE_300010',
      'SSL_ERROR_HANDSHAKE_FAILURE_ALERT',
    ])
      assert.ok(ids.includes(id), id);
    assert.deepEqual(knownCodes().find((c) => c.kbId === 'SSSLERR_CONN_CLOSED')?.aliases, [
      'SSSLRC_CONN_CLOSED',
    ]);
    assert.ok(
      knownCodes()
        .find((c) => c.kbId === 'ICM_HTTP_SSL_ERROR')
        ?.aliases?.includes('SCLNT_HTTP407'),
    );
  });

  test('numbers and alert ids', () => {
    assert.equal(sapSslNumber('SSSLRC_CONN_CLOSED'), -10);
    assert.equal(sapSslNumber('SSSLERR_PEER_CERT_EXPIRED'), undefined);
    assert.equal(ICM_CODES[421], 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED');
    assert.equal(tlsAlertKbId('certificate unknown'), 'TLS_ALERT_CERTIFICATE_UNKNOWN');
  });
});

describe('sniffing', () => {
  test('content first, name second; sapgenpse output and binary are not claimed with confidence', () => {
    assert.ok(
      sniffSapText(Buffer.from('SSL handshake with a:443 failed: SSSLERR_SSL_READ (-58)'), 'x.txt') >= 0.9,
    );
    assert.ok(sniffSapText(Buffer.from('[Thr 1] noise only'), 'whatever') >= 0.6);
    // A SapSSL code name alone, at either prefix, is the strongest sign.
    assert.equal(sniffSapText(Buffer.from('SSSLRC_CONN_CLOSED'), 'x.txt'), 0.9);
    assert.equal(sniffSapText(Buffer.from('failed: SSSLERR_PEER_CERT_UNTRUSTED'), 'x.txt'), 0.9);
    assert.ok(sniffSapText(Buffer.from('plain words'), 'dev_icm') >= 0.6);
    assert.equal(sniffSapText(Buffer.from('plain words'), 'notes.txt'), 0.05);
    assert.ok(
      sniffSapText(Buffer.from(' SSO for USER "prdadm"\n  with PSE file "/x/local.pse"\n'), 'out.txt') < 0.1,
    );
    assert.equal(sniffSapText(Buffer.alloc(100), 'x.bin'), 0);
    assert.equal(sniffSapText(Buffer.alloc(0), 'x'), 0);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('SSSLERR_SSL_READ (-58)', 'utf16le'),
    ]);
    assert.ok(sniffSapText(utf16, 'x') >= 0.9);
  });
});

describe('the line-type gate', fixturesOrSkip(), () => {
  test('maybeInteresting answers as its parts joined in one regex, on every fixture line and odd input', () => {
    const joined = new RegExp(MAYBE_INTERESTING_PARTS.map((re) => re.source).join('|'));
    const files = [...listFixtures('real/traces', '.txt'), ...listFixtures('real/cases', '.txt')];
    const lines = files.flatMap((file) => readFileSync(file, 'utf8').split(/\r?\n/));
    const odd = [
      '',
      ' ',
      '=>',
      '  => x',
      '\u00a0\u2003=> x',
      '\tat x',
      'at',
      'at x',
      'x at y',
      'x\n=> y',
      '\n=> y',
      'beat it',
      'SSL',
      'ssl',
      'A2ABCDEF:',
      'A2abcdef:',
      '=====',
      '----',
      'x'.repeat(100000),
    ];
    let passed = 0;
    for (const line of [...lines, ...lines.map((l) => l.trim()), ...odd]) {
      assert.equal(maybeInteresting(line), joined.test(line), JSON.stringify(line.slice(0, 200)));
      if (joined.test(line)) passed++;
    }
    assert.ok(passed > 100 && passed < lines.length, 'the fixtures hold lines on both sides of the gate');
  });

  test('every fixture line some line type matches also passes maybeInteresting', () => {
    const files = [...listFixtures('real/traces', '.txt'), ...listFixtures('real/cases', '.txt')];
    let checked = 0;
    for (const file of files) {
      for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
        for (const seg of splitLine(raw)) {
          const type = LINE_TYPES.find((t) => t.re.test(seg.text));
          if (!type) continue;
          checked++;
          assert.ok(maybeInteresting(seg.text), `${type.name} line not let through: ${seg.text}`);
        }
      }
    }
    assert.ok(checked > 100);
  });

  test('each line type has a sample that passes the gate and matches it', () => {
    const samples: Record<string, string> = {
      'also-check': 'Also check transaction SMICM -> Goto -> Trace File -> Display End',
      'report-error-number': 'Error Number     1',
      'report-ok': 'https://api.github.com : ok',
      ruler: '=========================',
      'trace-header': 'trc file: "dev_icm", trc level: 2, release: "785"',
      'trace-truncated': 'TRACE FILE TRUNCATED',
      'ssl-init-banner': '= SSL Initialization    platform tag=(linuxx86_64_gcc43)',
      'errorstack-begin': '>> ---------- Begin of Secude-SSL Errorstack ---------- >>',
      'errorstack-end': '<< ---------- End of Secu-SSL Errorstack ----------',
      'cert-dump': 'Certificate:',
      'pem-begin': '-----BEGIN CERTIFICATE-----',
      'pse-not-opened':
        '*** ERROR => SapSSLSessionInit(): PSE "/usr/sap/QAS/D00/sec/SAPSSLS.pse" could not be opened: (2/0x0002) file not found',
      'no-credentials-for-pse':
        '*** ERROR => SapSSLSessionInit(): no SSO credentials available for PSE "/usr/sap/S4Q/D00/sec/SAPSSLS.pse" [ssslxx.c 1623]',
      'cannot-open-pse':
        '*** ERROR => IcmInitSSL: cannot open server PSE "SAPSSLS.pse" - SSL server functionality disabled',
      'session-init': '->> SapSSLSessionInit(&sssl_hdl, role=1 (CLIENT), auth_type=1 (USE_CLIENT_CERT))',
      'session-call': '->> SapSSLSetNiHdl(sssl_hdl=7f, ni_hdl=12)',
      'handshake-failed': 'SSL handshake with a:443 failed: SSSLERR_SSL_READ (-58)',
      'function-rc': 'SapSSLSessionStartNB()==SSSLRC_CONN_CLOSED',
      pse: '  cli SSL session PSE "/x/SAPSSLC.pse"',
      'ni-handle': '  SSL NI-hdl 89: local=10.9.50.4:54438  peer=140.82.121.3:443',
      'target-hostname': '  Target Hostname="github.com"',
      'target-hostname-30': '  TargetHostname     = "github.com"',
      'server-cert-subject': '  ServerCert.subject = CN=x',
      sni: '  TLSextSNI server_name="github.com"',
      'ssl-ctx': '  Client SSL_CTX 7fa31407ac00 pvflags=896 (TLSv1.2,TLSv1.1,TLSv1.0)',
      ciphersuites: '  session ciphersuites=135:PFS:HIGH::EC_P256:EC_HIGH',
      'ssl-state': '  SSL_get_state()==0x2120 "TLS read server hello A"',
      'error-during': '*** ERROR during secussl_read() from SSL_read()==SSL_ERROR_SSL',
      'alert-line': '   received a fatal TLS handshake failure alert message from the peer',
      'alert-arrow': '   => "received a f',
      'crypto-rc': 'secussl_read: SSL_read() failed  (536875078/0x20001046)',
      'incomplete-handshake': 'SecuSSL_SessionStartNB(): incomplete SSL handshake [ssslsecu.c   4955]',
      'name-mismatch-expected':
        'SapSSLSessionStartNB: Server certificate name mismatch: expected "s4h", got "CN=s4h.example.com"',
      'error-text': 'Remote Peer has closed the network connection',
      'peer-not-trusted': 'Peer not trusted',
      'role-args': 'in: args = role=2 (SERVER), auth_type=1 (ASK_CLIENT_CERT)',
      inbound: 'HttpIsReverseProxyTrustworthy: intermediary is NOT trusted',
      'inbound-context': 'TLSv1.2 connection with anonymous client',
      'icm-conn-init':
        '*** ERROR => IcmConnInitClientSSL: SapSSLSessionStart failed (-102): SSSLERR_PEER_CERT_UNTRUSTED',
      'ssl-detail': '  SSL::SiRecv() failed   rc==SSSLRC_CONN_CLOSED',
      'ssl-code': 'SSSLERR_CONN_CLOSED (-10)',
      'secude-error': '  secude_error 9 (0x00000009) = "invalid certificate chain"',
      'pse-open-reason':
        '*** ERROR => SapSSLInit(): PSE "/usr/sap/QAS/D00/sec/SAPSSLC.pse" requires a PIN, no cred_v2 for qasadm',
      'ssl-client-identity': 'SSL Certificate   ZARIBA   SSL Client ZARIBA',
      wss040: 'WSS040 Missing credential. Specify SSL client PSE used for authentication.',
      'icm-code': 'SSL error (ICM_HTTP_SSL_ERROR)',
      'dl-load': '*** ERROR => DlLoadLib()==DLENOACCESS - LoadLibrary("C:\\x\\sapcrypto.dll")',
      'os-error': 'Error 5 = "Access is denied." [dlnt.c       255]',
      'snc-establish': "*** ERROR => SncPEstablishContext() failed for target='p:CN=BW5' [sncxxall.c 3638]",
      'snc-followup': '*** ERROR => STISEND:STISncOut failed 20 [r3cpic.c 9834]',
      'snc-line': 'GSS-API(maj): No credentials were supplied',
      'snc-continuation': 'Unable to establish the security context',
      'rfc-error': 'pyrfc._exception.CommunicationError: RFC_COMMUNICATION_FAILURE (rc=1): key=x',
      connection: 'Direct connect to host.example:443 failed NIECONN_REFUSED(-10)',
      'hana-rte': 'RTE:[300010] Cannot create SSL context',
      browser: 'Error SSL_ERROR_HANDSHAKE_FAILURE_ALERT accessing the UI',
      java: 'javax.net.ssl.SSLHandshakeException: PKIX path building failed',
      'java-frame': '\tat sun.security.ssl.Alert.createSSLException(Alert.java:131)',
      'python-traceback': 'Traceback (most recent call last):',
    };
    for (const type of LINE_TYPES) {
      const sample = samples[type.name];
      assert.ok(sample, `no sample for line type ${type.name}`);
      assert.ok(type.re.test(sample), `${type.name} does not match its sample`);
      assert.ok(maybeInteresting(sample), `${type.name} sample does not pass the gate`);
    }
  });
});

describe('the marker lists', () => {
  test('a kernel-trace marker is also a broad marker (a trace whose head hides its kind loses no failure)', () => {
    for (const m of KERNEL_MARKERS) assert.ok(BROAD_MARKERS.includes(m), `${m} missing from BROAD_MARKERS`);
  });
});
