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

  const RECOGNISER = GOOD.replace(
    'causes:\n  - client-cert-missing\n',
    String.raw`stacks: [java, iaik]
side: client
printed:
  - PKIX path building failed
patterns:
  - 'x509: certificate is valid for \S+, not \S+'
  - No name matching \S+ found
sources:
  - shared/domain/messages/java.md
  - SAP Note 2368112
  - https://docs.oracle.com/en/java/javase/21/security/
causes:
  - client-cert-missing
  - untrusted-root
hypotheses:
  - cause: untrusted-root
    why: the truststore lacks the root CA: of the chain
    tellsApart: the chain ends in a CA absent from 'keytool -list'
    collectNext: the chain the server sends
  - cause: client-cert-missing
    why: second
    tellsApart: third
    collectNext: fourth
`,
  );

  test('reads the recogniser keys: stacks, side, patterns (quoted or not), sources, ranked hypotheses', () => {
    const e = parseEntry(RECOGNISER, 'kb/message/WSS999.md');
    assert.deepEqual(e.stacks, ['java', 'iaik']);
    assert.equal(e.side, 'client');
    assert.deepEqual(e.patterns, [
      'x509: certificate is valid for \\S+, not \\S+',
      'No name matching \\S+ found',
    ]);
    assert.equal(e.sources.length, 3);
    assert.deepEqual(
      e.hypotheses.map((h) => h.cause),
      ['untrusted-root', 'client-cert-missing'],
    );
    assert.equal(e.hypotheses[0]!.why, 'the truststore lacks the root CA: of the chain');
    assert.equal(e.hypotheses[0]!.tellsApart, "the chain ends in a CA absent from 'keytool -list'");
    // Entries without the keys get empty lists, not undefined.
    const plain = parseEntry(GOOD, 'kb/message/WSS999.md');
    assert.deepEqual([plain.stacks, plain.patterns, plain.sources, plain.hypotheses], [[], [], [], []]);
    assert.equal(plain.side, undefined);
  });

  test('kind howto uses the reference headings', () => {
    const text = `---
id: HOWTO_IMPORT_ROOT_CA
kind: howto
title: Import a root CA into STRUST
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
    assert.equal(parseEntry(text, 'kb/howto/HOWTO_IMPORT_ROOT_CA.md').kind, 'howto');
  });

  const bad: Array<[string, string, RegExp]> = [
    ['unknown stack', RECOGNISER.replace('[java, iaik]', '[java, cobol]'), /unknown stack "cobol"/],
    ['empty stack item', RECOGNISER.replace('[java, iaik]', '[java, ]'), /empty item/],
    ['repeated stack', RECOGNISER.replace('[java, iaik]', '[java, java]'), /names a stack twice/],
    ['bad side', RECOGNISER.replace('side: client', 'side: left'), /"side" must be one of/],
    ['bad source', RECOGNISER.replace('SAP Note 2368112', 'a forum post'), /source "a forum post" must be/],
    [
      'pattern with back-reference',
      RECOGNISER.replace('No name matching', '(abcd)\\1 No name matching'),
      /back-reference/,
    ],
    [
      'pattern with look-ahead',
      RECOGNISER.replace('No name matching', '(?=abcd)No name matching'),
      /look-around/,
    ],
    [
      'pattern with nested quantifiers',
      RECOGNISER.replace('No name matching \\S+ found', 'No name (a+)* found'),
      /without bound|nests/,
    ],
    [
      'pattern with quantified group of quantifiers',
      RECOGNISER.replace('No name matching \\S+ found', 'No name (\\w+\\s){2,9} found'),
      /nests quantifiers/,
    ],
    [
      'pattern without literal',
      RECOGNISER.replace('No name matching \\S+ found', '\\S+ ab \\d+'),
      /no required literal/,
    ],
    [
      'pattern with top-level alternation',
      RECOGNISER.replace('No name matching \\S+ found', 'No name|matching found'),
      /top-level "\|"/,
    ],
    [
      'pattern that does not compile',
      RECOGNISER.replace('No name matching \\S+ found', 'No name matching [ found'),
      /does not compile/,
    ],
    [
      'pattern with unclosed quote',
      RECOGNISER.replace("'x509: certificate is valid for \\S+, not \\S+'", "'x509: certificate"),
      /unclosed quote/,
    ],
    [
      'hypothesis with unknown cause',
      RECOGNISER.replace('  - cause: untrusted-root', '  - cause: gremlins'),
      /unknown cause tag "gremlins"/,
    ],
    [
      'hypothesis cause not in causes',
      RECOGNISER.replace('  - client-cert-missing\n  - untrusted-root\n', '  - client-cert-missing\n'),
      /not listed in "causes"/,
    ],
    [
      'hypothesis without collectNext',
      RECOGNISER.replace('    collectNext: fourth\n', ''),
      /needs "collectNext"/,
    ],
    [
      'hypothesis with unknown key',
      RECOGNISER.replace('    collectNext: fourth\n', '    collectNext: fourth\n    weight: 3\n'),
      /unknown hypothesis key "weight"/,
    ],
    [
      'hypothesis cause twice',
      RECOGNISER.replace('  - cause: client-cert-missing', '  - cause: untrusted-root'),
      /given twice/,
    ],
    [
      'hypothesis line not indented as a map',
      RECOGNISER.replace('    why: second', '      why: second'),
      /items are/,
    ],

    ['quoted title', GOOD.replace('title: A test message', 'title: "A test message"'), /without the quotes/],
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
