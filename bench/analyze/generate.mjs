/**
 * @module Writes a large realistic dev_icm: `[Thr …]` noise from several threads (the kinds of lines real
 * ICM traces carry between failures) with rare SSL/SNC failure blocks of several shapes. Deterministic.
 */
import { createWriteStream } from 'node:fs';

/** Small deterministic PRNG (mulberry32), so every run writes the same file. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THREADS = [
  '140339535062784',
  '140339526670080',
  '140339518277376',
  '140339509884672',
  '140339501491968',
];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

/** Noise lines, as the fixtures' non-failure lines and ordinary ICM traffic look. */
const NOISE = [
  (r) =>
    `DpRqFree: freeing REQ_HANDLER_ICMAN_OPCODE_RESP request (rq_id ${(r() * 1e6) | 0}, slot ${(r() * 999) | 0})`,
  (r) => `IcmHandleNetRead(id=${(r() * 64) | 0}/${(r() * 99999) | 0}): read ${(r() * 16384) | 0} bytes`,
  (r) => `HttpSrvHdlRequest: request (GET /sap/bc/ping?sap-client=${(r() * 999) | 0}) handled by HTTP_PING`,
  () => `MtxLock ICM_MTX_CONN 0 1 -> 2`,
  (r) =>
    ` {${((r() * 0xffffffff) >>> 0).toString(16).padStart(8, '0')}} {root-id=42010AF002F31EDCB9A8F2C2A0B1C${((r() * 999) | 0).toString().padStart(3, '0')}}_{conn-id=00000000000000000000000000000000}_0`,
  () => `STISearchConv: found conv without search`,
  (r) => `IcmConnClose: closing connection ${(r() * 5000) | 0} (state: CLOSED)`,
  (r) => `NiICloseHandle: shutdown and close hdl ${(r() * 300) | 0} / sock ${(r() * 900) | 0}`,
  (r) =>
    `IcmReadFromConn(id=${(r() * 64) | 0}/${(r() * 99999) | 0}): received ${(r() * 3000) | 0} bytes (MPI buffer 0x7f${((r() * 0xffffff) >>> 0).toString(16)})`,
  (r) =>
    `HttpSAPR3Request: request 0x7f6e${((r() * 0xffffff) >>> 0).toString(16)} sent to SAP system (wp ${(r() * 20) | 0})`,
  () => `IcmHandleMonitorMessage: received monitor message 13 from 1`,
  (r) => `PlugInHandleNetData: ${(r() * 9) | 0} bytes pending on connection`,
  () => `<<- SapSSLSetTraceFile(fp=56402fbd8560)==SAP_O_K`,
  (r) => `IcmConnClientRqCreate: new client request for host api${(r() * 9) | 0}.example.com:443`,
];

/** A successful outbound TLS session as a level-2 trace shows it (context lines, no failure). */
function successfulSession(r) {
  const hdl = `7fa3${((r() * 0xffffff) >>> 0).toString(16)}`;
  return [
    '->> SapSSLSessionInit(&sssl_hdl, role=1 (CLIENT), auth_type=1 (USE_CLIENT_CERT))',
    `<<- SapSSLSessionInit(sssl_hdl=${hdl})==SAP_O_K`,
    `  SSL NI-hdl ${(r() * 900) | 0}: local=10.9.50.4:${40000 + ((r() * 20000) | 0)}  peer=10.20.30.${(r() * 250) | 0}:443`,
    '  cli SSL session PSE "/usr/sap/S4D/D20/sec/SAPSSLA.pse"',
    `<<- SapSSLSessionStartNB(sssl_hdl=${hdl})==SAP_O_K`,
  ];
}

/** Failure blocks of several shapes (fixtures' facts §7 A–D, SNC I), as arrays of lines without prefix. */
const FAILURES = [
  (r) => [
    '->> SapSSLSessionInit(&sssl_hdl, role=1 (CLIENT), auth_type=1 (USE_CLIENT_CERT))',
    'Peer not trusted',
    'Certificate:',
    ' Certificate:',
    '  Subject:                CN=api.partner.example, O=Partner AG, L=Walldorf, SP=BW, C=DE',
    '  Issuer:                 CN=Partner Issuing CA 1, O=Partner AG, C=DE',
    '  Serial Number:          05:1C:9E:2A:33:7D:10:5B',
    ' Verification result:',
    '  Status:                 Not successful',
    '   SignerCert:',
    '    Certificate:',
    '     Subject:  CN=Partner Issuing CA 1, O=Partner AG, C=DE',
    '     Issuer:   CN=Partner Root CA, O=Partner AG, C=DE',
    '     Serial Number: 0C:79:A9:44:B0:8C:11:95',
    '    Verification result:',
    '      Status:                 Not successful',
    '<< ---------- End of Secu-SSL Errorstack ----------',
    '  Target Hostname="api.partner.example"',
    `  SSL NI-hdl ${(r() * 900) | 0}: local=10.9.50.4:${40000 + ((r() * 20000) | 0)}  peer=203.0.113.7:443`,
    '  cli SSL session PSE "/usr/sap/S4D/D20/sec/SAPSSLC.pse"',
    `<<- ERROR: SapSSLSessionStartNB(sssl_hdl=7fc4${((r() * 0xffffff) >>> 0).toString(16)})==SSSLERR_PEER_CERT_UNTRUSTED`,
    '*** ERROR => SSL handshake with api.partner.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
    "Peer's X.509 certificate (chain) validation failed (missing trust?)",
  ],
  (r) => [
    '->> SapSSLSessionInit(&sssl_hdl, role=1 (CLIENT), auth_type=1 (USE_CLIENT_CERT))',
    `  SSL NI-hdl ${(r() * 900) | 0}: local=10.9.50.4:${40000 + ((r() * 20000) | 0)}  peer=140.82.121.3:443`,
    '  cli SSL session PSE "/usr/sap/S4D/D20/sec/SAPSSLA.pse"',
    '  SSL_CTX ciphersuites=150:PFS:HIGH::EC_P256:EC_HIGH',
    '  Client SSL_CTX 7fa31407ac00 pvflags=896 (TLSv1.2,TLSv1.1,TLSv1.0)',
    '  SSL::SiRecv() failed   rc==SSSLRC_CONN_CLOSED',
    '  SSL:SSL_get_state()==0x2120 "TLS read server hello A"',
    '*** ERROR => SecuSSL_SessionStartNB(): incomplete SSL handshake [ssslsecu.c   4955]',
    '*** ERROR => SSL handshake with github.com:443 failed: SSSLRC_CONN_CLOSED (-10)',
    'Remote Peer has closed the network connection',
    '',
    'SapSSLSessionStartNB()==SSSLRC_CONN_CLOSED',
  ],
  (r) => [
    '->> SapSSLSessionInit(&sssl_hdl, role=1 (CLIENT), auth_type=0 (NO_CLIENT_CERT))',
    '  Target Hostname="files.example.org"',
    `  SSL NI-hdl ${(r() * 900) | 0}: local=10.9.50.4:${40000 + ((r() * 20000) | 0)}  peer=198.51.100.20:443`,
    `<<- ERROR: SapSSLSessionStartNB(sssl_hdl=7f71${((r() * 0xffffff) >>> 0).toString(16)})==SSSLERR_SERVER_CERT_MISMATCH`,
    '*** ERROR => SSL handshake with files.example.org:443 failed: SSSLERR_SERVER_CERT_MISMATCH (-30)',
    'Server certificate does not match supplied TargetHostname (rfc2818 section 3.1)',
    '',
    'SapSSLSessionStartNB()==SSSLERR_SERVER_CERT_MISMATCH',
    '  TargetHostname     = "files.example.org"',
    '  ServerCert.subject = CN=*.cdn.example.net, O=CDN Inc, C=US',
  ],
  () => [
    '->> SapSSLSessionInit(&sssl_hdl, role=2 (SERVER), auth_type=1 (ASK_CLIENT_CERT))',
    '  SSL_get_state()==0x11c0 "TLS read finished A"',
    '*** ERROR during secussl_read() from SSL_read()==SSL_ERROR_SSL',
    '  srv SSL session PSE "/usr/sap/S4D/D20/sec/SAPSSLS.pse"',
    '  session ciphersuites=135:PFS:HIGH::EC_P256:EC_HIGH',
    '  Server SSL_CTX 7f6e640688d0 pvflags=897 (TLSv1.2,TLSv1.1,TLSv1.0,BC)',
    'secussl_read: SSL_read() failed  (536875078/0x20001046)',
    '   => "received a fatal TLS certificate unknown alert message from the peer"',
  ],
  () => [
    "*** ERROR => SncPEstablishContext() failed for target='p:CN=BW5' [sncxxall.c 3638]",
    '*** ERROR => SncPEstablishContext()==SNCERR_GSSAPI [sncxxall.c 3604]',
    'GSS-API(maj): No credentials were supplied',
    'Unable to establish the security context',
    'target="p:CN=BW5"',
  ],
];

/** Noise lines that carry the word ERROR but are no TLS failure (real traces have them). */
const BENIGN_ERRORS = [
  (r) =>
    `*** ERROR => NiIRead: SiRecv failed for hdl ${(r() * 900) | 0}/sock ${(r() * 900) | 0} (SI_ECONN_BROKEN/104; I4; ST; 10.20.30.40:51234) [nixxi.cpp 5226]`,
  () => `*** ERROR => IcmHandleNetRead: connection closed by peer (rc=-6) [icxxconn_mt.c 2540]`,
];

/**
 * Write about `bytes` bytes of dev_icm to `path`. One failure block per `failureEvery` bytes (default
 * 4 MiB), one benign ERROR line per ~`benignEvery` bytes (default 64 KiB). Resolves to what was written.
 */
export async function generateDevIcm(
  path,
  bytes,
  { seed = 42, failureEvery = 4 * 1024 * 1024, benignEvery = 65536 } = {},
) {
  const r = rng(seed);
  const out = createWriteStream(path, { highWaterMark: 1 << 22 });
  let written = 0;
  let failures = 0;
  let nextFailure = failureEvery * (0.5 + r());
  let nextBenign = benignEvery * (0.5 + r());
  let second = 0;
  const header = [
    '---------------------------------------------------',
    'trc file: "dev_icm", trc level: 2, release: "785"',
    '---------------------------------------------------',
    'sid        S4D',
    '',
  ].join('\n');
  out.write(`${header}\n`);
  written += header.length + 1;
  while (written < bytes) {
    let chunk = '';
    // Whole lines up to the size asked (the last may pass it by one line), in pieces of at most 4 MiB.
    while (chunk.length < Math.min(1 << 22, bytes - written)) {
      const thr = THREADS[(r() * THREADS.length) | 0];
      const p = `[Thr ${thr}] `;
      if (r() < 0.05) {
        second++;
        const s = second % 60;
        const m = ((second / 60) | 0) % 60;
        const h = ((second / 3600) | 0) % 24;
        chunk += `${p}${DAYS[((second / 86400) | 0) % 5]} May 24 ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}:${String((r() * 999) | 0).padStart(3, '0')} 2022\n`;
      }
      if (written + chunk.length >= nextFailure) {
        const block = FAILURES[failures % FAILURES.length](r);
        for (const line of block) chunk += `${p}${line}\n`;
        failures++;
        nextFailure += failureEvery * (0.5 + r());
      } else if (written + chunk.length >= nextBenign) {
        chunk += `${p}${BENIGN_ERRORS[(r() * BENIGN_ERRORS.length) | 0](r)}\n`;
        nextBenign += benignEvery * (0.5 + r());
      } else if (r() < 0.02) {
        for (const line of successfulSession(r)) chunk += `${p}${line}\n`;
      } else {
        chunk += `${p}${NOISE[(r() * NOISE.length) | 0](r)}\n`;
      }
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((res) => out.once('drain', res));
  }
  await new Promise((res, rej) => out.end((err) => (err ? rej(err) : res())));
  return { bytes: written, failures };
}
