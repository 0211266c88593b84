/** @module The recogniser: printed phrases with placeholders, patterns behind their literal, most specific match first, hostile lines. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readKbDirectory } from '../read-kb-directory.js';
import type { KbEntry } from '../types.js';
import { Recognizer } from './matcher.js';
import { compileRecognizer, isRecognisable, phraseParts } from './model.js';

function entry(id: string, printed: string[], patterns: string[] = []): KbEntry {
  return {
    id,
    kind: 'code',
    title: `title of ${id}`,
    family: 'JAVA',
    aliases: [],
    printed,
    patterns,
    stacks: [],
    sources: [],
    causes: ['untrusted-root'],
    hypotheses: [],
    related: [],
    notes: [],
    transactions: [],
    parameters: [],
    next: [],
    uncertain: [],
    sections: [],
    file: `kb/code/${id}.md`,
  };
}

const model = compileRecognizer([
  entry('GENERIC', ['certificate verify failed']),
  entry('SPECIFIC', [
    'SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate',
  ]),
  entry('PLACEHOLDER', ['Direct connect to <host>:<port> failed NIECONN_REFUSED(-10)']),
  entry('PATTERN', [], ['x509: certificate is valid for \\S+, not \\S+']),
  entry('PLAIN_WORD', ['NotAfter']),
]);
const r = new Recognizer(model);

test('a phrase matches case-insensitively anywhere in a line; the most specific entry comes first', () => {
  const hits = r.match(
    'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)',
  );
  assert.deepEqual(
    hits.map((h) => h.entry.id),
    ['SPECIFIC', 'GENERIC'],
  );
  assert.equal(r.match('CERTIFICATE VERIFY FAILED')[0]?.entry.id, 'GENERIC');
});

test('placeholders stand for any text; the literal parts must come in order', () => {
  assert.deepEqual(phraseParts('Direct connect to <host>:<port> failed NIECONN_REFUSED(-10)'), [
    'direct connect to ',
    ':',
    ' failed nieconn_refused(-10)',
  ]);
  assert.equal(
    r.match('Direct connect to git.example.com:443 failed NIECONN_REFUSED(-10)')[0]?.entry.id,
    'PLACEHOLDER',
  );
  assert.deepEqual(r.match('failed NIECONN_REFUSED(-10) Direct connect to x:1'), []);
});

test('a pattern runs only on lines holding its literal, and matches there', () => {
  const hit = r.match('Get "https://s4h:443": x509: certificate is valid for a.example.com, not s4h')[0];
  assert.equal(hit?.entry.id, 'PATTERN');
  assert.equal(hit?.via, 'pattern');
  assert.deepEqual(r.match('certificate is valid for a, not b'), []);
});

test('single plain words are not recognisers (they stay searchable)', () => {
  assert.equal(isRecognisable('NotAfter'), false);
  assert.equal(isRecognisable('SEC_ERROR_UNKNOWN_ISSUER'), true);
  assert.equal(isRecognisable('SSL error'), true);
  assert.deepEqual(r.match('NotAfter: Tue Jan 01 2030'), []);
});

test('a sentence of a script written without spaces is a recogniser; a short run of it is not', () => {
  // Japanese Windows prints .NET's "unexpected packet format" message as one run of characters.
  assert.equal(isRecognisable('予期しないパケット形式のため、ハンドシェイクに失敗しました'), true);
  assert.equal(isRecognisable('証明書'), false);
  assert.equal(isRecognisable('Zertifikatsprüfung'), false);
  const m = compileRecognizer([entry('JA', ['予期しないパケット形式のため、ハンドシェイクに失敗しました'])]);
  const ja = new Recognizer(m);
  assert.equal(
    ja.match('System.IO.IOException: 予期しないパケット形式のため、ハンドシェイクに失敗しました。')[0]?.entry
      .id,
    'JA',
  );
  assert.deepEqual(ja.match('予期しないパケット'), []);
});

test('every phrase and pattern has a key gram of 4–6 characters taken from its text', () => {
  for (const p of model.phrases) {
    assert.ok(p.key.length >= 4 && p.key.length <= 6, p.text);
    assert.ok(
      p.parts.some((part) => part.includes(p.key)),
      p.text,
    );
  }
  for (const p of model.patterns) assert.ok(p.literal.includes(p.key));
});

test('a hostile line (1 MiB of near-misses) is cut and answered quickly', () => {
  const line = 'x509: certificate is valid for '.repeat(40_000);
  const start = performance.now();
  r.match(line);
  assert.ok(performance.now() - start < 200);
});

test('the first pass over a line drops no match: any case, any surrounding text, non-ASCII before the phrase', () => {
  const r = new Recognizer(
    compileRecognizer([
      entry('PKIX', ['PKIX path building failed']),
      entry('KRB', ['KRB5KDC_ERR_PREAUTH_FAILED']),
      entry('SELF', ['self-signed certificate in certificate chain']),
    ]),
  );
  for (const [line, id] of [
    ['pkix PATH building FAILED: x', 'PKIX'],
    ['[Thr 1] x PKIX path building failed', 'PKIX'],
    ['Zertifikat ungültig: PKIX path building failed', 'PKIX'],
    ['krb5kdc_err_preauth_failed', 'KRB'],
    ['Error: SELF-SIGNED CERTIFICATE IN CERTIFICATE CHAIN', 'SELF'],
  ] as const) {
    assert.deepEqual(
      r.match(line).map((h) => h.entry.id),
      [id],
      line,
    );
  }
  // The Kelvin sign lower-cases to an ASCII "k": the line goes the full way and still matches.
  assert.deepEqual(
    r.match('\u212aRB5KDC_ERR_PREAUTH_FAILED').map((h) => h.entry.id),
    ['KRB'],
  );
  for (const line of ['IcmHandleNetRead(id=4/31330): read 12876 bytes', '', 'pki', 'path building']) {
    assert.deepEqual(r.match(line), [], line);
  }
});

test('over the whole kb, the key tables find every entry that checking each phrase and pattern finds', () => {
  const whole = compileRecognizer(readKbDirectory());
  const r = new Recognizer(whole);
  // What the index must find: every phrase (parts in order) and pattern, each checked on the line.
  const reference = (line: string): string[] => {
    const lower = line.toLowerCase();
    const best = new Map<string, number>();
    const see = (entry: number, score: number): void => {
      const id = whole.entries[entry]!.id;
      if (score > (best.get(id) ?? -1)) best.set(id, score);
    };
    for (const p of whole.phrases) {
      let from = 0;
      let score = 0;
      for (const part of p.parts) {
        const at = lower.indexOf(part, from);
        if (at < 0) {
          score = -1;
          break;
        }
        from = at + part.length;
        score += part.trim().length;
      }
      if (score >= 0) see(p.entry, score);
    }
    for (const p of whole.patterns) {
      const m = new RegExp(p.source, 'i').exec(line);
      if (m) see(p.entry, m[0].length);
    }
    return [...best].map(([id, score]) => `${id} ${score}`).sort();
  };
  // Keys sharing their first four characters, and keys of several lengths at one position, are what
  // the chains of the index hold: the kb has both.
  const byFour = new Map<string, Set<string>>();
  for (const item of [...whole.phrases, ...whole.patterns]) {
    const set = byFour.get(item.key.slice(0, 4)) ?? new Set();
    set.add(item.key);
    byFour.set(item.key.slice(0, 4), set);
  }
  assert.ok([...byFour.values()].some((keys) => keys.size > 1));
  const lines = [
    ...whole.phrases.map((p) => `[Thr 7] ERROR ${p.text.replace(/<[a-z_-]+>|&\d/g, 'x1')} (rc=3)`),
    ...whole.patterns.map((p) => `x ${p.literal} y`),
    whole.phrases
      .slice(0, 40)
      .map((p) => p.text)
      .join(' | ')
      .toUpperCase(),
  ];
  for (const line of lines) {
    const got = r
      .match(line)
      .map((h) => `${h.entry.id} ${h.score}`)
      .sort();
    assert.deepEqual(got, reference(line.slice(0, 4096)), line);
  }
});
