/**
 * @module The Mozilla root CAs that Node ships (`tls.rootCertificates`), indexed by subject DN, CN, key id and SHA-256.
 *
 * The build compiles the index (scripts/build-steps/15-root-store.mjs) into two files. `dist/pki/root-store.json`
 * holds only the lookup keys (subject DN, CN, key id, SHA-256, and the sorted values of the subject, so a DN
 * spelled in a way the DN key misses is compared only with the roots holding the same values), each naming
 * the roots it finds, and where each root's record lies in `dist/pki/root-store-roots.json`: the root
 * described in full, with its PEM exactly as the store holds it. A lookup parses the small key file once
 * and then reads the records of just the roots it returns (one read at a byte offset each), so it loads
 * neither the X.509 library nor node:tls nor node:crypto (together about 10 ms of a short call). Both files
 * are used when this process runs the Node version that built them: Node's bundled store is fixed at each
 * release and the same on every platform (Node's documentation of `tls.rootCertificates`), so the same
 * version holds the same roots. Under another Node version (and in tests from src/) the index is built on
 * first use from `tls.rootCertificates` by a DER walk, and a root is described only when a lookup returns
 * it; a record that is missing, damaged or cut short is made the same way from the store's PEM.
 * `findRoot` answers "is this CA a public root, and what is its exact PEM?" — the PEM returned is
 * byte-identical to the store's string, so a file written from it matches what Node (and Mozilla) ship.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asciiJson, type ByteRange, jsonArrayWithRanges, RangedJsonFile } from '../compiled/ranged-json.js';
import type { CertificateInfo } from '../model/certificate.js';
import { describeDer } from './certificate-info.js';
import { scanCertificate } from './certificate-scan.js';
import { dnValue, formatDnSap, normalizeDn, normalizeDnValue, type ParsedDn, parseDn, sameDn } from './dn.js';

/** One bundled root as the index knows it; `info` is filled the first time a lookup returns it. */
interface RootEntry {
  pem: string;
  sha256: string;
  /** SAP-spelled subject DN (for `sameDn`). */
  subject: string;
  keyId?: string;
  notAfter?: string;
  /** `null` once describing it failed (the root is then never offered). */
  info?: CertificateInfo | null;
  parsedSubject?: ParsedDn;
}

/** The roots filed under a key. */
interface Lookup<T> {
  get(key: string): T | undefined;
}

interface RootIndex {
  /** Every root in store order. */
  all(): readonly RootEntry[];
  byDn: Lookup<readonly RootEntry[]>;
  byCn: Lookup<readonly RootEntry[]>;
  byKeyId: Lookup<readonly RootEntry[]>;
  bySha256: Lookup<RootEntry>;
  /** Normalised O= values of the roots: the public CA organisations. */
  organizations: { has(organization: string): boolean };
  /** Roots by the sorted normalised values of their subject (compiled index only, see `valuesKey`). */
  byValues?: Lookup<readonly RootEntry[]>;
}

/** One root's record in `dist/pki/root-store-roots.json`: a root of the store, described. */
export interface CompiledRootRecord {
  /** Position in `tls.rootCertificates`. */
  index: number;
  sha256: string;
  /** SAP-spelled subject DN. */
  subject: string;
  keyId?: string;
  notAfter?: string;
  /** The full description, its `pem` the store's string; null when describing failed. */
  info: CertificateInfo | null;
  /** The store's PEM, only when `info` is null (else it is `info.pem`). */
  pem?: string;
}

/**
 * The compiled key file as the build writes it (`dist/pki/root-store.json`). Roots are named by their
 * number in `roots` (store order, unreadable roots left out); every list is in store order.
 */
export interface CompiledRootStore {
  version: 4;
  /** `process.version` of the Node that built it. */
  node: string;
  /** SHA-256 over all root PEMs in store order: tells stores apart (the tests compare two). */
  storeSha256: string;
  /** Per root, flat: its position in `tls.rootCertificates`, then its record's byte offset and length. */
  roots: number[];
  /**
   * Every lookup key, one per line: its kind (`KEY_KINDS`), the key as `asciiJson`, a space and the numbers
   * of the roots filed under it (comma-separated; none for an organisation), between newlines. A lookup
   * finds its line with one `indexOf` in this one string: no object per key to make, no key to hash.
   */
  keys: string;
}

/** The kinds of line in `CompiledRootStore.keys`. */
const KEY_KINDS = {
  /** Normalised subject DN. */
  dn: 'd',
  /** Lower-cased CN. */
  cn: 'c',
  /** Subject key id (hex). */
  keyId: 'k',
  sha256: 's',
  /** `valuesKey` of the subject. */
  values: 'v',
  /** Normalised O= value (see `organizationKey`). */
  organization: 'o',
} as const;
type KeyKind = keyof typeof KEY_KINDS;

/** The root numbers on the line of `key`, or undefined when it has none. */
function rootNumbers(keys: string, kind: KeyKind, key: string): number[] | undefined {
  const line = `\n${KEY_KINDS[kind]}${asciiJson(key)} `;
  const at = keys.indexOf(line);
  if (at < 0) return undefined;
  const start = at + line.length;
  const numbers = keys.slice(start, keys.indexOf('\n', start));
  return numbers ? numbers.split(',').map(Number) : [];
}

/** Where the build writes the compiled key file, relative to this module (dist/pki/root-store.json). */
export const COMPILED_ROOT_STORE = fileURLToPath(new URL('./root-store.json', import.meta.url));
/** Where the build writes the records of the roots, each read by its byte range. */
export const COMPILED_ROOT_RECORDS = fileURLToPath(new URL('./root-store-roots.json', import.meta.url));

let index: RootIndex | undefined;

/**
 * Node's root store; node:tls (with net and streams behind it) is loaded only when a root is looked up,
 * through process.getBuiltinModule (no module loader to start, as createRequire would).
 */
function storePems(): readonly string[] {
  return process.getBuiltinModule('node:tls').rootCertificates;
}
let origin: 'compiled' | 'built' | undefined;

/**
 * The sorted normalised attribute values of a DN: two DNs `sameDn` matches have the same (it pairs every
 * attribute with one of equal normalised value), so a full scan needs to look only at the roots sharing it.
 */
function valuesKey(dn: ParsedDn): string {
  return dn.attributes
    .map((a) => normalizeDnValue(a.value))
    .sort()
    .join('\n');
}

function normalizeKeyId(keyId: string): string {
  return keyId.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pemToDer(pem: string): Uint8Array | undefined {
  const body = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem)?.[1];
  return body ? new Uint8Array(Buffer.from(body.replace(/\s+/g, ''), 'base64')) : undefined;
}

/** A root read from its PEM by a DER walk (no full parse), with its lookup keys; undefined when unreadable. */
function entryFromPem(
  pem: string,
): { entry: RootEntry; dnKey: string; cnKey?: string; organizations: string[] } | undefined {
  const der = pemToDer(pem);
  const scan = der ? scanCertificate(der) : undefined;
  if (!der || !scan) return undefined;
  const subject = formatDnSap([...scan.subject].reverse().map((a) => ({ key: a.oid, value: a.value })));
  const entry: RootEntry = { pem, sha256: createHash('sha256').update(der).digest('hex'), subject };
  if (scan.extensions.subjectKeyId) entry.keyId = scan.extensions.subjectKeyId;
  if (scan.notAfter) entry.notAfter = scan.notAfter;
  const cnKey = dnValue(subject, 'CN')?.trim().toLowerCase();
  const organizations = scan.subject.filter((a) => a.oid === '2.5.4.10').map((a) => organizationKey(a.value));
  return { entry, dnKey: normalizeDn(subject), ...(cnKey ? { cnKey } : {}), organizations };
}

/** The index of the roots readable among `pems`, each with its position and keys (for compiling). */
function buildIndex(pems: readonly string[]): {
  built: RootIndex;
  keyed: Array<{ position: number; entry: RootEntry; dnKey: string; cnKey?: string }>;
} {
  const all: RootEntry[] = [];
  const byDn = new Map<string, RootEntry[]>();
  const byCn = new Map<string, RootEntry[]>();
  const byKeyId = new Map<string, RootEntry[]>();
  const bySha256 = new Map<string, RootEntry>();
  const organizations = new Set<string>();
  const keyed: Array<{ position: number; entry: RootEntry; dnKey: string; cnKey?: string }> = [];
  pems.forEach((pem, position) => {
    const read = entryFromPem(pem);
    if (!read) return; // A root we cannot read is simply not offered.
    const { entry, dnKey, cnKey } = read;
    all.push(entry);
    push(byDn, dnKey, entry);
    if (cnKey) push(byCn, cnKey, entry);
    if (entry.keyId) push(byKeyId, entry.keyId, entry);
    bySha256.set(entry.sha256, entry);
    for (const o of read.organizations) organizations.add(o);
    keyed.push({ position, entry, dnKey, ...(cnKey ? { cnKey } : {}) });
  });
  return { built: { all: () => all, byDn, byCn, byKeyId, bySha256, organizations }, keyed };
}

/** SHA-256 over the store's PEMs in order (what a compiled index must have been made from). */
function storeSha256(pems: readonly string[]): string {
  const hash = createHash('sha256');
  for (const pem of pems) hash.update(pem).update('\n');
  return hash.digest('hex');
}

/**
 * Compile the index of `pems` (default: this Node's store) with every root described in full: the key
 * file (`COMPILED_ROOT_STORE`, written as `asciiJson`) and the text of the records file
 * (`COMPILED_ROOT_RECORDS`) whose byte ranges it holds. Loads the X.509 library (build time only).
 */
export function compileRootStore(pems: readonly string[] = storePems()): {
  store: CompiledRootStore;
  records: string;
} {
  const { built, keyed } = buildIndex(pems);
  const records: CompiledRootRecord[] = [];
  const store: CompiledRootStore = {
    version: 4,
    node: process.version,
    storeSha256: storeSha256(pems),
    roots: [],
    keys: '',
  };
  const lines = new Map<string, number[]>();
  const file = (kind: KeyKind, key: string, n: number) => {
    const line = `${KEY_KINDS[kind]}${asciiJson(key)} `;
    const numbers = lines.get(line);
    if (numbers) numbers.push(n);
    else lines.set(line, [n]);
  };
  keyed.forEach(({ position, entry, dnKey, cnKey }, n) => {
    const info = describeEntry(entry) ?? null;
    records.push({
      index: position,
      sha256: entry.sha256,
      subject: entry.subject,
      ...(entry.keyId ? { keyId: entry.keyId } : {}),
      ...(entry.notAfter ? { notAfter: entry.notAfter } : {}),
      info,
      ...(info ? {} : { pem: entry.pem }),
    });
    file('dn', dnKey, n);
    if (cnKey) file('cn', cnKey, n);
    if (entry.keyId) file('keyId', entry.keyId, n);
    file('sha256', entry.sha256, n);
    file('values', valuesKey(parseDn(entry.subject)), n);
  });
  const organizations = [...(built.organizations as Set<string>)].map(
    (o) => `${KEY_KINDS.organization}${asciiJson(o)} `,
  );
  store.keys = `\n${[...[...lines].map(([line, numbers]) => line + numbers.join(',')), ...organizations].join('\n')}\n`;
  const { text, ranges } = jsonArrayWithRanges(records);
  keyed.forEach(({ position }, n) => {
    store.roots.push(position, ...(ranges[n] as [number, number]));
  });
  return { store, records: text };
}

/** The compiled index, when the build made it under this process's Node version; else undefined. */
function loadCompiled(): RootIndex | undefined {
  let compiled: CompiledRootStore;
  try {
    compiled = JSON.parse(readFileSync(COMPILED_ROOT_STORE, 'utf8')) as CompiledRootStore;
  } catch {
    return undefined; // Not built (tests from src/): build the index at run time.
  }
  return indexFromCompiled(compiled);
}

/** Reads the record at a byte range of the records file (throws when it cannot). */
export type RecordReader = (range: ByteRange) => unknown;

let recordsFile: RangedJsonFile | undefined;
function readRecordFile(range: ByteRange): unknown {
  recordsFile ??= new RangedJsonFile(COMPILED_ROOT_RECORDS);
  return recordsFile.read(range);
}

/** The entry of a record read for the root at `position`, or undefined when it is not that root's record. */
function entryFromRecord(record: unknown, position: number): RootEntry | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const r = record as Partial<CompiledRootRecord>;
  const pem = r.info ? r.info.pem : r.pem;
  if (r.index !== position || typeof r.subject !== 'string' || typeof r.sha256 !== 'string') return undefined;
  if (typeof pem !== 'string' || !pem.startsWith('-----BEGIN CERTIFICATE-----')) return undefined;
  const entry: RootEntry = { pem, sha256: r.sha256, subject: r.subject };
  if (r.keyId) entry.keyId = r.keyId;
  if (r.notAfter) entry.notAfter = r.notAfter;
  entry.info = r.info ?? null;
  return entry;
}

/**
 * The index of a compiled key file, or undefined when it was compiled under another Node version (whose
 * bundled roots may differ). A root's entry is made when a lookup first returns it, from its record
 * (`readRecord`, by default one read of the records file); when that record is missing, damaged or cut
 * short, from the store's PEM at the root's position (the same roots in the same order under this version).
 */
function indexFromCompiled(
  compiled: CompiledRootStore,
  readRecord: RecordReader = readRecordFile,
): RootIndex | undefined {
  if (compiled.version !== 4 || compiled.node !== process.version) return undefined;
  const count = compiled.roots.length / 3;
  const entries: Array<RootEntry | null | undefined> = [];
  const entryAt = (n: number): RootEntry | undefined => {
    let entry = entries[n];
    if (entry === undefined) {
      const position = compiled.roots[n * 3] as number;
      const range: ByteRange = [compiled.roots[n * 3 + 1] as number, compiled.roots[n * 3 + 2] as number];
      let record: unknown;
      try {
        record = readRecord(range);
      } catch {
        record = undefined;
      }
      entry = entryFromRecord(record, position) ?? entryFromPem(storePems()[position] ?? '')?.entry ?? null;
      entries[n] = entry;
    }
    return entry ?? undefined;
  };
  const entriesOf = (numbers: readonly number[]): RootEntry[] =>
    numbers.map(entryAt).filter((e): e is RootEntry => e !== undefined);
  const { keys } = compiled;
  const lookup = (kind: KeyKind): Lookup<readonly RootEntry[]> => ({
    get: (key) => {
      const numbers = rootNumbers(keys, kind, key);
      return numbers && entriesOf(numbers);
    },
  });
  let all: RootEntry[] | undefined;
  return {
    all: () => {
      all ??= entriesOf(Array.from({ length: count }, (_, n) => n));
      return all;
    },
    byDn: lookup('dn'),
    byCn: lookup('cn'),
    byKeyId: lookup('keyId'),
    bySha256: { get: (key) => lookup('sha256').get(key)?.[0] },
    byValues: lookup('values'),
    organizations: { has: (o) => rootNumbers(keys, 'organization', o) !== undefined },
  };
}

function getIndex(): RootIndex {
  if (index) return index;
  index = loadCompiled();
  origin = index ? 'compiled' : 'built';
  index ??= buildIndex(storePems()).built;
  return index;
}

/**
 * The roots of a compiled store as the built code reads them (each record through `readRecord` when a
 * lookup first returns it), or undefined when it was compiled under another Node version: for tests.
 * `list` gives every root in store order, `find` answers like `findRoots`.
 */
export function openCompiledRoots(
  compiled: CompiledRootStore,
  readRecord: RecordReader,
): { list(): readonly CertificateInfo[]; find(query: RootQuery): CertificateInfo[] } | undefined {
  const built = indexFromCompiled(compiled, readRecord);
  return (
    built && {
      list: () => materialize(built.all(), true),
      find: (query) => materialize(searchEntries(query, built)),
    }
  );
}

/** Where this process's index came from: the build's compiled file, or built at run time (for tests). */
export function rootIndexOrigin(): 'compiled' | 'built' {
  getIndex();
  return origin as 'compiled' | 'built';
}

/** The entry's subject, parsed on first use (full scans compare it with many queries). */
function subjectOf(entry: RootEntry): ParsedDn {
  entry.parsedSubject ??= parseDn(entry.subject);
  return entry.parsedSubject;
}

/** The full description of an entry, made on first request. */
function describeEntry(entry: RootEntry): CertificateInfo | undefined {
  if (entry.info === undefined) {
    try {
      entry.info = describeDer(entry.pem, { pem: entry.pem });
    } catch {
      entry.info = null;
    }
  }
  return entry.info ?? undefined;
}

/** Described, newest expiry first unless `keepOrder`; entries that cannot be described are dropped. */
function materialize(entries: readonly RootEntry[], keepOrder = false): CertificateInfo[] {
  const ordered = keepOrder
    ? entries
    : [...entries].sort((a, b) => (b.notAfter ?? '').localeCompare(a.notAfter ?? ''));
  return ordered.map(describeEntry).filter((c): c is CertificateInfo => c !== undefined);
}

/** What identifies the root being looked for. Any one suffices; given both, both must agree. */
export interface RootQuery {
  /** Subject DN of the root (any spelling), or the issuer DN of the topmost certificate in a chain. */
  dn?: string;
  /** Subject key id of the root, or the authority key id of the certificate it signed (any hex form). */
  keyId?: string;
  /** SHA-256 fingerprint (hex, any separators). */
  sha256?: string;
}

/** Answers of `findEntries` by query: the bundled store never changes while the process runs. */
const found = new Map<string, readonly RootEntry[]>();
/** Queries remembered at most (a server sees the same few issuers again and again). */
const MAX_FOUND = 1024;

function findEntries(query: RootQuery): readonly RootEntry[] {
  const key = `${query.sha256 ?? ''}\n${query.keyId ?? ''}\n${query.dn ?? ''}`;
  let hit = found.get(key);
  if (!hit) {
    hit = searchEntries(query);
    if (found.size >= MAX_FOUND) found.clear();
    found.set(key, hit);
  }
  return hit;
}

function searchEntries(query: RootQuery, idx: RootIndex = getIndex()): readonly RootEntry[] {
  let candidates: readonly RootEntry[] | undefined;
  if (query.sha256) {
    const hit = idx.bySha256.get(normalizeKeyId(query.sha256));
    candidates = hit ? [hit] : [];
  }
  if (query.keyId) {
    const byKey = idx.byKeyId.get(normalizeKeyId(query.keyId)) ?? [];
    candidates = candidates ? candidates.filter((c) => byKey.includes(c)) : byKey;
  }
  if (query.dn) {
    const dn = parseDn(query.dn);
    const pool = candidates ?? idx.byDn.get(normalizeDn(dn)) ?? [];
    let matched = pool.filter((c) => sameDn(subjectOf(c), dn));
    // The index key uses the likely meaning of ambiguous keys; fall back to a full scan (~150 roots,
    // each subject parsed once per process; names with another number of attributes never match).
    if (matched.length === 0 && !candidates) {
      const size = dn.attributes.length;
      // Only the roots whose subject has the query's values can match (store order kept).
      const scan = idx.byValues ? (idx.byValues.get(valuesKey(dn)) ?? []) : idx.all();
      matched = scan.filter((c) => subjectOf(c).attributes.length === size && sameDn(subjectOf(c), dn));
    }
    candidates = matched;
  }
  return candidates ?? [];
}

/**
 * All bundled roots matching the query (several when a CA re-issued a root with the same name).
 * Newest expiry first.
 */
export function findRoots(query: RootQuery): CertificateInfo[] {
  return materialize(findEntries(query));
}

/** The bundled root matching the query, or undefined. Its `pem` is exactly the store's string. */
export function findRoot(query: RootQuery): CertificateInfo | undefined {
  return findRoots(query)[0];
}

/** Bundled roots whose CN is `cn` (case-insensitive), newest expiry first: for traces that name a CA by CN only. */
export function findRootsByCn(cn: string): CertificateInfo[] {
  return materialize(getIndex().byCn.get(cn.trim().toLowerCase()) ?? []);
}

/**
 * The bundled roots that could anchor a path through these certificates: those named as subject or
 * issuer by any of them. Path building looks anchors up by exactly these names, so this set gives the
 * same verdict as the whole store while describing only a few roots.
 */
export function findRootsForChain(certs: readonly CertificateInfo[]): CertificateInfo[] {
  const seen = new Set<RootEntry>();
  for (const c of certs) {
    for (const dn of [c.subject, c.issuer]) {
      if (!dn) continue;
      for (const e of findEntries({ dn })) seen.add(e);
    }
  }
  return materialize([...seen]);
}

/** An organisation name without case, punctuation and legal-form suffix (`Google Trust Services LLC` → `google trust services`). */
function organizationKey(organization: string): string {
  return normalizeDnValue(organization)
    .replace(/[.,]/g, '')
    .replace(/\s+(?:inc|llc|ltd|limited|gmbh|ag|sa|corp|corporation|co|plc|bv|nv|srl|spa|as|ab|oy)$/, '')
    .trim();
}

/**
 * Is `organization` (an O= value) that of a bundled root, i.e. a public CA operator? Compared without
 * case, punctuation and legal form, because intermediates drop or change it (`… LLC`).
 */
export function isPublicCaOrganization(organization: string): boolean {
  return getIndex().organizations.has(organizationKey(organization));
}

/** Every bundled root in the store's order, described in full (costly on first call: prefer the lookups above). */
export function listRoots(): readonly CertificateInfo[] {
  return materialize(getIndex().all(), true);
}
