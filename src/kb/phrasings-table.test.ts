/**
 * @module The recognition table test/recognition/phrasings.tsv is well formed: at least 400 real
 * phrasings over at least 14 stacks, each tied to an existing entry and one of its causes, and each
 * line of a non-SAP stack contains a printed text or pattern of its entry.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { listEntries } from './index.js';
import { KB_STACKS } from './types.js';

const rows = readFileSync('test/recognition/phrasings.tsv', 'utf8')
  .trimEnd()
  .split('\n')
  .map((l) => l.split('\t'));
const header = rows.shift();
const byId = new Map(listEntries().map((e) => [e.id, e]));
/** Stacks whose lines the structured SAP readers claim; their expected cause comes from the rules. */
const SAP_STACKS = new Set([
  'icm',
  'abap',
  'commoncryptolib',
  'snc',
  'slc',
  'sap-gui',
  'sapgenpse',
  'webdispatcher',
]);

/**
 * Mirrors the recogniser's rule: a phrase needs a literal part of 4+ characters and is not one plain word
 * (a run of 8 or more characters of a script written without spaces is a sentence).
 */
function recognisable(printed: string): boolean {
  const parts = printed.split(/<[a-z][a-z0-9_-]{0,24}>|&\d|…|\.\.\./).filter((p) => p.trim() !== '');
  if (!parts.some((p) => p.trim().length >= 4)) return false;
  const literal = parts.join(' ').trim();
  return (
    /\s/.test(literal) ||
    /[_\d.:=(]/.test(literal) ||
    /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]{8}/.test(literal)
  );
}

function literalMatches(printed: string, line: string): boolean {
  if (!recognisable(printed)) return false;
  const parts = printed
    .split(/<[a-z][a-z0-9 _-]*>|&[1-9]|…/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  let at = 0;
  const lower = line.toLowerCase();
  for (const p of parts) {
    const i = lower.indexOf(p, at);
    if (i < 0) return false;
    at = i + p.length;
  }
  return parts.length > 0;
}

describe('phrasings table', () => {
  test('has the header, at least 400 rows and at least 14 stacks', () => {
    assert.deepEqual(header, ['stack', 'entry', 'cause', 'line']);
    assert.ok(rows.length >= 400, `${rows.length} rows`);
    const stacks = new Set(rows.map((r) => r[0]));
    assert.ok(stacks.size >= 14, [...stacks].join(', '));
    assert.equal(new Set(rows.map((r) => r[3])).size, rows.length, 'a line is listed twice');
  });

  test('every row names a known stack, an existing entry and one of its causes', () => {
    for (const [stack, id, cause, line] of rows) {
      assert.ok((KB_STACKS as readonly string[]).includes(stack!), `unknown stack ${stack}`);
      const e = byId.get(id!);
      assert.ok(e, `no entry ${id}`);
      assert.ok(line && line.trim() !== '', `empty line for ${id}`);
      if (!SAP_STACKS.has(stack!)) assert.ok(e.causes.includes(cause as never), `${id}: cause ${cause}`);
    }
  });

  test('every non-SAP line contains a printed text or pattern of its entry', () => {
    for (const [stack, id, , line] of rows) {
      if (SAP_STACKS.has(stack!)) continue;
      const e = byId.get(id!)!;
      const hit =
        e.printed.some((p) => literalMatches(p, line!)) ||
        e.patterns.some((p) => new RegExp(p, 'i').test(line!));
      assert.ok(hit, `${id}: ${line}`);
    }
  });
});
