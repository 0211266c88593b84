/**
 * @module The Mozilla root CAs that Node ships (`tls.rootCertificates`), indexed by subject DN, CN, key id and SHA-256.
 *
 * The build compiles the index (`dist/pki/root-store.json`, scripts/build-steps/15-root-store.mjs): every
 * root already described in full, with its lookup keys (also the sorted values of its subject, so a DN
 * spelled in a way the DN key misses is compared only with the roots holding the same values), so a
 * lookup never loads the X.509 library. Beside it the build saves the store's PEMs as they are
 * (`dist/pki/root-store-pems.json`). Both are used when this process runs the Node version that built
 * them: Node's bundled store is fixed at each release and the same on every platform (Node's
 * documentation of `tls.rootCertificates`), so the same version holds the same roots, and a lookup loads
 * neither node:tls nor node:crypto (together about 10 ms of a short call). Under another Node version
 * (and in tests from src/) the index is built on first use from `tls.rootCertificates` by a DER walk,
 * and a root is described only when a lookup returns it. `findRoot` answers "is this CA a public root,
 * and what is its exact PEM?" — the PEM returned is byte-identical to the store's string, so a file
 * written from it matches what Node (and Mozilla) ship.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

interface RootIndex {
  all: RootEntry[];
  byDn: Map<string, RootEntry[]>;
  byCn: Map<string, RootEntry[]>;
  byKeyId: Map<string, RootEntry[]>;
  bySha256: Map<string, RootEntry>;
  /** Normalised O= values of the roots: the public CA organisations. */
  organizations: Set<string>;
  /** Roots by the sorted normalised values of their subject (compiled index only, see `valuesKey`). */
  byValues?: Map<string, RootEntry[]>;
}

/** One root in the compiled index: where it sits in the store, its lookup keys and its description. */
interface CompiledRoot {
  /** Position in `tls.rootCertificates` (and in the PEM list saved beside the index). */
  index: number;
  sha256: string;
  subject: string;
  dnKey: string;
  cnKey?: string;
  keyId?: string;
  notAfter?: string;
  /** `valuesKey` of the parsed subject (a lookup that misses the DN index looks only at these roots). */
  valuesKey?: string;
  /** The description without `pem`; null when describing failed. */
  info: Omit<CertificateInfo, 'pem'> | null;
}

/** The compiled index as the build writes it. */
export interface CompiledRootStore {
  version: 2;
  /** `process.version` of the Node that built it. */
  node: string;
  /** SHA-256 over all root PEMs in store order: tells stores apart (the tests compare two). */
  storeSha256: string;
  roots: CompiledRoot[];
  organizations: string[];
}

/** Where the build writes the compiled index, relative to this module (dist/pki/root-store.json). */
export const COMPILED_ROOT_STORE = fileURLToPath(new URL('./root-store.json', import.meta.url));
/** Where the build writes the PEMs of the store the index was compiled from, in store order. */
export const COMPILED_ROOT_PEMS = fileURLToPath(new URL('./root-store-pems.json', import.meta.url));

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

function emptyIndex(): RootIndex {
  return {
    all: [],
    byDn: new Map(),
    byCn: new Map(),
    byKeyId: new Map(),
    bySha256: new Map(),
    organizations: new Set(),
  };
}

/** Add one entry under its keys. */
function addEntry(built: RootIndex, entry: RootEntry, dnKey: string, cnKey: string | undefined): void {
  built.all.push(entry);
  push(built.byDn, dnKey, entry);
  if (cnKey) push(built.byCn, cnKey, entry);
  if (entry.keyId) push(built.byKeyId, entry.keyId, entry);
  built.bySha256.set(entry.sha256, entry);
}

/** Walk every root (no full parse) and index it; also returns each entry's keys for compiling. */
function buildIndex(pems: readonly string[]): { built: RootIndex; keys: Map<RootEntry, CompiledRoot> } {
  const built = emptyIndex();
  const keys = new Map<RootEntry, CompiledRoot>();
  pems.forEach((pem, position) => {
    const der = pemToDer(pem);
    const scan = der ? scanCertificate(der) : undefined;
    if (!der || !scan) return; // A root we cannot read is simply not offered.
    const subject = formatDnSap([...scan.subject].reverse().map((a) => ({ key: a.oid, value: a.value })));
    const entry: RootEntry = { pem, sha256: createHash('sha256').update(der).digest('hex'), subject };
    if (scan.extensions.subjectKeyId) entry.keyId = scan.extensions.subjectKeyId;
    if (scan.notAfter) entry.notAfter = scan.notAfter;
    const dnKey = normalizeDn(subject);
    const cnKey = dnValue(subject, 'CN')?.trim().toLowerCase();
    addEntry(built, entry, dnKey, cnKey);
    for (const a of scan.subject) if (a.oid === '2.5.4.10') built.organizations.add(organizationKey(a.value));
    keys.set(entry, {
      index: position,
      sha256: entry.sha256,
      subject,
      dnKey,
      ...(cnKey ? { cnKey } : {}),
      ...(entry.keyId ? { keyId: entry.keyId } : {}),
      ...(entry.notAfter ? { notAfter: entry.notAfter } : {}),
      info: null,
    });
  });
  return { built, keys };
}

/** SHA-256 over the store's PEMs in order (what a compiled index must have been made from). */
function storeSha256(pems: readonly string[]): string {
  const hash = createHash('sha256');
  for (const pem of pems) hash.update(pem).update('\n');
  return hash.digest('hex');
}

/**
 * Compile the index of `pems` (default: this Node's store) with every root described in full — the
 * build step writes it to `COMPILED_ROOT_STORE`. Loads the X.509 library (build time only).
 */
export function compileRootStore(pems: readonly string[] = storePems()): CompiledRootStore {
  const { built, keys } = buildIndex(pems);
  const roots: CompiledRoot[] = [];
  for (const entry of built.all) {
    const compiled = keys.get(entry) as CompiledRoot;
    compiled.valuesKey = valuesKey(parseDn(entry.subject));
    const described = describeEntry(entry);
    if (described) {
      const { pem: _pem, ...info } = described;
      compiled.info = info;
    }
    roots.push(compiled);
  }
  return {
    version: 2,
    node: process.version,
    storeSha256: storeSha256(pems),
    roots,
    organizations: [...built.organizations],
  };
}

/**
 * The PEMs saved beside the compiled index; Node's own store (the same roots in the same order under the
 * same version) when that file is missing or damaged.
 */
function compiledPems(): readonly string[] {
  try {
    const pems: unknown = JSON.parse(readFileSync(COMPILED_ROOT_PEMS, 'utf8'));
    if (Array.isArray(pems) && pems.every((p) => typeof p === 'string')) return pems as string[];
  } catch {
    // Fall through to the store itself.
  }
  return storePems();
}

/**
 * Make `target.pem` the PEM at `position`, read on first use and then kept as a plain property (in the
 * same place among the object's keys, so reports and copies do not change).
 */
function lazyPem<T extends object>(target: T, position: number, pemAt: (i: number) => string): T {
  Object.defineProperty(target, 'pem', {
    enumerable: true,
    configurable: true,
    get() {
      const pem = pemAt(position);
      Object.defineProperty(target, 'pem', {
        value: pem,
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return pem;
    },
  });
  return target;
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

/**
 * The index of a compiled store, or undefined when it was compiled under another Node version (whose
 * bundled roots may differ). PEMs are read on first use, by default from the file saved with the index.
 */
function indexFromCompiled(
  compiled: CompiledRootStore,
  readPems: () => readonly string[] = compiledPems,
): RootIndex | undefined {
  if (compiled.version !== 2 || compiled.node !== process.version) return undefined;
  let pems: readonly string[] | undefined;
  const pemAt = (i: number): string => {
    pems ??= readPems();
    // A saved list cut short: the store itself (the same roots in the same order under this version).
    return pems[i] ?? (storePems()[i] as string);
  };
  const built = emptyIndex();
  const byValues = new Map<string, RootEntry[]>();
  let everyKey = true;
  for (const r of compiled.roots) {
    const entry = lazyPem({ sha256: r.sha256, subject: r.subject } as RootEntry, r.index, pemAt);
    if (r.keyId) entry.keyId = r.keyId;
    if (r.notAfter) entry.notAfter = r.notAfter;
    entry.info = r.info ? lazyPem({ ...r.info } as CertificateInfo, r.index, pemAt) : null;
    addEntry(built, entry, r.dnKey, r.cnKey);
    if (r.valuesKey === undefined) everyKey = false;
    else push(byValues, r.valuesKey, entry);
  }
  if (everyKey) built.byValues = byValues;
  for (const o of compiled.organizations) built.organizations.add(o);
  return built;
}

function getIndex(): RootIndex {
  if (index) return index;
  index = loadCompiled();
  origin = index ? 'compiled' : 'built';
  index ??= buildIndex(storePems()).built;
  return index;
}

/**
 * Every root of a compiled store in store order, described (PEMs read on first use through `readPems`),
 * or undefined when it was compiled under another Node version: how the built code reads its index, for
 * tests.
 */
export function listCompiledRoots(
  compiled: CompiledRootStore,
  readPems: () => readonly string[],
): readonly CertificateInfo[] | undefined {
  const built = indexFromCompiled(compiled, readPems);
  return built && materialize(built.all, true);
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
const found = new Map<string, RootEntry[]>();
/** Queries remembered at most (a server sees the same few issuers again and again). */
const MAX_FOUND = 1024;

function findEntries(query: RootQuery): RootEntry[] {
  const key = `${query.sha256 ?? ''}\n${query.keyId ?? ''}\n${query.dn ?? ''}`;
  let hit = found.get(key);
  if (!hit) {
    hit = searchEntries(query);
    if (found.size >= MAX_FOUND) found.clear();
    found.set(key, hit);
  }
  return hit;
}

function searchEntries(query: RootQuery): RootEntry[] {
  const idx = getIndex();
  let candidates: RootEntry[] | undefined;
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
      const scan = idx.byValues ? (idx.byValues.get(valuesKey(dn)) ?? []) : idx.all;
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
  return materialize(getIndex().all, true);
}
