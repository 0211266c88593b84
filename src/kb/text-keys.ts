/** @module Text normalisation for the knowledge base: lookup keys, search tokens, stems, edit distance. */
import { normalizeText } from '../model/unicode.js';

/**
 * Lookup key of an id or alias: upper case without spaces and separators, so `WSS 040`, `wss040`,
 * `WSS/040` and `SSSLERR_PEER_CERT_UNTRUSTED` vs `sssl err peer cert untrusted` compare equal.
 */
export function normalizeKey(text: string): string {
  return normalizeText(text, 'NFKC')
    .toUpperCase()
    .replace(/[\s_/\\.#():,;'"`<>[\]{}=*-]+/g, '');
}

/** Words that carry no meaning for ranking. "no" and "not" stay: "not trusted" differs from "trusted". */
const STOPWORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'been',
  'but',
  'by',
  'can',
  'do',
  'does',
  'for',
  'from',
  'has',
  'have',
  'if',
  'in',
  'into',
  'is',
  'it',
  'its',
  'of',
  'on',
  'or',
  'so',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'this',
  'to',
  'was',
  'were',
  'when',
  'which',
  'with',
  'you',
  'your',
]);

/** Crude English stemmer: enough to make "expired/expires/expire" and "trusted/trust" meet. */
export function stem(token: string): string {
  let t = token;
  if (t.length <= 4 || /\d/.test(t)) return t;
  if (t.endsWith('ies') && t.length > 5) return `${t.slice(0, -3)}y`;
  if (t.endsWith('s') && !t.endsWith('ss') && !t.endsWith('us')) t = t.slice(0, -1);
  if (t.endsWith('ing') && t.length >= 6) t = t.slice(0, -3);
  else if (t.endsWith('ed') && t.length >= 5) t = t.slice(0, -2);
  if (t.endsWith('e') && t.length >= 5) t = t.slice(0, -1);
  return t;
}

/**
 * Surface tokens of a text: lower case alphanumeric runs, stopwords and 1-letter tokens dropped. A
 * camel-case word (`TargetHostname`, `SapSSLSessionStart`) also yields its parts right after it, so
 * "target hostname" finds it.
 */
export function surfaceTokens(text: string): string[] {
  const out: string[] = [];
  const push = (raw: string): void => {
    if (raw.length < 2 && !/\d/.test(raw)) return;
    if (raw === '' || STOPWORDS.has(raw)) return;
    out.push(raw.length > 40 ? raw.slice(0, 40) : raw);
  };
  for (const word of text.split(/[^A-Za-z0-9]+/)) {
    const lower = word.toLowerCase();
    push(lower);
    if (word.length > 40 || !/[a-z][A-Z]/.test(word)) continue;
    // Split at lower→upper and at the end of an upper-case run (`SSLSession` → `SSL`, `Session`).
    const parts = word.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/);
    if (parts.length > 1) for (const part of parts) push(part.toLowerCase());
  }
  return out;
}

/** Stemmed search tokens of a text. */
export function tokenize(text: string): string[] {
  return surfaceTokens(text).map(stem);
}

/** Reused rows for `editDistance` (tokens are capped at 40 characters, so 64 is enough). */
const ROW_A = new Int32Array(64);
const ROW_B = new Int32Array(64);
const ROW_C = new Int32Array(64);

/**
 * Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions), or `max + 1`
 * as soon as the distance is certain to exceed `max` (keeps fuzzy matching cheap). Allocation-free.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  if (a.length >= 63 || b.length >= 63) return max + 1;
  const n = b.length;
  let prev2 = ROW_A;
  let prev = ROW_B;
  let cur = ROW_C;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let v = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      if (ins < v) v = ins;
      const sub = prev[j - 1]! + cost;
      if (sub < v) v = sub;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        const tr = prev2[j - 2]! + 1;
        if (tr < v) v = tr;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n]!;
}
