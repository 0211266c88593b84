/**
 * @module Turns an upload (multipart form, raw text or raw bytes) into analysis inputs. Small parts are
 * held in memory up to a cap; the part that passes the cap streams straight from the request to the
 * readers, so a multi-GB trace never sits in memory. Size limits end in 413, other media types in 415.
 */
import type { Context } from 'hono';
import type { SecretProvider } from '../readers/types.js';
import { ApiError } from './api-error.js';
import { cleanFileName, MultipartError, readBoundary, readFieldText, readMultipart } from './multipart.js';
import { releaseMemory } from './release-memory.js';
import { BodyTooLargeError, formatBytes, limitedBody, mediaType } from './request-body.js';
import type { UploadInput } from './services.js';

/** Largest part held whole in memory; a larger one streams (and must be the last input). */
export const MAX_BUFFERED_PART = 4 * 1024 * 1024;
/** Largest total held in memory for one request. */
export const MAX_BUFFERED_TOTAL = 16 * 1024 * 1024;
/** Longest PIN / password field. */
const MAX_SECRET_FIELD = 1024;
/** Form fields that carry evidence (any part with a file name does too). */
const TEXT_FIELDS = new Set(['text', 'paste']);

export interface UploadOptions {
  /** Total body limit. */
  maxBytes: number;
  /** PSE view: every input must fit in memory (the PIN may come after the file). */
  wholeOnly?: boolean;
}

/** A parsed upload: inputs, the secrets that came with it, and a `finish` that drains and checks the rest. */
export interface Upload {
  inputs: UploadInput[];
  secrets?: SecretProvider;
  /** Reads what the analysis left of the request; throws for trailing inputs or a malformed/oversized body. */
  finish(): Promise<void>;
  /** The error the streaming input hit (size limit, malformed body), if any: it decides the answer. */
  streamError(): Error | undefined;
}

/** Wraps a body so the first size/format error is remembered even when a reader swallows it. */
function watch(source: AsyncIterable<Buffer>, onError: (err: Error) => void): AsyncGenerator<Buffer> {
  return (async function* () {
    try {
      yield* source;
    } catch (err) {
      if (err instanceof BodyTooLargeError || err instanceof MultipartError) onError(err);
      throw err;
    }
  })();
}

async function* asBuffers(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  for await (const chunk of source) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
}

function secretProvider(pin: string | undefined, password: string | undefined): SecretProvider | undefined {
  if (pin === undefined && password === undefined) return undefined;
  return {
    async get(kind) {
      return kind === 'pin' ? (pin ?? password) : (password ?? pin);
    },
  };
}

/** Reads the upload of `c`. Throws ApiError 415/400/413 for what cannot be an upload. */
export async function readUpload(c: Context, options: UploadOptions): Promise<Upload> {
  const type = mediaType(c);
  let streamError: Error | undefined;
  const remember = (err: Error) => {
    streamError ??= err;
  };
  const noop = async () => {};

  if (type === 'text/plain' || type === 'application/octet-stream') {
    if (options.wholeOnly)
      throw new ApiError(415, 'unsupported-media-type', 'Send the PSE as multipart/form-data with its PIN.');
    const name = type === 'text/plain' ? 'pasted text' : cleanFileName(c.req.query('name') ?? 'upload');
    const stream = watch(asBuffers(limitedBody(c, options.maxBytes)), remember);
    return { inputs: [{ name, stream }], finish: noop, streamError: () => streamError };
  }
  if (type !== 'multipart/form-data') {
    throw new ApiError(
      415,
      'unsupported-media-type',
      `Content-Type "${type || '(none)'}" is not accepted here. Send multipart/form-data (files and a "text" field), text/plain (pasted text) or application/octet-stream (one file, ?name=…).`,
    );
  }
  const boundary = readBoundary(c.req.header('content-type'));
  if (!boundary)
    throw new ApiError(400, 'bad-multipart', 'The multipart/form-data Content-Type has no valid boundary.');

  // The request's own chunks: once the form is read and every input copied out of them, their memory
  // is released at once (release-memory.ts). Not when an input streams on from them (the list is then
  // dropped); at most MAX_BUFFERED_TOTAL of it is held, whatever the form holds besides its inputs.
  let requestMemory: ArrayBuffer[] | undefined = [];
  let heldMemory = 0;
  const holdMemory = (memory: ArrayBuffer) => {
    if (!requestMemory || heldMemory + memory.byteLength > MAX_BUFFERED_TOTAL) return;
    requestMemory.push(memory);
    heldMemory += memory.byteLength;
  };
  const requestBody = limitedBody(c, options.maxBytes, holdMemory);
  const parts = readMultipart(requestBody, boundary)[Symbol.asyncIterator]();
  const inputs: UploadInput[] = [];
  let pin: string | undefined;
  let password: string | undefined;
  let buffered = 0;
  let streaming = false;

  for (;;) {
    const next = await parts.next();
    if (next.done) break;
    const part = next.value;
    if (part.filename === undefined && (part.field === 'pin' || part.field === 'password')) {
      const value = await readFieldText(part.body, MAX_SECRET_FIELD);
      if (value !== '') {
        if (part.field === 'pin') pin = value;
        else password = value;
      }
      continue;
    }
    const isFile = part.filename !== undefined;
    if (!isFile && !TEXT_FIELDS.has(part.field)) continue; // unknown fields are skipped (drained)
    const name = isFile ? part.filename! : 'pasted text';
    const body = part.body[Symbol.asyncIterator]();
    const chunks: Buffer[] = [];
    let size = 0;
    let overflow = false;
    for (;;) {
      const n = await body.next();
      if (n.done) break;
      chunks.push(n.value);
      size += n.value.length;
      if (size > MAX_BUFFERED_PART || buffered + size > MAX_BUFFERED_TOTAL) {
        overflow = true;
        break;
      }
    }
    if (!overflow) {
      const bytes = Buffer.concat(chunks);
      buffered += size;
      // Browsers send an empty part for an empty file picker or an empty text box.
      if (size === 0 || (!isFile && bytes.toString('utf8').trim() === '')) continue;
      inputs.push({ name, bytes });
      continue;
    }
    if (options.wholeOnly) {
      throw new ApiError(
        413,
        'too-large',
        `${name} is larger than ${formatBytes(MAX_BUFFERED_PART)}; a PSE file is far smaller.`,
      );
    }
    const rest = (async function* () {
      yield* chunks;
      for (;;) {
        const n = await body.next();
        if (n.done) return;
        yield n.value;
      }
    })();
    inputs.push({ name, stream: watch(rest, remember) });
    streaming = true;
    requestMemory = undefined;
    break;
  }

  if (requestMemory) await releaseMemory(requestMemory);

  async function finish(): Promise<void> {
    if (!streaming) return;
    for (;;) {
      const next = await parts.next();
      if (next.done) return;
      const part = next.value;
      if (part.filename !== undefined || TEXT_FIELDS.has(part.field)) {
        for await (const chunk of part.body) {
          if (chunk.length > 0) {
            throw new ApiError(
              400,
              'large-input-not-last',
              `Only the last input of an upload may be larger than ${formatBytes(MAX_BUFFERED_PART)}: send "${part.filename ?? part.field}" before the large file.`,
            );
          }
        }
      }
    }
  }
  const secrets = secretProvider(pin, password);
  return { inputs, ...(secrets ? { secrets } : {}), finish, streamError: () => streamError };
}
