/**
 * @module The quiet gate's literal test (QuietGate.mayMatter over LiteralGate's tables, quiet-lines.ts and
 * literal-gate.ts) in WebAssembly: the tables are laid out in the arena of wasm-scan.ts, the line is read
 * in the scanner's window or copied beside them. Tests compare it with the JavaScript test.
 */
import { assemble, I32, op } from './wasm-asm.js';
import { type Arena, arena } from './wasm-scan.js';
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
