/** @module The allowed-folder check: real paths, whole segments, links to files and folders, hard links, special files. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isToolError } from '../model/errors.js';
import { AllowedFolders, isInside } from './allowed-folders.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'pse-doctor-allowed-')));
after(() => rmSync(base, { recursive: true, force: true }));
const data = join(base, 'data');
const evil = join(base, 'data-evil');
mkdirSync(join(data, 'sec', 'deeper'), { recursive: true });
mkdirSync(evil);
writeFileSync(join(data, 'dev_icm'), 'trace\n');
writeFileSync(join(data, 'sec', 'SAPSSLC.pse'), 'pse');
writeFileSync(join(evil, 'secret.txt'), 'secret\n');
symlinkSync(join(evil, 'secret.txt'), join(data, 'sec', 'deeper', 'out.pem'));
symlinkSync(join(data, 'dev_icm'), join(data, 'inside-link'));
symlinkSync(data, join(base, 'data-link'));

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isToolError(err), `a ToolError, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected a refusal');
}

describe('isInside compares whole path segments', () => {
  test('a sibling with the same prefix is outside', () => {
    assert.equal(isInside('/data', '/data-evil/x'), false);
    assert.equal(isInside('/data', '/data'), true);
    assert.equal(isInside('/data', '/data/x/y'), true);
    assert.equal(isInside('/data', '/'), false);
    assert.equal(isInside('/data', '/data/..x'), true, 'a name starting with two dots is inside');
  });
});

describe('AllowedFolders.check', () => {
  const folders = AllowedFolders.resolve([data], base);

  test('a relative path starts at the first folder and resolves to its real path', () => {
    const p = folders.check('dev_icm');
    assert.equal(p.real, join(data, 'dev_icm'));
    assert.equal(p.kind, 'file');
    assert.equal(p.bytes, 6);
  });

  test('".." out of the folder and a prefix sibling are outside', () => {
    assert.match(
      refusal(() => folders.check('../data-evil/secret.txt')),
      /is outside the allowed folders/,
    );
    assert.match(
      refusal(() => folders.check(join(evil, 'secret.txt'))),
      /is outside the allowed folders/,
    );
    assert.match(
      refusal(() => folders.check('sec/../../data-evil')),
      /is outside/,
    );
  });

  test('a link inside that stays inside is fine; one that leads out is refused without naming its target', () => {
    assert.equal(folders.check('inside-link').real, join(data, 'dev_icm'));
    const message = refusal(() => folders.check('sec/deeper/out.pem'));
    assert.match(message, /is a link .*leads outside/);
    assert.ok(!message.includes('secret.txt'), 'the link target is not revealed');
  });

  test('a folder is walked as the commands read it (readers/walk-folder): a link out two levels down is refused', () => {
    assert.match(
      refusal(() => folders.check('sec')),
      /sec\/deeper\/out\.pem is a link that leads outside/,
    );
    // A linked folder that leads outside: its files are reached through the link and refused.
    const other = join(base, 'other');
    mkdirSync(join(other, 'inner'), { recursive: true });
    writeFileSync(join(evil, 'b.pem'), 'x');
    symlinkSync(evil, join(other, 'inner', 'linked'));
    const wide = AllowedFolders.resolve([other], base);
    assert.match(
      refusal(() => wide.check(other)),
      /inner\/linked\/b\.pem lies in a linked folder that leads outside/,
    );
  });

  test('the allowed folder may itself be named through a link', () => {
    const viaLink = AllowedFolders.resolve([join(base, 'data-link')], base);
    assert.deepEqual(viaLink.roots, [data]);
    assert.equal(viaLink.check(join(base, 'data-link', 'dev_icm')).real, join(data, 'dev_icm'));
  });

  test('hard-linked files, FIFOs, NUL bytes and empty strings are refused', () => {
    linkSync(join(evil, 'secret.txt'), join(data, 'hard.txt'));
    assert.match(
      refusal(() => folders.check('hard.txt')),
      /1 more hard link/,
    );
    rmSync(join(data, 'hard.txt'));
    execFileSync('mkfifo', [join(data, 'pipe')]);
    assert.match(
      refusal(() => folders.check('pipe')),
      /not a regular file or folder/,
    );
    rmSync(join(data, 'pipe'));
    assert.match(
      refusal(() => folders.check('dev_icm\0.txt')),
      /NUL/,
    );
    assert.match(
      refusal(() => folders.check('')),
      /non-empty/,
    );
  });

  test('a missing file inside is "not found"; without folders nothing is readable', () => {
    assert.match(
      refusal(() => folders.check('nope.txt')),
      /No file at nope\.txt/,
    );
    const none = AllowedFolders.resolve([], base);
    assert.match(
      refusal(() => none.check('dev_icm')),
      /started without --allow/,
    );
  });

  test('--allow of a missing folder or a file is a usage error', () => {
    assert.match(
      refusal(() => AllowedFolders.resolve(['no-such'], base)),
      /--allow no-such: no such folder/,
    );
    assert.match(
      refusal(() => AllowedFolders.resolve([join(data, 'dev_icm')], base)),
      /not a folder/,
    );
  });
});
