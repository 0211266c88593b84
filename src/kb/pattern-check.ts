/**
 * @module Checks a kb `patterns:` regex before it is ever run on user text: it must compile, stay
 * linear-time (no back-references, look-arounds, top-level alternation or quantified groups that repeat
 * without bound) and contain a required literal of at least 4 characters, which the matcher uses as its
 * prefilter (a line without that literal never reaches the regex).
 */

/** Shortest required literal a pattern must contain. */
export const MIN_PATTERN_LITERAL = 4;
/** Longest pattern source accepted. */
export const MAX_PATTERN_LENGTH = 300;

/** Result of checking one pattern: its prefilter literal (lower-cased) or why it is refused. */
export type PatternCheck = { ok: true; literal: string } | { ok: false; reason: string };

const QUANTIFIER_START = new Set(['*', '+', '?', '{']);
const SPECIAL = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);

/** Check a pattern source; see the module comment for the rules. */
export function checkPattern(source: string): PatternCheck {
  if (source.length === 0) return { ok: false, reason: 'is empty' };
  if (source.length > MAX_PATTERN_LENGTH)
    return { ok: false, reason: `is longer than ${MAX_PATTERN_LENGTH}` };
  try {
    new RegExp(source, 'i');
  } catch (err) {
    return { ok: false, reason: `does not compile (${(err as Error).message})` };
  }
  if (/\\[1-9]|\\k</.test(source)) return { ok: false, reason: 'uses a back-reference' };
  if (/\(\?<?[=!]/.test(source)) return { ok: false, reason: 'uses a look-around' };

  // Walk the source: group nesting, quantifiers, top-level literal runs.
  const runs: string[] = [];
  let run = '';
  const endRun = (): void => {
    if (run) runs.push(run);
    run = '';
  };
  // Per open group: does it contain a quantifier or an alternation?
  const groups: Array<{ quantified: boolean; alternation: boolean }> = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const depth = groups.length;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[xucpPk]/.test(next))
        return { ok: false, reason: `uses "\\${next}" (write the character itself)` };
      i += 2;
      const literalChar = /^[^A-Za-z0-9]$/.test(next) ? next : undefined;
      const q = quantifierAt(source, i);
      if (q) {
        markQuantified(groups);
        endRun();
        if (q.unbounded && q.min > 0 && literalChar && depth === 0) run = literalChar;
        i += q.length;
        endRun();
      } else if (literalChar && depth === 0) run += literalChar;
      else endRun();
      continue;
    }
    if (c === '[') {
      const close = classEnd(source, i);
      i = close + 1;
      endRun();
      const q = quantifierAt(source, i);
      if (q) {
        markQuantified(groups);
        i += q.length;
      }
      continue;
    }
    if (c === '(') {
      endRun();
      groups.push({ quantified: false, alternation: false });
      i += source.startsWith('(?:', i) ? 3 : source.startsWith('(?<', i) ? source.indexOf('>', i) + 1 : 1;
      continue;
    }
    if (c === ')') {
      const g = groups.pop();
      i += 1;
      const q = quantifierAt(source, i);
      if (q && g) {
        if (q.unbounded) return { ok: false, reason: 'repeats a group without bound (not linear-time)' };
        if (g.quantified && q.max > 1) return { ok: false, reason: 'nests quantifiers (not linear-time)' };
        markQuantified(groups);
        i += q.length;
      } else if (g && (g.quantified || g.alternation)) markQuantified(groups);
      continue;
    }
    if (c === '|') {
      if (depth === 0) return { ok: false, reason: 'has a top-level "|" (write two patterns instead)' };
      groups[depth - 1]!.alternation = true;
      endRun();
      i += 1;
      continue;
    }
    if (c === '.' || c === '^' || c === '$') {
      endRun();
      i += 1;
      const q = quantifierAt(source, i);
      if (q) {
        markQuantified(groups);
        i += q.length;
      }
      continue;
    }
    // An ordinary character.
    i += 1;
    const q = quantifierAt(source, i);
    if (q) {
      markQuantified(groups);
      // `x+` keeps one required x before the run ends; `x?`, `x*`, `x{0,n}` keep none.
      if (depth === 0 && q.min > 0) run += c;
      endRun();
      i += q.length;
    } else if (depth === 0 && !SPECIAL.has(c)) run += c;
    else endRun();
  }
  endRun();
  if (groups.length > 0) return { ok: false, reason: 'has an unclosed group' };
  const literal = runs.reduce((best, r) => (r.trim().length > best.trim().length ? r : best), '');
  if (literal.trim().length < MIN_PATTERN_LITERAL) {
    return {
      ok: false,
      reason: `has no required literal of ${MIN_PATTERN_LITERAL} or more characters outside groups and classes`,
    };
  }
  return { ok: true, literal: literal.toLowerCase() };
}

function markQuantified(groups: Array<{ quantified: boolean }>): void {
  const g = groups[groups.length - 1];
  if (g) g.quantified = true;
}

/** The quantifier starting at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally lazy), if any. */
function quantifierAt(
  source: string,
  i: number,
): { length: number; min: number; max: number; unbounded: boolean } | undefined {
  const c = source[i];
  if (c === undefined || !QUANTIFIER_START.has(c)) return undefined;
  let q: { length: number; min: number; max: number; unbounded: boolean } | undefined;
  if (c === '*') q = { length: 1, min: 0, max: Infinity, unbounded: true };
  else if (c === '+') q = { length: 1, min: 1, max: Infinity, unbounded: true };
  else if (c === '?') q = { length: 1, min: 0, max: 1, unbounded: false };
  else {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    q = { length: m[0].length, min, max, unbounded: max === Infinity };
  }
  if (source[i + q.length] === '?') q.length += 1;
  return q;
}

/** Index of the `]` closing the class opened at `start`. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i += 1;
  if (source[i] === ']') i += 1;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i;
}
