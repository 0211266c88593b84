/** @module The raw request body as a byte stream, with a hard size limit that ends in a 413. */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** The body grew past the limit (or Content-Length announced that it would). */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`the request body is larger than the limit of ${formatBytes(limit)}`);
  }
}

/** `200 MB`, `16 KB`, `512 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GB`;
  if (n >= 1024 ** 2) return `${Math.round((n / 1024 ** 2) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

/** Parses `200MB`, `1.5G`, `512k`, `1048576` (binary units) into bytes; undefined when malformed. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d{1,12}(?:\.\d{1,3})?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k'];
  const n = Math.floor(Number(m[1]) * unit);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Content-Length when present and valid. */
export function declaredLength(c: Context): number | undefined {
  const v = c.req.header('content-length');
  if (v === undefined || !/^\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}

/** Lower-cased media type without parameters (`multipart/form-data`). */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

async function* fromWebStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The request body as chunks, counting bytes and throwing BodyTooLargeError past `limit`. Reads the Node
 * request directly when served by @hono/node-server (no copy through web streams).
 *
 * `onOwnMemory`, when given, is told of the memory of each chunk no one but the reader of this body can
 * hold: a chunk read from the Node request that fills a buffer of its own (Node reads the socket into a
 * new buffer each time). Memory a web stream or a caller handed in is never named.
 */
export async function* limitedBody(
  c: Context,
  limit: number,
  onOwnMemory?: (memory: ArrayBuffer) => void,
): AsyncGenerator<Uint8Array> {
  const announced = declaredLength(c);
  if (announced !== undefined && announced > limit) throw new BodyTooLargeError(limit);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const source: AsyncIterable<Uint8Array> | undefined =
    incoming && typeof incoming[Symbol.asyncIterator] === 'function'
      ? incoming
      : c.req.raw.body
        ? fromWebStream(c.req.raw.body)
        : undefined;
  if (!source) return;
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limit) throw new BodyTooLargeError(limit);
    // A view as long as its buffer is the whole buffer.
    if (onOwnMemory && source === incoming && chunk.byteLength === chunk.buffer.byteLength)
      onOwnMemory(chunk.buffer as ArrayBuffer);
    yield chunk;
  }
}

/** Reads a whole (small) body into a string under `limit`. */
export async function readBodyText(c: Context, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of limitedBody(c, limit)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
