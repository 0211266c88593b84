/**
 * @module The upload reader frees the memory of a request's own chunks once a form is read whole, and
 * never touches memory it does not own: a part that streams on, or a body that came as a web stream.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { readUpload } from './upload.js';

const BOUNDARY = '----pse-doctor-test';

/** A form with the file `dev_icm`, then (unless `fileOnly`) an empty text box as browsers send it. */
function form(fileBody: Buffer, fileOnly = false): Buffer {
  if (fileOnly)
    return Buffer.concat([
      form(fileBody).subarray(0, form(fileBody).indexOf(`\r\n--${BOUNDARY}\r\n`)),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="dev_icm"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    fileBody,
    Buffer.from(
      `\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="text"\r\n\r\n  \r\n--${BOUNDARY}--\r\n`,
    ),
  ]);
}

/** `body` cut into chunks of `size` bytes, each in a buffer of its own, as Node reads a socket. */
function ownChunks(body: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) {
    const chunk = Buffer.from(new ArrayBuffer(Math.min(size, body.length - at)));
    body.copy(chunk, 0, at, at + chunk.length);
    out.push(chunk);
  }
  return out;
}

interface Seen {
  names: string[];
  /** Each input's bytes, read in full by the route (a streaming input is read to its end). */
  bodies: Buffer[];
}

/** A route that reads the upload as /api/analyze does and keeps what it saw. */
function appSeeing(seen: Seen): Hono {
  const app = new Hono();
  app.post('/upload', async (c) => {
    const upload = await readUpload(c, { maxBytes: 64 * 1024 * 1024 });
    for (const input of upload.inputs) {
      seen.names.push(input.name);
      if ('bytes' in input) seen.bodies.push(Buffer.from(input.bytes));
      else {
        const parts: Buffer[] = [];
        for await (const chunk of input.stream) parts.push(Buffer.from(chunk));
        seen.bodies.push(Buffer.concat(parts));
      }
    }
    await upload.finish();
    return c.text('ok');
  });
  return app;
}

/** POSTs `body` as @hono/node-server would: the Node request (here its chunks) is c.env.incoming. */
async function post(app: Hono, body: Buffer, incoming: Buffer[]): Promise<Response> {
  const init = {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      'content-length': String(body.length),
    },
  };
  const env = {
    incoming: {
      async *[Symbol.asyncIterator]() {
        yield* incoming;
      },
    },
  };
  return app.request('http://127.0.0.1/upload', init, env);
}

describe('upload memory', () => {
  test("a form read whole: the request's chunks are freed, the inputs keep every byte", async () => {
    const trace = Buffer.alloc(300 * 1024);
    for (let i = 0; i < trace.length; i++) trace[i] = 0x20 + (i % 90);
    const chunks = ownChunks(form(trace), 64 * 1024);
    const seen: Seen = { names: [], bodies: [] };
    const res = await post(appSeeing(seen), form(trace), chunks);
    assert.equal(res.status, 200);
    assert.deepEqual(seen.names, ['dev_icm']);
    assert.ok(seen.bodies[0]!.equals(trace), 'the input is the uploaded file, byte for byte');
    for (const chunk of chunks) assert.equal(chunk.byteLength, 0, 'a chunk of the request was released');
  });

  test('chunks that share a buffer with other memory are left alone', async () => {
    const trace = Buffer.from(
      '[Thr 1] *** ERROR => SSL handshake with h:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n',
    );
    const body = form(trace);
    // A view at the start of a longer buffer, and one that ends a buffer but does not start it.
    for (const at of [0, 16]) {
      const shared = Buffer.alloc(body.length + 16);
      body.copy(shared, at);
      const view = shared.subarray(at, at + body.length);
      const seen: Seen = { names: [], bodies: [] };
      await post(appSeeing(seen), body, [view]);
      assert.ok(seen.bodies[0]!.equals(trace));
      assert.equal(shared.byteLength, body.length + 16, `not detached (view at ${at})`);
      assert.ok(view.equals(body), 'not altered');
    }
  });

  test('a part that streams on (over 4 MiB) keeps the chunks it is read from', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 0x41);
    const chunks = ownChunks(form(big, true), 64 * 1024);
    const seen: Seen = { names: [], bodies: [] };
    const res = await post(appSeeing(seen), form(big, true), chunks);
    assert.equal(res.status, 200);
    assert.equal(seen.bodies[0]!.length, big.length);
    assert.ok(seen.bodies[0]!.equals(big), 'the streamed input is whole');
    assert.ok(
      chunks.every((c) => c.byteLength > 0),
      'no chunk was released',
    );
  });

  test('at most 16 MiB of a request is held for release, whatever fields come before the file', async () => {
    const ignored = Buffer.alloc(17 * 1024 * 1024, 0x43);
    const trace = Buffer.from(
      '[Thr 1] *** ERROR => SSL handshake with h:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n',
    );
    const body = Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="comment"\r\n\r\n`),
      ignored,
      Buffer.from('\r\n'),
      form(trace),
    ]);
    const chunks = ownChunks(body, 64 * 1024);
    const seen: Seen = { names: [], bodies: [] };
    const res = await post(appSeeing(seen), body, chunks);
    assert.equal(res.status, 200);
    assert.ok(seen.bodies[0]!.equals(trace));
    const released = chunks.filter((c) => c.byteLength === 0).length;
    assert.equal(released, 256, 'the first 16 MiB (256 chunks of 64 KiB) were released');
    assert.ok(
      chunks.slice(256).every((c) => c.byteLength > 0),
      'the rest is left to the collector',
    );
  });

  test('a body that came as a web stream is never released', async () => {
    const trace = Buffer.alloc(200 * 1024, 0x42);
    const body = form(trace);
    const chunks = ownChunks(body, 64 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const seen: Seen = { names: [], bodies: [] };
    const res = await appSeeing(seen).request('http://127.0.0.1/upload', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 200);
    assert.ok(seen.bodies[0]!.equals(trace));
    assert.ok(
      chunks.every((c) => c.byteLength > 0),
      'no chunk of the web stream was released',
    );
  });
});
