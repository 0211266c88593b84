/**
 * @module The web probe form as a multipart upload: target, SNI, proxy, trust-list files (PSE, listing, PEM…)
 * with their PIN, and a client identity (PEM, PKCS#12 or PSE) with its password or PIN. Every part is small
 * and held in memory for this one request; secrets are never logged or stored.
 */
import type { Context } from 'hono';
import { ApiError } from './api-error.js';
import { cleanFileName, readBoundary, readFieldText, readMultipart } from './multipart.js';
import { limitedBody } from './request-body.js';
import type { ProbeRequest } from './services.js';

/** Largest trust or identity file (a PSE is a few KB; a sec folder's PEM bundle far below this). */
const MAX_FILE = 1024 * 1024;
/** Largest whole form. */
const MAX_FORM = 8 * 1024 * 1024;
const MAX_TEXT = 1024;

/** Reads a file part whole, refusing more than `MAX_FILE`. */
async function readFile(body: AsyncIterable<Buffer>, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_FILE)
      throw new ApiError(
        413,
        'too-large',
        `${name} is larger than 1 MB; a trust list or client identity is far smaller.`,
      );
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses the probe form. Throws ApiError 400/413 for what is not one. */
export async function readProbeForm(c: Context): Promise<ProbeRequest> {
  const boundary = readBoundary(c.req.header('content-type'));
  if (!boundary)
    throw new ApiError(400, 'bad-multipart', 'The multipart/form-data Content-Type has no valid boundary.');
  const request: ProbeRequest = { target: '' };
  const trust: { name: string; bytes: Buffer }[] = [];
  for await (const part of readMultipart(limitedBody(c, MAX_FORM), boundary, { maxParts: 60 })) {
    if (part.filename !== undefined) {
      const name = cleanFileName(part.filename);
      const bytes = await readFile(part.body, name);
      if (bytes.length === 0) continue; // an empty file picker
      if (part.field === 'trust') trust.push({ name, bytes });
      else if (part.field === 'clientCert') request.clientCert = { name, bytes };
      continue;
    }
    const value = await readFieldText(part.body, MAX_TEXT);
    if (part.field === 'target') request.target = value.trim();
    else if (part.field === 'sni') request.sni = value !== 'false' && value !== 'off';
    else if (part.field === 'proxy' && value.trim()) request.proxy = value.trim();
    else if (part.field === 'trustPin' && value) request.trustPin = value;
    else if (part.field === 'clientSecret' && value) request.clientSecret = value;
  }
  if (trust.length) request.trust = trust;
  return request;
}
