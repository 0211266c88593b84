/**
 * @module A long regex tried only where one of a few plain texts occurs, for a process's first calls.
 * V8 compiles a regex at its first use (a long alternation with the `i` flag costs a few million
 * instructions), so a short run whose lines cannot match never compiles it; a long run (a server) soon
 * tests with the regex alone, which is faster per line than the texts.
 */

/** Whether `low` (a lower-cased text) holds one of `texts`. */
export function holdsAny(low: string, texts: readonly string[]): boolean {
  // An index loop: this runs on many lines in V8's interpreter, where `for…of` goes through the iterator
  // protocol (a call and an object per element).
  for (let i = 0; i < texts.length; i++) if (low.includes(texts[i]!)) return true;
  return false;
}

/**
 * `test`, answering false without running it for a text that holds none of `texts` (lower case, and
 * one of them in every text `test` accepts, once lower-cased: lower case only adds occurrences of a
 * text), for the first `calls` calls of the process; then `test` alone.
 */
export function textsFirst(
  texts: readonly string[],
  test: (text: string) => boolean,
  calls = 64,
): (text: string) => boolean {
  let left = calls;
  return (text) => {
    if (left > 0) {
      left--;
      if (!holdsAny(text.toLowerCase(), texts)) return false;
    }
    return test(text);
  };
}
