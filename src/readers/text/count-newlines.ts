/**
 * @module Counts line breaks in bulk: a 16-bytes-at-a-time WebAssembly SIMD loop, about four times
 * faster than one search per line on trace text once a process has counted a few megabytes; before that,
 * for short ranges and where WebAssembly SIMD is missing, one typed-array search per line break.
 *
 * The module (193 bytes, below as base64) is this function, hand-assembled:
 *
 *   (func (export "count") (param $p i32) (param $len i32) (param $byte i32) (result i32)
 *     ;; $len is a multiple of 16; counts the bytes equal to $byte in memory[$p, $p + $len)
 *     (local $n i32) (local $end i32) (local $blockEnd i32) (local $acc v128) (local $needle v128) (local $sum v128)
 *     (local.set $end (i32.add (local.get $p) (local.get $len)))
 *     (local.set $needle (i8x16.splat (local.get $byte)))
 *     (block $done (loop $blocks
 *       (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
 *       (local.set $acc (v128.const i64x2 0 0))
 *       ;; at most 255 vectors per block, so no 8-bit lane of $acc overflows
 *       (local.set $blockEnd (select (local.tee $blockEnd (i32.add (local.get $p) (i32.const 4080)))
 *         (local.get $end) (i32.lt_u (local.get $blockEnd) (local.get $end))))
 *       (loop $vectors
 *         ;; i8x16.eq gives -1 per equal byte: subtracting it adds one
 *         (local.set $acc (i8x16.sub (local.get $acc) (i8x16.eq (v128.load (local.get $p)) (local.get $needle))))
 *         (br_if $vectors (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $blockEnd))))
 *       (local.set $sum (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $acc))))
 *       (local.set $n (i32.add (i32.add (i32.add (i32.add (local.get $n)
 *         (i32x4.extract_lane 0 (local.get $sum))) (i32x4.extract_lane 1 (local.get $sum)))
 *         (i32x4.extract_lane 2 (local.get $sum))) (i32x4.extract_lane 3 (local.get $sum))))
 *       (br $blocks)))
 *     (local.get $n))
 *   (memory (export "memory") 17)
 */

import { byteIndexOf } from './byte-index.js';

const MODULE =
  'AGFzbQEAAAABCAFgA39/fwF/AwIBAAUDAQARBxICBWNvdW50AAAGbWVtb3J5AgAKkAEBjQECA38DeyAAIAFqIQQgAv0PIQcCQANAIAAgBE8NAf0MAAAAAAAAAAAAAAAAAAAAACEGIABB8B9qIgUgBCAFIARJGyEFA0AgBiAA/QAAACAH/SP9cSEGIABBEGoiACAFSQ0ACyAG/X39fyEIIAMgCP0bAGogCP0bAWogCP0bAmogCP0bA2ohAwwACwsgAws=';

/** Bytes copied into the module's memory per call (its memory is 17 pages of 64 KiB). */
const WINDOW = 1 << 20;
/** Shorter ranges are counted by search: copying would cost more than it saves. */
const MIN_BULK = 1024;
/**
 * Bytes a process counts by search (byte-index.ts) before it loads the WebAssembly module. Loading it is
 * the first WebAssembly compile of the process, about 2 ms; the search counts a 256 KiB trace's line
 * breaks in about 0.15 ms in a fresh process and about 2 GB/s once optimised, so an input of a few
 * megabytes never pays for the module, and a large one (whose scan past 4 MiB counts line breaks itself,
 * wasm-scan.ts) has it soon enough.
 */
const SEARCH_BYTES = 4 * 1024 * 1024;
let searched = 0;

interface Counter {
  count(p: number, len: number, byte: number): number;
  view: Uint8Array;
}

let counter: Counter | null | undefined;

function load(): Counter | null {
  try {
    const bytes = Buffer.from(MODULE, 'base64');
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const exports = instance.exports as { count: Counter['count']; memory: WebAssembly.Memory };
    return { count: exports.count, view: new Uint8Array(exports.memory.buffer) };
  } catch {
    return null; // No WebAssembly or no SIMD: indexOf does it.
  }
}

/** How many bytes equal to `byte` lie in `buf[from, to)`, one search per byte found (byte-index.ts). */
export function countBySearch(buf: Uint8Array, byte: number, from: number, to: number): number {
  let n = 0;
  let p = from;
  for (;;) {
    const i = byteIndexOf(buf, byte, p);
    if (i < 0 || i >= to) return n;
    n++;
    p = i + 1;
  }
}

/** How many bytes equal to `byte` (a line break) lie in `buf[from, to)`. */
export function countByte(buf: Uint8Array, byte: number, from: number, to: number): number {
  if (to - from < MIN_BULK || searched < SEARCH_BYTES) {
    if (to > from) searched += to - from;
    return countBySearch(buf, byte, from, to);
  }
  return countInBulk(buf, byte, from, to);
}

/** countByte by the WebAssembly module (countBySearch where WebAssembly SIMD is missing). */
export function countInBulk(buf: Uint8Array, byte: number, from: number, to: number): number {
  if (counter === undefined) counter = load();
  if (!counter) return countBySearch(buf, byte, from, to);
  let n = 0;
  for (let a = from; a < to; a += WINDOW) {
    const len = Math.min(WINDOW, to - a);
    const bulk = len & ~15;
    counter.view.set(buf.subarray(a, a + bulk), 0);
    n += counter.count(0, bulk, byte);
    for (let i = a + bulk; i < a + len; i++) if (buf[i] === byte) n++;
  }
  return n;
}
