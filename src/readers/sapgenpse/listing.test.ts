/**
 * @module sapgenpse listings: the real fixtures (trace-017/018/027) against their JSON expectations, the
 * self-written `maintain_pk -l` samples matched to STRUST nodes and checked against the real root CAs, and
 * tolerance of the spellings that vary (padding, quotes, secrets on command lines, several outputs).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixturePath, fixturesOrSkip, readJson } from '../../../test/helpers/fixtures.js';
import type { EvidenceEvent, SapgenpseEvent, TrustListEvent } from '../../model/evidence.js';
import { findRoot } from '../../pki/root-store.js';
import { bytesSource } from '../source.js';
import { maskSecrets, parseListingTime, parseSapgenpseListing, pseFromInputName } from './listing.js';
import { readSapgenpseListing, sniffSapgenpse } from './reader.js';

const SAMPLES = fileURLToPath(new URL('./samples/', import.meta.url));
const sample = (name: string) => readFileSync(join(SAMPLES, name), 'utf8');

function only<K extends EvidenceEvent['kind']>(
  events: EvidenceEvent[],
  kind: K,
): Extract<EvidenceEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<EvidenceEvent, { kind: K }> => e.kind === kind);
}

/** ISO time from the `YYMMDDhhmmssZ` the fixture JSON gives. */
function isoOfUtcTime(utc: string): string {
  const y = Number(utc.slice(0, 2));
  return `${y < 50 ? 2000 + y : 1900 + y}-${utc.slice(2, 4)}-${utc.slice(4, 6)}T${utc.slice(6, 8)}:${utc.slice(8, 10)}:${utc.slice(10, 12)}.000Z`;
}

interface FixtureEvent {
  type: string;
  command?: string;
  message?: string;
  reason?: string;
  user?: string;
  sso_user?: string;
  pse_file?: string;
  pse_basename?: string;
  own_certificate?: { not_before_utc: string; not_after_utc: string };
  request_file?: string;
  request_subject?: string;
  key_type?: string;
  key_size?: number;
  signature_algorithm?: string;
}

describe('real sapgenpse output from the fixtures', fixturesOrSkip(), () => {
  const read = (id: string) => ({
    text: readFileSync(fixturePath('real', 'traces', `${id}.txt`), 'utf8'),
    expected: readJson<{ events: FixtureEvent[]; expected_negative?: string }>(
      fixturePath('real', 'traces', `${id}.json`),
    ),
  });

  test('trace-017: get_my_name with validity only — the UTCTime wins over the local ctime', () => {
    const { text, expected } = read('trace-017');
    const want = expected.events[0]!;
    const parsed = parseSapgenpseListing(text, { input: 0, name: 'trace-017.txt' });
    const [ev] = only(parsed.events, 'sapgenpse');
    assert.equal(parsed.events.length, 1);
    assert.equal(ev!.command, 'get_my_name');
    assert.equal(ev!.ssoUser, want.sso_user);
    assert.equal(ev!.pseFile, want.pse_file);
    assert.equal(ev!.pseNode?.basename, want.pse_basename);
    // The printed local time is 11:21:33; the UTCTime says 10:21:33Z.
    assert.equal(ev!.own?.notBefore, isoOfUtcTime(want.own_certificate!.not_before_utc));
    assert.equal(ev!.own?.notAfter, isoOfUtcTime(want.own_certificate!.not_after_utc));
    assert.equal(ev!.own?.subject, '', 'no subject is printed, none is invented');
    assert.deepEqual(parsed.unrecognized, []);
  });

  test('trace-018: three sapgenpse/seclogin errors, each with its command, user and PSE', () => {
    const { text, expected } = read('trace-018');
    const events = only(parseSapgenpseListing(text, { input: 0 }).events, 'sapgenpse');
    assert.equal(events.length, expected.events.length);
    expected.events.forEach((want, i) => {
      const ev = events[i]!;
      assert.equal(ev.command, want.command);
      assert.equal(ev.error?.message, want.message);
      assert.equal(ev.error?.reason, want.reason);
      assert.equal(ev.ssoUser, want.user);
      assert.equal(ev.pseFile, want.pse_file);
      assert.equal(ev.own, undefined);
    });
  });

  test('trace-027: a get_pse certificate request (curly quotes) is a request, never an own certificate', () => {
    const { text, expected } = read('trace-027');
    assert.ok(expected.expected_negative);
    const want = expected.events[0]!;
    const parsed = parseSapgenpseListing(text, { input: 0 });
    assert.equal(only(parsed.events, 'trust-list').length, 0);
    const [ev] = only(parsed.events, 'sapgenpse');
    assert.equal(parsed.events.length, 1);
    assert.equal(ev!.own, undefined);
    assert.equal(ev!.error, undefined);
    assert.equal(ev!.command, 'get_pse');
    assert.equal(ev!.pseFile, want.pse_file);
    assert.deepEqual(ev!.request, {
      subject: want.request_subject,
      file: want.request_file,
      keyType: want.key_type,
      keySize: want.key_size,
      signatureAlgorithm: want.signature_algorithm,
    });
    assert.deepEqual(parsed.unrecognized, []);
  });
});

describe('self-written maintain_pk -l samples (see samples/README.md)', () => {
  const list = (
    name: string,
    input = 0,
  ): { event: TrustListEvent; parsed: ReturnType<typeof parseSapgenpseListing> } => {
    const parsed = parseSapgenpseListing(sample(name), { input, name });
    const events = only(parsed.events, 'trust-list');
    assert.equal(events.length, 1, name);
    return { event: events[0]!, parsed };
  };

  test('padded labels with Element markers: 3 roots of SAPSSLA.pse → SSL client Anonymous', () => {
    const { event, parsed } = list('maintain-pk-padded.txt');
    assert.equal(event.list.storeKind, 'sap-pse');
    assert.equal(event.list.file, '/usr/sap/ABC/DVEBMGS00/sec/SAPSSLA.pse');
    assert.equal(event.list.node, 'SSL client Anonymous');
    assert.equal(event.list.application, 'ANONYM');
    assert.equal(event.list.certificates.length, 3);
    assert.deepEqual(parsed.unrecognized, []);
    for (const cert of event.list.certificates) {
      const real = findRoot({ dn: cert.subject });
      assert.ok(real, `${cert.subject} is a bundled root`);
      assert.equal(cert.serial, real.serial);
      assert.equal(cert.notBefore, real.notBefore);
      assert.equal(cert.notAfter, real.notAfter);
      assert.equal(cert.sha1, real.sha1);
      assert.equal(cert.key?.size, real.key?.size);
    }
  });

  test('unpadded labels on a Windows command line: SAPSSLC.pse from -p, the PIN after -x masked', () => {
    const { event, parsed } = list('maintain-pk-unpadded.txt');
    assert.equal(event.list.node, 'SSL client Standard');
    assert.equal(event.list.basename, 'SAPSSLC.pse');
    assert.equal(event.list.certificates.length, 2);
    for (const cert of event.list.certificates) {
      const real = findRoot({ sha256: cert.sha256! });
      assert.ok(real, 'the SHA-256 fingerprint identifies the bundled root');
      assert.equal(cert.subject, real.subject);
      // The sample prints the DER sign byte (00:82:…); serials still compare.
      assert.equal(cert.serial, real.serial);
    }
    const command = Object.values(parsed.lines).find((l) => l.includes('maintain_pk'));
    assert.ok(command?.includes('-x ****'));
    assert.ok(!JSON.stringify(parsed).includes('Secret123'), 'the PIN is never kept');
  });

  test('a single-element PKList without Element marker; the PSE comes from the file name', () => {
    const { event, parsed } = list('maintain-pk-single-sapssls.txt');
    assert.equal(event.list.certificates.length, 1);
    assert.equal(
      event.list.certificates[0]!.subject,
      'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US',
    );
    assert.equal(event.list.node, 'SSL server Standard');
    assert.ok(parsed.warnings.some((w) => /taken from the file name/.test(w)));
  });

  test('get_my_name -v: own certificate, FCPath and PKRoot of SAPSSLS.pse', () => {
    const parsed = parseSapgenpseListing(sample('get-my-name-v.txt'), { input: 3 });
    const [ev] = only(parsed.events, 'sapgenpse') as SapgenpseEvent[];
    assert.equal(ev!.pseNode?.node, 'SSL server Standard');
    assert.equal(
      ev!.own?.subject,
      'CN=abc.example.com, OU=I0020123456, OU=SAP Web AS, O=SAP Trust Community, C=DE',
    );
    assert.equal(ev!.own?.notAfter, '2026-01-07T09:15:00.000Z');
    assert.deepEqual(
      ev!.chain?.map((c) => c.subject),
      ['CN=Example Issuing CA 1, O=Example Corp, C=DE', 'CN=Example Root CA, O=Example Corp, C=DE'],
    );
    assert.equal(ev!.chain?.[1]?.selfSigned, true);
    assert.equal(ev!.source.input, 3);
    assert.ok(ev!.source.keyLines?.includes(6), 'the Subject line is a key line');
  });
});

describe('tolerance', () => {
  test('sapgenpse that cannot load its crypto library is a library failure, not a missing PSE', () => {
    const text =
      'sapgenpse: error while loading shared libraries: libsapcrypto.so: cannot open shared object file: No such file or directory\n';
    const events = parseSapgenpseListing(text, { input: 0 }).events;
    assert.deepEqual(only(events, 'sapgenpse'), []);
    const [lib] = only(events, 'lib-load-failure');
    assert.equal(lib?.library, 'libsapcrypto.so');
    assert.equal(lib?.osError?.text, 'cannot open shared object file: No such file or directory');
  });

  test('several outputs pasted one after another become separate events', () => {
    const text = `${sample('maintain-pk-padded.txt')}\n${sample('maintain-pk-unpadded.txt')}\n${sample('get-my-name-v.txt')}`;
    const events = parseSapgenpseListing(text, { input: 0 }).events;
    assert.deepEqual(
      only(events, 'trust-list').map((e) => [e.list.basename, e.list.certificates.length]),
      [
        ['SAPSSLA.pse', 3],
        ['SAPSSLC.pse', 2],
      ],
    );
    assert.equal(only(events, 'sapgenpse')[0]?.own?.subject.startsWith('CN=abc.example.com'), true);
  });

  test('label variants: SubjectName/Subject, Serialno/SerialNumber, curly quotes around paths', () => {
    const text = [
      'Opening PSE “/usr/sap/XYZ/D01/sec/SAPSSLC.pse”...',
      'PKList:',
      ' Subject        : CN=One CA, O=Example, C=DE',
      ' Serialno       : 0A:0B',
      ' Validity - NotBefore: Mon Jan  1 00:00:00 2024 (240101000000Z)',
      '             NotAfter:  Tue Jan  1 00:00:00 2030 (300101000000Z)',
      ' SubjectName    : CN=Two CA, O=Example, C=DE',
      ' SerialNumber   : 0C',
    ].join('\n');
    const [ev] = only(parseSapgenpseListing(text, { input: 0 }).events, 'trust-list');
    assert.equal(ev!.list.node, 'SSL client Standard');
    assert.deepEqual(
      ev!.list.certificates.map((c) => [c.subject, c.serial]),
      [
        ['CN=One CA, O=Example, C=DE', '0A:0B'],
        ['CN=Two CA, O=Example, C=DE', '0C'],
      ],
    );
  });

  test('wrong PIN and PIN required are errors; a listing without a PSE name says so', () => {
    const events = only(
      parseSapgenpseListing(
        'sapgenpse: PIN required\nmaintain_pk: Couldn\'t open PSE "SAPSSLA.pse" (Wrong PIN/Passphrase)',
        { input: 0 },
      ).events,
      'sapgenpse',
    );
    assert.deepEqual(
      events.map((e) => [e.command, e.error?.reason, e.pseNode?.node]),
      [
        ['sapgenpse', 'PIN required', undefined],
        ['maintain_pk', 'Wrong PIN/Passphrase', 'SSL client Anonymous'],
      ],
    );
    const anonymous = parseSapgenpseListing('PKList:\n Version: 2\n SubjectName: CN=X\n', {
      input: 0,
      name: 'paste.txt',
    });
    assert.equal(only(anonymous.events, 'trust-list')[0]?.list.node, undefined);
    assert.ok(anonymous.warnings.some((w) => /does not say which PSE/.test(w)));
  });

  test('times: UTCTime first, ctime only as a fallback (flagged as local)', () => {
    assert.deepEqual(parseListingTime('Wed Mar 30 11:21:33 2016 (160330102133Z)'), {
      iso: '2016-03-30T10:21:33.000Z',
    });
    assert.deepEqual(parseListingTime('Wed Mar 30 11:21:33 2016'), {
      iso: '2016-03-30T11:21:33.000Z',
      fromLocal: true,
    });
    assert.deepEqual(parseListingTime('(20500101000000Z)'), { iso: '2050-01-01T00:00:00.000Z' });
    assert.deepEqual(parseListingTime('garbage'), {});
  });

  test('input names map to PSEs only when they clearly name one', () => {
    assert.equal(pseFromInputName('sslc_list.txt')?.basename, 'SAPSSLC.pse');
    assert.equal(pseFromInputName('/tmp/SAPSSLA-maintain_pk.txt')?.node, 'SSL client Anonymous');
    assert.equal(pseFromInputName('listing.txt'), undefined);
    assert.equal(pseFromInputName('sap_trace.txt'), undefined);
  });

  test('secrets on command lines are masked', () => {
    assert.equal(
      maskSecrets('sapgenpse maintain_pk -p X.pse -x "my pin" -l'),
      'sapgenpse maintain_pk -p X.pse -x **** -l',
    );
    assert.equal(
      maskSecrets('sapgenpse export_p12 -z s3cret out.p12'),
      'sapgenpse export_p12 -z **** out.p12',
    );
  });

  test('hostile lines: a 1 MB line and 100 000 colon lines are counted, fast and linear', () => {
    const long = `${'Subject :'.padEnd(1_000_000, 'A')}\n`;
    const many = `${'x: '.repeat(2)}\n`.repeat(100_000);
    const parsed = parseSapgenpseListing(`PKList:\n${long}${many}`, { input: 0 });
    assert.ok(parsed.unrecognized.length >= 100_000);
  });
});

describe('the reader', () => {
  test('sniffs listings and leaves traces to the trace reader', () => {
    assert.ok(sniffSapgenpse(sample('maintain-pk-padded.txt')) >= 0.9);
    assert.ok(sniffSapgenpse(sample('maintain-pk-unpadded.txt')) >= 0.85);
    assert.equal(
      sniffSapgenpse(
        '[Thr 140] *** ERROR => SSL handshake with x:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
      ),
      0,
    );
    assert.equal(sniffSapgenpse('just some text'), 0);
  });

  test('every line only sapgenpse prints is found in any letter case, short text or long (the word guard)', () => {
    const lines = [
      'Opening PSE "/usr/sap/ABC/SYS/sec/SAPSSLC.pse"...',
      ' SSO for USER "abcadm"',
      'MY Certificate:',
      'FCPath certificate level 1',
      'PKRoot Certificate :',
      'PKList:',
      '  Element #1 :',
      'get_my_name: unable to open PSE',
      'maintain_pk : PSE not found',
      'seclogin : no credentials',
      'get_pse : wrong PIN',
      'sapgenpse : usage',
    ];
    const filler = `${'noise line without the words\n'.repeat(200)}`; // longer than the guard's limit
    for (const line of lines) {
      for (const shape of [line, line.toLowerCase(), line.toUpperCase()]) {
        assert.equal(sniffSapgenpse(`some text\n${shape}\n`), 0.9, shape);
        assert.equal(sniffSapgenpse(`${filler}${shape}\n`), 0.9, `long text: ${shape}`);
        // Quoted in a trace, it is still the trace reader's, at either prefix of a SapSSL code.
        assert.equal(sniffSapgenpse(`${shape}\nfailed: SSSLERR_PEER_CERT_UNTRUSTED`), 0.1, shape);
        assert.equal(sniffSapgenpse(`${shape}\nfailed: SSSLRC_CONN_CLOSED`), 0.1, shape);
      }
    }
    // The words alone, not at a line's start as sapgenpse prints them: no listing.
    assert.equal(sniffSapgenpse('the certificate of the PSE element is on the pklist'), 0);
    assert.equal(sniffSapgenpse('SSSLRC_CONN_CLOSED'), 0);
  });

  test('reads a listing input into a summary and events', async () => {
    const out = await readSapgenpseListing(
      bytesSource('sslc_list.txt', Buffer.from(sample('maintain-pk-padded.txt'))),
      { input: 2 },
    );
    assert.equal(out.summary.format, 'sapgenpse-listing');
    assert.equal(out.summary.unrecognizedLines, 0);
    assert.equal(out.events[0]?.kind, 'trust-list');
    assert.equal(out.events[0]?.source.input, 2);
  });
});
