/** @module The reader registry loads reading code on demand, yet chooses and reads exactly as the full readers do. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { READERS } from './index.js';
import { lazyReader } from './lazy-reader.js';
import { pseReader } from './pse/reader.js';
import { sapTextReader } from './sap-text/reader.js';
import { sapgenpseReader } from './sapgenpse/reader.js';
import { bytesSource } from './source.js';
import type { Reader } from './types.js';
import { X509_READERS } from './x509/reader.js';

/** Every reader with its real reading code, in registry order. */
const FULL: readonly Reader[] = [sapTextReader, ...X509_READERS, sapgenpseReader, pseReader];

describe('the reader registry', () => {
  test('lists every reader, in order, each with the sniffer and score bound of the reader it loads', () => {
    assert.deepEqual(
      READERS.map((r) => r.id),
      FULL.map((r) => r.id),
    );
    READERS.forEach((r, i) => {
      // The same function: which reader an input gets never depends on what was loaded before.
      assert.equal(r.sniff, FULL[i]?.sniff, r.id);
      // The same bound: detection skips a reader by it, loaded or not.
      assert.equal(r.maxScore, FULL[i]?.maxScore, r.id);
    });
  });

  test('each lazy entry reads through the reader with its id', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n';
    for (const [i, reader] of READERS.entries()) {
      const full = FULL[i] as Reader;
      const read = async (r: Reader) => {
        try {
          return { out: await r.read(bytesSource('SAPSSLC.pse', Buffer.from(pem)), { input: 0 }) };
        } catch (err) {
          return { error: (err as Error).message };
        }
      };
      assert.deepEqual(await read(reader), await read(full), reader.id);
    }
  });

  test('a lazy reader loads its code once, on the first read, and not to sniff', async () => {
    let loads = 0;
    const real: Reader = {
      id: 'x',
      sniff: () => 0.5,
      read: async (source) => ({
        summary: { name: source.name, format: 'x', bytes: 0, lines: 0, unrecognizedLines: 0, warnings: [] },
        events: [],
        lines: {},
      }),
    };
    const lazy = lazyReader('x', real.sniff, async () => {
      loads++;
      return real;
    });
    assert.equal(lazy.sniff(Buffer.from('a'), 'a'), 0.5);
    assert.equal(loads, 0);
    await lazy.read(bytesSource('a', Buffer.from('a')), { input: 0 });
    await lazy.read(bytesSource('b', Buffer.from('b')), { input: 0 });
    assert.equal(loads, 1);
  });
});
