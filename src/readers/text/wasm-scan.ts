/**
 * @module WebAssembly for the scan of large traces: one SIMD pass per chunk that finds the next prefilter
 * marker and counts the line breaks before it (instead of one native `indexOf` pass per marker plus a
 * counting pass); and the arena the quiet gate's test in WebAssembly (wasm-gate.ts) shares with it.
 *
 * Both work on bytes in one process-wide memory (the arena): a window the scanner copies its chunk into
 * (1 MiB, the size of a file read; a copy costs less than the search itself, and brings the chunk into
 * the cache it is then searched in), the gate's tables, and a small area lines are copied into when
 * they are not in the window. The scan of a chunk is synchronous, so concurrent reads of one process take
 * turns in the window. The modules are written as instruction lists (wasm-asm.ts) and compiled on first
 * use: a finder per marker list (its markers become constants of the code), one gate per process. Where
 * WebAssembly or its SIMD instructions are missing, nothing here is built and the callers keep their
 * JavaScript paths, which give the same answers (tests compare them).
 */
import { countByte } from './count-newlines.js';
import { assemble, I32, op, V128 } from './wasm-asm.js';

/** Bytes of the window: the largest chunk scanned in WebAssembly (larger ones take the JavaScript path). */
export const WINDOW_BYTES = 1 << 20;
/** Zero bytes after the window's contents: the vector loads run up to 19 bytes past its end. */
const PAD = 64;
/** Where the finder leaves the line breaks it counted. */
const COUNT_AT = 0;
const WINDOW_AT = 64;
/** Lines longer than this are not copied for the gate (the quiet gate judges lines up to 4 KiB). */
export const LINE_BYTES = 4096;
const LINE_AT = WINDOW_AT + WINDOW_BYTES + PAD;
const FIXED_BYTES = LINE_AT + LINE_BYTES + PAD;
const PAGE = 65536;

/** The shared memory and what it holds (see the module comment). */
export class Arena {
  readonly memory: WebAssembly.Memory;
  bytes: Uint8Array;
  ints: Int32Array;
  /** The buffer whose bytes the window holds, while its scan runs. */
  window: Uint8Array | undefined;
  private top = FIXED_BYTES;

  constructor() {
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(FIXED_BYTES / PAGE) });
    this.bytes = new Uint8Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
  }

  /** Copy `buf` into the window (false: too large). */
  load(buf: Uint8Array): boolean {
    if (buf.length > WINDOW_BYTES) return false;
    this.bytes.set(buf, WINDOW_AT);
    this.bytes.fill(0, WINDOW_AT + buf.length, WINDOW_AT + buf.length + PAD);
    this.window = buf;
    return true;
  }

  /** The address of `buf[s]` in the arena (the line `buf[s, e)` copied in when it is not in the window), or -1. */
  address(buf: Uint8Array, s: number, e: number): number {
    if (buf === this.window) return WINDOW_AT + s;
    if (e - s > LINE_BYTES) return -1;
    // Buffer's copy makes no view object (the gate reads no byte past the line: no padding needed).
    Buffer.prototype.copy.call(buf, this.bytes, LINE_AT, s, e);
    return LINE_AT;
  }

  /** Room for `n` more bytes (the memory grows; the views follow it): their address. */
  reserve(n: number): number {
    const at = (this.top + 63) & ~63;
    this.top = at + n;
    const need = Math.ceil(this.top / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (need > 0) {
      this.memory.grow(need);
      this.bytes = new Uint8Array(this.memory.buffer);
      this.ints = new Int32Array(this.memory.buffer);
    }
    return at;
  }

  instantiate(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Exports {
    const module = new WebAssembly.Module(bytes);
    return new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports;
  }
}

let supported: boolean | undefined;
let shared: Arena | undefined;

/** Whether WebAssembly with its SIMD instructions is there (and not switched off for a test). */
function available(): boolean {
  if (!wasmScan.enabled) return false;
  if (supported === undefined) {
    try {
      // A module using SIMD instructions: engines without SIMD refuse it.
      const probe = assemble(
        [
          {
            name: 'f',
            params: [],
            results: [I32],
            locals: [],
            body: [op.const(0), op.i8x16Splat, op.i8x16Bitmask],
          },
        ],
        1,
      );
      supported = typeof WebAssembly === 'object' && WebAssembly.validate(probe);
    } catch {
      supported = false;
    }
  }
  return supported;
}

/** The arena, made on first use; undefined where WebAssembly SIMD is missing. */
export function arena(): Arena | undefined {
  if (!available()) return undefined;
  try {
    shared ??= new Arena();
  } catch {
    supported = false;
    return undefined;
  }
  return shared;
}

/**
 * Whether the WebAssembly paths are on, and when they take over. Building a module costs milliseconds
 * of code not yet optimised (the gate's tables more than ten): an input starts on the JavaScript paths;
 * the finder takes over past `afterBytes` of a chunked scan or once the process has scanned that much
 * (finderDue), the gate after `afterLines` lines judged (from then on for the whole process).
 */
export const wasmScan = { enabled: true, afterBytes: 4 << 20, afterLines: 2_000 };
const DEFAULTS = { ...wasmScan };

/** Bytes of regions past full-read heads this process has scanned, in all its inputs (finderDue). */
let scannedBytes = 0;

/**
 * Whether the finder searches a region past an input's full-read head that ends `end` bytes into the
 * input: past `afterBytes` of the input, or once the process has scanned as much in all, so a server
 * reading one upload of a few hundred KiB after another has it from its 17th upload on (the JavaScript
 * path searches each marker in turn, then counts line breaks). Counts the region's `bytes`.
 */
export function finderDue(end: number, bytes: number): boolean {
  const due = end > wasmScan.afterBytes || scannedBytes >= wasmScan.afterBytes;
  scannedBytes += bytes;
  return due;
}

/**
 * Tests: switch the WebAssembly paths off (every caller takes its JavaScript path) or on again; `after`
 * sets when they take over (0: from the start; undefined: the defaults).
 */
export function setWasmScan(on: boolean, after?: { bytes: number; lines: number }): void {
  wasmScan.enabled = on;
  wasmScan.afterBytes = after?.bytes ?? DEFAULTS.afterBytes;
  wasmScan.afterLines = after?.lines ?? DEFAULTS.afterLines;
  scannedBytes = 0;
  finders = new WeakMap();
}

// ------------------------------------------------------------------------------------------ finder

/** At most this many markers are searched in one pass (each costs a few vector operations per 16 bytes). */
export const MAX_FINDER_MARKERS = 8;

/**
 * Finds markers and counts line breaks in a chunk copied into the arena's window. Positions are offsets
 * in the chunk given to `load`; `find` and `lines` must run before the next `load` of any scanner
 * (synchronously).
 */
export class WasmFinder {
  /** The last `find`: from where, up to where it counted (its hit, or the end), and the count. */
  private from = -1;
  private to = -1;
  private n = 0;
  private buf: Uint8Array | undefined;

  constructor(
    private readonly arena: Arena,
    private readonly code: { find: (from: number, end: number, nl: number) => number },
  ) {}

  /** Copy the chunk into the window (false: it is larger than the window). */
  load(buf: Uint8Array): boolean {
    this.from = -1;
    this.buf = buf;
    return this.arena.load(buf);
  }

  /** The scan of the chunk is over: the window is free (the gate no longer reads lines from it). */
  release(): void {
    if (this.arena.window === this.buf) this.arena.window = undefined;
    this.buf = undefined;
  }

  /** Where the first marker occurrence in `[from, end)` starts, or -1 (line breaks byte `nl`). */
  find(from: number, end: number, nl: number): number {
    this.reload();
    const hit = this.code.find(WINDOW_AT + from, WINDOW_AT + Math.min(end, this.buf?.length ?? 0), nl);
    this.from = from;
    this.to = hit < 0 ? end : hit - WINDOW_AT;
    this.n = this.arena.ints[COUNT_AT >> 2]!;
    return hit < 0 ? -1 : hit - WINDOW_AT;
  }

  /**
   * How many `nl` bytes lie in `[from, to)`: the count of the last `find` when it covered that range,
   * otherwise counted in the chunk by count-newlines.ts (the bulk counter every scan uses).
   */
  lines(from: number, to: number, nl: number): number {
    if (from === this.from && to === this.to) return this.n;
    return this.buf ? countByte(this.buf, nl, from, to) : 0;
  }

  /** Another scan used the window meanwhile (it cannot within one chunk; kept as a guard): copy again. */
  private reload(): void {
    if (this.arena.window !== this.buf && this.buf) this.arena.load(this.buf);
  }
}

let finders = new WeakMap<readonly string[], WasmFinder | null>();

/**
 * The finder of a marker list (printable ASCII markers, as MarkerSet requires), compiled once per list;
 * undefined without WebAssembly SIMD or for lists longer than MAX_FINDER_MARKERS.
 */
export function finderFor(markers: readonly string[]): WasmFinder | undefined {
  let f = finders.get(markers);
  if (f === undefined) {
    const a = markers.length > 0 && markers.length <= MAX_FINDER_MARKERS ? arena() : undefined;
    f = a ? buildFinder(a, markers) : null;
    finders.set(markers, f);
  }
  return f ?? undefined;
}

function buildFinder(a: Arena, markers: readonly string[]): WasmFinder | null {
  const bytes = markers.map((m) => [...Buffer.from(m, 'latin1')]);
  // Each marker is matched on its first (up to) four bytes, its "quad", 16 positions at a time: first on
  // the quad's first and last byte (a vector holding neither of those pairs, nearly all of them, costs
  // a few operations), then on all four, then byte by byte in `verify`.
  const quads = bytes.map((b) => b.slice(0, 4));
  const width = Math.max(...quads.map((q) => q.length));
  // Locals: params from(0) end(1) nl(2); i32 p(3) n(4) m(5) bit(6) c(7) blockEnd(8) nlm(9) fullEnd(10);
  // v128 v0…(11…),
  // the line-break splat, the line-break counter, then one splat per distinct first or last byte of a quad
  // (few, so the loop keeps them all in registers; the rarely run four-byte test uses constants).
  // biome-ignore format: instruction lists
  const P = 3, N = 4, M = 5, BIT = 6, C = 7, BLOCK_END = 8, NLM = 9, FULL_END = 10, V = 11;
  const NLV = V + width;
  const ACC = NLV + 1;
  const splatOf = new Map<number, number>();
  for (const q of quads)
    for (const x of [q[0]!, q[q.length - 1]!]) if (!splatOf.has(x)) splatOf.set(x, ACC + 1 + splatOf.size);
  const vectorLocals = [...Array(width + 2 + splatOf.size)].map(() => V128);
  const i32Locals = [I32, I32, I32, I32, I32, I32, I32, I32];
  const eqAt = (k: number, x: number) => [op.get(V + k), op.get(splatOf.get(x)!), op.i8x16Eq];
  const eqConst = (k: number, x: number) => [op.get(V + k), op.v128Splat8(x), op.i8x16Eq];
  const anyOf = (parts: number[][][]) => parts.flatMap((part, i) => [...part, ...(i > 0 ? [op.v128Or] : [])]);
  const allOf = (parts: number[][][]) =>
    parts.flatMap((part, i) => [...part, ...(i > 0 ? [op.v128And] : [])]);
  const load = (k: number) => [op.get(P), op.v128Load(k), op.set(V + k)];
  // The sum of the counter's 16 lanes (each below 256).
  // biome-ignore format: instruction lists
  const sumAcc = [
    op.get(ACC), op.i16x8AddPairsU, op.i32x4AddPairsU, op.tee(ACC),
    op.i32x4Lane(0), op.get(ACC), op.i32x4Lane(1), op.add, op.get(ACC), op.i32x4Lane(2), op.add,
    op.get(ACC), op.i32x4Lane(3), op.add,
  ];
  const lastOffsets = [...new Set(quads.map((q) => q.length - 1))].filter((k) => k > 0);

  // Whether a marker starts at the address in local C (none runs past `end`): each marker byte by byte.
  // biome-ignore format: instruction lists
  const verify = (found: number[][]) =>
    bytes.flatMap((b) => [
      op.block,
      op.get(C), op.const(b.length), op.add, op.get(1), op.gtU, op.brIf(0),
      ...b.flatMap((x, k) => [op.get(C), op.load8(k), op.const(x), op.ne, op.brIf(0)]),
      ...found,
      op.end,
    ]);
  // biome-ignore format: instruction lists
  const setup = [
    op.get(2), op.i8x16Splat, op.set(NLV),
    ...[...splatOf].flatMap(([x, local]) => [op.const(x), op.i8x16Splat, op.set(local)]),
    op.get(0), op.set(P),
  ];
  // find(from, end, nl): the first marker starting in [from, end), or -1; the line breaks before it (or
  // before `end`) are stored at COUNT_AT. Line breaks are counted per byte lane, in blocks of at most 255
  // vectors. The loop over whole vectors holds no call and no branch but its own: a vector where some
  // quad's first and last byte occur leaves it for the tests below, as does the last, partial vector
  // (its bytes past `end` are masked off); those tests then resume the loop. Loads reach 19 bytes past
  // `end` (the padding after each buffer).
  // biome-ignore format: instruction lists
  const find = {
    name: 'find',
    params: [I32, I32, I32],
    results: [I32],
    locals: [...i32Locals, ...vectorLocals],
    body: [
      ...setup,
      op.get(1), op.const(15), op.sub, op.set(FULL_END),
      op.v128Zero, op.set(ACC),
      op.block, // $none
      op.loop, // $resume
      op.block, // $candidate
      op.loop, // $blocks
      op.get(P), op.get(FULL_END), op.geU, op.brIf(1),
      op.get(P), op.const(255 * 16), op.add, op.tee(BLOCK_END), op.get(FULL_END), op.get(BLOCK_END),
      op.get(FULL_END), op.ltU, op.select, op.set(BLOCK_END),
      op.loop, // $vectors
      ...load(0), ...lastOffsets.flatMap(load),
      ...anyOf(quads.map((q) => allOf([eqAt(0, q[0]!), ...(q.length > 1 ? [eqAt(q.length - 1, q[q.length - 1]!)] : [])]))),
      op.v128AnyTrue, op.brIf(2),
      op.get(ACC), op.get(V), op.get(NLV), op.i8x16Eq, op.i8x16Sub, op.set(ACC),
      op.get(P), op.const(16), op.add, op.tee(P), op.get(BLOCK_END), op.ltU, op.brIf(0),
      op.end,
      op.get(N), ...sumAcc, op.add, op.set(N), op.v128Zero, op.set(ACC),
      op.br(0),
      op.end,
      op.end,
      // The vector at p: a whole one holding some quad's first and last byte, or the last, partial one.
      op.get(P), op.get(1), op.geU, op.brIf(1),
      op.get(N), ...sumAcc, op.add, op.set(N), op.v128Zero, op.set(ACC),
      ...[...Array(width).keys()].flatMap(load),
      op.get(V), op.get(NLV), op.i8x16Eq, op.i8x16Bitmask, op.set(NLM),
      ...anyOf(quads.map((q) => allOf(q.map((x, k) => eqConst(k, x))))),
      op.i8x16Bitmask, op.set(M),
      op.get(1), op.get(P), op.sub, op.tee(BIT), op.const(16), op.ltU, op.if,
      op.const(1), op.get(BIT), op.shl, op.const(1), op.sub, op.tee(BIT), op.get(M), op.and, op.set(M),
      op.get(NLM), op.get(BIT), op.and, op.set(NLM),
      op.end,
      // Each candidate in turn.
      op.block, op.get(M), op.eqz, op.brIf(0),
      op.loop,
      op.get(M), op.ctz, op.set(BIT),
      op.get(P), op.get(BIT), op.add, op.set(C),
      ...verify([
        // A marker at c: the line breaks counted so far, and those of this vector before it.
        op.const(COUNT_AT), op.get(N),
        op.get(NLM), op.const(1), op.get(BIT), op.shl, op.const(1), op.sub, op.and, op.popcnt, op.add,
        op.store32(),
        op.get(C), op.return,
      ]),
      op.get(M), op.get(M), op.const(1), op.sub, op.and, op.tee(M), op.brIf(0),
      op.end,
      op.end,
      op.get(N), op.get(NLM), op.popcnt, op.add, op.set(N),
      op.get(P), op.const(16), op.add, op.set(P),
      op.br(0),
      op.end,
      op.end,
      op.const(COUNT_AT), op.get(N), op.store32(),
      op.const(-1),
    ],
  };
  try {
    const e = a.instantiate(assemble([find], 1)) as unknown as ConstructorParameters<typeof WasmFinder>[1];
    return new WasmFinder(a, e);
  } catch {
    return null;
  }
}
