/**
 * @module Facts rules derive from one event again and again (its lower-cased text, its short SapSSL code),
 * computed once per event while one synchronous pass of rules runs: the engine wraps each pass in
 * `duringRun`, during which the evidence does not change. Outside a pass every call computes afresh, so
 * evidence changed between two diagnoses is never read from an old memo. Only immutable values (strings)
 * are kept: a caller cannot change what the next one reads.
 */

/** The pass running now (0: none); each pass gets a new number, so an older pass's values never count. */
let current = 0;
let next = 1;

/** Run `fn` as one pass of rules over unchanging evidence. */
export function duringRun<T>(fn: () => T): T {
  const outer = current;
  current = next++;
  try {
    return fn();
  } finally {
    current = outer;
  }
}

/** `compute`, remembered per object for the pass running now. */
export function memoPerRun<E extends object, V extends string | number | boolean | undefined>(
  compute: (e: E) => V,
): (e: E) => V {
  const memo = new WeakMap<E, { run: number; value: V }>();
  return (e: E): V => {
    if (current === 0) return compute(e);
    const hit = memo.get(e);
    if (hit !== undefined && hit.run === current) return hit.value;
    const value = compute(e);
    memo.set(e, { run: current, value });
    return value;
  };
}
