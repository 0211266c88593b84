/** @module Tests of the streaming line splitter: line breaks, encodings, chunk boundaries, cut lines, prefilter. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type LineConsumer, type ScanOptions, scanLines } from './line-scanner.js';
import { MarkerSet } from './marker-set.js';

interface Seen {
  no: number;
  text: string;
  cut: boolean;
}

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function scan(
  input: Buffer | string,
  opts: ScanOptions = {},
  size = 1 << 16,
  consumer?: Partial<LineConsumer>,
) {
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  const lines: Seen[] = [];
  const stats = await scanLines(
    chunked(buf, size),
    {
      onLine: (no, text, cut) => lines.push({ no, text, cut }),
      wantsEveryLine: () => false,
      ...consumer,
    },
    opts,
  );
  return { lines, stats };
}

describe('scanLines: line breaks and numbering', () => {
  test('LF, CRLF and CR-only give the same numbered lines', async () => {
    const want = ['alpha', 'beta', '', 'gamma'];
    for (const sep of ['\n', '\r\n', '\r']) {
      const { lines, stats } = await scan(want.join(sep));
      assert.deepEqual(
        lines.map((l) => [l.no, l.text]),
        want.map((t, i) => [i + 1, t]),
        `separator ${JSON.stringify(sep)}`,
      );
      assert.equal(stats.lines, 4);
    }
  });

  test('a trailing line break does not add an empty line; a missing one keeps the last line', async () => {
    assert.equal((await scan('a\nb\n')).stats.lines, 2);
    assert.deepEqual(
      (await scan('a\nb')).lines.map((l) => l.text),
      ['a', 'b'],
    );
  });

  test('every chunk size gives identical lines (boundaries inside lines and inside CRLF)', async () => {
    const text = 'first line\r\nsecond\r\n\r\nfourth line is longer than the others\r\nlast';
    const base = (await scan(text, {}, 1 << 16)).lines;
    for (let size = 1; size <= 17; size++)
      assert.deepEqual((await scan(text, {}, size)).lines, base, `chunk size ${size}`);
  });

  test('an empty input has no lines', async () => {
    const { lines, stats } = await scan('');
    assert.equal(lines.length, 0);
    assert.equal(stats.lines, 0);
    assert.equal(stats.bytes, 0);
  });
});

describe('scanLines: encodings', () => {
  test('latin1 bytes inside UTF-8 are read as Windows-1252 for that line only, and counted', async () => {
    const buf = Buffer.concat([
      Buffer.from('Grüße aus Walldorf\n', 'utf8'),
      Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x20, 0x80, 0x0a]), // "Müller €" in cp1252
      Buffer.from('plain\n'),
    ]);
    const { lines, stats } = await scan(buf);
    assert.deepEqual(
      lines.map((l) => l.text),
      ['Grüße aus Walldorf', 'Müller €', 'plain'],
    );
    assert.equal(stats.nonUtf8Lines, 1);
  });

  test('UTF-16 LE and BE with BOM are transcoded, also when chunks split code units', async () => {
    const text = 'SSL handshake with host:443 failed\r\nzweite Zeile äöü\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [buf, enc] of [
      [le, 'utf-16le'],
      [be, 'utf-16be'],
    ] as const) {
      for (const size of [1, 3, 64]) {
        const { lines, stats } = await scan(buf, {}, size);
        assert.deepEqual(
          lines.map((l) => l.text),
          ['SSL handshake with host:443 failed', 'zweite Zeile äöü'],
        );
        assert.equal(stats.encoding, enc);
      }
    }
  });

  test('UTF-16 LE without BOM is recognised by its NUL pattern; a UTF-8 BOM is dropped', async () => {
    const noBom = Buffer.from('[Thr 1] *** ERROR => something went wrong here\n', 'utf16le');
    const r = await scan(noBom);
    assert.equal(r.stats.encoding, 'utf-16le');
    assert.equal(r.lines[0]!.text, '[Thr 1] *** ERROR => something went wrong here');
    const bom = await scan(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x\n')]));
    assert.equal(bom.lines[0]!.text, 'x');
  });
});

describe('scanLines: long lines', () => {
  test('a line longer than the cap is cut, flagged, and the next line keeps its number', async () => {
    const long = 'A'.repeat(300_000);
    const { lines, stats } = await scan(`short\n${long}\nafter\n`, { maxLineBytes: 1024 }, 4096);
    assert.deepEqual(
      lines.map((l) => [l.no, l.text.length, l.cut]),
      [
        [1, 5, false],
        [2, 1024, true],
        [3, 5, false],
      ],
    );
    assert.equal(stats.cutLines, 1);
  });

  test('a cut never splits a UTF-8 character into cp1252 garbage', async () => {
    const long = 'ä'.repeat(1000);
    const { lines, stats } = await scan(`${long}\n`, { maxLineBytes: 101 });
    assert.equal(stats.nonUtf8Lines, 0);
    assert.ok(/^ä+$/.test(lines[0]!.text));
  });

  test('50 MB without a line break: one cut line, memory stays bounded', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x41);
    let seen = 0;
    let maxText = 0;
    const before = process.memoryUsage().rss;
    const stats = await scanLines(
      (async function* () {
        for (let i = 0; i < 50; i++) yield chunk;
      })(),
      {
        onLine: (_no, text) => {
          seen++;
          maxText = Math.max(maxText, text.length);
        },
        wantsEveryLine: () => false,
      },
    );
    const growth = process.memoryUsage().rss - before;
    assert.equal(seen, 1);
    assert.equal(stats.lines, 1);
    assert.equal(stats.cutLines, 1);
    assert.equal(maxText, 1 << 16);
    // Loose bound: the line is never buffered whole (50 MB would show).
    assert.ok(growth < 40 * (1 << 20), `rss grew by ${(growth / (1 << 20)).toFixed(1)} MiB`);
  });
});

describe('scanLines: prefilter', () => {
  const noise = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => `[Thr 7] noise line ${from + i}`);

  test('lines without a marker are counted but not decoded; hits keep their true numbers', async () => {
    const text = [...noise(100), '[Thr 7] *** ERROR => boom', ...noise(50, 100)].join('\n');
    const { lines, stats } = await scan(text, {
      markers: new MarkerSet(['ERROR']),
      fullReadBytes: 0,
      lookbackLines: 0,
      afterLines: 0,
    });
    assert.deepEqual(
      lines.map((l) => [l.no, l.text]),
      [[101, '[Thr 7] *** ERROR => boom']],
    );
    assert.equal(stats.lines, 151);
    assert.equal(stats.skippedLines, 150);
  });

  test('lookback gives the earlier lines first, in order, also across chunk boundaries', async () => {
    const text = [...noise(40), '[Thr 7] *** ERROR => boom', ...noise(5, 40)].join('\n');
    for (const size of [7, 64, 1 << 16]) {
      const { lines } = await scan(
        text,
        { markers: new MarkerSet(['ERROR']), fullReadBytes: 0, lookbackLines: 3, afterLines: 2 },
        size,
      );
      assert.deepEqual(
        lines.map((l) => l.no),
        [38, 39, 40, 41, 42, 43],
        `chunk size ${size}`,
      );
    }
  });

  test('the consumer keeps lines coming while it is inside a block, and can filter them', async () => {
    const text = [
      ...noise(5),
      'OPEN block',
      'inside 1',
      'skip me',
      'inside 2',
      'CLOSE block',
      ...noise(5, 5),
    ].join('\n');
    const seen: string[] = [];
    let inBlock = false;
    await scanLines(
      chunked(Buffer.from(text), 9),
      {
        onLine(_no, t) {
          seen.push(t);
          if (t.startsWith('OPEN')) inBlock = true;
          if (t.startsWith('CLOSE')) inBlock = false;
        },
        wantsEveryLine: () => inBlock,
        wantsLine: (buf, s, e) => !buf.subarray(s, e).toString().startsWith('skip'),
      },
      { markers: new MarkerSet(['OPEN']), fullReadBytes: 0, lookbackLines: 0, afterLines: 0 },
    );
    assert.deepEqual(seen, ['OPEN block', 'inside 1', 'inside 2', 'CLOSE block']);
  });

  test('near the head, lines the consumer asks for are read as marker lines (look back too); past it only markers', async () => {
    const lines = noise(30);
    lines[9] = 'KEEP me';
    lines[24] = 'KEEP me too';
    lines[27] = '*** ERROR => boom';
    const text = lines.join('\n');
    const zoneEnd = text.indexOf(lines[19]!);
    for (const size of [7, 1 << 16]) {
      const { lines: seen } = await scan(
        text,
        {
          markers: new MarkerSet(['ERROR']),
          fullReadBytes: () => 0,
          zoneBytes: zoneEnd,
          lookbackLines: 1,
          afterLines: 0,
        },
        size,
        { wantsHeadLine: (buf, s, e) => buf.subarray(s, e).toString().startsWith('KEEP') },
      );
      assert.deepEqual(
        seen.map((l) => l.no),
        [9, 10, 27, 28],
        `chunk size ${size}`,
      );
    }
  });

  test('the head of the input is read in full before the prefilter starts', async () => {
    const text = noise(10).join('\n');
    const { lines } = await scan(text, { markers: new MarkerSet(['ERROR']), fullReadBytes: 60 });
    // 60 bytes cover the first three lines (the third starts before byte 60).
    assert.deepEqual(
      lines.map((l) => l.no),
      [1, 2, 3],
    );
  });
});

describe('MarkerSet', () => {
  test('finds the first marker occurrence from a position, whatever the anchor calibration', () => {
    const buf = Buffer.from('xx SSL yy ERROR zz SSSLERR_PEER qq');
    for (const sample of [Buffer.alloc(0), buf, Buffer.from('EEEEEERRRRRRRSSSSSSS')]) {
      const m = new MarkerSet(['ERROR', 'SSSLERR_', 'qq'], sample);
      const first = m.find(buf, 0, buf.length);
      assert.ok(first >= buf.indexOf('ERROR') && first < buf.indexOf('ERROR') + 5);
      const second = m.find(buf, buf.indexOf('ERROR') + 5, buf.length);
      assert.ok(second >= buf.indexOf('SSSLERR_') && second < buf.indexOf('SSSLERR_') + 8);
      assert.ok(m.find(buf, buf.indexOf('qq'), buf.length) >= buf.indexOf('qq'));
      assert.equal(m.find(buf, 0, 3), -1, 'respects the end bound');
    }
  });

  test('rejects markers it cannot search safely', () => {
    assert.throws(() => new MarkerSet(['a\nb']));
    assert.throws(() => new MarkerSet(['']));
  });
});
