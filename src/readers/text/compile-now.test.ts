/** @module compileNow: a long regex run once on a long subject, leaving every answer and lastIndex as they were. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileNow } from './compile-now.js';

/** A pattern over the length compileNow acts on (100 characters), matching `needle` lines. */
const LONG = `needle|${Array.from({ length: 20 }, (_, i) => `word${i}`).join('|')}`;

test('returns the regex itself, with the same answers', () => {
  const re = new RegExp(LONG);
  assert.ok(re.source.length >= 100);
  assert.equal(compileNow(re), re);
  assert.equal(re.test('a needle here'), true);
  assert.equal(re.test('nothing'), false);
});

test('keeps lastIndex of a global or sticky regex', () => {
  for (const flags of ['g', 'y', 'gi']) {
    const re = new RegExp(LONG, flags);
    re.lastIndex = 3;
    compileNow(re);
    assert.equal(re.lastIndex, 3, flags);
    // The next match starts where it would have.
    const y = new RegExp(LONG, flags);
    y.lastIndex = 3;
    assert.deepEqual(re.exec('xx needle needle')?.index, y.exec('xx needle needle')?.index, flags);
  }
});

test('a short pattern is not run at all', () => {
  let runs = 0;
  const re = /short/g;
  const exec = re.exec.bind(re);
  re.exec = (s: string) => {
    runs++;
    return exec(s);
  };
  compileNow(re);
  assert.equal(runs, 0);
});

test('runs a long pattern once, however often it is called', () => {
  let runs = 0;
  const re = new RegExp(LONG);
  const exec = re.exec.bind(re);
  re.exec = (s: string) => {
    runs++;
    return exec(s);
  };
  compileNow(re);
  compileNow(re);
  compileNow(re);
  assert.equal(runs, 1);
});
