/** @module Terminal rendering of an entry: all parts shown, wrapped to the width, colour only when asked. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getEntry, readKbDirectory, renderEntryText } from './index.js';

const ANSI = /\u001b\[[0-9;]*m/g;

describe('renderEntryText', () => {
  const entry = getEntry('ICM_HTTP_SSL_ERROR')!;

  test('plain text shows header, SAP text, every section, next steps and references, without markup', () => {
    const text = renderEntryText(entry, { width: 80 });
    assert.match(text, /^ICM_HTTP_SSL_ERROR {2}code · SCLNT_HTTP 407 \(type E\) · ICM code 407\n/);
    assert.match(text, /SAP text: "SSL error \(ICM_HTTP_SSL_ERROR\)"/);
    for (const s of entry.sections) assert.ok(text.includes(`\n${s.heading}\n`), s.heading);
    assert.match(text, /Which evidence decides/);
    assert.match(text, /\$ pse-doctor analyze dev_icm/);
    assert.match(text, /Transactions: SMICM, SM59, STRUST, SOAMANAGER/);
    assert.doesNotMatch(text, ANSI);
    assert.doesNotMatch(text, /`/);
  });

  test('lines are wrapped to the width (commands and code blocks stay whole for copying)', () => {
    const code = new Set(
      entry.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'code' ? b.text.split('\n') : []))),
    );
    for (const width of [40, 60, 100]) {
      const lines = renderEntryText(entry, { width }).split('\n');
      for (const line of lines) {
        if (line.startsWith('  $ ') || code.has(line.trim())) continue;
        const long = line.split(' ').some((w) => w.length > width - 4);
        if (!long) assert.ok(line.length <= width, `${width}: "${line}"`);
      }
    }
  });

  test('colour adds ANSI codes but the visible text stays the same', () => {
    const plain = renderEntryText(entry, { width: 80 });
    const coloured = renderEntryText(entry, { width: 80, color: true });
    assert.match(coloured, ANSI);
    assert.equal(coloured.replace(ANSI, ''), plain);
  });

  test('uncertain facts are labelled as such', () => {
    const text = renderEntryText(getEntry('SSSLERR_PEER_CERT_EXPIRED')!, {});
    assert.match(text, /value unknown/);
    assert.match(text, /Uncertain: the numeric value is not confirmed/);
  });

  test('parameters show their recommended value, PSE entries their STRUST node', () => {
    assert.match(renderEntryText(getEntry('icm/HTTPS/client_sni_enabled')!), /Recommended: TRUE/);
    assert.match(
      renderEntryText(getEntry('SAPSSLA.pse')!),
      /STRUST node: SSL client Anonymous \(SSLC\/ANONYM\)/,
    );
  });

  test('no entry prints markdown: no backtick and no ** pair, plain or in colour (bold shown as bold)', () => {
    for (const e of readKbDirectory()) {
      for (const color of [false, true]) {
        const text = renderEntryText(e, { width: 100, color }).replace(ANSI, '');
        // Trace lines quoted in code blocks keep their own asterisks ("*** ERROR =>").
        const prose = text.replace(/\*\*\* ERROR/g, '');
        assert.doesNotMatch(prose, /`/, `${e.id}${color ? ' (colour)' : ''}`);
        assert.doesNotMatch(prose, /\*\*[^*\s][^*]*\*\*/, `${e.id}${color ? ' (colour)' : ''}`);
      }
    }
    const colour = renderEntryText(entry, { width: 100, color: true });
    assert.match(colour, /\u001b\[1mnot\u001b\[22m the\s+HTTP status/);
  });
});
