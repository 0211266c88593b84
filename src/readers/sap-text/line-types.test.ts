/** @module Every `has` of the line-type table is text every match of its pattern contains. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixturesOrSkip, listFixtures, REPO_ROOT } from '../../../test/helpers/fixtures.js';
import { regexFactors } from '../text/regex-factors.js';
import { LINE_TYPES } from './line-types.js';

describe('the line-type guards', () => {
  test('each has is in every literal the pattern needs, spelt as in the pattern', () => {
    const guarded = LINE_TYPES.filter((t) => t.has !== undefined);
    assert.ok(guarded.length > 30, `${guarded.length} guarded types`);
    for (const type of guarded) {
      const has = type.has as string;
      // Case matters to the guard (a plain includes): the pattern must compare case too.
      assert.equal(type.re.flags.includes('i'), false, type.name);
      const factors = regexFactors(type.re);
      assert.ok(factors, `${type.name}: no literals read from the pattern`);
      const needed = [...factors.anywhere, ...factors.atStart];
      assert.ok(needed.length > 0, type.name);
      // Every match contains one of these (lower-cased); each holds the guard.
      for (const literal of needed)
        assert.ok(literal.includes(has.toLowerCase()), `${type.name}: "${literal}" lacks "${has}"`);
      // The pattern's text without group brackets and escapes spells the guard.
      const spelt = type.re.source.replace(/(?<!\\)\((?:\?:)?|(?<!\\)\)/g, '').replace(/\\(.)/g, '$1');
      assert.ok(spelt.includes(has), `${type.name}: "${has}" not in the pattern`);
    }
  });

  test(
    'on every line of the real traces and examples, a pattern matches only lines holding its guard',
    fixturesOrSkip(),
    () => {
      const files = [
        ...listFixtures(join('real', 'traces'), ''),
        ...listFixtures(join('real', 'cases'), '.txt'),
        join(REPO_ROOT, 'examples', 'dev_icm'),
      ];
      let matched = 0;
      for (const file of files) {
        let text: string;
        try {
          text = readFileSync(file, 'latin1');
        } catch {
          continue; // A folder or an unreadable entry.
        }
        for (const line of text.split('\n')) {
          for (const type of LINE_TYPES) {
            if (type.has === undefined || !type.re.test(line)) continue;
            matched++;
            assert.ok(line.includes(type.has), `${type.name} matched without "${type.has}": ${line}`);
          }
        }
      }
      assert.ok(matched > 100, `${matched} matched lines`);
    },
  );
});
