/**
 * @module The small always-read head of kernel traces and the head gate: what a full read of the first
 * 64 KiB found is still found (failures, trace header and SSL initialisation, pasted messages of other
 * stacks), and message lines inside big inputs are recognised as before.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixturesOrSkip, REPO_ROOT, textFixtureFiles } from '../../../test/helpers/fixtures.js';
import type { EvidenceEvent, MessageEvent, TraceInfoEvent } from '../../model/evidence.js';
import { bytesSource } from '../source.js';
import { HeadGate } from './head-gate.js';
import { KERNEL_FAILURE_WORDS } from './markers.js';
import { readSapText, type SapTextReadOptions } from './reader.js';

const read = (text: string, opts: SapTextReadOptions = {}) =>
  readSapText(bytesSource('dev_icm', Buffer.from(text)), { input: 0 }, opts);
const messages = (events: EvidenceEvent[]) => events.filter((e): e is MessageEvent => e.kind === 'message');
const failures = (events: EvidenceEvent[]) => events.filter((e) => e.kind !== 'trace-info');

const JAVA =
  'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target';
const NODE = "Error: self-signed certificate in certificate chain { code: 'SELF_SIGNED_CERT_IN_CHAIN' }";

/** Routine kernel lines of five threads (no marker, nothing the model knows), about `bytes` long. */
function kernelNoise(bytes: number, seed = 1): string[] {
  const out: string[] = [];
  let n = 0;
  let x = seed;
  while (n < bytes) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const thr = 140339500000000 + (x % 5) * 8392704;
    const line =
      x % 3 === 0
        ? `[Thr ${thr}] IcmHandleNetRead(id=${x % 64}/${x % 99999}): read ${x % 16384} bytes`
        : x % 3 === 1
          ? `[Thr ${thr}] DpRqFree: freeing REQ_HANDLER_ICMAN_OPCODE_RESP request (rq_id ${x % 1000000}, slot ${x % 999})`
          : `[Thr ${thr}] MtxLock ICM_MTX_CONN 0 1 -> 2`;
    out.push(line);
    n += line.length + 1;
  }
  return out;
}

const HEADER = [
  '---------------------------------------------------',
  'trc file: "dev_icm", trc level: 2, release: "785"',
  '---------------------------------------------------',
  'sid        S4D',
  '',
];

const INIT = [
  '[Thr 140339535062784] = SSL Initialization    platform tag=(linuxx86_64_gcc10)',
  '[Thr 140339535062784] =   resulting Filename = "/usr/sap/S4D/D20/exe/libsapcrypto.so"',
  '[Thr 140339535062784] =   found CommonCryptoLib 8.5.48 (Aug 21 2023) [AES-NI,CLMUL,SSE3,SSSE3]',
  '[Thr 140339535062784] = [dpf] ssl/ciphersuites = 135:PFS:HIGH::EC_P256:EC_HIGH',
  '[Thr 140339535062784] = Success    SapCryptoLib SSL ready!',
  '[Thr 140339535062784] =================================================',
];

const FAILURE = [
  '[Thr 140339509884672] ->> SapSSLSessionInit(&sssl_hdl, role=1 (CLIENT), auth_type=0 (NO_CLIENT_CERT))',
  '[Thr 140339509884672]   Target Hostname="files.example.org"',
  '[Thr 140339509884672]   SSL NI-hdl 279: local=10.9.50.4:59898  peer=198.51.100.20:443',
  '[Thr 140339509884672] <<- ERROR: SapSSLSessionStartNB(sssl_hdl=7f711ba0ca)==SSSLERR_SERVER_CERT_MISMATCH',
  '[Thr 140339509884672] *** ERROR => SSL handshake with files.example.org:443 failed: SSSLERR_SERVER_CERT_MISMATCH (-30)',
  '[Thr 140339509884672] Server certificate does not match supplied TargetHostname (rfc2818 section 3.1)',
];

describe('kernel traces: small always-read head, head gate up to 64 KiB', () => {
  test('header, SSL initialisation and a failure past the first 16 KiB are read as in a full read', async () => {
    const text = [
      ...HEADER,
      ...kernelNoise(24_000),
      ...INIT,
      ...kernelNoise(20_000, 2),
      ...FAILURE,
      ...kernelNoise(20_000, 3),
    ].join('\n');
    const small = await read(text);
    const full = await read(text, { noPrefilter: true });
    assert.ok((small.summary.skippedLines ?? 0) > 500, 'routine lines past the head are skipped');
    const info = small.events.find((e): e is TraceInfoEvent => e.kind === 'trace-info');
    assert.equal(info?.traceFile, 'dev_icm');
    assert.equal(info?.cryptoLib?.file, '/usr/sap/S4D/D20/exe/libsapcrypto.so');
    assert.equal(info?.parameters?.['ssl/ciphersuites'], '135:PFS:HIGH::EC_P256:EC_HIGH');
    assert.deepEqual(small.events, full.events);
    assert.equal(failures(small.events).length, 1);
  });

  test('a pasted Java or Node message between kernel lines past the first 16 KiB is recognised as in a full read', async () => {
    for (const line of [JAVA, NODE]) {
      const text = [...HEADER, ...kernelNoise(24_000), line, ...kernelNoise(30_000, 2)].join('\n');
      const small = await read(text);
      const full = await read(text, { noPrefilter: true });
      assert.ok((small.summary.skippedLines ?? 0) > 300, 'routine lines past the head are skipped');
      const found = messages(small.events);
      assert.equal(found.length, 1, line);
      assert.deepEqual(small.events, full.events);
    }
  });
});

describe('how much of a kernel trace is read in full', () => {
  const TELLING = '[Thr 140339509884672] Failed to verify peer certificate. Peer not trusted.';

  test('a trace file: its first 4 KiB; an excerpt without the header: its first 16 KiB', async () => {
    const noise = kernelNoise(8_000);
    const file = await read([...HEADER, ...noise].join('\n'));
    const fileLines = HEADER.length + noise.length;
    const headLines = [...HEADER, ...noise].join('\n').slice(0, 4096).split('\n').length;
    assert.equal(file.summary.lines, fileLines);
    // The routine lines past the first 4 KiB are skipped (the line cut by the border is read whole).
    assert.equal(file.summary.skippedLines, fileLines - headLines);
    const excerpt = await read(noise.join('\n'));
    assert.equal(excerpt.summary.lines, noise.length);
    assert.equal(excerpt.summary.skippedLines, 0, 'an excerpt of 8 KB is read in full');
  });

  test("an excerpt's telling line without its ERROR line, past 4 KiB, is found as in a full read", async () => {
    const text = [...kernelNoise(8_000), TELLING, ...kernelNoise(2_000, 2)].join('\n');
    const small = await read(text);
    const full = await read(text, { noPrefilter: true });
    assert.equal(failures(small.events).length, 1);
    assert.deepEqual(small.events, full.events);
  });
});

describe('kernel failure lines without their ERROR line', () => {
  /** Every `[Thr …]` line of the recognition phrasings: the ways the kernel prints a failure. */
  const kernelPhrasings = readdirSync(join(REPO_ROOT, 'test', 'recognition'))
    .filter((n) => /^phrasings.*\.tsv$/.test(n))
    .flatMap((n) => readFileSync(join(REPO_ROOT, 'test', 'recognition', n), 'utf8').split('\n'))
    .map((l) => l.split('\t'))
    .filter((c) => c.length === 4 && c[3]!.startsWith('[Thr '))
    .map((c) => c[3]!);

  test('inside an excerpt, past its fully read 16 KiB and up to 64 KiB, each is read as on its own', async () => {
    assert.ok(kernelPhrasings.length >= 20, `${kernelPhrasings.length} kernel phrasings`);
    let failing = 0;
    for (const line of kernelPhrasings) {
      const alone = failures((await read(`${line}\n`)).events).length;
      if (alone === 0) continue;
      failing++;
      for (const before of [20_000, 50_000]) {
        const text = [...kernelNoise(before), line, ...kernelNoise(2_000, 2)].join('\n');
        const out = await read(text);
        assert.ok((out.summary.skippedLines ?? 0) > 0, 'the prefilter ran');
        assert.equal(failures(out.events).length, alone, `${line} after ${before} bytes`);
      }
    }
    assert.ok(failing >= 20, `${failing} phrasings give a failure on their own`);
  });
});

describe('message lines inside big inputs', () => {
  test('a Java or Node error after 2 MiB of log noise is recognised', async () => {
    const noise: string[] = [];
    let n = 0;
    for (let i = 0; n < 2 << 20; i++) {
      const line = `2026-12-01 10:00:${String(i % 60).padStart(2, '0')} INFO worker-${i % 7} request ${i} handled in ${i % 97} ms`;
      noise.push(line);
      n += line.length + 1;
    }
    for (const line of [JAVA, NODE]) {
      const out = await read([...noise, line, ...noise.slice(0, 100)].join('\n'));
      // All but the first 64 KiB (read in full) went through the prefilter.
      assert.ok(
        (out.summary.skippedLines ?? 0) > noise.length - 1500,
        'the noise went through the prefilter',
      );
      const found = messages(out.events);
      assert.equal(found.length, 1, line);
      assert.equal(found[0]!.source.line, noise.length + 1);
    }
  });
});

// ------------------------------------------------------------------------ the gate against its definition

/**
 * What `HeadGate.wants` is defined as: any line but a `[Thr ` line, and a `[Thr ` line naming an info
 * marker or, in an excerpt, a failure word.
 */
function wantedByDefinition(line: string, excerpt: boolean): boolean {
  return (
    !line.startsWith('[Thr ') ||
    line.includes('SSL Initialization') ||
    line.includes('TRACE FILE TRUNCATED') ||
    (excerpt && KERNEL_FAILURE_WORDS.some((w) => line.includes(w)))
  );
}

/**
 * Ask a fresh gate about every line of `text` in order, as the scanner does, up to the line that starts
 * at or past `zoneEnd` (default: the whole text); the lines it wants.
 */
function gateAnswers(text: string, excerpt: boolean, zoneEnd = Number.MAX_SAFE_INTEGER): boolean[] {
  const buf = Buffer.from(text, 'latin1');
  const gate = new HeadGate(excerpt);
  const out: boolean[] = [];
  let s = 0;
  while (s < buf.length && s < zoneEnd) {
    let e = buf.indexOf(0x0a, s);
    if (e < 0) e = buf.length;
    out.push(gate.wants(buf, s, e, zoneEnd));
    s = e + 1;
  }
  return out;
}

describe('head gate: anchored on the trace, answers as its definition', () => {
  test('every line of every kernel trace fixture and example', fixturesOrSkip(), () => {
    let kernel = 0;
    for (const f of textFixtureFiles()) {
      const text = readFileSync(f, 'latin1').replace(/\r/g, '');
      if (text.includes('[Thr ')) kernel++;
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      for (const excerpt of [false, true])
        assert.deepEqual(
          gateAnswers(text, excerpt),
          lines.map((l) => wantedByDefinition(l, excerpt)),
          `${f} (excerpt: ${excerpt})`,
        );
    }
    assert.ok(kernel >= 3, 'kernel traces among the fixtures');
  });

  test('random kernel noise with markers, near-misses and the anchor bytes in every position', () => {
    const pieces = [
      ...KERNEL_FAILURE_WORDS,
      'SSSL'.slice(1),
      'X.50',
      'fatal TL',
      'SSL Initialization',
      'TRACE FILE TRUNCATED',
      'SSL Initializatio',
      'SSL Initialisation',
      'TRACE FILE TRUNCATE',
      'RACE FILE TRUNCATED',
      'zati',
      'UNCA',
      'SSL ',
      'TRAC',
      'Initialization',
      'TRUNCATED',
      '= ',
      ' ',
      'x',
    ];
    let x = 7;
    const rnd = (n: number) => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      return x % n;
    };
    for (let round = 0; round < 40; round++) {
      const lines: string[] = [];
      // A head of routine lines first (the anchors are calibrated on the first bytes the gate sees).
      if (round % 2 === 0) lines.push(...kernelNoise(2048 + rnd(9000), round + 1));
      for (let i = 0; i < 300; i++) {
        let line = rnd(5) === 0 ? '' : `[Thr ${140339500000000 + rnd(5)}] `;
        const parts = rnd(4);
        for (let k = 0; k < parts; k++) line += pieces[rnd(pieces.length)]! + (rnd(2) ? '' : ' ');
        lines.push(line);
      }
      const text = `${lines.join('\n')}\n`;
      const excerpt = round % 4 < 2;
      const wanted = lines.map((l) => wantedByDefinition(l, excerpt));
      assert.deepEqual(gateAnswers(text, excerpt), wanted, `round ${round}`);
      // A zone ending anywhere, even inside a line (right after the start of a line the gate wants,
      // whose marker then lies past the zone's end): the lines asked get the same answers.
      const starts: number[] = [];
      for (let i = 0, at = 0; i < lines.length; at += lines[i]!.length + 1, i++) starts.push(at);
      const wantedAt = starts.filter((_, i) => lines[i]!.startsWith('[Thr ') && wanted[i]);
      for (const zoneEnd of [rnd(text.length), ...wantedAt.slice(0, 8).map((at) => at + 1)]) {
        const asked = gateAnswers(text, excerpt, zoneEnd);
        assert.deepEqual(asked, wanted.slice(0, asked.length), `round ${round}, zone ${zoneEnd}`);
      }
    }
  });
});
