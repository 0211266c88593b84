/**
 * @module Quiet lines: in a large kernel trace, most prefilter hits are harmless `*** ERROR` lines
 * (`NiIRead: SiRecv failed`, `connection closed by peer`), and most lines of the fully read head routine
 * ones, that no line type, no knowledge-model phrase, no product or context word and no look-back word
 * can make anything of. While no block of the line's thread (nor a bare one) is open and nothing is
 * pending, such a line is judged from its bytes alone, in one pass, and counted as read and not
 * recognised — exactly what the full path would have concluded, at a fraction of the cost (blocks of
 * other threads age by it as on the full path).
 *
 * The gate is derived from the tests the full path runs on a `[Thr …]` line (LINE_TESTS below, and the
 * recogniser's phrases and patterns): `regexFactors` reads from each regex the literals every match
 * contains, and a line holding none of them (nor a byte outside printable ASCII) cannot match it. A test
 * added to the full path for such lines belongs in LINE_TESTS; quiet-lines.test.ts checks that every line
 * of every fixture, put into a trace as a marker line, reads the same with the gate as without it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kbMatchDisabled, loadRecognizer } from '../../kb/recognize/load.js';
import { MIN_GRAM } from '../../kb/recognize/model.js';
import { LiteralGate, type PackedLiteralTables } from '../text/literal-gate.js';
import { regexFactors } from '../text/regex-factors.js';
import { type WasmGate, wasmGate } from '../text/wasm-gate.js';
import { wasmScan } from '../text/wasm-scan.js';
import { CHAIN_WORDS } from './chain-lines.js';
import { CONTEXT_ANY } from './context-facts.js';
import { isThreadLine } from './head-gate.js';
import { JOINED_SSL, SECTRACE_START } from './line-prefix.js';
import {
  anyWord,
  LONG_LOOKBACK_WORDS,
  MAYBE_INTERESTING_PARTS,
  SHORT_LOOKBACK_WORDS,
  SNC_LOOKBACK_WORDS,
} from './markers.js';
import { TIMESTAMP } from './patterns.js';
import { PLATFORMS } from './platform.js';
import { CPIC_LABEL } from './snc-block.js';

/**
 * Every test the assembler runs on an unclaimed `[Thr …]` line while no block is open, and whether it
 * sees the whole line or the text after the prefix ("payload"): the look-back words (prefilter.ts), the
 * blank / timestamp / CPIC `LOCATION` / line-type gate of `handleSegment`, the splits of `splitLine`, the
 * product and context words, and the chain words of `MessageLines.see` (the recogniser is added apart).
 */
const LINE_TESTS: ReadonlyArray<readonly [RegExp, 'line' | 'payload']> = [
  [anyWord(LONG_LOOKBACK_WORDS), 'line'],
  [anyWord(SNC_LOOKBACK_WORDS), 'line'],
  [anyWord(SHORT_LOOKBACK_WORDS), 'line'],
  [TIMESTAMP, 'payload'],
  [CPIC_LABEL, 'payload'],
  ...MAYBE_INTERESTING_PARTS.map((re) => [re, 'payload'] as const),
  [JOINED_SSL, 'payload'],
  [SECTRACE_START, 'line'],
  ...PLATFORMS.map(([, re]) => [re, 'line'] as const),
  [CONTEXT_ANY, 'line'],
  [CHAIN_WORDS, 'line'],
];

/**
 * Where the build writes the gate's tables (scripts/build-steps/27-quiet-gate.mjs), as `compileQuietGate`
 * packs them.
 */
export const COMPILED_QUIET_GATE = fileURLToPath(new URL('./quiet-gate.json', import.meta.url));

/** The gate's tables, packed (literal-gate.ts): the literals and payload starts, and the line starts. */
export interface CompiledQuietGate {
  literals: PackedLiteralTables;
  lineStarts: PackedLiteralTables;
}

/** The literals the gate tests: anywhere in a line, at the payload's start, at the line's start. */
export interface QuietGateLiterals {
  anywhere: string[];
  payloadStarts: string[];
  lineStarts: string[];
}

/**
 * The literals of LINE_TESTS and of the recogniser, or undefined when a test yields no literals to test
 * (then every line takes the full path). Sorted, so the build's file is stable.
 */
export function quietGateLiterals(): QuietGateLiterals | undefined {
  const anywhere = new Set<string>();
  const payloadStarts = new Set<string>();
  const lineStarts = new Set<string>();
  for (const [re, scope] of LINE_TESTS) {
    const f = regexFactors(re);
    if (!f) return undefined;
    for (const s of f.anywhere) anywhere.add(s);
    for (const s of f.atStart) (scope === 'line' ? lineStarts : payloadStarts).add(s);
  }
  if (!kbMatchDisabled()) {
    // A phrase is verified only when its key occurs, and matches only when all its parts do: its
    // longest part must occur. A pattern matches only when its required literal occurs (its key is
    // only a short gram of that literal: testing the whole literal rules out more lines).
    const data = loadRecognizer().data;
    for (const p of data.phrases) {
      if (p.key.length < MIN_GRAM) continue;
      anywhere.add(p.parts.reduce((a, b) => (b.length > a.length ? b : a), ''));
    }
    for (const p of data.patterns) if (p.key.length >= MIN_GRAM) anywhere.add(p.literal);
  }
  return {
    anywhere: [...anywhere].sort(),
    payloadStarts: [...payloadStarts].sort(),
    lineStarts: [...lineStarts].sort(),
  };
}

/** The tables of the gate over `lit`, as the build writes them (the tests compare them with the file). */
export function compileQuietGate(lit: QuietGateLiterals): CompiledQuietGate {
  return {
    literals: LiteralGate.of(lit.anywhere, lit.payloadStarts).pack(),
    lineStarts: LiteralGate.of([], lit.lineStarts).pack(),
  };
}

/** Longer lines take the full path (the recogniser and the context test cut or skip them). */
const MAX_QUIET_LINE = 4096;

const BLANK = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

/** Decides whether a `[Thr …]` line may matter to the reader (see the module comment). */
export class QuietGate {
  /**
   * The same test in WebAssembly (wasm-scan.ts), about three times faster; built once this many lines
   * were judged (wasmScan.afterLines: small inputs do not pay for its build); null where missing.
   */
  private wasm: WasmGate | null | undefined;
  private judged = 0;

  private constructor(
    private readonly literals: LiteralGate,
    private readonly lineStarts: LiteralGate,
  ) {}

  /**
   * The gate over LINE_TESTS and the recogniser, or undefined when a test yields no literals to test
   * (then every line takes the full path).
   */
  static build(): QuietGate | undefined {
    // The build writes the tables (they depend on code and kb only), so a run does no work per literal;
    // without the model's phrases (the bench-only switch) or without a build they are derived here.
    if (!kbMatchDisabled() && existsSync(COMPILED_QUIET_GATE)) {
      const c = JSON.parse(readFileSync(COMPILED_QUIET_GATE, 'utf8')) as CompiledQuietGate;
      return new QuietGate(LiteralGate.unpack(c.literals), LiteralGate.unpack(c.lineStarts));
    }
    const lit = quietGateLiterals();
    if (!lit) return undefined;
    return new QuietGate(LiteralGate.of(lit.anywhere, lit.payloadStarts), LiteralGate.of([], lit.lineStarts));
  }

  /**
   * Where the text after `[Thr <id>] ` starts in `buf[s, e)` (as line-prefix.ts reads the prefix), or -1
   * for any other line and for lines too long to judge here.
   */
  payloadStart(buf: Uint8Array, s: number, e: number): number {
    return quietPayloadStart(buf, s, e);
  }

  /**
   * Whether the `[Thr …]` line `buf[s, e)` (no line break; its text from `p`, see `payloadStart`) may
   * matter: false only for a quiet line.
   */
  mayMatter(buf: Uint8Array, s: number, p: number, e: number): boolean {
    if (!wasmScan.enabled) return this.mayMatterJs(buf, s, p, e);
    if (this.wasm === undefined && this.judged++ >= wasmScan.afterLines)
      this.wasm = wasmGate(this.literals.tables(), this.lineStarts.tables()) ?? null;
    return this.wasm?.mayMatter(buf, s, p, e) ?? this.mayMatterJs(buf, s, p, e);
  }

  /** `mayMatter` in JavaScript (where WebAssembly is missing; tests compare the two). */
  mayMatterJs(buf: Uint8Array, s: number, p: number, e: number): boolean {
    let q = p;
    while (q < e && BLANK(buf[q]!)) q++;
    // A blank line is recognised (and ends an SSL block's error text).
    if (q >= e) return true;
    return (
      this.literals.has(buf, s, e) ||
      this.literals.startsWith(buf, p, e) ||
      this.lineStarts.startsWith(buf, s, e)
    );
  }
}

/**
 * Where the text after `[Thr <id>] ` starts in `buf[s, e)`, or -1 for any other line and for lines too
 * long to judge here. Needs no gate: a caller asks it first, so an input without kernel lines (a pasted
 * message) never pays for building the gate.
 */
export function quietPayloadStart(buf: Uint8Array, s: number, e: number): number {
  return e - s > MAX_QUIET_LINE ? -1 : payloadStart(buf, s, e);
}

/** Where the text after `[Thr <id>] ` starts (as line-prefix.ts reads it), or -1 for any other line. */
function payloadStart(buf: Uint8Array, s: number, e: number): number {
  if (e - s < 7 || !isThreadLine(buf, s, e)) return -1;
  const from = s + 5;
  const max = Math.min(e, from + 40);
  let p = from;
  while (p < max && buf[p] !== 0x5d && !BLANK(buf[p]!) && buf[p]! < 0x80) p++;
  if (p === from || p >= e || buf[p] !== 0x5d) return -1;
  p++;
  if (p < e && buf[p] === 0x20) p++;
  return p;
}

let shared: QuietGate | null | undefined;

/** The gate, built once per process on first use (it reads the recogniser); undefined when unusable. */
export function quietGate(): QuietGate | undefined {
  if (shared === undefined) shared = QuietGate.build() ?? null;
  return shared ?? undefined;
}

/**
 * Lines that could be quiet a process meets before it builds the gate; until then they take the full
 * path, which gives the same answers. Loading the gate's tables costs about 1.6 ms and 330 KB of
 * young-generation memory (JSON of 1,100 literals, bitmaps), and a quiet line saves the full path's
 * 10–15 µs in code not yet optimised: below a few hundred such lines the gate costs more than it saves.
 * examples/dev_icm offers 65, the bench's 250 KiB trace 57 and its 1 MiB trace 81; a trace of
 * megabytes or a server reaches the count at once.
 */
export const QUIET_GATE_AFTER = 256;

/** Lines that could be quiet this process has met without a gate (see QUIET_GATE_AFTER). */
let waited = 0;

/**
 * The gate once this process has met `after` lines that could be quiet (QUIET_GATE_AFTER), undefined
 * before that (the line takes the full path) and when no gate can be built.
 */
export function quietGateAfter(after: number): QuietGate | undefined {
  if (shared !== undefined || waited >= after) return quietGate();
  waited++;
  return undefined;
}
