/** @module One JSON error shape for the API (`{ error: { code, message } }`) and the mapping from errors to HTTP status. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isToolError } from '../model/errors.js';
import { MultipartError } from './multipart.js';
import { BodyTooLargeError } from './request-body.js';

/** An answer the API gives on purpose (415, 404, …). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_S = 5;

/** Sends `{ error: { code, message } }`. */
export function sendError(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  if (status === 413) c.header('Connection', 'close');
  // A store outage or a full server is temporary: tell clients when to try again.
  if (status === 503) c.header('Retry-After', String(RETRY_AFTER_S));
  return c.json({ error: { code, message } }, status);
}

/** Status for a tool error code: input problems are 422, a too-large input 413. */
function toolErrorStatus(code: string): ContentfulStatusCode {
  if (code === 'too-large') return 413;
  if (code === 'invalid-report') return 422;
  if (code === 'unknown-kb-id') return 404;
  if (code === 'store-unavailable') return 503;
  return 422;
}

/** The client went away mid-request (closed tab, cancelled upload): not a server fault, not worth a log line. */
function isClientAbort(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return (
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (err instanceof Error && err.message === 'aborted')
  );
}

/**
 * Maps a thrown error to its answer. Unexpected errors are logged by message only (requests may carry
 * evidence and secrets, which never go to the log) and answered 500 without details.
 */
export function errorResponse(c: Context, err: unknown, log: (line: string) => void): Response {
  if (err instanceof ApiError) return sendError(c, err.status, err.code, err.message);
  if (err instanceof BodyTooLargeError) return sendError(c, 413, 'too-large', `${err.message}.`);
  if (err instanceof MultipartError)
    return sendError(c, 400, 'bad-multipart', `Malformed form upload: ${err.message}.`);
  if (isToolError(err)) return sendError(c, toolErrorStatus(err.code), err.code, err.webMessage);
  if (isClientAbort(err))
    return sendError(c, 400, 'aborted', 'The client closed the connection during the upload.');
  log(`internal error on ${c.req.method} ${c.req.path}: ${err instanceof Error ? err.message : String(err)}`);
  return sendError(c, 500, 'internal', 'Internal error. The server log has the details.');
}
