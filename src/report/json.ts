/** @module JSON rendering of a Report: the contract itself, pretty-printed, one object. */
import type { Report } from '../model/report.js';

/** The Report as JSON text (2-space indent, trailing newline). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Size of the text pieces `renderJsonChunks` hands out. Below V8's large-object size, so each piece is
 * short-lived garbage the young generation collects at once, and the output never piles up in the heap.
 */
const CHUNK_CHARS = 64 * 1024;
/** Values whose text is at most about this long are serialised in one `JSON.stringify` call. */
const LEAF_CHARS = 8 * 1024;

/** Rough upper bound of a value's JSON length without building it (stops counting past `limit`). */
function smallerThan(value: unknown, limit: number): boolean {
  let budget = limit;
  const walk = (v: unknown, depth: number): boolean => {
    if (budget < 0 || depth > 64) return false;
    if (v === null || typeof v !== 'object') {
      budget -= typeof v === 'string' ? v.length + 2 : 8;
      return budget >= 0;
    }
    if (Array.isArray(v)) {
      for (const item of v) if (!walk(item, depth + 1)) return false;
      budget -= 2 + v.length * (depth * 2 + 2);
      return budget >= 0;
    }
    for (const [k, item] of Object.entries(v)) {
      budget -= k.length + 4 + depth * 2;
      if (!walk(item, depth + 1)) return false;
    }
    return budget >= 0;
  };
  return walk(value, 1);
}

/**
 * The same text as `renderJson`, in pieces of about 64 KiB: objects and arrays are walked member by member
 * (only small values are serialised whole), so a landscape report of thousands of PSEs never exists as one
 * string, nor as strings large enough to outlive a young-generation collection.
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  let buffer = '';
  function* emit(text: string): Generator<string> {
    buffer += text;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  function* value(v: unknown, indent: string): Generator<string> {
    if (
      v !== null &&
      typeof v === 'object' &&
      typeof (v as { toJSON?: unknown }).toJSON !== 'function' &&
      !smallerThan(v, LEAF_CHARS)
    ) {
      const inner = `${indent}  `;
      if (Array.isArray(v)) {
        if (v.length === 0) return yield* emit('[]');
        yield* emit('[');
        for (const [i, item] of v.entries()) {
          yield* emit(`${i === 0 ? '' : ','}\n${inner}`);
          // JSON.stringify writes null for undefined and functions in arrays.
          if (item === undefined || typeof item === 'function' || typeof item === 'symbol')
            yield* emit('null');
          else yield* value(item, inner);
        }
        return yield* emit(`\n${indent}]`);
      }
      let first = true;
      for (const [k, item] of Object.entries(v)) {
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        yield* emit(`${first ? '{' : ','}\n${inner}${JSON.stringify(k)}: `);
        first = false;
        yield* value(item, inner);
      }
      return yield* emit(first ? '{}' : `\n${indent}}`);
    }
    const text = JSON.stringify(v, null, 2);
    yield* emit(indent && text.includes('\n') ? text.replace(/\n/g, `\n${indent}`) : text);
  }
  yield* value(report, '');
  buffer += '\n';
  yield buffer;
}
