/** @module A file read through the ring of reused buffers, reads ahead in flight, gives exactly its bytes: every size around the chunk sizes, a file that grew after its size was taken, and a reader that stops early; a file read with synchronous calls touches a bounded amount of memory. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { prng } from '../../test/helpers/prng.js';
import { fileSource, HEAD_BYTES, PeekedSource, SYNC_READ_BYTES, streamSource } from './source.js';

const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const MiB = 1 << 20;

function bytesOf(n: number, seed: number): Buffer {
  const next = prng(seed);
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (next() * 256) | 0;
  return b;
}

/** What `streamReusing` yields, copied (its chunks are reused). */
async function readAll(path: string, size?: number): Promise<Buffer> {
  const source = fileSource(path, 'f', size);
  const parts: Buffer[] = [];
  try {
    for await (const chunk of source.streamReusing!()) parts.push(Buffer.from(chunk));
  } finally {
    await source.close?.();
  }
  return Buffer.concat(parts);
}

test('every size around the chunk sizes reads back byte for byte, with and without a known size', async () => {
  const sizes = [
    0,
    1,
    4095,
    4096,
    4097,
    65_535,
    65_536,
    65_537,
    131_071,
    131_072,
    131_073,
    MiB - 1,
    MiB,
    MiB + 1,
    3 * MiB + 5,
    SYNC_READ_BYTES,
    5 * MiB,
  ];
  for (const [i, n] of sizes.entries()) {
    const path = join(dir, `f${n}`);
    const bytes = bytesOf(n, i + 1);
    writeFileSync(path, bytes);
    assert.ok((await readAll(path, n)).equals(bytes), `size ${n}, known`);
    assert.ok((await readAll(path)).equals(bytes), `size ${n}, unknown`);
  }
});

test('a file that grew after its size was taken is read whole', async () => {
  const path = join(dir, 'grown');
  const first = bytesOf(10_000, 7);
  writeFileSync(path, first);
  const more = bytesOf(3 * MiB, 8);
  appendFileSync(path, more);
  assert.ok((await readAll(path, first.length)).equals(Buffer.concat([first, more])));
});

test('a reader that stops early leaves no read running and the source closes', async () => {
  const path = join(dir, 'early');
  writeFileSync(path, bytesOf(4 * MiB, 9));
  const source = fileSource(path, 'early', 4 * MiB);
  let seen = 0;
  for await (const chunk of source.streamReusing!()) {
    seen += chunk.length;
    break;
  }
  // The first read asks for the head only (the format is told from it while the rest is read).
  assert.equal(seen, HEAD_BYTES);
  await source.close?.();
});

test('a file read with synchronous calls comes in chunks of at most 128 KiB through four buffers', async () => {
  for (const n of [MiB + 3, SYNC_READ_BYTES]) {
    const path = join(dir, `ring${n}`);
    const bytes = bytesOf(n, 11);
    writeFileSync(path, bytes);
    const source = fileSource(path, 'ring', n);
    const memory = new Set<ArrayBufferLike>();
    const parts: Buffer[] = [];
    try {
      for await (const chunk of source.streamReusing!()) {
        assert.ok(chunk.length <= 128 * 1024, `a chunk of ${chunk.length} bytes`);
        memory.add(chunk.buffer);
        parts.push(Buffer.from(chunk));
      }
    } finally {
      await source.close?.();
    }
    assert.ok(Buffer.concat(parts).equals(bytes), `size ${n}`);
    // Each chunk is a buffer of the ring (the whole file never is in memory at once).
    assert.ok(memory.size <= 4, `${memory.size} buffers for ${n} bytes`);
    assert.ok(parts.length >= n / (128 * 1024), `${parts.length} chunks`);
  }
});

/** A one-shot stream of these chunks. */
async function* chunksOf(...chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

test('a stream of unknown size that ends within the peeked head gets its size; a longer one does not', async () => {
  const short = new PeekedSource(streamSource('-', chunksOf(Buffer.from('SSSLERR_PEER_CERT_UNTRUSTED\n'))));
  assert.equal(short.size, undefined);
  await short.peek();
  assert.equal(short.size, 28);
  const long = new PeekedSource(
    streamSource('-', chunksOf(Buffer.alloc(70_000, 0x61), Buffer.alloc(10, 0x61))),
  );
  await long.peek(1024);
  assert.equal(long.size, undefined);
});
