/**
 * @module Knowledge-base entries that are read from dist/kb/index.json only when used.
 *
 * The build writes, beside index.json, dist/kb/heads.json: for every entry the few fields lookups need
 * (id, kind, title, aliases, code family and numbers, and its lookup keys) and the byte range of the
 * whole entry in index.json. Loading the knowledge base then creates one small object per entry from
 * its head. The first read of any other field (its texts, hypotheses, sources …) completes that entry
 * from its range, in place: the object keeps its identity and afterwards is a plain object equal to the
 * entry as parsed from index.json, keys in the same order. `completeEntries` does this for several
 * entries at once; the knowledge base calls it before it hands entries out, so callers that serialise
 * an entry (`JSON.stringify`, spread) see the whole entry.
 */
import { type ByteRange, RangedJsonFile } from '../compiled/ranged-json.js';
import type { KbEntry } from './types.js';

/** The fields of an entry that exact lookups, number spaces and listings of ids and titles read. */
export const HEAD_KEYS = [
  'id',
  'kind',
  'title',
  'aliases',
  'family',
  'number',
  'messageClass',
  'messageNumber',
] as const;
type HeadKey = (typeof HEAD_KEYS)[number];

/** Every other field of an entry: reading one completes the entry. */
const BODY_KEYS = [
  'messageType',
  'shortText',
  'printed',
  'patterns',
  'stacks',
  'side',
  'sources',
  'causes',
  'hypotheses',
  'singleCause',
  'related',
  'notes',
  'transactions',
  'parameters',
  'recommended',
  'defaultValue',
  'strustNode',
  'pseContext',
  'pseApplication',
  'next',
  'uncertain',
  'sections',
  'file',
] as const satisfies ReadonlyArray<Exclude<keyof KbEntry, HeadKey>>;

// Compile-time check that HEAD_KEYS and BODY_KEYS together name every field of KbEntry.
type Missing = Exclude<keyof KbEntry, HeadKey | (typeof BODY_KEYS)[number]>;
const everyFieldListed: [Missing] extends [never] ? true : Missing = true;
void everyFieldListed;

/** One entry's head as the build writes it. */
export type KbHead = Pick<KbEntry, HeadKey>;

/** dist/kb/heads.json. */
export interface CompiledHeads {
  version: 1;
  heads: KbHead[];
  /** Lookup keys of each entry (`lookupKeysOf`), computed at build time. */
  keys: string[][];
  /** Byte range of each entry in dist/kb/index.json. */
  ranges: Array<[number, number]>;
}

interface Pending {
  file: RangedJsonFile;
  range: ByteRange;
  /** Position in index.json's `entries`. */
  index: number;
}

/** Entries not completed yet, and where their bytes are. */
const pending = new WeakMap<object, Pending>();

/** Prototype of an entry not completed yet: a getter per body field that completes it first. */
const LAZY_PROTO: object = Object.create(Object.prototype, {
  ...Object.fromEntries(
    BODY_KEYS.map((key) => [
      key,
      {
        get(this: KbEntry): unknown {
          completeEntries([this]);
          return (this as unknown as Record<string, unknown>)[key];
        },
        enumerable: false,
        configurable: false,
      },
    ]),
  ),
});

/** Make `stub` the parsed entry: its keys in index.json's order, a plain object from now on. */
function fill(stub: KbEntry, parsed: KbEntry): void {
  // A rebuild while a process (a server) keeps the old heads moves the bytes: say so, never mix entries.
  if (parsed?.id !== stub.id)
    throw new Error(
      `dist/kb/index.json changed since it was loaded (expected entry ${stub.id} there): restart pse-doctor`,
    );
  const target = stub as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) delete target[key];
  // Off the lazy prototype first: its getters would refuse the assignment.
  Object.setPrototypeOf(target, Object.prototype);
  Object.assign(target, parsed);
  pending.delete(stub);
}

/** Entries for the heads of `compiled`, completed from `indexPath` when a body field is first read. */
export function lazyEntries(compiled: CompiledHeads, indexPath: string): KbEntry[] {
  const file = new RangedJsonFile(indexPath);
  return compiled.heads.map((head, index) => {
    const stub = Object.assign(Object.create(LAZY_PROTO) as KbEntry, head);
    pending.set(stub, { file, range: compiled.ranges[index]!, index });
    return stub;
  });
}

/** Complete these entries (one open of their file); entries that are complete already are left alone. */
export function completeEntries(entries: ReadonlyArray<KbEntry | undefined>): void {
  const todo = new Map<RangedJsonFile, Array<{ stub: KbEntry; range: ByteRange }>>();
  for (const stub of entries) {
    const p = stub && pending.get(stub);
    if (!p || !stub) continue;
    const list = todo.get(p.file) ?? [];
    if (!list.some((x) => x.stub === stub)) list.push({ stub, range: p.range });
    todo.set(p.file, list);
  }
  for (const [file, list] of todo) {
    const parsed = file.readMany<KbEntry>(list.map((x) => x.range));
    list.forEach((x, i) => {
      fill(x.stub, parsed[i]!);
    });
  }
}

/** Complete all of these entries: with more than a few left, index.json is parsed once, whole. */
export function completeAllEntries(entries: readonly KbEntry[]): void {
  const left = entries.filter((e) => pending.has(e));
  if (left.length <= 16) {
    completeEntries(left);
    return;
  }
  const byFile = new Map<RangedJsonFile, KbEntry[]>();
  for (const stub of left) {
    const file = pending.get(stub)!.file;
    const list = byFile.get(file);
    if (list) list.push(stub);
    else byFile.set(file, [stub]);
  }
  for (const [file, stubs] of byFile) {
    const all = file.readAll<{ entries: KbEntry[] }>().entries;
    for (const stub of stubs) fill(stub, all[pending.get(stub)!.index]!);
  }
}

/** Whether this entry still waits for its body (for tests). */
export function isPending(entry: KbEntry): boolean {
  return pending.has(entry);
}
