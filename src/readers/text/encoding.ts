/** @module Text encodings of inputs: BOM / NUL-pattern sniffing, UTF-16 transcoding, per-line UTF-8 with cp1252 fallback. */
import { isUtf8 } from 'node:buffer';

/** How the bytes of an input are to be read as text. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/**
 * Decide the encoding from the first bytes: a BOM wins; without one, a UTF-16 text shows NUL bytes in
 * every other position (ASCII content), which is checked on the first 512 bytes.
 */
export function sniffEncoding(head: Buffer): TextEncoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const n = Math.min(head.length, 512) & ~1;
  if (n < 8) return 'utf-8';
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return 'utf-8';
}

/**
 * True when the head is not text: NUL bytes (outside UTF-16) or many control characters. Binary
 * formats (DER, PKCS#12, PSE) are claimed by their own readers; the text readers must refuse them.
 */
export function looksBinary(head: Buffer): boolean {
  const enc = sniffEncoding(head);
  if (enc === 'utf-16le' || enc === 'utf-16be') return false;
  const n = Math.min(head.length, 65536);
  if (n === 0) return false;
  const view = n === head.length ? head : head.subarray(0, n);
  // Each byte value is counted by the native search (text holds none of them, so each is one pass at
  // memory speed); a count stops once the verdict is certain, as counts only grow.
  const nulCap = n * 0.01;
  const anyCap = n * 0.05;
  const nul = countUpTo(view, 0, nulCap);
  if (nul > nulCap) return true;
  let total = nul;
  for (const b of CONTROL_BYTES) {
    total += countUpTo(view, b, anyCap - total);
    if (total > anyCap) return true;
  }
  return false;
}

/** Control bytes that do not occur in text (tab, line breaks, form feed, vertical tab and ESC do). */
const CONTROL_BYTES: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 8, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1c,
  0x1d, 0x1e, 0x1f,
];

/** How often `byte` occurs in `buf`, counted only until the count passes `cap`. */
function countUpTo(buf: Buffer, byte: number, cap: number): number {
  let count = 0;
  let p = buf.indexOf(byte);
  while (p >= 0) {
    count++;
    if (count > cap) return count;
    p = buf.indexOf(byte, p + 1);
  }
  return count;
}

/** Decode a head (up to 64 KiB) to a string for sniffing, whatever its encoding. */
export function decodeHead(head: Buffer): string {
  const enc = sniffEncoding(head);
  if (enc === 'utf-16le' || enc === 'utf-16be') return new TextDecoder(enc).decode(head);
  const body = enc === 'utf-8-bom' ? head.subarray(3) : head;
  return body.toString('latin1');
}

/** Re-encode a UTF-16 stream as UTF-8 chunks, so one line splitter serves every encoding. */
export async function* transcodeUtf16(
  chunks: AsyncIterable<Buffer>,
  encoding: 'utf-16le' | 'utf-16be',
): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield Buffer.from(tail, 'utf8');
}

/**
 * Windows-1252 for 0x80–0x9F (Node's TextDecoder('windows-1252') decodes these as C1 controls);
 * every other byte is its latin1 code point. Unassigned positions stay C1 controls.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    const part = bytes.subarray(i, i + 4096);
    const codes = new Array<number>(part.length);
    for (let k = 0; k < part.length; k++) {
      const b = part[k]!;
      codes[k] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

/**
 * Decode one line. Valid UTF-8 is read as UTF-8; anything else (a Windows trace with latin1/cp1252
 * bytes pasted into a UTF-8 file) is read as Windows-1252, which maps every byte to a character.
 */
export function decodeLine(buf: Buffer, start: number, end: number): { text: string; utf8: boolean } {
  const slice = buf.subarray(start, end);
  if (isUtf8(slice)) return { text: slice.toString('utf8'), utf8: true };
  return { text: decodeCp1252(slice), utf8: false };
}
