/**
 * @module Honest ranking from thin evidence: every kb entry `analyze` turns into findings ranks at least
 * two hypotheses, or says in `singleCause:` why one cause is all its message can mean.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MIN_HYPOTHESES, rankingGaps, yieldsFindings } from './hypothesis-coverage.js';
import { parseEntry } from './parse-entry.js';
import { readKbDirectory } from './read-kb-directory.js';

const entries = readKbDirectory();

/** A minimal alert entry with the given extra front-matter lines. */
function entry(extra: string): ReturnType<typeof parseEntry> {
  const text = [
    '---',
    'id: TLS_ALERT_EXAMPLE',
    'kind: alert',
    'title: an example alert',
    'printed:',
    '  - received a fatal TLS example alert message from the peer',
    'causes:',
    '  - tls-version',
    '  - cipher-mismatch',
    extra,
    '---',
    '',
    '## What it means',
    '',
    'An example entry for the ranking rule.',
    '',
    '## Likely causes',
    '',
    '- Something the test invents.',
    '',
    '## How to fix',
    '',
    'Nothing, it is a test entry.',
    '',
    '## How to confirm',
    '',
    'The test passes with it.',
  ].join('\n');
  return parseEntry(text, 'kb/alert/TLS_ALERT_EXAMPLE.md');
}

const ONE = [
  'hypotheses:',
  '  - cause: tls-version',
  '    why: the peer refuses the version offered',
  '    tellsApart: a probe shows the versions',
  '    collectNext: the versions each side allows',
].join('\n');
const TWO = [
  ONE,
  '  - cause: cipher-mismatch',
  '    why: no common cipher suite',
  '    tellsApart: a probe shows the suites',
  '    collectNext: the suites each side allows',
].join('\n');

describe('ranked hypotheses of recognisable failure entries', () => {
  test('every entry analyze turns into findings ranks two or more causes, or says why one is all', () => {
    const gaps = rankingGaps(entries).map((g) => `${g.file}: ${g.problem}`);
    assert.deepEqual(gaps, []);
  });

  test('the rule covers the entries that yield findings: alerts, codes and messages with printed texts', () => {
    const covered = entries.filter(yieldsFindings);
    assert.ok(covered.length >= 150, `${covered.length} entries yield findings`);
    for (const kind of ['alert', 'code', 'message'])
      assert.ok(
        covered.some((e) => e.kind === kind),
        `no ${kind} entry is covered`,
      );
    // A concept or parameter named in a line is evidence, not a failure: no finding, no ranking needed.
    const concept = entries.find(
      (e) => e.kind === 'concept' && e.printed.length > 0 && e.hypotheses.length === 0,
    );
    if (concept) assert.equal(yieldsFindings(concept), false, concept.id);
  });

  test('singleCause is a one-line reason on an entry that ranks at most one cause', () => {
    const marked = entries.filter((e) => e.singleCause !== undefined);
    for (const e of marked) {
      assert.ok(e.singleCause!.length >= 30, `${e.file}: singleCause says too little`);
      assert.ok(e.hypotheses.length < MIN_HYPOTHESES, `${e.file}: singleCause beside several hypotheses`);
    }
  });

  test('the check itself: one hypothesis fails, unless singleCause says why; singleCause beside two fails', () => {
    assert.equal(rankingGaps([entry('')]).length, 1, 'no hypothesis at all');
    assert.equal(rankingGaps([entry(ONE)]).length, 1, 'one hypothesis, no reason');
    assert.deepEqual(rankingGaps([entry(TWO)]), []);
    assert.deepEqual(
      rankingGaps([entry(`${ONE}\nsingleCause: the example alert has one meaning whoever sends it`)]),
      [],
    );
    const both = rankingGaps([
      entry(`${TWO}\nsingleCause: the example alert has one meaning whoever sends it`),
    ]);
    assert.equal(both.length, 1);
    assert.match(both[0]!.problem, /singleCause/);
  });

  test('the rule would have failed on the knowledge base before the gaps were filled', () => {
    // Remove every hypothesis beyond the first: the thin shape many entries had. The check must see it.
    const thinned = entries
      .filter(yieldsFindings)
      .map((e) => ({ ...e, hypotheses: e.hypotheses.slice(0, 1), singleCause: undefined }));
    assert.equal(rankingGaps(thinned).length, thinned.length);
  });
});
