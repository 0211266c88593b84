/**
 * @module PEM blocks pasted into a text report become one `certificates` event (pasted), and the
 * messages of the same input are judged with them: the chain's top CA is the one to import, expiry is
 * read from the certificate itself (then, and only then, certain), the leaf's names are compared with the
 * host called. Hostile blocks (garbage base64, huge, cut) give a note with their line, never a crash.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generateChain, TEST_NOW, type TestChain, VALIDITY } from '../../../test/pki/index.js';
import { analyze } from '../../analyze.js';
import type { CertificateFileEvent } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';

const paste = (text: string): Promise<Report> =>
  analyze([{ name: 'paste.txt', bytes: Buffer.from(text) }], { now: TEST_NOW });

const pastedEvent = (r: Report) =>
  r.events.find((e): e is CertificateFileEvent => e.kind === 'certificates' && e.pasted === true);

describe('PEM certificates pasted beside an error report', () => {
  let good: TestChain;
  let expired: TestChain;
  before(async () => {
    good = await generateChain({ leafHosts: ['s4hqas.corp.example'] });
    expired = await generateChain({ leafHosts: ['gwqas.corp.example'], leafValidity: VALIDITY.expired });
  });

  test('an expired certificate below a Node error proves the expiry: certain, the SAP server renews', async () => {
    const r = await paste(
      [
        'Error: certificate has expired',
        '    at TLSSocket.onConnectSecure (node:_tls_wrap:1674:34) {',
        "  code: 'CERT_HAS_EXPIRED'",
        '}',
        'the server sends:',
        expired.leaf.pem,
      ].join('\n'),
    );
    const ev = pastedEvent(r);
    assert.ok(ev, 'a pasted certificates event');
    assert.equal(ev.source.line, 6);
    assert.equal(ev.certificates[0]?.subject, expired.leaf.subject);
    const first = r.findings[0]!;
    assert.equal(first.cause, 'expired-peer-cert');
    assert.equal(first.confidence, 'certain');
    assert.equal(first.role, 'server');
    assert.match(first.summary, /expired on 2002-01-01/);
    assert.ok(
      first.evidence.some((l) => l.line === 6),
      'the PEM block is evidence',
    );
    // One finding for the expiry: the certificate rule leaves pasted certificates to the message.
    assert.equal(r.findings.filter((f) => f.cause === 'expired-peer-cert').length, 1);
  });

  test('the same error with a valid certificate stays a ranked hypothesis, not certain', async () => {
    const r = await paste(`Error: certificate has expired\n  code: 'CERT_HAS_EXPIRED'\n${good.leaf.pem}`);
    assert.equal(r.findings[0]?.cause, 'expired-peer-cert');
    assert.equal(r.findings[0]?.confidence, 'likely');
  });

  test('curl 60 with the chain below it: the CA to import is the issuer of the top certificate', async () => {
    const r = await paste(
      [
        'curl: (60) SSL certificate problem: unable to get local issuer certificate',
        'More details here: https://curl.se/docs/sslcerts.html',
        good.leaf.pem,
        good.intermediate.pem,
      ].join('\n'),
    );
    assert.equal(pastedEvent(r)?.certificates.length, 2);
    assert.equal(r.findings[0]?.cause, 'untrusted-root');
    const plan = r.findings.find((f) => f.import)?.import;
    assert.ok(plan, 'an import plan');
    assert.equal(plan.subject, good.root.subject);
  });

  test('a chain whose self-signed root is pasted: the plan carries that root with its fingerprint', async () => {
    const r = await paste(
      [
        "Error: self-signed certificate in certificate chain\n  code: 'SELF_SIGNED_CERT_IN_CHAIN'",
        good.leaf.pem,
        good.intermediate.pem,
        good.root.pem,
      ].join('\n'),
    );
    const plan = r.findings.find((f) => f.import)?.import;
    assert.equal(plan?.subject, good.root.subject);
    assert.equal(plan?.source, 'peer-chain');
    assert.equal(plan?.sha256, good.root.sha256);
  });

  test('a host the pasted certificate does not name puts the name mismatch first, with its names', async () => {
    const r = await paste(
      [
        "requests.exceptions.SSLError: HTTPSConnectionPool(host='fiori-new.corp.example', port=443): Max retries exceeded (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)')))",
        good.leaf.pem,
      ].join('\n'),
    );
    const mismatch = r.findings.find((f) => f.cause === 'hostname-mismatch');
    assert.ok(mismatch, `findings: ${r.findings.map((f) => f.cause).join(', ')}`);
    assert.match(mismatch.summary, /names s4hqas\.corp\.example, not fiori-new\.corp\.example/);
    assert.notEqual(r.findings[0], mismatch, 'the reported failure stays first');
  });

  test('a name mismatch message with the pasted certificate: the names it lacks are the reason', async () => {
    const r = await paste(
      [
        "requests.exceptions.SSLError: HTTPSConnectionPool(host='fiori-new.corp.example', port=443): Max retries exceeded (Caused by SSLError(SSLCertVerificationError(1, \"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'fiori-new.corp.example'. (_ssl.c:1006)\")))",
        good.leaf.pem,
      ].join('\n'),
    );
    assert.equal(r.findings[0]?.cause, 'hostname-mismatch');
    assert.equal(r.findings[0]?.confidence, 'likely');
    assert.match(r.findings[0]!.summary, /names s4hqas\.corp\.example, not fiori-new/);
  });

  test('hostile blocks: garbage, huge, elided and cut ones give notes with their line; the message is judged', async () => {
    const body = good.leaf.pem.split('\n').slice(1, -2);
    const r = await paste(
      [
        'curl: (60) SSL certificate problem: unable to get local issuer certificate',
        '-----BEGIN CERTIFICATE-----',
        'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        '-----END CERTIFICATE-----',
        '-----BEGIN CERTIFICATE-----',
        ...new Array(600).fill('QUFB'.repeat(16)),
        '-----END CERTIFICATE-----',
        '-----BEGIN CERTIFICATE-----',
        'MIIHKjCCBhKgAwIBAgIQC2R...',
        '-----END CERTIFICATE-----',
        '-----BEGIN CERTIFICATE-----',
        ...body.slice(0, 3),
      ].join('\n'),
    );
    assert.equal(pastedEvent(r), undefined);
    assert.equal(r.findings[0]?.cause, 'untrusted-root');
    const notes = r.inputs[0]!.warnings.join('\n');
    assert.match(notes, /block at line 2 could not be read/);
    assert.match(notes, /block at line 5 is longer than any certificate/);
    assert.match(notes, /block at line 607 is cut or elided at line 608/);
    assert.match(notes, /block at line 610 has no END line/);
  });
});
