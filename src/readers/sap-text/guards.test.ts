/**
 * @module The cheap text tests in front of regexes (so a regex a line cannot match is never run, and so
 * never compiled) are true on every fixture line, and every segment of one, that their regex matches.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixturesOrSkip, textFixtureLines } from '../../../test/helpers/fixtures.js';
import { STRONG, STRONG_WORDS } from '../sapgenpse/sniff.js';
import { splitLine } from './line-prefix.js';
import { ALERT, mayHoldAlert } from './patterns.js';
import { STATED_PARAMETER, statesParameter } from './trace-info-lines.js';

/** Each guard beside the regex it stands before. */
const GUARDS: ReadonlyArray<readonly [string, RegExp, (t: string) => boolean]> = [
  ['statesParameter', STATED_PARAMETER, statesParameter],
  ['mayHoldAlert', ALERT, mayHoldAlert],
  ['STRONG_WORDS', STRONG, (t) => STRONG_WORDS.some((w) => t.toLowerCase().includes(w))],
];

function check(t: string, hits: Map<string, number>): void {
  for (const [name, re, guard] of GUARDS) {
    if (!re.test(t)) continue;
    assert.ok(guard(t), `${name} said no where its regex matches: ${JSON.stringify(t.slice(0, 200))}`);
    hits.set(name, (hits.get(name) ?? 0) + 1);
  }
}

test('every guard is true on each fixture line its regex matches', fixturesOrSkip(), () => {
  const hits = new Map<string, number>();
  for (const raw of textFixtureLines())
    for (const t of [raw, ...splitLine(raw).map((s) => s.text)]) check(t, hits);
  // The fixtures exercise each guard (a guard never met proves nothing).
  for (const [name] of GUARDS)
    assert.ok((hits.get(name) ?? 0) > 0, `no fixture line matches the regex of ${name}`);
});

test('the guards on written lines of each shape, and on lines they rule out', () => {
  const hits = new Map<string, number>();
  for (const t of [
    'icm/HTTPS/client_sni_enabled = TRUE',
    'ssl/client_sni_enabled=FALSE set in the profile',
    'wdisp/ssl_ignore_host_mismatch = 1',
    'snc/enable = 1',
    'SSL handshake: received a fatal TLS handshake failure alert message from the peer',
    'sent a fatal TLS certificate unknown alert message from the peer',
    'Server aborted TLS handshake because of an invalid record',
    'Opening PSE "/usr/sap/ABC/SYS/sec/SAPSSLC.pse"...',
    '  Element #1 :',
  ])
    check(t, hits);
  assert.equal(hits.size, GUARDS.length);
  assert.equal(statesParameter('HTTPS port 443 = open'), false);
  assert.equal(mayHoldAlert('SSL handshake failed'), false);
});
