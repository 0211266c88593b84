/** @module `looksBinary` gives the verdict of a plain byte count, on text, binary and inputs at its thresholds. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { looksBinary, sniffEncoding } from './encoding.js';

/** The definition: count NUL and other control bytes in the first 64 KiB, one byte at a time. */
function byDefinition(head: Buffer): boolean {
  const enc = sniffEncoding(head);
  if (enc === 'utf-16le' || enc === 'utf-16be') return false;
  const n = Math.min(head.length, 65536);
  if (n === 0) return false;
  let nul = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i] as number;
    if (b === 0) nul++;
    else if (b < 0x20 && ![0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b].includes(b)) control++;
  }
  return nul > n * 0.01 || nul + control > n * 0.05;
}

/** A deterministic pseudo-random generator (tests are reproducible). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('looksBinary', () => {
  test('agrees with the byte count on text, binary and mixtures around both thresholds', () => {
    const r = rng(7);
    let binary = 0;
    let text = 0;
    for (let k = 0; k < 400; k++) {
      const size = [0, 1, 7, 100, 4096, 65536, 70000][k % 7] as number;
      const nulRate = r() * 0.03;
      const controlRate = r() * 0.1;
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) {
        const x = r();
        bytes[i] =
          x < nulRate
            ? 0
            : x < nulRate + controlRate
              ? ([1, 2, 8, 9, 10, 11, 12, 13, 14, 26, 27, 28, 31][(r() * 13) | 0] as number)
              : 32 + ((r() * 200) | 0);
      }
      const expected = byDefinition(bytes);
      assert.equal(looksBinary(bytes), expected, `case ${k}: ${size} bytes`);
      if (expected) binary++;
      else text++;
    }
    assert.ok(binary > 50 && text > 50, `${binary} binary, ${text} text cases`);
  });

  test('a trace is text; a DER certificate and UTF-16 text are judged as before', () => {
    const trace = Buffer.from(
      '[Thr 140] *** ERROR => SSL handshake with a:443 failed: SSSLERR_PEER_CERT_UNTRUSTED\n'.repeat(50),
    );
    assert.equal(looksBinary(trace), false);
    const der = Buffer.from(
      'MIIBszCCAVmgAwIBAgIUQ3u3qgAAAAAAAAAAAAAAAAAAAAAwCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHdGVzdCBjYTAeFw0y',
      'base64',
    );
    assert.equal(looksBinary(der), byDefinition(der));
    assert.equal(looksBinary(Buffer.from('\ufeffhello\r\n', 'utf16le')), false);
  });
});
