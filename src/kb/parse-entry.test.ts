/** @module The kb entry parser: the strict front-matter subset, fixed sections, body blocks, clear errors. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { entryPathFor, KbParseError, parseEntry, splitInlineCode } from './parse-entry.js';

const GOOD = `---
id: WSS999
kind: message
title: A test message
messageClass: WSS
messageNumber: 999
messageType: E
shortText: Text with: colons, # hashes and "quotes"
aliases:
  - WSS 999
causes:
  - client-cert-missing
related:
  - WSS040
notes:
  - 510007
uncertain:
  - short-text
---

## What it means

First line
continues here with \`code\`.

Second paragraph.

## Likely causes

- one
  continued
- two

## How to fix

1. first
2. second

\`\`\`
sapgenpse maintain_pk -l
\`\`\`

## How to confirm

Done.
`;

describe('parseEntry', () => {
  test('reads scalars literally, lists, numbers and the four sections with their blocks', () => {
    const e = parseEntry(GOOD, 'kb/message/WSS999.md');
    assert.equal(e.id, 'WSS999');
    assert.equal(e.kind, 'message');
    assert.equal(e.shortText, 'Text with: colons, # hashes and "quotes"');
    assert.equal(e.messageNumber, '999');
    assert.deepEqual(e.aliases, ['WSS 999']);
    assert.deepEqual(e.causes, ['client-cert-missing']);
    assert.deepEqual(e.notes, ['510007']);
    assert.deepEqual(e.uncertain, ['short-text']);
    assert.deepEqual(
      e.sections.map((s) => s.key),
      ['meaning', 'causes', 'fix', 'confirm'],
    );
    assert.deepEqual(e.sections[0]!.blocks, [
      { type: 'paragraph', text: 'First line continues here with `code`.' },
      { type: 'paragraph', text: 'Second paragraph.' },
    ]);
    assert.deepEqual(e.sections[1]!.blocks, [
      { type: 'list', ordered: false, items: ['one continued', 'two'] },
    ]);
    assert.deepEqual(e.sections[2]!.blocks, [
      { type: 'list', ordered: true, items: ['first', 'second'] },
      { type: 'code', text: 'sapgenpse maintain_pk -l' },
    ]);
    assert.equal(e.file, 'kb/message/WSS999.md');
  });

  test('reference kinds use their own headings', () => {
    const text = `---
id: SM59
kind: transaction
title: Destinations
---

## What it is

x

## When it matters

y

## What to do

z

## How to check

w
`;
    const e = parseEntry(text, 'kb/transaction/SM59.md');
    assert.deepEqual(
      e.sections.map((s) => s.heading),
      ['What it is', 'When it matters', 'What to do', 'How to check'],
    );
  });

  const bad: Array<[string, string, RegExp]> = [
    ['no front matter', '## What it means\n', /must start with a "---"/],
    ['unclosed front matter', '---\nid: X\n', /not closed/],
    ['unknown key', GOOD.replace('title:', 'titel:'), /unknown front-matter key "titel"/],
    ['repeated key', GOOD.replace('kind: message', 'kind: message\nkind: code'), /given twice/],
    ['bad kind', GOOD.replace('kind: message', 'kind: mystery'), /"kind" must be one of/],
    ['unknown cause', GOOD.replace('client-cert-missing', 'bad-luck'), /unknown cause tag "bad-luck"/],
    ['bad note', GOOD.replace('  - 510007', '  - 51O007'), /SAP note/],
    ['bad uncertain flag', GOOD.replace('  - short-text', '  - vibes'), /unknown uncertain flag/],
    ['bad message number', GOOD.replace('messageNumber: 999', 'messageNumber: 99'), /three digits/],
    ['message without class', GOOD.replace('messageClass: WSS\n', ''), /needs "messageClass"/],
    ['missing section', GOOD.replace('## How to confirm\n\nDone.\n', ''), /missing section "How to confirm"/],
    ['empty section', GOOD.replace('Done.', ''), /section "How to confirm" is empty/],
    ['unknown section', GOOD.replace('## Likely causes', '## Causes'), /unknown section "Causes"/],
    [
      'sections out of order',
      GOOD.replace('## How to fix', '## TEMP')
        .replace('## Likely causes', '## How to fix')
        .replace('## TEMP', '## Likely causes'),
      /out of order/,
    ],
    [
      'text before sections',
      GOOD.replace('\n## What it means', 'stray\n## What it means'),
      /text before the first/,
    ],
    [
      'list item outside list',
      GOOD.replace('title: A test message', 'title: A test message\n  - x'),
      /list item outside a list/,
    ],
    [
      'unclosed fence',
      GOOD.replace('sapgenpse maintain_pk -l\n```', 'sapgenpse maintain_pk -l'),
      /code fence not closed/,
    ],
    [
      'number not an integer',
      GOOD.replace('messageType: E', 'messageType: E\nnumber: 1.5'),
      /"number" must be an integer/,
    ],
  ];
  for (const [name, text, re] of bad) {
    test(`rejects ${name} with a located error`, () => {
      assert.throws(
        () => parseEntry(text, 'kb/message/X.md'),
        (err: unknown) =>
          err instanceof KbParseError && re.test(err.message) && err.message.startsWith('kb/message/X.md'),
      );
    });
  }

  test('a huge file is refused instead of parsed', () => {
    assert.throws(() => parseEntry(`---\n${'x'.repeat(70_000)}`, 'kb/code/BIG.md'), /larger than/);
  });
});

describe('helpers', () => {
  test('splitInlineCode separates code spans and keeps an unterminated backtick as text', () => {
    assert.deepEqual(splitInlineCode('set `a/b` now'), [
      { code: false, text: 'set ' },
      { code: true, text: 'a/b' },
      { code: false, text: ' now' },
    ]);
    assert.deepEqual(splitInlineCode('odd `tick'), [
      { code: false, text: 'odd ' },
      { code: false, text: '`tick' },
    ]);
  });

  test('entryPathFor maps ids with slashes and placeholders to file names', () => {
    assert.equal(
      entryPathFor('icm/HTTPS/client_sni_enabled', 'parameter'),
      'kb/parameter/icm-HTTPS-client_sni_enabled.md',
    );
    assert.equal(entryPathFor('icm/server_port_<xx>', 'parameter'), 'kb/parameter/icm-server_port_xx.md');
    assert.equal(entryPathFor('/UI2/INTEROP128', 'message'), 'kb/message/UI2-INTEROP128.md');
    assert.equal(entryPathFor('SAPSSLA.pse', 'pse'), 'kb/pse/SAPSSLA.pse.md');
  });
});
