/**
 * @module WebAssembly for the scan of large traces: one SIMD pass per chunk that finds the next prefilter
 * marker and counts the line breaks before it (instead of one native `indexOf` pass per marker plus a
 * counting pass), and the quiet gate's literal test (literal-gate.ts) as a loop over table look-ups.
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
class Arena {
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
function arena(): Arena | undefined {
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
 * the finder takes over past `afterBytes` of a chunked scan, the gate after `afterLines` lines judged
 * (from then on for the whole process).
 */
export const wasmScan = { enabled: true, afterBytes: 4 << 20, afterLines: 2_000 };
const DEFAULTS = { ...wasmScan };

/**
 * Tests: switch the WebAssembly paths off (every caller takes its JavaScript path) or on again; `after`
 * sets when they take over (0: from the start; undefined: the defaults).
 */
export function setWasmScan(on: boolean, after?: { bytes: number; lines: number }): void {
  wasmScan.enabled = on;
  wasmScan.afterBytes = after?.bytes ?? DEFAULTS.afterBytes;
  wasmScan.afterLines = after?.lines ?? DEFAULTS.afterLines;
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
    private readonly code: {
      find: (from: number, end: number, nl: number) => number;
      count: (from: number, end: number, nl: number) => number;
    },
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

  /** How many `nl` bytes lie in `[from, to)`. */
  lines(from: number, to: number, nl: number): number {
    if (from === this.from && to === this.to) return this.n;
    this.reload();
    return this.code.count(WINDOW_AT + from, WINDOW_AT + to, nl);
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
  // count(from, end, nl): the line breaks in [from, end) (bytes past `end` may be anything).
  // biome-ignore format: instruction lists
  const count = {
    name: 'count',
    params: [I32, I32, I32],
    results: [I32],
    locals: [...i32Locals, ...vectorLocals],
    body: [
      ...setup,
      op.block, op.loop,
      op.get(P), op.get(1), op.geU, op.brIf(1),
      op.get(P), op.v128Load(0), op.get(NLV), op.i8x16Eq, op.i8x16Bitmask, op.set(NLM),
      op.get(1), op.get(P), op.sub, op.tee(M), op.const(16), op.ltU, op.if,
      op.const(1), op.get(M), op.shl, op.const(1), op.sub, op.get(NLM), op.and, op.set(NLM),
      op.end,
      op.get(N), op.get(NLM), op.popcnt, op.add, op.set(N),
      op.get(P), op.const(16), op.add, op.set(P),
      op.br(0),
      op.end, op.end,
      op.get(N),
    ],
  };
  try {
    const e = a.instantiate(assemble([find, count], 1)) as unknown as ConstructorParameters<
      typeof WasmFinder
    >[1];
    return new WasmFinder(a, e);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------------------- gate

/** The tables of a LiteralGate (see literal-gate.ts), as the gate in WebAssembly copies them. */
export interface LiteralTables {
  /** Per packed pair of 7-bit characters: 1 two-character literal, 2 three-character start, 4 longer start. */
  pairs: Uint8Array;
  /** Three-character literals, packed 7 bits a character. */
  three: Iterable<number>;
  /** Longer literals by their first four characters packed. */
  byFour: Iterable<readonly [number, readonly string[]]>;
  /** Start literals by their first character. */
  starts: Iterable<readonly [number, readonly string[]]>;
}

/** `mayMatter` of the quiet gate (quiet-lines.ts) over tables in the arena. */
export class WasmGate {
  constructor(
    private readonly arena: Arena,
    private readonly fn: (s: number, p: number, e: number) => number,
  ) {}

  /**
   * As QuietGate.mayMatter: the line `buf[s, e)`, its payload from `p`, may matter. Undefined when the line
   * is too long to copy (the caller asks the JavaScript gate).
   */
  mayMatter(buf: Uint8Array, s: number, p: number, e: number): boolean | undefined {
    const at = this.arena.address(buf, s, e);
    if (at < 0) return undefined;
    return this.fn(at, at + p - s, at + e - s) !== 0;
  }
}

/** The gate over `literals` (anywhere, and at the payload's start) and `lineStarts`; undefined without SIMD. */
export function wasmGate(literals: LiteralTables, lineStarts: LiteralTables): WasmGate | undefined {
  const a = arena();
  if (!a) return undefined;
  try {
    return buildGate(a, literals, lineStarts);
  } catch {
    return undefined;
  }
}

/** Multiplicative hashing of packed characters into a table of 2^bits slots. */
function hash4(k1: number, bits: number): number {
  return Math.imul(k1, 0x9e3779b1) >>> (32 - bits);
}
function hash8(k1: number, k2: number, bits: number): number {
  return Math.imul(k1 ^ Math.imul(k2, 0x85ebca6b), 0x9e3779b1) >>> (32 - bits);
}

/** Four 7-bit characters of `s` from `at`, packed as LiteralGate packs them. */
function pack4(s: string, at: number): number {
  let v = 0;
  for (let k = at; k < at + 4; k++) v = (v << 7) | s.charCodeAt(k);
  return v;
}

function buildGate(a: Arena, literals: LiteralTables, lineStarts: LiteralTables): WasmGate {
  // Literals of four characters or more: by their first four (a short list of those up to seven
  // characters long, and whether longer ones exist), and those of eight or more by their first eight.
  const byFour = new Map<number, { short: string[]; long: boolean }>();
  const byEight = new Map<number, Map<number, string[]>>();
  let eights = 0;
  for (const [k1, lits] of literals.byFour) {
    const entry = { short: [] as string[], long: false };
    byFour.set(k1, entry);
    for (const lit of lits) {
      if (lit.length < 8) {
        entry.short.push(lit);
        continue;
      }
      entry.long = true;
      const k2 = pack4(lit, 4);
      let inner = byEight.get(k1);
      if (!inner) {
        inner = new Map();
        byEight.set(k1, inner);
      }
      const list = inner.get(k2);
      if (list) list.push(lit);
      else {
        inner.set(k2, [lit]);
        eights++;
      }
    }
  }
  const slotsFor = (n: number) => {
    let bits = 4;
    while (1 << bits < n * 2) bits++;
    return bits;
  };
  const bits4 = slotsFor(byFour.size);
  const bits8 = slotsFor(eights);
  // Literal lists: per literal its length (2 bytes) and its characters; a zero length ends the list.
  // Built as one Latin-1 string (a byte a character), written into the memory at once.
  let lists = '\0\0';
  const listOf = (lits: readonly string[]): number => {
    if (lits.length === 0) return -1;
    const at = lists.length;
    for (const s of lits) lists += String.fromCharCode(s.length & 0xff, s.length >> 8) + s;
    lists += '\0\0';
    return at;
  };
  const t4 = [...byFour].map(([k1, e]) => [k1, listOf(e.short), e.long] as const);
  const t8: (readonly [number, number, number])[] = [];
  for (const [k1, inner] of byEight) for (const [k2, lits] of inner) t8.push([k1, k2, listOf(lits)]);
  const anyStarts = [...literals.starts].map(([c, lits]) => [c, listOf(lits)] as const);
  const lineStartLists = [...lineStarts.starts].map(([c, lits]) => [c, listOf(lits)] as const);

  const LOW = a.reserve(256);
  const PAIRS = a.reserve(1 << 14);
  const THREE = a.reserve(1 << 18);
  const PREFIX3 = a.reserve(1 << 18);
  const T4 = a.reserve((1 << bits4) * 12);
  const T8 = a.reserve((1 << bits8) * 12);
  const ANY_STARTS = a.reserve(128 * 4);
  const LINE_STARTS = a.reserve(128 * 4);
  const LISTS = a.reserve(lists.length + 16);
  const mem = a.bytes;
  // Every table starts 64-byte aligned and holds 32-bit words: a word view, indexed by address / 4.
  const u32 = new Uint32Array(a.memory.buffer);
  const ptr = (list: number) => (list < 0 ? 0 : LISTS + list);
  // Bytes lower-cased (A–Z), and 0xff for the bytes no literal can hold (0, and 0x80 and above).
  for (let b = 0; b < 256; b++)
    mem[LOW + b] = b === 0 || b >= 0x80 ? 0xff : b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
  mem.set(literals.pairs, PAIRS);
  for (const t of literals.three) mem[THREE + (t >>> 3)]! |= 1 << (t & 7);
  for (const k1 of byFour.keys()) mem[PREFIX3 + (k1 >>> 10)]! |= 1 << ((k1 >>> 7) & 7);
  for (const [k1, list, long] of t4) {
    let slot = hash4(k1, bits4);
    while (u32[(T4 >> 2) + slot * 3] !== 0) slot = (slot + 1) & ((1 << bits4) - 1);
    const w = (T4 >> 2) + slot * 3;
    u32[w] = k1;
    u32[w + 1] = ptr(list);
    u32[w + 2] = long ? 1 : 0;
  }
  for (const [k1, k2, list] of t8) {
    let slot = hash8(k1, k2, bits8);
    while (u32[(T8 >> 2) + slot * 3] !== 0) slot = (slot + 1) & ((1 << bits8) - 1);
    const w = (T8 >> 2) + slot * 3;
    u32[w] = k1;
    u32[w + 1] = k2;
    u32[w + 2] = ptr(list);
  }
  for (const [c, list] of anyStarts) u32[(ANY_STARTS >> 2) + c] = ptr(list);
  for (const [c, list] of lineStartLists) u32[(LINE_STARTS >> 2) + c] = ptr(list);
  mem.set(Buffer.from(lists, 'latin1'), LISTS);

  // The lowered byte at the address on the stack (0xff: no literal holds it).
  const low = [op.load8(), op.load8(LOW)];
  // biome-ignore format: instruction lists
  const blank = (q: number, b: number) => [
    op.get(q), op.load8(), op.tee(b), op.const(0x20), op.eq,
    op.get(b), op.const(9), op.sub, op.const(5), op.ltU, op.or,
  ];
  // biome-ignore format: instruction lists
  const skipBlanks = (q: number, e: number, b: number) => [
    op.block, op.loop,
    op.get(q), op.get(e), op.geU, op.brIf(1),
    ...blank(q, b), op.eqz, op.brIf(1),
    op.get(q), op.const(1), op.add, op.set(q), op.br(0),
    op.end, op.end,
  ];
  // anyAt(list, at, e, known): a literal of the list occurs at `at` (before e), its first `known`
  // characters already matched. Locals: len(4) k(5).
  // biome-ignore format: instruction lists
  const anyAt = {
    name: 'anyAt',
    params: [I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32],
    body: [
      op.loop,
      op.get(0), op.load16(), op.tee(4), op.eqz, op.if, op.const(0), op.return, op.end,
      op.get(1), op.get(4), op.add, op.get(2), op.leU, op.if,
      op.get(3), op.set(5),
      op.block, op.loop,
      op.get(5), op.get(4), op.geU, op.if, op.const(1), op.return, op.end,
      op.get(1), op.get(5), op.add, ...low,
      op.get(0), op.get(5), op.add, op.load8(2), op.ne, op.brIf(1),
      op.get(5), op.const(1), op.add, op.set(5), op.br(0),
      op.end, op.end,
      op.end,
      op.get(0), op.get(4), op.add, op.const(2), op.add, op.set(0),
      op.br(0),
      op.end,
      op.const(0),
    ],
  };
  // The four lowered characters from the address in local `at`, packed, into local `k`; 0 when one of
  // them is 0xff. Uses local `c`.
  // biome-ignore format: instruction lists
  const packAt = (at: number, from: number, k: number, c: number) => [
    op.const(0), op.set(k),
    ...[0, 1, 2, 3].flatMap((j) => [
      op.get(at), op.const(from + j), op.add, ...low, op.tee(c), op.const(0xff), op.eq,
      op.if, op.const(0), op.return, op.end,
      op.get(k), op.const(7), op.shl, op.get(c), op.or, op.set(k),
    ]),
  ];
  // fourAt(at, e): a literal of four characters or more occurs at `at`. Locals: k1(2) k2(3) c(4) slot(5).
  // biome-ignore format: instruction lists
  const fourAt = {
    name: 'fourAt',
    params: [I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32],
    body: [
      ...packAt(0, 0, 2, 4),
      op.get(2), op.const(0x9e3779b1 | 0), op.mul, op.const(32 - bits4), op.shrU, op.set(5),
      op.block, op.loop,
      op.get(5), op.const(12), op.mul, op.load32(T4), op.tee(4), op.eqz, op.if, op.const(0), op.return, op.end,
      op.get(4), op.get(2), op.eq, op.brIf(1),
      op.get(5), op.const(1), op.add, op.const((1 << bits4) - 1), op.and, op.set(5),
      op.br(0),
      op.end, op.end,
      // The short literals with these four characters, then (when there are longer ones) the first eight.
      op.get(5), op.const(12), op.mul, op.load32(T4 + 4), op.tee(4), op.if,
      op.get(4), op.get(0), op.get(1), op.const(4), op.call(0), op.if, op.const(1), op.return, op.end,
      op.end,
      op.get(5), op.const(12), op.mul, op.load32(T4 + 8), op.eqz, op.if, op.const(0), op.return, op.end,
      op.get(0), op.const(8), op.add, op.get(1), op.gtU, op.if, op.const(0), op.return, op.end,
      ...packAt(0, 4, 3, 4),
      op.get(2), op.get(3), op.const(0x85ebca6b | 0), op.mul, op.xor, op.const(0x9e3779b1 | 0), op.mul,
      op.const(32 - bits8), op.shrU, op.set(5),
      op.loop,
      op.get(5), op.const(12), op.mul, op.load32(T8), op.tee(4), op.eqz, op.if, op.const(0), op.return, op.end,
      op.get(4), op.get(2), op.eq, op.if,
      op.get(5), op.const(12), op.mul, op.load32(T8 + 4), op.get(3), op.eq, op.if,
      op.get(5), op.const(12), op.mul, op.load32(T8 + 8), op.get(0), op.get(1), op.const(8), op.call(0),
      op.return,
      op.end,
      op.end,
      op.get(5), op.const(1), op.add, op.const((1 << bits8) - 1), op.and, op.set(5),
      op.br(0),
      op.end,
      op.const(0),
    ],
  };
  // has(s, e): LiteralGate.has, looking ahead from each pair a literal may start with (PREFIX3: the first
  // three characters of the longer literals).
  // Locals: i(2) c(3) prev(4) f(5) c1(6).
  // biome-ignore format: instruction lists
  const has = {
    name: 'has',
    params: [I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32],
    body: [
      op.get(0), op.set(2),
      op.block, op.loop,
      op.get(2), op.get(1), op.geU, op.brIf(1),
      op.get(2), ...low, op.tee(3), op.const(0xff), op.eq, op.if, op.const(1), op.return, op.end,
      // The flags of the pair (i - 1, i): a literal of two, three, or more characters may start at i - 1.
      // The third character then tells a three-character literal, or whether a longer one may start there.
      op.get(4), op.const(7), op.shl, op.get(3), op.or, op.load8(PAIRS), op.tee(5),
      op.if,
      op.get(5), op.const(1), op.and, op.if, op.const(1), op.return, op.end,
      op.get(2), op.const(1), op.add, op.get(1), op.ltU, op.if,
      op.get(2), op.const(1), op.add, ...low, op.tee(6), op.const(0xff), op.ne, op.if,
      op.get(4), op.const(14), op.shl, op.get(3), op.const(7), op.shl, op.or, op.get(6), op.or, op.set(6),
      op.get(5), op.const(2), op.and, op.if,
      op.get(6), op.const(3), op.shrU, op.load8(THREE), op.get(6), op.const(7), op.and, op.shrU, op.const(1),
      op.and, op.if, op.const(1), op.return, op.end,
      op.end,
      op.get(5), op.const(4), op.and, op.if,
      op.get(6), op.const(3), op.shrU, op.load8(PREFIX3), op.get(6), op.const(7), op.and, op.shrU, op.const(1),
      op.and, op.if,
      op.get(2), op.const(2), op.add, op.get(1), op.ltU, op.if,
      op.get(2), op.const(1), op.sub, op.get(1), op.call(1), op.if, op.const(1), op.return, op.end,
      op.end,
      op.end,
      op.end,
      op.end,
      op.end,
      op.end,
      op.get(3), op.set(4),
      op.get(2), op.const(1), op.add, op.set(2),
      op.br(0),
      op.end, op.end,
      op.const(0),
    ],
  };
  // starts(table, s, e): LiteralGate.startsWith. Locals: p(3) b(4) list(5).
  // biome-ignore format: instruction lists
  const starts = {
    name: 'starts',
    params: [I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32],
    body: [
      op.get(1), op.set(3),
      ...skipBlanks(3, 2, 4),
      op.get(3), op.get(2), op.geU, op.if, op.const(0), op.return, op.end,
      op.get(3), ...low, op.tee(4), op.const(0x80), op.geU, op.if, op.const(0), op.return, op.end,
      op.get(4), op.const(2), op.shl, op.get(0), op.add, op.load32(), op.tee(5), op.eqz,
      op.if, op.const(0), op.return, op.end,
      op.get(5), op.get(3), op.get(2), op.const(1), op.call(0),
    ],
  };
  // mayMatter(s, p, e): QuietGate.mayMatter. Locals: q(3) b(4).
  // biome-ignore format: instruction lists
  const mayMatter = {
    name: 'mayMatter',
    params: [I32, I32, I32],
    results: [I32],
    locals: [I32, I32],
    body: [
      op.get(1), op.set(3),
      ...skipBlanks(3, 2, 4),
      op.get(3), op.get(2), op.geU, op.if, op.const(1), op.return, op.end,
      op.get(0), op.get(2), op.call(2), op.if, op.const(1), op.return, op.end,
      op.const(ANY_STARTS), op.get(1), op.get(2), op.call(3), op.if, op.const(1), op.return, op.end,
      op.const(LINE_STARTS), op.get(0), op.get(2), op.call(3),
    ],
  };
  const e = a.instantiate(assemble([anyAt, fourAt, has, starts, mayMatter], 1)) as unknown as {
    mayMatter: (s: number, p: number, e: number) => number;
  };
  return new WasmGate(a, e.mayMatter);
}
