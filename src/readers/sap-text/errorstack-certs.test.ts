/** @module Certificates named inside an old SECUDE errorstack (no chain dump): read, ordered, never invented. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixturesOrSkip, listFixtures } from '../../../test/helpers/fixtures.js';
import type { SslFailureEvent } from '../../model/evidence.js';
import { bytesSource } from '../source.js';
import { ErrorstackCerts } from './errorstack-certs.js';
import { readSapText } from './reader.js';

const GUIDE = fileURLToPath(
  new URL('../../../test/self-written/secude-peer-untrusted-sapsslc.txt', import.meta.url),
);
const PEER = 'CN=erp.example.test, OU=SAP AS, O=SAP CA, C=DE';
const ISSUER = 'CN=SAP CA, O=SAP CA, C=DE';

async function sslFailures(text: string | Buffer): Promise<SslFailureEvent[]> {
  const out = await readSapText(bytesSource('dev_icm', Buffer.from(text)), { input: 0 });
  return out.events.filter((e): e is SslFailureEvent => e.kind === 'ssl-failure');
}

/** An old SECUDE client trace around the given errorstack lines. */
function secudeTrace(stack: string[]): string {
  return [
    '[Thr 6] *** ERROR during SecudeSSL_SessionStart() from SSL_connect()==SSL_ERROR_SSL',
    '[Thr 6]     session uses PSE file "/usr/sap/SID/HOST/sec/SAPSSLC.pse"',
    '[Thr 6] >> ---------- Begin of Secude-SSL Errorstack ---------- >>',
    ...stack.map((l) => `[Thr 6] ${l}`),
    '[Thr 6] << ---------- End of Secude-SSL Errorstack ----------',
    '[Thr 6] *** ERROR => IcmConnInitClientSSL: SapSSLSessionStart failed (-102): SSSLERR_PEER_CERT_UNTRUSTED',
    '',
  ].join('\n');
}

describe('sap-text: certificates named in an old SECUDE errorstack', () => {
  test('the guide example gives the peer certificate with its issuer, leaf first, with its lines', async () => {
    const [ev] = await sslFailures(readFileSync(GUIDE));
    assert.ok(ev);
    assert.deepEqual(
      ev.certificates?.map((c) => ({ depth: c.depth, subject: c.subject, issuer: c.issuer })),
      [{ depth: 0, subject: PEER, issuer: ISSUER }],
    );
    assert.equal(ev.certificates?.[0]?.line, 9, 'the first line naming it');
    for (const no of [9, 10, 11, 12]) assert.ok(ev.source.keyLines?.includes(no), `line ${no} is evidence`);
    // The errorstack text is kept as before.
    assert.match(ev.errorstack?.[0]?.text ?? '', /Can't get the issuer certificate/);
  });

  test('inside a large trace the prefilter finds the same certificates as a full read', async () => {
    const noise = (n: number) =>
      Array.from({ length: n }, (_, i) => `[Thr 7] IcmHandleNetRead: read ${i} bytes from conn ${i}\n`).join(
        '',
      );
    const text = Buffer.from(`${noise(5000)}${readFileSync(GUIDE, 'utf8')}${noise(5000)}`);
    const certsOf = async (opts: { noPrefilter?: boolean; fullReadBytes?: number }) => {
      const out = await readSapText(bytesSource('dev_icm', text), { input: 0 }, opts);
      return out.events.flatMap((e) => (e.kind === 'ssl-failure' ? (e.certificates ?? []) : []));
    };
    const full = await certsOf({ noPrefilter: true });
    assert.equal(full[0]?.issuer, ISSUER);
    assert.deepEqual(await certsOf({ fullReadBytes: 0 }), full);
  });

  test('label and spacing variants: Subject Name / ISSUER DN, tabs, no blank, quotes, brackets', async () => {
    const [ev] = await sslFailures(
      secudeTrace([
        'ERROR in af_verify_Certificates: (524296/0x00080008) Verification of the certificate chain failed:CN=a.example, O=Org, C=DE',
        '  Subject Name :\t"CN=a.example, O=Org, C=DE"',
        '  ISSUER DN:<CN=Org CA, O=Org, C=DE>',
      ]),
    );
    assert.deepEqual(
      ev?.certificates?.map((c) => [c.depth, c.subject, c.issuer]),
      [[0, 'CN=a.example, O=Org, C=DE', 'CN=Org CA, O=Org, C=DE']],
    );
  });

  test('a chain named top-down is ordered leaf first by its issuer links', async () => {
    const [ev] = await sslFailures(
      secudeTrace([
        "ERROR in get_issuer_certificate: (524297/0x00080009) Can't get the issuer certificate of the certificate : CN=Int CA, O=Org, C=DE",
        '  Subject: CN=Int CA, O=Org, C=DE',
        '  Issuer:  CN=Root CA, O=Org, C=DE',
        'ERROR in af_verify_Certificates: (524296/0x00080008) Verification of the certificate chain failed : CN=host.example, O=Org, C=DE',
        '  Subject: CN=host.example, O=Org, C=DE',
        '  Issuer:  CN=Int CA, O=Org, C=DE',
      ]),
    );
    assert.deepEqual(
      ev?.certificates?.map((c) => [c.depth, c.subject]),
      [
        [0, 'CN=host.example, O=Org, C=DE'],
        [1, 'CN=Int CA, O=Org, C=DE'],
      ],
    );
  });

  test('an Issuer line before its Subject line fills one certificate', () => {
    const certs = new ErrorstackCerts();
    certs.feed('  Issuer: CN=Org CA, O=Org', 1);
    certs.feed('  Subject: CN=leaf, O=Org', 2);
    assert.deepEqual(
      certs.certificates().map((c) => [c.depth, c.subject, c.issuer]),
      [[0, 'CN=leaf, O=Org', 'CN=Org CA, O=Org']],
    );
  });

  test('no invention: paths, return codes, own-PSE words and prose after a colon are no certificates', async () => {
    const evs = await sslFailures(
      secudeTrace([
        'ERROR in ssl3_get_server_certificate: (536875120/0x20001070) peer certificate (chain) is not trusted',
        'ERROR in af_open: (1/0x1) Cannot open PSE : /usr/sap/SID/HOST/sec/SAPSSLC.pse',
        'ERROR in af_verify_Certificates: (524296/0x00080008) Verification of the certificate chain failed : rc=5',
        'ERROR in sec_login: (2/0x2) PSE owner : CN=SID, OU=I0000000000, O=SAP',
        'Certificate chain validation failed: missing certificate of CN=Some CA',
        'Subject: (none)',
        'Issuer:',
      ]),
    );
    assert.equal(evs.length, 1);
    assert.equal(evs[0]?.certificates, undefined);
  });

  test('hostile errorstack lines finish and keep at most a handful of certificates', async () => {
    const stack = [
      `ERROR in x: certificate ${': '.repeat(30_000)}`,
      `certificate chain ${':CN='.repeat(15_000)}`,
      `Subject: ${'CN=a, '.repeat(10_000)}`,
      ...Array.from({ length: 2000 }, (_, i) => `Subject: CN=c${i}\nIssuer: CN=c${i + 1}`),
    ];
    const [ev] = await sslFailures(secudeTrace(stack));
    assert.ok(ev);
    assert.ok((ev.certificates?.length ?? 0) <= 8, 'capped');
  });

  test(
    'the real fixtures: no errorstack line becomes a certificate (only chain dumps and PEMs do)',
    fixturesOrSkip(),
    async () => {
      for (const file of [...listFixtures('real/traces', '.txt'), ...listFixtures('real/cases', '.txt')]) {
        const text = readFileSync(file);
        const evs = await sslFailures(text);
        const lines = text.toString('latin1').split(/\r?\n|\r/);
        for (const ev of evs) {
          for (const c of ev.certificates ?? []) {
            const at = lines[(c.line ?? 0) - 1] ?? '';
            assert.ok(
              /^\W*(?:\[Thr [^\]]+\]\s*)?\s*(?:Subject|Issuer|Serial|-----BEGIN)/i.test(at) &&
                !/Errorstack/.test(at),
              `${file}: certificate "${c.subject}" comes from line ${c.line}: ${at}`,
            );
          }
          // Errorstack entries hold no DN-bearing line that was turned into a certificate.
          const stackLines = new Set((ev.errorstack ?? []).map((e) => e.line));
          for (const c of ev.certificates ?? []) assert.ok(!stackLines.has(c.line), `${file}: ${c.subject}`);
        }
      }
    },
  );
});
