/** @module The one folder walker: depth, hidden entries, links and loops, unreadable entries, limits, order, filter. */
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  type Stats,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { prng } from '../../test/helpers/prng.js';
import { isToolError } from '../model/errors.js';
import { compareNames, describeWalkProblems, MAX_FOLDER_DEPTH, walkFolder } from './walk-folder.js';

const base = mkdtempSync(join(tmpdir(), 'pse-doctor-walk-'));
after(() => rmSync(base, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const root = join(base, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

describe('walkFolder', () => {
  test('sub-folders are searched, hidden entries skipped, names sorted (English collation), depth-first', () => {
    const root = tree('basic', {
      'b.txt': 'b',
      'A.txt': 'a',
      cred_v2: 'c',
      'SAPSSLC.pse': 'p',
      'sub/z.pem': 'z',
      'sub/a.pem': 'a',
      '.hidden.pem': 'h',
      '.git/config': 'x',
      'sub/.secret': 's',
    });
    const walk = walkFolder(root, 'basic');
    assert.deepEqual(
      walk.files.map((f) => f.relative),
      ['A.txt', 'b.txt', 'cred_v2', 'SAPSSLC.pse', 'sub/a.pem', 'sub/z.pem'],
    );
    assert.equal(walk.hidden, 3);
    assert.deepEqual(walk.problems, []);
    assert.equal(walk.files[4]?.shown, join('basic', 'sub', 'a.pem'));
    assert.equal(walk.files[4]?.size, 1);
  });

  test('the filter decides which files a command takes; the others are counted', () => {
    const root = tree('filter', { 'a.pse': 'x', 'b.txt': 'x', 'sub/c.pse': 'x' });
    const walk = walkFolder(root, 'filter', { accept: (name) => name.endsWith('.pse') });
    assert.deepEqual(
      walk.files.map((f) => f.relative),
      ['a.pse', 'sub/c.pse'],
    );
    assert.equal(walk.filtered, 1);
  });

  test(`folders deeper than ${MAX_FOLDER_DEPTH} levels are reported, not read`, () => {
    const root = tree('deep', { 'l1/l2/l3/l4/ok.pem': 'x', 'l1/l2/l3/l4/l5/too-deep.pem': 'x' });
    const walk = walkFolder(root, 'deep');
    assert.deepEqual(
      walk.files.map((f) => f.relative),
      ['l1/l2/l3/l4/ok.pem'],
    );
    assert.equal(walk.problems.length, 1);
    assert.match(walk.problems[0]?.reason ?? '', /more than 4 folder levels/);
  });

  test('links are followed; a link loop and a dangling link are reported, the walk goes on', () => {
    const root = tree('links', { 'a.pem': 'x', 'sub/b.pem': 'x' });
    const outside = tree('links-target', { 'c.pem': 'x' });
    symlinkSync(root, join(root, 'sub', 'loop'));
    symlinkSync(join(root, 'missing.pem'), join(root, 'dangling.pem'));
    symlinkSync(outside, join(root, 'linked'));
    symlinkSync(join(root, 'sub', 'b.pem'), join(root, 'z-link.pem'));
    const walk = walkFolder(root, 'links');
    assert.deepEqual(
      walk.files.map((f) => f.relative),
      ['a.pem', 'linked/c.pem', 'sub/b.pem', 'z-link.pem'],
    );
    const problems = Object.fromEntries(walk.problems.map((p) => [p.shown, p.reason]));
    assert.match(problems[join('links', 'sub', 'loop')] ?? '', /already read \(a link loop/);
    assert.match(problems[join('links', 'dangling.pem')] ?? '', /does not exist/);
    assert.equal(describeWalkProblems(walk).length, 2);
  });

  test('an unreadable sub-folder or entry is reported, not fatal; an unreadable named folder is an input error', () => {
    const root = tree('unreadable', { 'a.pem': 'x', 'locked/b.pem': 'x', 'c.pem': 'x' });
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const fs = {
      readdir: (p: string) => {
        if (p.endsWith('locked')) throw denied;
        return readdirSync(p);
      },
      stat: (p: string): Stats => {
        if (p.endsWith('c.pem')) throw denied;
        return statSync(p);
      },
      realpath: (p: string) => p,
    };
    const walk = walkFolder(root, 'unreadable', { fs });
    assert.deepEqual(
      walk.files.map((f) => f.relative),
      ['a.pem'],
    );
    assert.deepEqual(
      walk.problems.map((p) => [p.shown, p.reason]),
      [
        [join('unreadable', 'c.pem'), 'permission denied'],
        [join('unreadable', 'locked'), 'permission denied'],
      ],
    );
    try {
      walkFolder(root, 'unreadable', {
        fs: {
          ...fs,
          readdir: () => {
            throw denied;
          },
        },
      });
      assert.fail('expected a ToolError');
    } catch (err) {
      assert.ok(isToolError(err));
      assert.equal(err.code, 'not-readable');
      assert.match(err.message, /unreadable.*permission denied/);
    }
  });

  test('the entry limit stops the walk and says so', () => {
    const root = tree('wide', Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.pem`, 'x'])));
    const walk = walkFolder(root, 'wide', { maxEntries: 5 });
    assert.equal(walk.files.length, 5);
    assert.match(walk.truncated ?? '', /wide holds more than 5 entries/);
  });
});

test('compareNames orders names as English collation does (ICU), with and without its fast path', () => {
  const collator = new Intl.Collator('en');
  const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
  const rand = prng(20260115);
  // Few characters per alphabet, so names often share prefixes and differ only in case or punctuation.
  const alphabets = ['aAbB_-.09', 'sSpPeE.', 'xX1_', 'aA-é ~Zz', 'SAPSSLCsapsslc.pse0123456789_-'];
  const names = [
    'SAPSSLC.pse',
    'sapsslc.pse',
    'SAPSSLC.PSE',
    'cred_v2',
    'SAPSSLS_P40000.pse',
    'SAPSSLS.pse',
    'a',
    'A',
    '',
  ];
  for (let i = 0; i < 3000; i++) {
    const alphabet = alphabets[i % alphabets.length] as string;
    const length = Math.floor(rand() * 7);
    names.push(Array.from({ length }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''));
  }
  let fast = 0;
  for (let i = 0; i + 1 < names.length; i++) {
    const pairs: Array<[string, string]> = [
      [names[i] as string, names[i + 1] as string],
      [names[i] as string, names[(i * 7) % names.length] as string],
    ];
    for (const [x, y] of pairs) {
      assert.equal(sign(compareNames(x, y)), sign(collator.compare(x, y)), `"${x}" vs "${y}"`);
      if (/^[\w.-]*$/.test(x) && /^[\w.-]*$/.test(y)) fast++;
    }
  }
  assert.ok(fast > 3000, `${fast} pairs on the fast path`);
});
