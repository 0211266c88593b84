/** @module Input sources: files (opened once), standard input, uploads; gzip undone by magic bytes; head peeking on the same read; byte collection. */
import {
  close,
  closeSync,
  constants,
  createReadStream,
  open,
  openSync,
  read,
  readFileSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import { Socket } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ToolError } from '../model/errors.js';
import type { InputSource } from './types.js';

/** Bytes given to sniffers. */
export const HEAD_BYTES = 64 * 1024;

const READ_CHUNK = 1 << 20;
/** Smallest read buffer for a file of known size (a 2 KB trace does not get 64 KiB buffers). */
const MIN_CHUNK = 4 * 1024;

/**
 * A source on a file on disk. The file is opened once, on the first read, and every read (the sniff,
 * the reader, a second pass) goes through that one handle at explicit positions: the bytes sniffed and
 * the bytes read are the same file even when it is replaced on disk meanwhile. `close()` releases it.
 */
export function fileSource(path: string, name: string, size?: number): InputSource {
  let handle: Promise<OpenFile> | undefined;
  const sync = size !== undefined && size <= SYNC_READ_BYTES;
  const opened = (): Promise<OpenFile> => {
    handle ??= sync ? openFileSync(path) : openFile(path);
    return handle;
  };
  const chunkCap = sync ? SYNC_READ_CHUNK : READ_CHUNK;
  return {
    name,
    path,
    ...(size === undefined ? {} : { size }),
    async *stream() {
      // Chunks the caller may keep: each one is a buffer of its own.
      for await (const chunk of readReusing(await opened(), size, chunkCap)) yield Buffer.from(chunk);
    },
    async *streamReusing() {
      yield* readReusing(await opened(), size, chunkCap);
    },
    async close() {
      const h = handle;
      handle = undefined;
      if (h) await (await h.catch(() => undefined))?.close();
    },
  };
}

/** An open file read at explicit positions. */
interface OpenFile {
  read(into: Buffer, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/**
 * Open `path` for reading through the callback API: node:fs/promises would load the stream and readline
 * modules behind its FileHandle (several milliseconds of every short call), and each of its reads goes
 * through a longer promise chain.
 */
function openFile(path: string): Promise<OpenFile> {
  return new Promise((resolve, reject) => {
    open(path, 'r', (err, fd) => {
      if (err) {
        reject(err);
        return;
      }
      let closed: Promise<void> | undefined;
      resolve({
        read: (into, length, position) =>
          new Promise((done, fail) => {
            read(fd, into, 0, length, position, (e, bytesRead) => (e ? fail(e) : done({ bytesRead })));
          }),
        close: () => {
          closed ??= new Promise((done) => close(fd, () => done()));
          return closed;
        },
      });
    });
  });
}

/**
 * Files up to this size (by their stat) are opened and read with synchronous calls. A file read through
 * the callback API starts libuv's thread pool (four threads) and waits on it for each call: a short
 * command spent about 2 ms more wall time and 3 ms more CPU on that than on the read itself. A read of
 * this size from the page cache takes well under a millisecond; larger files keep the callback API,
 * whose reads ahead overlap the scan.
 */
export const SYNC_READ_BYTES = 4 * 1024 * 1024;
/**
 * Chunk size of a file read with synchronous calls: nothing is read ahead while a chunk is scanned, so
 * smaller chunks cost no waiting, and the ring of reused buffers (RING_BUFFERS of them) touches at most
 * 512 KiB of memory instead of the whole file: each fresh 4 KiB page is a page fault (about 12 µs on a
 * small virtual machine), 128 fewer for a 1 MiB trace, 896 for a 4 MiB one. The ring keeps the chunk
 * before the one being scanned (the one before that is overwritten by a read ahead): a look-back from a
 * line of this chunk reaches memory of that earlier one only after crossing all of the chunk before, so
 * a chunk must be larger than the scanner's look-back (64 KiB, line-scanner.ts); 128 KiB is twice that.
 */
const SYNC_READ_CHUNK = 128 * 1024;

/** `openFile` with synchronous calls (see SYNC_READ_BYTES): the same interface, errors as rejections. */
function openFileSync(path: string): Promise<OpenFile> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return Promise.reject(err);
  }
  let closed = false;
  return Promise.resolve({
    read: (into, length, position) => {
      try {
        return Promise.resolve({ bytesRead: readSync(fd, into, 0, length, position) });
      } catch (err) {
        return Promise.reject(err);
      }
    },
    close: () => {
      if (!closed) {
        closed = true;
        try {
          closeSync(fd);
        } catch {
          // Closing a descriptor of a file only read cannot lose anything.
        }
      }
      return Promise.resolve();
    },
  });
}

/** Reads in flight ahead of the chunk being scanned. */
const READS_AHEAD = 2;
/** Buffers in the ring of `readReusing`: those being read ahead, the one being scanned, one looked back into. */
const RING_BUFFERS = READS_AHEAD + 2;

/**
 * Read an open file from its start through a ring of reused buffers, reading the next chunks while the
 * current one is being scanned. A chunk stays valid until the chunk after the next one is requested.
 * Reads are positional, so several passes may share the handle.
 */
async function* readReusing(handle: OpenFile, size?: number, cap = READ_CHUNK): AsyncGenerator<Buffer> {
  // Buffers fit the file (a folder of 10,000 small files allocates kilobytes per file, not 3 MiB); a
  // file that grew since its size was taken is still read whole, in more chunks.
  // A file stat()ed empty may still hold bytes (/proc) or be growing: it reads in head-sized chunks.
  const chunkSize =
    size === undefined ? cap : Math.min(cap, size > 0 ? Math.max(MIN_CHUNK, size + 1) : HEAD_BYTES);
  const ring: Buffer[] = [];
  const buffer = (i: number): Buffer => {
    ring[i] ??= Buffer.allocUnsafeSlow(chunkSize);
    return ring[i];
  };
  let position = 0;
  // Up to READS_AHEAD reads in flight, each at its own position: the reads of the next chunks overlap
  // the scan of this one (and each other, on libuv's thread pool). The first read asks for the head
  // only: the format is told from it (and the reader's code loaded) while the rest is being read.
  const pending: Array<{ read: Promise<{ bytesRead: number }>; length: number }> = [];
  let next = 0;
  const readNext = () => {
    const at = position;
    const length = at === 0 ? Math.min(HEAD_BYTES, chunkSize) : chunkSize;
    position += length;
    pending.push({ read: handle.read(buffer(next++ % RING_BUFFERS), length, at), length });
  };
  try {
    for (let k = 0; k < READS_AHEAD; k++) readNext();
    for (let i = 0; ; i++) {
      const { read, length } = pending.shift()!;
      const { bytesRead } = await read;
      if (bytesRead === 0) return;
      const buf = buffer(i % RING_BUFFERS);
      // Regular files return short reads only at the end (the reads after it return 0 bytes); a file
      // that grew is read on, a file that shrank ends at its first short read.
      if (bytesRead < length) {
        yield buf.subarray(0, bytesRead);
        return;
      }
      readNext();
      yield length < chunkSize ? buf.subarray(0, length) : buf;
    }
  } finally {
    await Promise.all(pending.map((p) => p.read.catch(() => undefined)));
  }
}

/** A source on bytes already in memory (an upload, a test). */
export function bytesSource(name: string, bytes: Uint8Array): InputSource {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    name,
    size: buf.length,
    async *stream() {
      for (let i = 0; i < buf.length; i += READ_CHUNK) yield buf.subarray(i, i + READ_CHUNK);
    },
  };
}

/**
 * A source on a one-shot stream (standard input, an upload being received). Its bytes can be read
 * once; `peekHead` keeps the head it read so the reader still gets every byte. A second full read is
 * a bug in the caller and throws.
 */
export function streamSource(
  name: string,
  stream: AsyncIterable<Buffer | Uint8Array | string> | Readable,
): InputSource {
  let used = false;
  return {
    name,
    async *stream() {
      if (used) throw new Error(`${name}: a streamed input can be read only once`);
      used = true;
      for await (const chunk of stream as AsyncIterable<Buffer | Uint8Array | string>) {
        yield typeof chunk === 'string'
          ? Buffer.from(chunk)
          : Buffer.isBuffer(chunk)
            ? chunk
            : Buffer.from(chunk);
      }
    },
  };
}

/**
 * Wrap a source so its head can be looked at without losing it: the sniff and the reader share one read.
 * The first `stream()` / `streamReusing()` replays the peeked head and continues the same underlying
 * read (a file is not read from its start again, a one-shot stream works too).
 */
export class PeekedSource implements InputSource {
  readonly name: string;
  readonly path?: string;
  /** The input's size: its own, or, once the peek read it to its end, the bytes it holds. */
  size?: number;
  private head: Buffer[] = [];
  private iterator: AsyncIterator<Buffer> | undefined;
  /** The read yields reused buffers (a file through its ring): chunks handed out to keep are copied. */
  private reusing = false;
  private replayed = false;

  constructor(private readonly inner: InputSource) {
    this.name = inner.name;
    if (inner.path !== undefined) this.path = inner.path;
    if (inner.size !== undefined) this.size = inner.size;
  }

  /**
   * Read up to `max` bytes from the start (fewer when the input is shorter), as a buffer of its own (an
   * in-memory input of one chunk hands out a view of that chunk, which nothing overwrites). A
   * file's first chunk usually holds the whole head: it stays the read's own (reused) buffer, replayed
   * to the reader uncopied, and only the head is copied out (a 1 MiB trace copies 64 KiB, not 2 MiB).
   */
  async peek(max = HEAD_BYTES): Promise<Buffer> {
    if (!this.iterator) {
      this.reusing = this.inner.streamReusing !== undefined;
      const read = this.inner.streamReusing ? this.inner.streamReusing() : this.inner.stream();
      this.iterator = read[Symbol.asyncIterator]();
    }
    let have = this.head.reduce((n, b) => n + b.length, 0);
    while (have < max) {
      // A reused buffer is overwritten two chunks later: before reading on, the head keeps copies.
      if (this.reusing) this.head = this.head.map((b) => (this.copied.has(b) ? b : this.copy(b)));
      const r = await this.iterator.next();
      if (r.done) {
        this.size ??= have;
        break;
      }
      this.head.push(r.value);
      have += r.value.length;
    }
    // One chunk that is not a reused buffer (an upload held in memory) is its own head: no copy.
    const first = this.head[0];
    if (!this.reusing && this.head.length === 1 && first) return first.subarray(0, max);
    const all = this.head.length === 1 ? (this.head[0] as Buffer) : Buffer.concat(this.head);
    return Buffer.from(all.subarray(0, max));
  }

  /** Head chunks that are copies (their own memory), not the read's reused buffers. */
  private readonly copied = new WeakSet<Buffer>();

  private copy(b: Buffer): Buffer {
    const own = Buffer.from(b);
    this.copied.add(own);
    return own;
  }

  /** The peeked head, then the rest of the same read; `copy` hands out buffers of their own. */
  private async *continueRead(copy: boolean): AsyncGenerator<Buffer> {
    this.replayed = true;
    const it = this.iterator as AsyncIterator<Buffer>;
    const head = this.head;
    this.head = [];
    let finished = false;
    try {
      // A head chunk that is still the read's reused buffer is copied when the caller keeps chunks.
      for (const b of head) yield copy && !this.copied.has(b) ? Buffer.from(b) : b;
      for (;;) {
        const r = await it.next();
        if (r.done) {
          finished = true;
          return;
        }
        yield copy ? Buffer.from(r.value) : r.value;
      }
    } finally {
      // The consumer stopped early: release the file handle / stream behind the iterator.
      if (!finished) await it.return?.();
    }
  }

  async *stream(): AsyncGenerator<Buffer> {
    if (!this.replayed && this.iterator) {
      yield* this.continueRead(this.reusing);
      return;
    }
    // Peek never called, or a second pass: a file reads again through its open handle.
    yield* this.inner.stream();
  }

  /** The same bytes in reused buffers when the source is a file; otherwise the same as `stream()`. */
  streamReusing(): AsyncIterable<Buffer> {
    if (!this.replayed && this.iterator) return this.continueRead(false);
    return this.inner.streamReusing ? this.inner.streamReusing() : this.inner.stream();
  }

  /** Stop the read if it is still open and release what the source holds (a file handle). */
  async close(): Promise<void> {
    if (this.iterator && !this.replayed) await this.iterator.return?.();
    this.iterator = undefined;
    this.head = [];
    await this.inner.close?.();
  }
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** A source that decompresses `inner` (gzip) as it streams. Errors become a `bad-gzip` ToolError. */
export function gunzipSource(inner: InputSource): InputSource {
  const name = inner.name;
  return {
    name,
    ...(inner.path === undefined ? {} : { path: inner.path }),
    async *stream() {
      const gunzip = createGunzip();
      // pipeline tears the whole chain down when the consumer stops early or any side fails.
      pipeline(Readable.from(inner.stream()), gunzip, () => {});
      try {
        for await (const out of gunzip as AsyncIterable<Buffer>) yield out;
      } catch (err) {
        if (err instanceof ToolError) throw err;
        throw new ToolError('bad-gzip', { name, reason: (err as Error).message }, { cause: err });
      } finally {
        gunzip.destroy();
      }
    },
  };
}

/**
 * Collect all bytes of a source, up to `maxBytes` (binary readers: DER, PKCS#12, PSE). Larger inputs
 * give a `too-large` ToolError instead of filling memory.
 */
export async function collectBytes(source: InputSource, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of source.stream()) {
    n += chunk.length;
    if (n > maxBytes) throw new ToolError('too-large', { name: source.name, limit: formatBytes(maxBytes) });
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** `1048576` → `1 MiB`. */
export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${+(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${+(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${+(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** How long a pipe or FIFO may stay silent (no writer yet, or no bytes) before the read gives up. */
export const PIPE_IDLE_MS = 30_000;
/** The most bytes read from a pipe, FIFO or device that is streamed as text (a file's size is its own limit). */
export const MAX_STREAM_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * What a path is, following links; a ToolError for missing paths, loops and unreadable ones. A
 * synchronous stat (microseconds): the callback API would start libuv's thread pool for it (see
 * SYNC_READ_BYTES), and the promise API costs more again (a sec folder of 200 PSEs spent ~15 ms of
 * main-thread time in its stat and readFile).
 */
export function statInput(path: string, shown: string): Promise<Stats> {
  try {
    return Promise.resolve(statSync(path));
  } catch (err) {
    return Promise.reject(inputError(err, shown));
  }
}

/** All bytes of a regular file whose size the caller bounded (readInputBytes), synchronously (see statInput). */
function readWholeFile(path: string): Promise<Buffer> {
  try {
    return Promise.resolve(readFileSync(path));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The ToolError for a failed open/stat of an input: missing, a link loop, or unreadable. */
export function inputError(err: unknown, shown: string): ToolError {
  if (err instanceof ToolError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new ToolError('file-not-found', { path: shown }, { cause: err });
  if (code === 'ELOOP')
    return new ToolError(
      'not-readable',
      { path: shown, reason: 'its symbolic links point back to one another (a link loop)' },
      { cause: err },
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new ToolError('not-readable', { path: shown, reason: 'permission denied' }, { cause: err });
  return new ToolError(
    'not-readable',
    { path: shown, reason: code ?? (err as Error)?.message ?? String(err) },
    { cause: err },
  );
}

/**
 * Stream a non-regular file (a FIFO, a pipe such as `<(cat dev_icm)`, a socket, a device) once, never
 * blocking forever: a FIFO is opened without waiting for its writer and read as events; when nothing
 * arrives for `idleMs` the read ends with a ToolError. At most `maxBytes` are read.
 */
export async function* streamSpecial(
  path: string,
  shown: string,
  st: Stats,
  maxBytes = MAX_STREAM_BYTES,
  idleMs = PIPE_IDLE_MS,
): AsyncGenerator<Buffer> {
  let total = 0;
  const count = (chunk: Buffer): Buffer => {
    total += chunk.length;
    if (total > maxBytes) throw new ToolError('too-large', { name: shown, limit: formatBytes(maxBytes) });
    return chunk;
  };
  if (st.isFIFO() || st.isSocket()) {
    let fd: number;
    try {
      // O_NONBLOCK: the open returns at once even when no writer has the FIFO open yet.
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      throw inputError(err, shown);
    }
    const socket = new Socket({ fd, readable: true, writable: false });
    socket.setTimeout(idleMs, () =>
      socket.destroy(
        new ToolError('not-readable', {
          path: shown,
          reason: `nothing arrived for ${idleMs / 1000} s (a FIFO or pipe nobody writes to)`,
        }),
      ),
    );
    try {
      for await (const chunk of socket as AsyncIterable<Buffer>) yield count(chunk);
    } catch (err) {
      throw inputError(err, shown);
    } finally {
      socket.destroy();
    }
    return;
  }
  // A character or block device (/dev/zero, /dev/urandom): read as a stream, up to the limit.
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield count(chunk);
  } catch (err) {
    throw inputError(err, shown);
  } finally {
    stream.destroy();
  }
}

/**
 * Read a whole small input (a certificate, a PSE, a PKCS#12 file), up to `maxBytes`: a regular file by
 * its size, anything else (FIFO, pipe, device) as one stream with the same limit. Folders are refused.
 */
export async function readInputBytes(path: string, shown: string, maxBytes: number): Promise<Buffer> {
  const st = await statInput(path, shown);
  if (st.isDirectory()) throw new ToolError('not-readable', { path: shown, reason: 'it is a folder' });
  if (st.isFile()) {
    if (st.size > maxBytes) throw new ToolError('too-large', { name: shown, limit: formatBytes(maxBytes) });
    try {
      return await readWholeFile(path);
    } catch (err) {
      throw inputError(err, shown);
    }
  }
  const parts: Buffer[] = [];
  for await (const chunk of streamSpecial(path, shown, st, maxBytes)) parts.push(chunk);
  return Buffer.concat(parts);
}
