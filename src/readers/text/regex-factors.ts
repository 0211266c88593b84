/**
 * @module Necessary literals of a regular expression: strings one of which every match contains, read
 * from the regex's own source, so a cheap byte test can rule a line out before the regex (and everything
 * behind it) runs. The analysis is conservative: a construct it does not model counts as "any text", which
 * only weakens the result; when nothing useful remains it says so (undefined) and the caller must run the
 * regex.
 *
 * Everything is lower-cased (ASCII), so the result holds for the `i` flag too. Only ASCII text is
 * covered: a literal holding another character can only occur in a line holding one, and callers pass
 * every such line on (see QuietGate).
 */

/** What every match of a regex contains (lower-cased): one of `anywhere`, or one of `atStart` as its start. */
export interface RegexFactors {
  /** Strings of at least two characters; every match not covered by `atStart` contains one. */
  anywhere: string[];
  /**
   * Strings a match of a `^`-anchored branch starts with, after leading white space (the branch may
   * allow blanks before them): the line, stripped of leading blanks, starts with one.
   */
  atStart: string[];
}

/** Largest set of alternatives a product of literal sets may grow to before it is given up. */
const LIMIT = 512;
/** A `{m,n}` repetition is unrolled this often at most (the rest counts as any text). */
const MAX_UNROLL = 6;

/** What is known about the strings a piece of a regex matches (null: nothing known). */
interface Info {
  /** The piece matches exactly one of these. */
  exact: Set<string> | null;
  /** Every match starts with one of these. */
  prefix: Set<string> | null;
  /** Every match ends with one of these. */
  suffix: Set<string> | null;
  /** Every match contains one of these (the best set known). */
  factors: Set<string> | null;
}

const ANY: Info = { exact: null, prefix: null, suffix: null, factors: null };
const lit = (set: Set<string>): Info => ({ exact: set, prefix: set, suffix: set, factors: set });
const EMPTY = (): Info => lit(new Set(['']));

function cross(a: Set<string>, b: Set<string>): Set<string> | null {
  if (a.size * b.size > LIMIT) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

function union(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a, ...b]);
}

/** How useful a factor set is: its shortest string's length (-1: none known). */
function score(set: Set<string> | null): number {
  if (!set || set.size === 0) return -1;
  let min = Number.POSITIVE_INFINITY;
  for (const s of set) if (s.length < min) min = s.length;
  return min;
}

function best(...sets: Array<Set<string> | null>): Set<string> | null {
  let pick: Set<string> | null = null;
  for (const s of sets) {
    const d = score(s) - score(pick);
    if (s && (d > 0 || (d === 0 && s.size < (pick?.size ?? 0)))) pick = s;
  }
  return pick;
}

function concat(a: Info, b: Info): Info {
  const exact = a.exact && b.exact ? cross(a.exact, b.exact) : null;
  const prefix = a.exact ? (b.prefix ? (cross(a.exact, b.prefix) ?? a.exact) : a.exact) : a.prefix;
  const suffix = b.exact ? (a.suffix ? (cross(a.suffix, b.exact) ?? b.exact) : b.exact) : b.suffix;
  const junction = a.suffix && b.prefix ? cross(a.suffix, b.prefix) : null;
  return { exact, prefix, suffix, factors: best(exact, prefix, suffix, junction, a.factors, b.factors) };
}

function alternate(a: Info, b: Info): Info {
  const u = (x: Set<string> | null, y: Set<string> | null) =>
    x && y && x.size + y.size <= LIMIT ? union(x, y) : null;
  const fa = a.factors;
  const fb = b.factors;
  return {
    exact: u(a.exact, b.exact),
    prefix: u(a.prefix, b.prefix),
    suffix: u(a.suffix, b.suffix),
    factors: fa && fb && score(fa) > 0 && score(fb) > 0 ? union(fa, fb) : null,
  };
}

function repeat(x: Info, min: number, max: number): Info {
  if (max === 0) return EMPTY();
  if (min === 0) {
    if (max === 1 && x.exact && x.exact.size < LIMIT) return lit(new Set(['', ...x.exact]));
    return ANY;
  }
  const k = Math.min(min, MAX_UNROLL);
  let out = x;
  for (let i = 1; i < k; i++) out = concat(out, x);
  return min === max && min === k ? out : concat(out, ANY);
}

const WHITE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);
const DIGITS = new Set('0123456789');

/** A parsed piece: its info, and whether it matches only white space (skipped after `^`). */
interface Piece {
  info: Info;
  blank: boolean;
  anchor: boolean;
}

/** Recursive-descent reader of a regex source (the syntax JavaScript accepts; unknown escapes are any text). */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  /** The top-level branches, each a list of pieces. */
  branches(): Piece[][] {
    const out = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      out.push(this.sequence());
    }
    if (this.i < this.src.length) throw new Error('unbalanced');
    return out;
  }

  private sequence(): Piece[] {
    const pieces: Piece[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      pieces.push(this.quantified(atom));
    }
    return pieces;
  }

  private alternation(): Info {
    let info = seqInfo(this.sequence());
    while (this.src[this.i] === '|') {
      this.i++;
      info = alternate(info, seqInfo(this.sequence()));
    }
    return info;
  }

  private quantified(atom: Piece): Piece {
    const s = this.src;
    const c = s[this.i];
    let range: [number, number] | undefined;
    if (c === '*') range = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') range = [1, Number.POSITIVE_INFINITY];
    else if (c === '?') range = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(s.slice(this.i));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] ? (m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY) : min;
        this.i += m[0].length - 1;
        range = [min, max];
      }
    }
    if (!range) return atom;
    this.i++;
    if (s[this.i] === '?') this.i++; // lazy
    if (atom.anchor) return { info: EMPTY(), blank: false, anchor: false };
    return { info: repeat(atom.info, range[0], range[1]), blank: atom.blank, anchor: false };
  }

  private atom(): Piece {
    const s = this.src;
    const c = s[this.i++]!;
    const piece = (info: Info, blank = false): Piece => ({ info, blank, anchor: false });
    if (c === '^' || c === '$') return { info: EMPTY(), blank: false, anchor: c === '^' };
    if (c === '.') return piece(ANY);
    if (c === '[') return this.charClass();
    if (c === '(') {
      let look = false;
      if (s[this.i] === '?') {
        const rest = s.slice(this.i, this.i + 4);
        if (rest.startsWith('?:')) this.i += 2;
        else if (rest.startsWith('?=') || rest.startsWith('?!')) {
          this.i += 2;
          look = true;
        } else if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
          this.i += 3;
          look = true;
        } else if (rest.startsWith('?<')) {
          const close = s.indexOf('>', this.i);
          if (close < 0) throw new Error('bad group name');
          this.i = close + 1;
        } else throw new Error('unknown group');
      }
      const inner = this.alternation();
      if (s[this.i] !== ')') throw new Error('unbalanced');
      this.i++;
      return piece(look ? EMPTY() : inner);
    }
    if (c === '\\') return this.escape();
    return piece(lit(new Set([c.toLowerCase()])));
  }

  private escape(): Piece {
    const s = this.src;
    const c = s[this.i++];
    const piece = (info: Info, blank = false): Piece => ({ info, blank, anchor: false });
    if (c === undefined) throw new Error('trailing backslash');
    if (c === 'b' || c === 'B') return piece(EMPTY());
    if (c === 'd') return piece(lit(DIGITS));
    if (c === 's') return piece(ANY, true);
    const ch = this.escapedChar(c);
    return piece(ch === undefined ? ANY : lit(new Set([ch.toLowerCase()])));
  }

  /** The character an escape stands for (after the backslash), or undefined for a class or unknown. */
  private escapedChar(c: string): string | undefined {
    const s = this.src;
    const hex = (n: number): string | undefined => {
      const h = s.slice(this.i, this.i + n);
      if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== n) return undefined;
      this.i += n;
      return String.fromCharCode(Number.parseInt(h, 16));
    };
    if (c === 'n') return '\n';
    if (c === 'r') return '\r';
    if (c === 't') return '\t';
    if (c === 'v') return '\v';
    if (c === 'f') return '\f';
    if (c === 'x') return hex(2);
    if (c === 'u') {
      if (s[this.i] !== '{') return hex(4);
      this.i = s.indexOf('}', this.i) + 1;
      return undefined;
    }
    if (c === 'c' && /[A-Za-z]/.test(s[this.i] ?? '')) {
      this.i++;
      return undefined;
    }
    if (/[0-9]/.test(c)) {
      // \0, an octal escape or a back reference: all its digits, read as any text.
      while (/[0-9]/.test(s[this.i] ?? '')) this.i++;
      return undefined;
    }
    if (c === 'k' && s[this.i] === '<') {
      this.i = s.indexOf('>', this.i) + 1;
      return undefined;
    }
    if (c === 'p' || c === 'P') {
      if (s[this.i] === '{') this.i = s.indexOf('}', this.i) + 1;
      return undefined;
    }
    if (/[A-Za-z]/.test(c)) return undefined; // \w \W \S \D …: a class
    return c;
  }

  private charClass(): Piece {
    const s = this.src;
    let negated = false;
    if (s[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const chars = new Set<string>();
    let open = false;
    let blank = true;
    while (this.i < s.length && s[this.i] !== ']') {
      let lo: string | undefined;
      if (s[this.i] === '\\') {
        this.i++;
        const e = s[this.i++]!;
        if (e === 'd') for (const d of DIGITS) chars.add(d);
        else if (e === 's') for (const w of WHITE) chars.add(w);
        else if (e === 'b') lo = '\b';
        else {
          lo = this.escapedChar(e);
          if (lo === undefined) open = true;
        }
      } else lo = s[this.i++];
      if (lo === undefined) continue;
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && s[this.i + 1] !== undefined) {
        this.i++;
        let hi: string | undefined;
        if (s[this.i] === '\\') {
          this.i++;
          hi = this.escapedChar(s[this.i++]!);
        } else hi = s[this.i++];
        if (hi === undefined || hi.charCodeAt(0) - lo.charCodeAt(0) > 64) open = true;
        else for (let k = lo.charCodeAt(0); k <= hi.charCodeAt(0); k++) chars.add(String.fromCharCode(k));
      } else chars.add(lo);
    }
    if (s[this.i] !== ']') throw new Error('unbalanced class');
    this.i++;
    for (const ch of chars) if (!WHITE.has(ch)) blank = false;
    if (negated || open || chars.size === 0) return { info: ANY, blank: false, anchor: false };
    const lower = new Set([...chars].map((ch) => ch.toLowerCase()));
    return { info: lower.size > 32 ? ANY : lit(lower), blank: blank && chars.size > 0, anchor: false };
  }
}

function seqInfo(pieces: Piece[]): Info {
  let info = EMPTY();
  for (const p of pieces) info = concat(info, p.info);
  return info;
}

/** Every string without a character outside ASCII (see the module comment), or undefined if one is too short. */
function usable(set: Set<string> | null, min: number): string[] | undefined {
  if (!set || score(set) < min) return undefined;
  return [...set].filter((s) => /^[\x00-\x7f]*$/.test(s));
}

/**
 * The necessary literals of `re` (see RegexFactors), or undefined when some branch has none the caller
 * can test: a string shorter than two characters, or a construct read as any text.
 */
export function regexFactors(re: RegExp): RegexFactors | undefined {
  let branches: Piece[][];
  try {
    branches = new Parser(re.source).branches();
  } catch {
    return undefined;
  }
  const anywhere = new Set<string>();
  const atStart = new Set<string>();
  for (const pieces of branches) {
    if (pieces[0]?.anchor) {
      let k = 1;
      while (k < pieces.length && pieces[k]!.blank) k++;
      // The line is compared with its leading blanks removed: so are the strings.
      const prefix = seqInfo(pieces.slice(k)).prefix;
      const start = usable(prefix && new Set([...prefix].map((p) => p.replace(/^[ \t\n\v\f\r]+/, ''))), 1);
      if (start) {
        for (const s of start) atStart.add(s);
        continue;
      }
    }
    const found = usable(seqInfo(pieces).factors, 2);
    if (!found) return undefined;
    for (const s of found) anywhere.add(s);
  }
  return { anywhere: [...anywhere], atStart: [...atStart] };
}
