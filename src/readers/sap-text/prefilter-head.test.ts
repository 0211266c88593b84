/**
 * @module The trace-header test of the prefilter on the head's bytes answers as the regex on the decoded
 * head did, on every fixture head and on hostile variants (BOMs, CR and CRLF breaks, the header inside a
 * line, cut short, repeated, UTF-16).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixturesOrSkip, textFixtureFiles } from '../../../test/helpers/fixtures.js';
import { decodeHead } from '../text/encoding.js';
import { prefilterFor, traceHeaderInBytes } from './prefilter.js';

const byRegex = (head: Buffer) => /^trc file: "/m.test(decodeHead(head));

function check(head: Buffer, label: string): void {
  const fast = traceHeaderInBytes(head);
  if (fast === undefined) return;
  assert.equal(fast, byRegex(head), label);
  if (fast) assert.equal(prefilterFor(head).kernel, true, label);
}

test('every fixture head: the byte test answers as the regex on the decoded head', fixturesOrSkip(), () => {
  let withHeader = 0;
  for (const f of textFixtureFiles()) {
    const head = readFileSync(f).subarray(0, 1 << 16);
    check(head, f);
    if (traceHeaderInBytes(head)) withHeader++;
  }
  assert.ok(withHeader >= 1, 'a fixture with a trace header');
});

test('hostile heads: breaks, BOM, header inside a line, cut, repeated, UTF-16', () => {
  const header = 'trc file: "dev_icm", trc level: 2, release: "785"';
  const texts = [
    header,
    `\n${header}`,
    `\r${header}`,
    `\r\n${header}`,
    ` ${header}`,
    `x${header}\n${header}`,
    `x${header}\nx${header}`,
    'trc file: ',
    'trc file: "',
    'trc file:"dev_icm"',
    'TRC FILE: "dev_icm"',
    `\u2028${header}`,
    `\u0085${header}`,
    `é\n${header}`,
    '',
    'a',
  ];
  const heads: Buffer[] = [];
  for (const t of texts) {
    heads.push(Buffer.from(t, 'utf8'), Buffer.from(`\ufeff${t}`, 'utf8'), Buffer.from(t, 'latin1'));
    heads.push(Buffer.from(`${'[Thr 1] noise\n'.repeat(40)}${t}`, 'utf8'));
  }
  let x = 5;
  for (let i = 0; i < 400; i++) {
    let s = '';
    for (let k = 0; k < 6; k++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      s += ['trc file: "', '\n', '\r', ' ', 'a', header, '\u2028', '"'][x % 8];
    }
    heads.push(Buffer.from(s, 'utf8'));
  }
  let answered = 0;
  for (const [i, h] of heads.entries()) {
    check(h, `head ${i}: ${JSON.stringify(h.toString('latin1').slice(0, 80))}`);
    if (traceHeaderInBytes(h) !== undefined) answered++;
  }
  assert.ok(answered > heads.length / 2);
  // UTF-16 heads are left to the decoding path.
  assert.equal(traceHeaderInBytes(Buffer.from(`\ufeff${header}`, 'utf16le')), undefined);
  assert.equal(prefilterFor(Buffer.from(`\ufeff${header}\n`, 'utf16le')).kernel, true);
});
