/** @module JSON rendering of a Report: the contract itself, pretty-printed, one object. */
import type { Report } from '../model/report.js';

/** The Report as JSON text (2-space indent, trailing newline). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Size of the text pieces `renderJsonChunks` hands out (the writer never holds the whole report as text). */
const CHUNK_CHARS = 1 << 20;

/**
 * The same text as `renderJson`, in pieces of about 1 MiB: top-level arrays are serialised one element at a
 * time, so a landscape report of thousands of PSEs never exists as one string.
 */
export function* renderJsonChunks(report: Report): Generator<string> {
  let buffer = '{';
  const flush = function* (force = false): Generator<string> {
    if (buffer.length >= CHUNK_CHARS || (force && buffer.length > 0)) {
      yield buffer;
      buffer = '';
    }
  };
  const entries = Object.entries(report).filter(([, v]) => v !== undefined);
  for (const [i, [key, value]] of entries.entries()) {
    buffer += `${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      buffer += '[';
      for (const [j, item] of value.entries()) {
        const text = JSON.stringify(item, null, 2);
        buffer += `${j === 0 ? '' : ','}\n    ${text === undefined ? 'null' : text.replace(/\n/g, '\n    ')}`;
        yield* flush();
      }
      buffer += '\n  ]';
    } else buffer += JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
    yield* flush();
  }
  buffer += entries.length ? '\n}\n' : '}\n';
  yield* flush(true);
}
