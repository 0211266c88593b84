/** @module Exact lookups from keys.txt without loading the knowledge base: the same answer as the loaded one for every id and key, and no answer where the knowledge base must decide. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exactLookupFromKeys } from './exact-keys.js';
import { exactQueryText, isNumberQuery, KnowledgeBase, lookupKeysOf } from './knowledge-base.js';
import { compiledKbFiles, compileKnowledgeBase } from './load-kb.js';
import type { KbEntry, KbLookupOptions } from './types.js';

const compiled = compileKnowledgeBase();
const entries: KbEntry[] = JSON.parse(JSON.stringify(compiled.entries.entries));
const kb = new KnowledgeBase(entries);
let dir: string;
let keysPath: string;
let indexPath: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-kb-keys-'));
  const files = compiledKbFiles(compiled.entries);
  indexPath = join(dir, 'index.json');
  keysPath = join(dir, 'keys.txt');
  writeFileSync(indexPath, files.index);
  writeFileSync(keysPath, files.keys);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const fast = (query: string, opts: KbLookupOptions = {}) =>
  exactLookupFromKeys(query, opts, keysPath, indexPath);

describe('exact lookups from keys.txt', () => {
  test('every id and every lookup key, as written and in other forms, answers as the loaded knowledge base', () => {
    let answered = 0;
    for (const e of entries) {
      const names = new Set([e.id, ...e.aliases, ...lookupKeysOf(e)]);
      for (const name of names) {
        for (const q of [name, name.toLowerCase(), ` ${name.replace(/_/g, ' ')} `]) {
          const got = fast(q, { limit: 8 });
          const want = kb.lookup(q, { limit: 8 });
          if (!got) {
            // Left to the knowledge base only where it reads the query as a number or finds no exact entry.
            assert.ok(!want.exact || isNumberQuery(exactQueryText(q) ?? ''), q);
            continue;
          }
          answered++;
          assert.equal(JSON.stringify(got), JSON.stringify(want), q);
        }
      }
    }
    assert.ok(answered > entries.length * 2, `${answered} answered from keys.txt`);
  });

  test('what the knowledge base must decide is not answered here', () => {
    for (const q of [
      '-102',
      '(- 102)',
      'HTTP error 407',
      '407',
      'TLS alert 42',
      'message WSS040',
      'peer not trusted',
      'wss04',
      '',
      ' ',
      'x'.repeat(201),
    ])
      assert.equal(fast(q), undefined, q);
    // An exact name of another kind than asked for: the knowledge base ranks the rest.
    assert.equal(fast('WSS040', { kind: 'parameter' }), undefined);
    assert.equal(fast('WSS040', { kind: 'message' })?.exact?.id, 'WSS040');
  });

  test('a missing, foreign, cut or stale keys.txt gives no answer, never a wrong one', () => {
    assert.equal(exactLookupFromKeys('WSS040', {}, join(dir, 'none.txt'), indexPath), undefined);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'not a keys file\nI\tWSS040\t0\t10\n');
    assert.equal(exactLookupFromKeys('WSS040', {}, bad, indexPath), undefined);
    const text = readFileSync(keysPath, 'utf8');
    writeFileSync(bad, text.slice(0, text.indexOf('\nI\tWSS040\t') + 12));
    assert.equal(exactLookupFromKeys('WSS040', {}, bad, indexPath), undefined);
    // Every range moved by 7 bytes (index.json rebuilt, keys.txt not): the bytes are no entry of that name.
    writeFileSync(
      bad,
      text.replace(/\t(\d+)\t(\d+)$/gm, (_, o: string, l: string) => `\t${Number(o) + 7}\t${l}`),
    );
    assert.equal(exactLookupFromKeys('WSS040', {}, bad, indexPath), undefined);
    // Two entries' lines swapped: the entry read is not named so.
    const a = text.match(/^I\tWSS040\t.*$/m)![0];
    const b = text.match(/^I\tSTRUST\t.*$/m)![0];
    const swapped = text.replace(a, '\u0000').replace(b, a.replace('WSS040', 'STRUST'));
    writeFileSync(bad, swapped.replace('\u0000', b.replace('STRUST', 'WSS040')));
    assert.equal(exactLookupFromKeys('WSS040', {}, bad, indexPath), undefined);
    assert.equal(exactLookupFromKeys('STRUST', {}, bad, indexPath), undefined);
  });
});
