/** @module The SAP product an input names decides which stack a passed-on Java or browser text belongs to. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceEvent } from '../../model/evidence.js';
import { applyPlatform, namesAnyPlatform, PLATFORMS, PlatformSniffer } from './platform.js';

function sniff(lines: string[]): PlatformSniffer['platform'] {
  const s = new PlatformSniffer();
  for (const l of lines) s.see(l);
  return s.platform;
}

function message(stack: string): EvidenceEvent {
  return { kind: 'message', source: { input: 0, line: 1 }, entry: 'X', stack, text: 't', matched: 't' };
}

test('each product is named by the words its output carries', () => {
  assert.equal(sniff(['2024-03-12 #ERROR#com.sap.scc.jni#tunnel#  #x']), 'cloud-connector');
  assert.equal(sniff(['x', 'The MPL ID for the failed message is : AGX']), 'integration-suite');
  assert.equal(sniff(['Failure reason: "PKIX path building failed"']), 'btp');
  assert.equal(
    sniff(['GET https://bw4:44300/sap/bc/ina/service/v2/GetServerInfo net::ERR_CERT_AUTHORITY_INVALID']),
    'sac',
  );
  assert.equal(sniff(['javax.net.ssl.SSLHandshakeException: PKIX path building failed']), undefined);
  assert.equal(
    sniff(['[Thr 1] SSL handshake with x:443 failed: SSSLERR_CONN_CLOSED (-10)', 'CPIC-CALL']),
    undefined,
  );
});

test('only the stack a product passes on is replaced; a browser on the Cloud Connector UI stays a browser', () => {
  const java = message('java');
  const browser = message('browser');
  const hana = message('hana-client');
  applyPlatform([java, browser, hana], 'cloud-connector');
  assert.equal(java.kind === 'message' && java.stack, 'cloud-connector');
  assert.equal(browser.kind === 'message' && browser.stack, 'browser');
  assert.equal(hana.kind === 'message' && hana.stack, 'hana-client');
  const sac = message('browser');
  applyPlatform([sac], 'sac');
  assert.equal(sac.kind === 'message' && sac.stack, 'sac');
  const jtf: EvidenceEvent = {
    kind: 'java-tls-failure',
    source: { input: 0, line: 1 },
    message: 'PKIX path building failed',
    problem: 'pkix-path',
  };
  applyPlatform([jtf], 'integration-suite');
  assert.equal(jtf.kind === 'java-tls-failure' && jtf.product, 'Cloud Integration');
});

test('the Web Dispatcher, the Cloud Connector UI and the CPI Connectivity Tests name themselves', () => {
  assert.equal(sniff(['dev_webdisp:', '[Thr 1] SSL handshake with x:443 failed']), 'webdispatcher');
  assert.equal(sniff(['wdisp/system_0 = SID=S4H, MSHOST=s4h, SSL_ENCRYPT=2']), 'webdispatcher');
  // A back end's dev_icm that merely mentions the Web Dispatcher in front of it stays the ICM's.
  assert.equal(sniff(['dev_icm on the back end (forwarded by SAP Web Dispatcher)']), undefined);
  assert.equal(
    sniff(['Cloud To On-Premise > Access Control', 'Check Result: Not Reachable']),
    'cloud-connector',
  );
  assert.equal(sniff(['Monitor > Connectivity Tests > TLS']), 'integration-suite');
});

test('a product named after a long preamble is found on lines the model reads, not on kernel lines', () => {
  const s = new PlatformSniffer();
  for (let i = 0; i < 5000; i++) s.see(`preamble line ${i}`, true);
  // Past the head, a kernel trace line (not offered to the model) is not read for the product.
  s.see('[Thr 1] com.sap.scc in a kernel line', false);
  assert.equal(s.platform, undefined);
  s.see('2024-03-12 #ERROR#com.sap.scc.jni#tunnel#  #x', true);
  assert.equal(s.platform, 'cloud-connector');
});

test("the one test for any product agrees with the products' own tests, line by line", () => {
  // Combined under the i flag, each part keeps its meaning only if it uses no other flag.
  for (const [p, re] of PLATFORMS) assert.ok(['', 'i'].includes(re.flags), `${p}: ${re.flags}`);
  const lines = [
    'x',
    'The MPL ID for the failed message is : AGX',
    '2024-03-12 #ERROR#com.sap.scc.jni#tunnel#  #x',
    'Failure reason: "PKIX path building failed"',
    'SAP Analytics Cloud live connection failed',
    '[Thr 140339535062784] *** ERROR => SSL handshake with host:443 failed',
    'javax.net.ssl.SSLHandshakeException: PKIX path building failed',
    'SECURE LOGIN CLIENT: profile not found',
    'dev_webdisp: trace level 2',
    'IFLOW x',
    'cpi',
    'CPIX',
    'the cockpit says',
    'TrustAll=true',
    'wdisp/ssl_cred',
  ];
  // Words of every product's pattern, cut and recombined: hits, near misses, other cases.
  for (const [, re] of PLATFORMS)
    for (const word of re.source.split('|')) {
      const plain = word.replace(/\\b|\\|\(\?:|[()?]/g, '');
      lines.push(plain, `x ${plain.toUpperCase()} y`, `${plain.slice(0, -1)}`, `a${plain}b`);
    }
  for (const line of lines)
    assert.equal(
      namesAnyPlatform(line),
      PLATFORMS.some(([, re]) => re.test(line)),
      JSON.stringify(line),
    );
});
