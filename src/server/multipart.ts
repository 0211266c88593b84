/**
 * @module A streaming multipart/form-data reader: yields one part at a time, its body as a stream of
 * chunks, so an uploaded trace flows to the readers without ever being held whole in memory.
 */

/** One part of the form. Its `body` must be read (or left) before asking for the next part. */
export interface MultipartPart {
  /** Form field name. */
  field: string;
  /** File name of a file part (path components removed), undefined for plain fields. */
  filename?: string;
  contentType?: string;
  body: AsyncIterable<Buffer>;
}

/** A malformed body: the server answers 400. */
export class MultipartError extends Error {
  override name = 'MultipartError';
}

export interface MultipartLimits {
  /** Most parts accepted (default 20). */
  maxParts?: number;
  /** Longest header block of one part (default 8 KiB). */
  maxHeaderBytes?: number;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a multipart/form-data content type, or undefined when it is not one. */
export function readBoundary(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const [type, ...params] = contentType.split(';');
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    // RFC 2046: 1–70 characters from a restricted set.
    if (/^[0-9A-Za-z'()+_,\-./:=? ]{1,70}$/.test(value)) return value;
    return undefined;
  }
  return undefined;
}

/** Strips any directory part and control characters from an uploaded file name. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return cleaned.slice(0, 200) || 'upload';
}

function parseDisposition(value: string): { field?: string; filename?: string } {
  const out: { field?: string; filename?: string } = {};
  // Parameters are `; key="value"` or `; key=value`; quoted values may contain `;`.
  const re = /;\s*([A-Za-z*]{1,20})\s*=\s*(?:"((?:[^"\\]|\\.){0,1000})"|([^;\s]{0,1000}))/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const key = m[1]!.toLowerCase();
    // Browsers write `"`, CR and LF in names as %22, %0D, %0A (HTML form encoding); undo just those.
    const raw = (m[2] !== undefined ? m[2].replace(/\\"/g, '"') : (m[3] ?? '')).replace(
      /%(22|0d|0a)/gi,
      (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16)),
    );
    if (key === 'name') out.field = raw;
    else if (key === 'filename') out.filename = raw;
    else if (key === 'filename*') {
      const utf = /^utf-8''(.*)$/i.exec(raw);
      if (utf) {
        try {
          out.filename = decodeURIComponent(utf[1]!);
        } catch {
          out.filename = utf[1]!;
        }
      }
    }
  }
  return out;
}

/**
 * Reads a multipart/form-data body part by part. Each part's body streams from the request; when a
 * caller asks for the next part before finishing a body, the rest of that body is skipped.
 * Throws MultipartError on malformed input. Memory stays bounded by the chunk size plus the boundary.
 */
export async function* readMultipart(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  limits: MultipartLimits = {},
): AsyncGenerator<MultipartPart> {
  const maxParts = limits.maxParts ?? 20;
  const maxHeaderBytes = limits.maxHeaderBytes ?? 8192;
  const iterator = source[Symbol.asyncIterator]();
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buf: Buffer = Buffer.alloc(0);
  let ended = false;

  /** The next chunk of the source as it came (no copy), or undefined at its end. */
  async function read(): Promise<Buffer | undefined> {
    if (ended) return undefined;
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      return undefined;
    }
    return Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
  }

  async function pull(): Promise<boolean> {
    const chunk = await read();
    if (!chunk) return false;
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    return true;
  }

  async function need(n: number): Promise<boolean> {
    while (buf.length < n) if (!(await pull())) return false;
    return true;
  }

  // The first delimiter may come without the leading CRLF (as it does from browsers: the body starts
  // with it); a preamble before it is ignored.
  const opening = delimiter.subarray(CRLF.length);
  if ((await need(opening.length)) && buf.subarray(0, opening.length).equals(opening)) {
    buf = buf.subarray(opening.length);
  } else {
    buf = Buffer.concat([CRLF, buf]);
    for (;;) {
      const idx = buf.indexOf(delimiter);
      if (idx >= 0) {
        buf = buf.subarray(idx + delimiter.length);
        break;
      }
      if (buf.length > delimiter.length) buf = buf.subarray(buf.length - delimiter.length);
      if (!(await pull())) throw new MultipartError('no multipart boundary found in the body');
    }
  }

  let parts = 0;
  for (;;) {
    // After a delimiter: `--` closes the body, CRLF starts a part (transport padding is tolerated).
    if (!(await need(2))) throw new MultipartError('the body ends inside a boundary line');
    if (buf[0] === 0x2d && buf[1] === 0x2d) {
      // Read the epilogue to the end (and ignore it, RFC 2046): a body left unread makes the server drop
      // the kept-alive connection, and the browser's next request on it fails.
      buf = Buffer.alloc(0);
      while (await pull()) buf = Buffer.alloc(0);
      return;
    }
    let lineEnd = buf.indexOf(CRLF);
    while (lineEnd < 0) {
      if (buf.length > 256) throw new MultipartError('malformed boundary line');
      if (!(await pull())) throw new MultipartError('the body ends inside a boundary line');
      lineEnd = buf.indexOf(CRLF);
    }
    if (buf.subarray(0, lineEnd).toString('latin1').trim() !== '')
      throw new MultipartError('malformed boundary line');
    buf = buf.subarray(lineEnd + 2);

    let headerEnd: number;
    // A part with no headers at all starts with the blank line directly.
    if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) headerEnd = -2;
    else {
      headerEnd = buf.indexOf(HEADER_END);
      while (headerEnd < 0) {
        if (buf.length > maxHeaderBytes) throw new MultipartError('part headers are too long');
        if (!(await pull())) throw new MultipartError('the body ends inside part headers');
        if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
          headerEnd = -2;
          break;
        }
        headerEnd = buf.indexOf(HEADER_END);
      }
    }
    if (headerEnd > maxHeaderBytes) throw new MultipartError('part headers are too long');
    const headerText = headerEnd < 0 ? '' : buf.subarray(0, headerEnd).toString('utf8');
    buf = buf.subarray(headerEnd < 0 ? 2 : headerEnd + 4);
    let field: string | undefined;
    let filename: string | undefined;
    let contentType: string | undefined;
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-disposition') {
        if (!/^form-data\b/i.test(value)) throw new MultipartError('a part is not form-data');
        const d = parseDisposition(value);
        field = d.field;
        filename = d.filename;
      } else if (name === 'content-type') contentType = value.slice(0, 200);
    }
    if (field === undefined) throw new MultipartError('a part has no field name');
    if (++parts > maxParts) throw new MultipartError(`more than ${maxParts} parts`);

    let done = false;
    // One step of this part's body; null when the part is over. Shared by the caller's stream and the drain.
    async function nextChunk(): Promise<Buffer | null> {
      while (!done) {
        const idx = buf.indexOf(delimiter);
        if (idx >= 0) {
          const data = buf.subarray(0, idx);
          buf = buf.subarray(idx + delimiter.length);
          done = true;
          return data.length > 0 ? data : null;
        }
        // Everything except a possible start of the delimiter can go out now.
        const safe = buf.length - (delimiter.length - 1);
        if (safe > 0) {
          const data = buf.subarray(0, safe);
          buf = buf.subarray(safe);
          return data;
        }
        // What is left may hold the start of a delimiter. When none can start in it (it is tested
        // with the first bytes of the next chunk), it goes out as it is and the next chunk is taken
        // without copying it onto the end: a part reaches its reader in the request's own chunks.
        const chunk = await read();
        if (!chunk) throw new MultipartError('the body ends inside a part (no closing boundary)');
        if (buf.length > 0 && chunk.length >= delimiter.length - 1) {
          const joint = Buffer.concat([buf, chunk.subarray(0, delimiter.length - 1)]);
          const at = joint.indexOf(delimiter);
          if (at < 0 || at >= buf.length) {
            const data = buf;
            buf = chunk;
            return data;
          }
        }
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      }
      return null;
    }
    async function* body(): AsyncGenerator<Buffer> {
      for (let chunk = await nextChunk(); chunk; chunk = await nextChunk()) yield chunk;
    }
    yield {
      field,
      ...(filename !== undefined ? { filename: cleanFileName(filename) } : {}),
      ...(contentType ? { contentType } : {}),
      body: body(),
    };
    // Skip whatever the caller left unread.
    while ((await nextChunk()) !== null) {
      // drain
    }
  }
}

/** Reads a small field body into a string, refusing more than `max` bytes. */
export async function readFieldText(body: AsyncIterable<Buffer>, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) throw new MultipartError(`a form field is longer than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
