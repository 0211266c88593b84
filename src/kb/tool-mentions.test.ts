/** @module pse-doctor commands in prose: found, and said in the web's words (pages, not options), over the whole kb. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KnowledgeBase, readKbDirectory } from './index.js';
import { splitToolMentions, type ToolMention, webLinkOf, webWords } from './tool-mentions.js';

const entries = readKbDirectory();

/** Every text of an entry a page shows (paragraphs, list items, code lines). */
function textsOf(e: (typeof entries)[number]): string[] {
  return e.sections.flatMap((s) =>
    s.blocks.flatMap((b) =>
      b.type === 'list' ? b.items : b.type === 'code' ? b.text.split('\n') : [b.text],
    ),
  );
}

/** pse-doctor's own options, as prose could name them. */
const OWN_OPTION =
  /(^|[\s"'(`])--(trust|out|client-cert|client-key|pin-file|password-file|timeout|proxy|fetch-issuers|no-sni|save-evidence|json|export-trusted|baseline|targets|probe|icm|http|quiet|max-upload|enable-probe|probe-private|db|fail-on|sni)\b/;
const COMMAND_WITH_PAGE = /pse-doctor (analyze|probe|pse|cert|explain|landscape)\b/;

describe('pse-doctor commands in prose', () => {
  test('quoted, back-ticked and bare commands are found with their arguments and options', () => {
    const [before, m, after] = splitToolMentions(
      'Run `pse-doctor probe <host>:<port> --trust SAPSSLA.pse` now.',
    ) as [string, ToolMention, string];
    assert.equal(before, 'Run ');
    assert.equal(after, ' now.');
    assert.deepEqual(
      { command: m.command, args: m.args, options: m.options },
      { command: 'probe', args: ['<host>:<port>'], options: [{ name: '--trust', value: 'SAPSSLA.pse' }] },
    );
    assert.equal(
      webWords('then run pse-doctor analyze dev_icm on the trace.'),
      'then run Analyze dev_icm on the trace.',
    );
    assert.equal(webWords('(pse-doctor probe <host>:<port>).'), '(Probe <host>:<port>).');
    assert.equal(
      webWords('"pse-doctor pse SAPSSLS.pse" lists it'),
      'Open SAPSSLS.pse on the PSE page lists it',
    );
    assert.equal(webWords('pse-doctor reads traces'), 'pse-doctor reads traces', 'not a command');
    assert.deepEqual(webLinkOf(splitToolMentions('pse-doctor probe api.example.com:443')[0] as ToolMention), {
      label: 'Probe api.example.com:443',
      href: '/probe?target=api.example.com%3A443',
    });
  });

  test('hostile text: a long line of punctuation and spaces is split in linear time', () => {
    const line = `pse-doctor probe ${'.;'.repeat(50_000)} ${'pse-doctor '.repeat(20_000)}`;
    const start = process.hrtime.bigint();
    splitToolMentions(line);
    assert.ok(Number(process.hrtime.bigint() - start) / 1e6 < 1000, 'under a second');
  });

  test('every kb text, in the web words, names no command of a page here and no option of pse-doctor', () => {
    let mentions = 0;
    for (const e of entries) {
      for (const text of textsOf(e)) {
        mentions += splitToolMentions(text).filter((p) => typeof p !== 'string').length;
        const web = webWords(text);
        assert.doesNotMatch(web, COMMAND_WITH_PAGE, `${e.file}: ${web}`);
        assert.doesNotMatch(web, OWN_OPTION, `${e.file}: ${web}`);
      }
    }
    assert.ok(mentions > 100, `${mentions} commands named in the kb`);
  });

  test('every cross-reference between entries resolves: related ids and the explain commands in prose', () => {
    const kb = new KnowledgeBase(entries);
    const ids = new Set(entries.map((e) => e.id));
    let checked = 0;
    for (const e of entries) {
      for (const r of e.related) assert.ok(ids.has(r), `${e.file}: related ${r}`);
      for (const text of textsOf(e)) {
        for (const p of splitToolMentions(text)) {
          if (typeof p === 'string' || p.command !== 'explain') continue;
          const link = webLinkOf(p);
          if (!link || link.href === '/explain') continue; // a placeholder (`pse-doctor explain SSSLERR_…`)
          const id = decodeURIComponent(link.href.slice('/explain/'.length));
          assert.ok(kb.lookup(id).exact, `${e.file}: "pse-doctor explain ${id}" opens no entry`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 0);
  });
});
