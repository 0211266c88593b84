/** @module Tests of the streaming multipart reader: chunk splits, skipped parts, malformed bodies. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanFileName, MultipartError, readBoundary, readFieldText, readMultipart } from './multipart.js';

const B = '----pse-doctor-test-boundary';

function body(
  parts: { head: string; data: string | Buffer }[],
  opts: { preamble?: string; epilogue?: string } = {},
) {
  const chunks: Buffer[] = [Buffer.from(opts.preamble ?? '')];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${B}\r\n${p.head}\r\n\r\n`), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${B}--\r\n${opts.epilogue ?? ''}`));
  return Buffer.concat(chunks);
}

async function* split(buf: Buffer, sizes: (i: number) => number): AsyncGenerator<Buffer> {
  let i = 0;
  for (let pos = 0; pos < buf.length; i++) {
    const n = Math.max(1, sizes(i));
    yield buf.subarray(pos, pos + n);
    pos += n;
  }
}

async function collect(source: AsyncIterable<Uint8Array>) {
  const out: { field: string; filename?: string; contentType?: string; data: Buffer }[] = [];
  for await (const part of readMultipart(source, B)) {
    const chunks: Buffer[] = [];
    for await (const c of part.body) chunks.push(c);
    out.push({
      field: part.field,
      ...(part.filename !== undefined ? { filename: part.filename } : {}),
      ...(part.contentType ? { contentType: part.contentType } : {}),
      data: Buffer.concat(chunks),
    });
  }
  return out;
}

// Content that contains near-misses of the delimiter, so a split at the wrong place would show.
const tricky = `line1\r\n--${B.slice(0, 10)}x\r\n-- not it\r\n\r\n--${B}X-not-the-end?`.replace(
  `--${B}X`,
  `-\r\n-${B}`,
);
const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));

test('parts come out intact whatever the chunk sizes (1 byte, primes, whole)', async () => {
  const raw = body(
    [
      { head: 'Content-Disposition: form-data; name="text"', data: tricky },
      {
        head: 'Content-Disposition: form-data; name="files"; filename="C:\\traces\\dev_icm"\r\nContent-Type: text/plain',
        data: binary,
      },
      { head: 'Content-Disposition: form-data; name="empty"', data: '' },
    ],
    { preamble: 'ignored preamble\r\n', epilogue: 'ignored epilogue' },
  );
  for (const sizes of [() => 1, (i: number) => [7, 13, 61, 3][i % 4]!, () => raw.length]) {
    const parts = await collect(split(raw, sizes));
    assert.equal(parts.length, 3);
    assert.equal(parts[0]!.field, 'text');
    assert.equal(parts[0]!.data.toString(), tricky);
    assert.equal(parts[1]!.filename, 'dev_icm');
    assert.equal(parts[1]!.contentType, 'text/plain');
    assert.deepEqual(parts[1]!.data, binary);
    assert.equal(parts[2]!.data.length, 0);
  }
});

test('a body that starts with its boundary comes out intact at every chunk size around the delimiter length', async () => {
  // No preamble (as browsers send it), near-misses of the delimiter, and chunk sizes from 1 byte to
  // past twice the delimiter, so the delimiter and its near-misses straddle chunk ends at every offset.
  const raw = body([
    { head: 'Content-Disposition: form-data; name="text"', data: tricky },
    { head: 'Content-Disposition: form-data; name="files"; filename="dev_icm"', data: binary },
    { head: 'Content-Disposition: form-data; name="files"; filename="second"', data: `${tricky}\r\n-` },
  ]);
  const delimiter = `\r\n--${B}`.length;
  for (let size = 1; size <= 2 * delimiter + 3; size++) {
    for (const sizes of [() => size, (i: number) => (i % 2 ? size : 2 * size + 1)]) {
      const parts = await collect(split(raw, sizes));
      assert.deepEqual(
        parts.map((p) => p.data.toString('latin1')),
        [tricky, binary.toString('latin1'), `${tricky}\r\n-`],
        `chunks of ${size}`,
      );
    }
  }
});

test('the parts of a body held in large chunks are views of those chunks, not copies', async () => {
  // The body in memory of its own (a small Buffer would share Node's pool with any copy).
  const own = new ArrayBuffer(
    body([{ head: 'Content-Disposition: form-data; name="files"; filename="dev_icm"', data: binary }]).length,
  );
  const raw = Buffer.from(own);
  body([{ head: 'Content-Disposition: form-data; name="files"; filename="dev_icm"', data: binary }]).copy(
    raw,
  );
  const chunks = [raw.subarray(0, 1000), raw.subarray(1000, 2000), raw.subarray(2000)];
  for await (const part of readMultipart(
    (async function* () {
      yield* chunks;
    })(),
    B,
  )) {
    const pieces: Buffer[] = [];
    for await (const c of part.body) pieces.push(c);
    assert.deepEqual(Buffer.concat(pieces), binary);
    for (const piece of pieces) assert.equal(piece.buffer, raw.buffer, 'a piece of the part was copied');
  }
});

test('a part the caller does not read is skipped, even after a partial read', async () => {
  const big = 'x'.repeat(50_000);
  const raw = body([
    { head: 'Content-Disposition: form-data; name="a"; filename="a.txt"', data: big },
    { head: 'Content-Disposition: form-data; name="b"; filename="b.txt"', data: big },
    { head: 'Content-Disposition: form-data; name="c"', data: 'last' },
  ]);
  const seen: string[] = [];
  for await (const part of readMultipart(
    split(raw, () => 1000),
    B,
  )) {
    seen.push(part.field);
    if (part.field === 'b') {
      for await (const _ of part.body) break; // read one chunk, then abandon
    }
    if (part.field === 'c') assert.equal(await readFieldText(part.body, 100), 'last');
  }
  assert.deepEqual(seen, ['a', 'b', 'c']);
});

test('malformed bodies are MultipartErrors, not hangs', async () => {
  const cases: [string, Buffer][] = [
    ['no boundary at all', Buffer.from('hello world')],
    ['no closing boundary', Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\nabc`)],
    [
      'headers never end',
      Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="a"\r\n${'X: y\r\n'.repeat(3000)}`),
    ],
    ['no field name', body([{ head: 'Content-Disposition: form-data', data: 'x' }])],
    ['not form-data', body([{ head: 'Content-Disposition: attachment; name="a"', data: 'x' }])],
  ];
  for (const [what, raw] of cases) {
    await assert.rejects(collect(split(raw, () => 4096)), MultipartError, what);
  }
  const many = body(
    Array.from({ length: 30 }, (_, i) => ({
      head: `Content-Disposition: form-data; name="f${i}"`,
      data: 'x',
    })),
  );
  await assert.rejects(collect(split(many, () => 4096)), /more than 20 parts/);
  const long = body([{ head: 'Content-Disposition: form-data; name="pin"', data: 'y'.repeat(200) }]);
  await assert.rejects(
    (async () => {
      for await (const p of readMultipart(
        split(long, () => 50),
        B,
      ))
        await readFieldText(p.body, 100);
    })(),
    /longer than 100 bytes/,
  );
});

test('readBoundary accepts form-data boundaries only', () => {
  assert.equal(readBoundary(`multipart/form-data; boundary=${B}`), B);
  assert.equal(readBoundary('multipart/form-data; charset=utf-8; boundary="a b"'), 'a b');
  assert.equal(readBoundary('multipart/mixed; boundary=abc'), undefined);
  assert.equal(readBoundary('multipart/form-data'), undefined);
  assert.equal(readBoundary(`multipart/form-data; boundary=${'a'.repeat(71)}`), undefined);
  assert.equal(readBoundary(undefined), undefined);
});

test('file names come back as the browser had them (%22 for a quote)', async () => {
  const raw = body([
    {
      head: 'Content-Disposition: form-data; name="files"; filename="<img src=x onerror=%22a()%22>.txt"',
      data: 'x',
    },
  ]);
  const [part] = await collect(split(raw, () => 4096));
  assert.equal(part?.filename, '<img src=x onerror="a()">.txt');
});

test('cleanFileName drops folders and control characters', () => {
  assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
  assert.equal(cleanFileName('C:\\usr\\sap\\dev_icm'), 'dev_icm');
  assert.equal(cleanFileName('a\u0000b\nc'), 'abc');
  assert.equal(cleanFileName('..'), '..');
  assert.equal(cleanFileName('/'), 'upload');
});

test('the body is read to its end after the closing delimiter (else keep-alive connections get dropped)', async () => {
  const buf = body([{ head: 'Content-Disposition: form-data; name="text"', data: 'x' }], {
    epilogue: 'trailing epilogue bytes',
  });
  let finished = false;
  async function* tracked(): AsyncGenerator<Buffer> {
    // Small chunks so the epilogue arrives after the delimiter has been seen.
    yield* split(buf, () => 7);
    finished = true;
  }
  const parts = await collect(tracked());
  assert.equal(parts.length, 1);
  assert.equal(finished, true, 'the source was not read to its end');
});
