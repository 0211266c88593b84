/** @module Entries read from index.json on first use, and the recogniser's stored form: what a command gets equals the parsed kb/*.md entry, and a lookup reads only what it returns. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { jsonArrayWithRanges, RangedJsonFile } from '../compiled/ranged-json.js';
import { KnowledgeBase } from './knowledge-base.js';
import { type CompiledHeads, completeAllEntries, isPending, lazyEntries } from './lazy-entries.js';
import { compiledKbFiles, compileKnowledgeBase } from './load-kb.js';
import { Recognizer } from './recognize/matcher.js';
import { compileRecognizer, type StoredRecognizer, storedRecognizerFiles } from './recognize/model.js';
import type { KbEntry } from './types.js';

const compiled = compileKnowledgeBase();
const fresh: KbEntry[] = JSON.parse(JSON.stringify(compiled.entries.entries));
let dir: string;
let indexPath: string;
let heads: CompiledHeads;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pse-doctor-lazy-kb-'));
  const files = compiledKbFiles(compiled.entries);
  indexPath = join(dir, 'index.json');
  writeFileSync(indexPath, files.index);
  heads = JSON.parse(files.heads) as CompiledHeads;
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('ranged JSON', () => {
  test('each range parses to its item, with non-ASCII text before it', () => {
    const items = [{ a: 'über … “quoted”' }, [1, 2, { b: null }], 'ß', 42, { c: '\u2028' }];
    const { text, ranges } = jsonArrayWithRanges(items, '{"x":', '}');
    const path = join(dir, 'items.json');
    writeFileSync(path, text);
    assert.deepEqual(JSON.parse(text), { x: items });
    const file = new RangedJsonFile(path);
    assert.deepEqual(file.readMany(ranges), items);
    assert.deepEqual(file.read(ranges[4]!), items[4]);
  });

  test('a range past the end of a (stale) file is a clear error', () => {
    const path = join(dir, 'short.json');
    writeFileSync(path, '[1]');
    assert.throws(() => new RangedJsonFile(path).read([1, 50]), /ends before byte 51.*npm run build/);
  });
});

describe('lazy knowledge-base entries', () => {
  test('index.json written with ranges is the compiled knowledge base', () => {
    assert.deepEqual(
      JSON.parse(compiledKbFiles(compiled.entries).index),
      JSON.parse(JSON.stringify(compiled.entries)),
    );
    assert.equal(heads.heads.length, fresh.length);
  });

  test('heads answer without reading; a body field completes the entry, equal to the parsed one', () => {
    const entries = lazyEntries(heads, indexPath);
    const i = fresh.findIndex((e) => e.id === 'WSS040');
    const e = entries[i]!;
    assert.equal(e.id, 'WSS040');
    assert.equal(e.messageClass, fresh[i]!.messageClass);
    assert.ok(isPending(e), 'reading head fields must not read the entry');
    assert.deepEqual(e.printed, fresh[i]!.printed);
    assert.ok(!isPending(e));
    assert.deepEqual(e, fresh[i]);
    assert.deepEqual(Object.keys(e), Object.keys(fresh[i]!), 'keys keep their order');
    assert.equal(JSON.stringify(e), JSON.stringify(fresh[i]));
    assert.equal(Object.getPrototypeOf(e), Object.prototype);
    assert.ok(isPending(entries[(i + 1) % entries.length]!), 'other entries stay unread');
  });

  test('an index.json rebuilt under a running process is refused, not mixed in', () => {
    const moved = join(dir, 'moved-index.json');
    const files = compiledKbFiles({ version: 1, entries: [...compiled.entries.entries].reverse() });
    writeFileSync(moved, files.index);
    const entries = lazyEntries(heads, moved);
    // Entry 0 now sits where the last one was: a range that cuts through JSON, or whole but another entry.
    assert.throws(() => entries[0]!.printed, /changed since it was loaded.*restart pse-doctor/);
    const sameLength = JSON.stringify({ ...fresh[0]!, id: 'X'.repeat(fresh[0]!.id.length) });
    const swapped = join(dir, 'swapped-index.json');
    const { index } = compiledKbFiles(compiled.entries);
    const [at, length] = heads.ranges[0]!;
    assert.equal(Buffer.byteLength(sameLength), length);
    writeFileSync(
      swapped,
      Buffer.concat([
        Buffer.from(index).subarray(0, at),
        Buffer.from(sameLength),
        Buffer.from(index).subarray(at + length),
      ]),
    );
    assert.throws(
      () => lazyEntries(heads, swapped)[0]!.printed,
      /index\.json changed since it was loaded \(expected entry .* there\): restart pse-doctor/,
    );
  });

  test('completing all reads every entry once and each equals its parse', () => {
    const entries = lazyEntries(heads, indexPath);
    completeAllEntries(entries);
    assert.ok(entries.every((e) => !isPending(e)));
    assert.deepEqual(entries, fresh);
  });

  test('the knowledge base over lazy entries answers like the one over parsed entries, reading only what it returns', () => {
    const entries = lazyEntries(heads, indexPath);
    // As loadKnowledgeBase does: the recogniser comes from its own compiled files, not from the entries.
    const recognizer = new Recognizer(compileRecognizer(fresh));
    const lazy = new KnowledgeBase(
      entries,
      () => compiled.search,
      () => recognizer,
      heads.keys,
    );
    const eager = new KnowledgeBase(fresh, () => compiled.search);
    for (const q of [
      'WSS040',
      '-102',
      'SCLNT_HTTP407',
      'WSS 041',
      'peer not trusted',
      'SSSLRC_CONN_CLOSED',
    ]) {
      const a = lazy.lookup(q, { limit: 5 });
      const b = eager.lookup(q, { limit: 5 });
      assert.deepEqual(
        a.matches.map((m) => [m.entry.id, m.score, m.reason]),
        b.matches.map((m) => [m.entry.id, m.score, m.reason]),
        q,
      );
      for (const m of a.matches) assert.ok(!isPending(m.entry), `${q}: ${m.entry.id} handed out incomplete`);
      assert.deepEqual(a.matches[0]?.entry, b.matches[0]?.entry);
    }
    const read = entries.filter((e) => !isPending(e)).length;
    assert.ok(read < entries.length / 4, `six lookups read ${read} of ${entries.length} entries`);
    assert.deepEqual(
      lazy.getEntry('SSSLERR_PEER_CERT_UNTRUSTED'),
      eager.getEntry('SSSLERR_PEER_CERT_UNTRUSTED'),
    );
    assert.deepEqual(lazy.listEntries({ kind: 'message' }), eager.listEntries({ kind: 'message' }));
    assert.deepEqual(lazy.entries, eager.entries);
  });
});

describe('stored recognition model', () => {
  const data = compileRecognizer(compiled.entries.entries);
  let stored: Recognizer;
  before(() => {
    const files = storedRecognizerFiles(data);
    const path = join(dir, 'recognizer-entries.json');
    writeFileSync(path, files.entries);
    stored = new Recognizer(JSON.parse(files.model) as StoredRecognizer, path);
  });

  test('matches every phrase like the model in memory, one entry object per entry', () => {
    const memory = new Recognizer(data);
    for (const p of data.phrases) {
      const line = `2026-12-06 10:00:00 ERROR ${p.text}`;
      const a = stored.match(line);
      const b = memory.match(line);
      assert.deepEqual(
        a.map((h) => [h.entry.id, h.score, h.start, h.end]),
        b.map((h) => [h.entry.id, h.score, h.start, h.end]),
        p.text,
      );
      assert.deepEqual(a[0]?.entry, b[0]?.entry);
      if (a[0]) assert.equal(stored.match(line)[0]!.entry, a[0].entry);
    }
    assert.deepEqual(stored.entries(), data.entries);
    assert.equal(stored.entryById(data.entries[3]!.id), stored.entry(3));
    assert.equal(stored.entryById('NO_SUCH_ENTRY'), undefined);
    assert.deepEqual(stored.data.phrases, data.phrases);
    assert.deepEqual(stored.data.patterns, data.patterns);
  });

  test('every entry, phrase and pattern is read from its own bytes of the entries file', () => {
    const files = storedRecognizerFiles(data);
    const path = join(dir, 'recognizer-entries-each.json');
    writeFileSync(path, files.entries);
    const fresh = new Recognizer(JSON.parse(files.model) as StoredRecognizer, path);
    // Each entry by its range alone (nothing read before).
    data.entries.forEach((e, i) => {
      assert.deepEqual(fresh.entry(i), e);
    });
    // Each pattern by its range, when a line holds its literal: the same hits as the model in memory.
    const memory = new Recognizer(data);
    assert.ok(data.patterns.length > 0);
    for (const p of data.patterns) {
      const line = `x ${p.literal} y`;
      assert.deepEqual(
        fresh.match(line).map((h) => [h.entry.id, h.matched, h.score]),
        memory.match(line).map((h) => [h.entry.id, h.matched, h.score]),
        line,
      );
    }
  });

  test('the stored model holds only keys; a phrase is read when a line brings it up', () => {
    const model = JSON.parse(storedRecognizerFiles(data).model) as StoredRecognizer;
    assert.equal(model.keys.length, data.phrases.length + data.patterns.length);
    assert.equal(JSON.stringify(model).includes(data.phrases[0]!.text), false);
    // Loading reads nothing of the entries file: a model over a missing file loads, and fails only
    // (clearly) when a line needs a phrase.
    const missing = new Recognizer(model, join(dir, 'no-such-recognizer-entries.json'));
    assert.deepEqual(missing.match('2026-12-06 10:00:00 routine line without any known text'), []);
    assert.throws(() => missing.match(`ERROR ${data.phrases[0]!.text}`), /ENOENT/);
  });

  test('a phrase read after the file changed under the process is a clear error, not a wrong match', () => {
    const files = storedRecognizerFiles(data);
    const path = join(dir, 'recognizer-entries-swapped.json');
    writeFileSync(path, files.entries);
    const r = new Recognizer(JSON.parse(files.model) as StoredRecognizer, path);
    // Another build's file: the same items in another order.
    const other = { ...data, phrases: [...data.phrases].reverse() };
    writeFileSync(path, storedRecognizerFiles(other).entries);
    const i = data.phrases.findIndex((p, k) => p.key !== data.phrases[data.phrases.length - 1 - k]!.key);
    assert.ok(i >= 0);
    assert.throws(
      () => r.match(`ERROR ${data.phrases[i]!.text}`),
      /changed since it was loaded.*restart pse-doctor/,
    );
  });
});
