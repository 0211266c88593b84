/**
 * @module A minimal WebAssembly assembler: just enough to write the scanner's small modules (wasm-scan.ts)
 * as readable instruction lists in TypeScript and turn them into bytes when they are first needed. No
 * tool and no dependency: each instruction below is its opcode from the WebAssembly 2.0 specification
 * (SIMD instructions behind the 0xfd prefix). Modules import their memory, so several share one.
 */

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const simd = (code: number, ...rest: number[]): number[] => [0xfd, ...uleb(code), ...rest];

/** Instructions (each an array of bytes; concatenate them into a body). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  return: [0x0f],
  call: (fn: number) => [0x10, ...uleb(fn)],
  select: [0x1b],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  load8: (offset = 0) => [0x2d, 0, ...uleb(offset)],
  load16: (offset = 0) => [0x2f, 1, ...uleb(offset)],
  load32: (offset = 0) => [0x28, 2, ...uleb(offset)],
  store32: (offset = 0) => [0x36, 2, ...uleb(offset)],
  const: (n: number) => [0x41, ...sleb(n)],
  eqz: [0x45],
  eq: [0x46],
  ne: [0x47],
  ltU: [0x49],
  gtU: [0x4b],
  leU: [0x4d],
  geU: [0x4f],
  ctz: [0x68],
  popcnt: [0x69],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  or: [0x72],
  xor: [0x73],
  shl: [0x74],
  shrU: [0x76],
  v128Load: (offset = 0) => simd(0x00, 0, ...uleb(offset)),
  v128Zero: simd(0x0c, ...new Array(16).fill(0)),
  /** A vector of 16 bytes `b`. */
  v128Splat8: (b: number) => simd(0x0c, ...new Array(16).fill(b & 0xff)),
  i32x4Lane: (lane: number) => simd(0x1b, lane),
  i8x16Splat: simd(0x0f),
  i8x16Eq: simd(0x23),
  v128And: simd(0x4e),
  v128Or: simd(0x50),
  v128AnyTrue: simd(0x53),
  i8x16Bitmask: simd(0x64),
  i8x16Sub: simd(0x71),
  i16x8AddPairsU: simd(0x7d),
  i32x4AddPairsU: simd(0x7f),
};

/** One function: its parameter and result types, its locals beyond the parameters, its body. */
export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  locals: number[];
  body: number[][];
}

/** Append `bytes` to `out` (a loop: spreading thousands of elements is slow in code not yet optimised). */
function put(out: number[], bytes: readonly number[]): void {
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]!);
}

function vec(items: readonly (readonly number[])[]): number[] {
  const out = uleb(items.length);
  for (const item of items) put(out, item);
  return out;
}

const name = (s: string): number[] => {
  const out = uleb(s.length);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  return out;
};

function section(id: number, content: readonly number[]): number[] {
  const out = [id, ...uleb(content.length)];
  put(out, content);
  return out;
}

/**
 * A module of `functions` (all exported by name; a function calls another by its index in the list)
 * that imports its memory as `env.memory` (at least `minPages` pages of 64 KiB).
 */
export function assemble(functions: readonly WasmFunction[], minPages: number): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [
    0x60,
    ...vec(f.params.map((t) => [t])),
    ...vec(f.results.map((t) => [t])),
  ]);
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(minPages)]]);
  const codes = functions.map((f) => {
    const body = vec(f.locals.map((t) => [1, t]));
    for (const ins of f.body) put(body, ins);
    body.push(0x0b);
    const out = uleb(body.length);
    put(out, body);
    return out;
  });
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  put(out, section(1, vec(types)));
  put(out, section(2, imports));
  put(out, section(3, vec(functions.map((_, i) => uleb(i)))));
  put(out, section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))));
  put(out, section(10, vec(codes)));
  return Uint8Array.from(out);
}
