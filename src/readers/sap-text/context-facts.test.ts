/**
 * @module The words in front of each context fact's regex (CONTEXT_FACTS) are necessary: every line the
 * regex matches holds one word of each list. Checked on the regex's own literals (regexFactors), per
 * alternative, and on sample lines; a fact whose words a line lacks is never lost.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regexFactors } from '../text/regex-factors.js';
import { CONTEXT_FACTS } from './context-facts.js';
import { MessageLines } from './message-lines.js';

/** The top-level alternatives of a regex source. */
function alternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let cur = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      cur += c + src[++i];
      continue;
    }
    if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * Pieces of one alternative that every match of it contains a match of: each run of whole top-level
 * atoms (with their quantifiers), the alternative itself included.
 */
function pieces(alt: string): string[] {
  const bounds = [0];
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < alt.length; i++) {
    const c = alt[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    if (depth !== 0 || inClass) continue;
    // The atom's quantifier belongs to it: `?`, `*`, `+`, `{m,n}`, each maybe lazy.
    for (;;) {
      const q = /^(?:[?*+]|\{\d+(?:,\d*)?\})\??/.exec(alt.slice(i + 1));
      if (!q) break;
      i += q[0].length;
    }
    bounds.push(i + 1);
  }
  const out: string[] = [];
  for (let a = 0; a < bounds.length; a++)
    for (let b = a + 1; b < bounds.length; b++) out.push(alt.slice(bounds[a], bounds[b]));
  return out;
}

function covered(re: RegExp, words: readonly string[]): boolean {
  const f = regexFactors(re);
  return (
    f !== undefined &&
    f.atStart.length === 0 &&
    f.anywhere.length > 0 &&
    f.anywhere.every((s) => words.some((w) => s.includes(w)))
  );
}

test('every context-fact regex match holds one word of each of its lists', () => {
  for (const [fact, re, keys] of CONTEXT_FACTS) {
    for (const words of keys) {
      for (const w of words) assert.equal(w, w.toLowerCase(), `${fact}: words are lower case`);
      for (const alt of alternatives(re.source)) {
        const ok = pieces(alt).some((piece) => {
          try {
            return covered(new RegExp(piece, re.flags), words);
          } catch {
            return false; // not a regex on its own (a prefix inside a group)
          }
        });
        assert.ok(ok, `${fact}: /${alt}/ needs one of ${JSON.stringify(words)}`);
      }
    }
  }
});

test('the pieces of an alternative are runs of whole atoms', () => {
  assert.deepEqual(alternatives('a(b|c)|[|]d|e\\|f'), ['a(b|c)', '[|]d', 'e\\|f']);
  // An optional or repeated atom is never cut from its quantifier.
  assert.deepEqual(pieces('ab?c{1,2}'), ['a', 'ab?', 'ab?c{1,2}', 'b?', 'b?c{1,2}', 'c{1,2}']);
  assert.deepEqual(pieces('x(?:y|z)+?\\d'), [
    'x',
    'x(?:y|z)+?',
    'x(?:y|z)+?\\d',
    '(?:y|z)+?',
    '(?:y|z)+?\\d',
    '\\d',
  ]);
});

test('context facts are read from the lines that state them, and only those', () => {
  const lines: Array<[string, string | undefined]> = [
    ['->> SapSSLSessionInit(&sssl_hdl, role=1 (CLIENT), auth_type=1 (USE_CLIENT_CERT))', 'client-cert-auth'],
    ['  Client SSL_CTX 7fa3ac0 pvflags=897 (TLSv1.2,TLSv1.1,TLSv1.0)', undefined],
    ['The partner only accepts TLS 1.2 since Monday', 'tls-version-stated'],
    ['TLS 1.0 and 1.1 were disabled by GPO', 'tls-version-stated'],
    ['export HTTPS_PROXY=http://proxy.corp:8080', 'via-proxy'],
    ['auth_type=0 (NO_CLIENT_CERT)', 'anonymous-client'],
    ['cannot open shared object file: No such file or directory', 'lib-load-error'],
    ['Our S/4HANA system calls https://api.partner.example', 'sap-calls'],
    [
      "SSL Labs says: This server's certificate chain is incomplete. Grade capped to B.",
      'chain-incomplete-stated',
    ],
    ['I think the intermediate certificate is missing on their side', 'chain-incomplete-stated'],
    ['they do not send the intermediate', 'chain-incomplete-stated'],
    ['The intermediate CA was imported into STRUST yesterday', undefined],
    ['In office we go through Zscaler.', 'interception-stated'],
    ['they said "SSL inspection for all categories except banking"', 'interception-stated'],
    ['the firewall team checked the inspection logs', undefined],
  ];
  for (const [line, fact] of lines) {
    const m = new MessageLines(0, () => undefined);
    m.seeContext(line, true);
    const seen = (m as unknown as { context: Set<string> }).context;
    if (fact) assert.ok(seen.has(fact), `${fact} in ${line}`);
    else assert.equal(seen.size, 0, line);
  }
});
