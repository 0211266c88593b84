/** @module The marker anchors are those a plain byte-by-byte count of the sample gives (the calibration counts through a pair-slot table). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BROAD_MARKERS, KERNEL_MARKERS, SECTRACE_MARKERS } from '../sap-text/markers.js';
import { CALIBRATION_BYTES, MarkerSet } from './marker-set.js';

/** The definition: count every byte and adjacent pair of the sample's first CALIBRATION_BYTES, pick each marker's cheapest pair. */
function anchorsByDefinition(markers: readonly string[], sample: Buffer): string[] {
  const single = new Uint32Array(256);
  const pairs = new Uint32Array(65536);
  const n = Math.min(sample.length, CALIBRATION_BYTES);
  for (let i = 0; i < n; i++) {
    single[sample[i] as number]!++;
    if (i + 1 < n) pairs[((sample[i] as number) << 8) | (sample[i + 1] as number)]!++;
  }
  const isLower = (b: number) => b >= 0x61 && b <= 0x7a;
  const prior = (b: number) => (isLower(b) ? 4 : b === 0x20 ? 6 : 0);
  const cost = (a: number, b: number) =>
    (single[a] as number) + prior(a) + 20 * ((pairs[(a << 8) | b] as number) + (prior(b) > 0 ? 1 : 0));
  const needles: string[] = [];
  for (const m of markers) {
    let best = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let i = 0; i + 1 < m.length; i++) {
      const c = cost(m.charCodeAt(i), m.charCodeAt(i + 1));
      if (c < bestCost) {
        bestCost = c;
        best = i;
      }
    }
    const needle = m.slice(best, best + 4);
    if (!needles.includes(needle)) needles.push(needle);
  }
  return needles;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('MarkerSet calibration', () => {
  test('picks the anchors a byte-by-byte count picks, on traces, noise, repeats and empty samples', () => {
    const r = rng(11);
    const trace = Buffer.from(
      Array.from(
        { length: 400 },
        (_, i) =>
          `[Thr ${140 + (i % 5)}] ${i % 37 === 0 ? '*** ERROR => SSL handshake with a.example:443 failed: SSSLERR_PEER_CERT_UNTRUSTED' : 'IcmConnInitClientSSL: ReverseProxy forwarded request GSS-API Errorstack'}\n`,
      ).join(''),
    );
    const samples = [
      Buffer.alloc(0),
      Buffer.from('SSSSSSSS ERRORERROR rrrr orwardedorwarded'),
      trace,
      trace.subarray(0, 100),
      Buffer.from(Array.from({ length: 20000 }, () => 32 + ((r() * 95) | 0))),
      Buffer.from(Array.from({ length: 5000 }, () => (r() * 256) | 0)),
    ];
    for (const markers of [KERNEL_MARKERS, BROAD_MARKERS, SECTRACE_MARKERS, ['SS', 'SSS', 'a b', '***']]) {
      for (const [i, sample] of samples.entries()) {
        assert.deepEqual(
          new MarkerSet(markers, sample).anchors(),
          anchorsByDefinition(markers, sample),
          `${markers.join('|')} on sample ${i}`,
        );
      }
    }
  });

  test('finds the lines holding a marker whatever sample it was calibrated on', () => {
    const text = Buffer.from('a line\n[Thr 1] *** ERROR => x\nReverseProxy y\nother\nforwarded z\nERRO\n');
    const lineStarts = (set: MarkerSet) => {
      const starts = new Set<number>();
      for (let p = set.find(text, 0, text.length); p >= 0; p = set.find(text, p + 1, text.length))
        starts.add(text.lastIndexOf(10, p) + 1);
      return [...starts];
    };
    const expected = [7, 30, 51];
    for (const sample of [
      Buffer.alloc(0),
      text,
      Buffer.from('ERROR ERROR orwarded ReverseProxy '.repeat(50)),
    ])
      assert.deepEqual(lineStarts(new MarkerSet(KERNEL_MARKERS, sample)), expected);
  });
});
