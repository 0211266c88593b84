/**
 * @module The WebAssembly scan (wasm-scan.ts) answers exactly as the JavaScript paths it replaces: the
 * finder as MarkerSet.find plus a byte count, on random and adversarial chunks (markers at vector and
 * chunk edges, near misses, runs of line breaks, CR line breaks, long and one-byte markers); the gate as
 * QuietGate's JavaScript test, on every fixture line and on random and adversarial lines. With
 * WebAssembly switched off, every caller takes its JavaScript path.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, SHARED_FIXTURES } from '../../../test/helpers/fixtures.js';
import { prng } from '../../../test/helpers/prng.js';
import { KERNEL_MARKERS, SECTRACE_MARKERS } from '../sap-text/markers.js';
import { quietGate, quietPayloadStart } from '../sap-text/quiet-lines.js';
import { LiteralGate } from './literal-gate.js';
import { MarkerSet } from './marker-set.js';
import { wasmGate } from './wasm-gate.js';
import { finderDue, finderFor, setWasmScan, WINDOW_BYTES } from './wasm-scan.js';

// The WebAssembly paths from the first byte and line (the reader waits until they repay their build).
before(() => setWasmScan(true, { bytes: 0, lines: 0 }));
after(() => setWasmScan(true));

/** Every marker start in `buf[from…)` in order, and the line breaks before each (plain loops). */
function plainFind(buf: Buffer, markers: readonly string[], from: number, nl: number) {
  const bytes = markers.map((m) => Buffer.from(m, 'latin1'));
  let lines = 0;
  for (let i = from; i < buf.length; i++) {
    for (const m of bytes)
      if (i + m.length <= buf.length && buf.subarray(i, i + m.length).equals(m)) return { hit: i, lines };
    if (buf[i] === nl) lines++;
  }
  return { hit: -1, lines };
}

function plainCount(buf: Buffer, from: number, to: number, nl: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === nl) n++;
  return n;
}

/**
 * Every hit of `markers` in `buf` through the finder, from each position after the previous hit: once
 * as a chunk of its own (zeros follow it in the window), once as the start of a longer chunk whose
 * bytes past `buf`'s end hold markers and line breaks that must not count.
 */
function walk(buf: Buffer, markers: readonly string[], nl: number, check: boolean): number {
  const hits = walkIn(buf, buf.length, markers, nl, check);
  const longer = Buffer.concat([buf, Buffer.from(`${markers.join('\n')}\r\n`.repeat(3), 'latin1')]);
  assert.equal(walkIn(longer, buf.length, markers, nl, check), hits);
  return hits;
}

function walkIn(chunk: Buffer, end: number, markers: readonly string[], nl: number, check: boolean): number {
  const buf = chunk.subarray(0, end);
  const f = finderFor(markers);
  assert.ok(f, 'the finder is built');
  assert.ok(f.load(chunk));
  let from = 0;
  let hits = 0;
  try {
    for (;;) {
      const hit = f.find(from, end, nl);
      const want = plainFind(buf, markers, from, nl);
      assert.equal(hit, want.hit, `hit from ${from}`);
      assert.equal(f.lines(from, hit < 0 ? end : hit, nl), want.lines, `lines from ${from}`);
      if (check) {
        // Counts over other ranges (another start than the last search's) run the counting loop.
        const to = hit < 0 ? end : hit;
        for (const a of [from + 1, from + 15, from + 17])
          if (a <= to) assert.equal(f.lines(a, to, nl), plainCount(buf, a, to, nl), `lines ${a}…${to}`);
      }
      if (hit < 0) return hits;
      hits++;
      from = hit + 1;
    }
  } finally {
    f.release();
  }
}

describe('WebAssembly finder', () => {
  test('random text with markers and near misses planted at every alignment', () => {
    const r = prng(5);
    const alphabet = 'ERORrorwaedReveProxy [Thr]=>*\t ';
    for (const markers of [
      KERNEL_MARKERS,
      SECTRACE_MARKERS,
      ['x'],
      ['ab', 'abc', 'b'],
      ['SSSLERR_', 'Errorstack', 'SSSLRC_', 'A', 'BB', 'CCC', 'DDDD', 'EEEEE'],
    ]) {
      for (let round = 0; round < 40; round++) {
        const n = 1 + Math.floor(r() * 3000);
        const buf = Buffer.alloc(n);
        for (let i = 0; i < n; i++)
          buf[i] = r() < 0.03 ? 10 : alphabet.charCodeAt(Math.floor(r() * alphabet.length));
        // Markers, and markers cut short by one byte (a quad matches, the rest does not).
        for (let k = 0; k < 4; k++) {
          const m = markers[Math.floor(r() * markers.length)]!;
          const text = r() < 0.5 ? m : m.slice(0, -1) + (r() < 0.5 ? '\n' : '#');
          const at = Math.floor(r() * n);
          buf.write(text.slice(0, n - at), at, 'latin1');
        }
        walk(buf, markers, 10, round % 4 === 0);
      }
    }
  });

  test('markers on every offset around vector borders and at the very end; no marker past the end', () => {
    for (let size = 14; size <= 70; size++) {
      for (let at = 0; at + 5 <= size; at++) {
        const buf = Buffer.alloc(size, 0x2e);
        buf.write('ERROR', at, 'latin1');
        if (at > 3) buf[at - 2] = 10;
        assert.equal(walk(buf, KERNEL_MARKERS, 10, true), 1, `size ${size} at ${at}`);
      }
      // A marker cut off by the end of the chunk is no marker.
      const cut = Buffer.alloc(size, 0x2e);
      cut.write('ERRO', size - 4, 'latin1');
      assert.equal(walk(cut, KERNEL_MARKERS, 10, true), 0);
    }
  });

  test('runs of line breaks longer than a counting block; CR line breaks', () => {
    const lf = Buffer.alloc(WINDOW_BYTES, 10);
    lf.write('orwarded', WINDOW_BYTES - 100, 'latin1');
    assert.equal(walk(lf.subarray(1000), KERNEL_MARKERS, 10, false), 1);
    const f = finderFor(KERNEL_MARKERS)!;
    f.load(lf);
    assert.equal(f.find(0, lf.length, 10), WINDOW_BYTES - 100);
    assert.equal(f.lines(0, WINDOW_BYTES - 100, 10), WINDOW_BYTES - 100);
    assert.equal(f.lines(3, WINDOW_BYTES, 10), WINDOW_BYTES - 3 - 8);
    f.release();
    const cr = Buffer.from('[Thr 1] a\r[Thr 1] *** ERROR => x\r\r\rReverseProxy\r'.repeat(50), 'latin1');
    walk(cr, KERNEL_MARKERS, 13, true);
  });

  test('a chunk larger than the window is refused (the scanner keeps its JavaScript path)', () => {
    const f = finderFor(KERNEL_MARKERS)!;
    assert.equal(f.load(Buffer.alloc(WINDOW_BYTES + 1)), false);
    assert.equal(f.load(Buffer.alloc(WINDOW_BYTES)), true);
    f.release();
  });

  test('the finder takes a small input once the process has scanned 4 MiB, a large one past its 4 MiB', () => {
    setWasmScan(true);
    try {
      const KiB = 1024;
      assert.equal(finderDue(256 * KiB, 240 * KiB), false, 'a fresh process, a small input');
      assert.equal(finderDue(5 * 1024 * KiB, 1024 * KiB), true, 'past 4 MiB of its input');
      let scanned = 1264 * KiB;
      for (; scanned < 4096 * KiB; scanned += 240 * KiB)
        assert.equal(finderDue(256 * KiB, 240 * KiB), false, `${scanned / KiB} KiB scanned`);
      assert.equal(finderDue(256 * KiB, 240 * KiB), true, `${scanned / KiB} KiB scanned`);
      setWasmScan(true);
      assert.equal(finderDue(256 * KiB, 240 * KiB), false, 'the count starts again with the defaults');
    } finally {
      setWasmScan(true, { bytes: 0, lines: 0 });
    }
  });

  test('long marker lists have no finder; neither has anything with WebAssembly off', () => {
    assert.equal(finderFor(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']), undefined);
    assert.ok(new MarkerSet(KERNEL_MARKERS).finder());
    setWasmScan(false);
    try {
      assert.equal(new MarkerSet(KERNEL_MARKERS).finder(), undefined);
      assert.equal(wasmGate(LiteralGate.of(['ab']).tables(), LiteralGate.of([]).tables()), undefined);
    } finally {
      setWasmScan(true, { bytes: 0, lines: 0 });
    }
  });
});

/** Every line of the shared fixtures, the recognition cases and their phrasings, and the example trace. */
function fixtureLines(): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (statSync(path).size < 4 << 20) out.push(...readFileSync(path, 'latin1').split(/\r?\n/));
    }
  };
  if (SHARED_FIXTURES) visit(SHARED_FIXTURES);
  visit(join(REPO_ROOT, 'test', 'recognition'));
  out.push(...readFileSync(join(REPO_ROOT, 'examples', 'dev_icm'), 'latin1').split(/\r?\n/));
  return out;
}

describe('WebAssembly quiet gate', () => {
  const gate = quietGate();

  /** The gate's answer in WebAssembly and in JavaScript, for `line` as a `[Thr …]` line. */
  function both(line: string): [boolean, boolean] | undefined {
    const buf = Buffer.from(line, 'latin1');
    const p = quietPayloadStart(buf, 0, buf.length);
    if (p < 0 || !gate) return undefined;
    return [gate.mayMatter(buf, 0, p, buf.length), gate.mayMatterJs(buf, 0, p, buf.length)];
  }

  test('every fixture line, as a kernel line, is judged as in JavaScript', () => {
    assert.ok(gate, 'the gate is built');
    let quiet = 0;
    let judged = 0;
    for (const text of fixtureLines()) {
      for (const line of [`[Thr 1] ${text}`, `[Thr 7f3a] *** ERROR => ${text}`]) {
        const r = both(line);
        if (!r) continue;
        judged++;
        assert.equal(r[0], r[1], line);
        if (!r[0]) quiet++;
      }
    }
    assert.ok(judged > 1000 && quiet > 0, `${judged} lines judged, ${quiet} quiet`);
  });

  test('random and adversarial lines: case, blanks, bytes outside ASCII, literal pieces', () => {
    const r = prng(9);
    const pieces = [
      'ERROR',
      'error',
      'SSL',
      'ssl',
      'handshake',
      'Hand',
      'certif',
      'CERT',
      'conn',
      'connection',
      'closed',
      'peer',
      'NiIRead',
      'SiRecv',
      'failed',
      'rc=-6',
      'x509',
      'X.509',
      'sock',
      '=>',
      '***',
      ' ',
      '\t',
      '\r',
      '\x00',
      '\x80',
      '\xe9',
      'ab',
      'Ab',
      'SAPSSL',
      'pse',
      'PSE',
      'ldap',
      'Kerberos',
      'TLS',
      ':',
      '(',
      ')',
    ];
    let quiet = 0;
    let loud = 0;
    for (let i = 0; i < 20000; i++) {
      let line = `[Thr ${Math.floor(r() * 1e6)}]${r() < 0.8 ? ' ' : ''}`;
      const n = Math.floor(r() * 12);
      for (let k = 0; k < n; k++) {
        const piece = pieces[Math.floor(r() * pieces.length)]!;
        line += r() < 0.3 ? piece.toUpperCase() : piece;
      }
      const res = both(line);
      if (!res) continue;
      assert.equal(res[0], res[1], JSON.stringify(line));
      if (res[0]) loud++;
      else quiet++;
    }
    assert.ok(quiet > 100 && loud > 100, `${quiet} quiet, ${loud} not`);
  });

  test('a line longer than the copy area is judged in JavaScript', () => {
    assert.ok(gate);
    const buf = Buffer.from(`[Thr 1] ${'a'.repeat(5000)}`, 'latin1');
    assert.equal(gate.mayMatter(buf, 0, 8, buf.length), gate.mayMatterJs(buf, 0, 8, buf.length));
  });
});
