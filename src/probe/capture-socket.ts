/**
 * @module A duplex stream between Node's TLS layer and the TCP socket that keeps a bounded copy of every
 * byte the server sends, and remembers how the server ended the connection (FIN, RST).
 *
 * `tls.connect({ socket })` reads straight from a native socket handle, so a `data` listener on the
 * socket would see nothing; putting this stream in between gives the probe the raw handshake bytes.
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** How the server side of the connection ended, as the TCP socket saw it. */
export type PeerEnd = 'open' | 'fin' | 'reset' | 'error';

/** Cap on the captured bytes: plenty for any real handshake flight, bounded against hostile servers. */
export const CAPTURE_LIMIT = 256 * 1024;

export class CaptureSocket extends Duplex {
  private readonly chunks: Buffer[] = [];
  private captured = 0;
  /** True once more than `CAPTURE_LIMIT` bytes arrived (the copy stops, the stream goes on). */
  overflow = false;
  peerEnd: PeerEnd = 'open';
  peerError: NodeJS.ErrnoException | undefined;

  constructor(private readonly inner: Socket) {
    super({ allowHalfOpen: false });
    inner.on('data', (chunk: Buffer) => {
      if (this.captured < CAPTURE_LIMIT) {
        const keep = chunk.subarray(0, CAPTURE_LIMIT - this.captured);
        this.chunks.push(Buffer.from(keep));
        this.captured += keep.length;
        if (keep.length < chunk.length) this.overflow = true;
      } else {
        this.overflow = true;
      }
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => {
      if (this.peerEnd === 'open') this.peerEnd = 'fin';
      this.push(null);
    });
    inner.on('error', (err: NodeJS.ErrnoException) => {
      this.peerError = err;
      if (this.peerEnd === 'open') this.peerEnd = err.code === 'ECONNRESET' ? 'reset' : 'error';
      this.destroy(err);
    });
    inner.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
  }

  /** Everything captured so far, as one buffer. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.inner.destroyed) {
      callback();
      return;
    }
    this.inner.write(chunk, (err) => callback(err ?? null));
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end();
    callback();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.inner.destroy();
    callback(err);
  }
}
