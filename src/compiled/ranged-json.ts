/**
 * @module JSON arrays whose items can be read one at a time. The build writes an array of entries and
 * notes where each item's bytes start and how long they are; a command that needs three entries then
 * reads and parses three small slices instead of the whole file (`explain WSS040` reads one entry of
 * about 400, `analyze` one of the recogniser's entries per message it recognises). Also `asciiJson`, for
 * compiled files the run time reads whole.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** Byte offset and byte length of one item inside its file. */
export type ByteRange = readonly [offset: number, length: number];

/**
 * `prefix + JSON array of items + suffix`, and the byte range of every item in that text. Item `i`
 * parsed from its range equals `JSON.parse(JSON.stringify(items[i]))`.
 */
export function jsonArrayWithRanges(
  items: readonly unknown[],
  prefix = '',
  suffix = '',
): { text: string; ranges: Array<[number, number]> } {
  const parts: string[] = [`${prefix}[`];
  const ranges: Array<[number, number]> = [];
  let offset = Buffer.byteLength(parts[0]!);
  items.forEach((item, i) => {
    if (i > 0) {
      parts.push(',');
      offset += 1;
    }
    const json = JSON.stringify(item);
    const length = Buffer.byteLength(json);
    ranges.push([offset, length]);
    parts.push(json);
    offset += length;
  });
  parts.push(`]${suffix}`);
  return { text: parts.join(''), ranges };
}

/**
 * JSON with every character beyond ASCII escaped (`\u00e1`): the same value when parsed, but read whole
 * with `readFileSync(…, 'utf8')` it makes a one-byte string, half the memory of a two-byte one and parsed
 * by V8's faster one-byte JSON parser.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Reads items of a file written by `jsonArrayWithRanges`, each by its range. */
export class RangedJsonFile {
  constructor(readonly path: string) {}

  /** The item at `range`, parsed. Throws when the file is shorter than the range (a stale build). */
  read<T>(range: ByteRange): T {
    return this.readMany<T>([range])[0]!;
  }

  /** Several items with one open of the file. */
  readMany<T>(ranges: readonly ByteRange[]): T[] {
    const fd = openSync(this.path, 'r');
    try {
      return ranges.map(([offset, length]) => {
        const buf = Buffer.allocUnsafe(length);
        let got = 0;
        while (got < length) {
          const n = readSync(fd, buf, got, length - got, offset + got);
          if (n === 0)
            throw new Error(`${this.path} ends before byte ${offset + length} (rebuild: npm run build)`);
          got += n;
        }
        try {
          return JSON.parse(buf.toString('utf8')) as T;
        } catch {
          throw new Error(
            `${this.path} holds no item at bytes ${offset}-${offset + length}: it changed since it was loaded (restart pse-doctor, or rebuild: npm run build)`,
          );
        }
      });
    } finally {
      closeSync(fd);
    }
  }

  /** The whole file, parsed (when most items are needed, one parse beats many slices). */
  readAll<T>(): T {
    return JSON.parse(readFileSync(this.path, 'utf8')) as T;
  }
}
