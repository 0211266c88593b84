/**
 * @module Compiling a long regex straight to machine code at its first use.
 *
 * V8 runs the first match of a regex in its bytecode interpreter and compiles the regex to machine code
 * at the second: two compilations. For the reader's long alternations the first is the dearer: in a
 * fresh process the first match of INTERESTING_WORDS, TIMESTAMP or the lower-cased head words cost
 * 400–900 µs and the second 130–300 µs more, where a regex compiled straight to machine code took
 * 180–310 µs for both (Node 20, V8 11.3). V8 does that when the first subject of a regex is 1,000
 * characters or longer, so `compileNow` hands it one such subject once. A short pattern gains nothing
 * (both of its compilations are cheap), so it is left to V8's own course; measured on a trace, priming
 * every regex and priming only those over 100 characters saved the same (about 6M instructions of
 * `analyze examples/dev_icm`, cachegrind). Should V8 change its rule, the cost is one failed match over
 * 1,000 characters: the answers never depend on it.
 */

/** One byte a character, matched by no pattern of the reader's: the regex fails fast on it. */
const SUBJECT = '\u0001'.repeat(1000);

/** Patterns shorter than this are left to V8's own two steps. */
const LONG_SOURCE = 100;

/** The regexes compileNow has seen (compiled, or left as too short). */
const compiled = new WeakSet<RegExp>();

/**
 * Compile `re` to machine code now when its pattern is long (see the module note); returns `re`. Call
 * it just before the regex's first use (compiling at load would pay for regexes a call never runs);
 * later calls cost one set look-up, so a per-line test can call it every time.
 * `lastIndex` is kept, so a global or sticky regex is left as it was.
 */
export function compileNow<T extends RegExp>(re: T): T {
  if (compiled.has(re)) return re;
  compiled.add(re);
  if (re.source.length < LONG_SOURCE) return re;
  const last = re.lastIndex;
  re.test(SUBJECT);
  re.lastIndex = last;
  return re;
}
