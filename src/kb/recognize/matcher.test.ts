/** @module The recogniser: printed phrases with placeholders, patterns behind their literal, most specific match first, hostile lines. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
