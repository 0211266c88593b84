/**
 * @module The Mozilla root CAs that Node ships (`tls.rootCertificates`), indexed by subject DN, CN, key id and SHA-256.
 *
 * The index is built lazily on first use and holds only what lookups need (normalised subject, CN, SKI,
 * SHA-256, expiry), read by a DER walk: no full parse. A root is described in full (`CertificateInfo`)
 * only when a lookup returns it, once per process. `findRoot` answers "is this CA a public root, and what
 * is its exact PEM?" — the PEM returned is byte-identical to the store's string, so a file written from
 * it matches what Node (and Mozilla) ship.
 */
import { createHash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { CertificateInfo } from '../model/certificate.js';
import { describeCertificate, parseCertificate } from './certificate-info.js';
import { scanCertificate } from './certificate-scan.js';
import { dnValue, formatDnSap, normalizeDn, normalizeDnValue, sameDn } from './dn.js';

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
}

interface RootIndex {
  all: RootEntry[];
  byDn: Map<string, RootEntry[]>;
  byCn: Map<string, RootEntry[]>;
  byKeyId: Map<string, RootEntry[]>;
  bySha256: Map<string, RootEntry>;
  /** Normalised O= values of the roots: the public CA organisations. */
  organizations: Set<string>;
}

let index: RootIndex | undefined;

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

function buildIndex(pems: readonly string[]): RootIndex {
  const built: RootIndex = {
    all: [],
    byDn: new Map(),
    byCn: new Map(),
    byKeyId: new Map(),
    bySha256: new Map(),
    organizations: new Set(),
  };
  for (const pem of pems) {
    const der = pemToDer(pem);
    const scan = der ? scanCertificate(der) : undefined;
    if (!der || !scan) continue; // A root we cannot read is simply not offered.
    const subject = formatDnSap([...scan.subject].reverse().map((a) => ({ key: a.oid, value: a.value })));
    const entry: RootEntry = { pem, sha256: createHash('sha256').update(der).digest('hex'), subject };
    if (scan.extensions.subjectKeyId) entry.keyId = scan.extensions.subjectKeyId;
    if (scan.notAfter) entry.notAfter = scan.notAfter;
    built.all.push(entry);
    push(built.byDn, normalizeDn(subject), entry);
    const cn = dnValue(subject, 'CN');
    if (cn) push(built.byCn, cn.trim().toLowerCase(), entry);
    if (entry.keyId) push(built.byKeyId, entry.keyId, entry);
    built.bySha256.set(entry.sha256, entry);
    for (const a of scan.subject) if (a.oid === '2.5.4.10') built.organizations.add(organizationKey(a.value));
  }
  return built;
}

function getIndex(): RootIndex {
  index ??= buildIndex(rootCertificates);
  return index;
}

/** The full description of an entry, made on first request. */
function describeEntry(entry: RootEntry): CertificateInfo | undefined {
  if (entry.info === undefined) {
    try {
      entry.info = describeCertificate(parseCertificate(entry.pem), { pem: entry.pem });
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

function findEntries(query: RootQuery): RootEntry[] {
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
    const dn = query.dn;
    const pool = candidates ?? idx.byDn.get(normalizeDn(dn)) ?? [];
    let matched = pool.filter((c) => sameDn(c.subject, dn));
    // The index key uses the likely meaning of ambiguous keys; fall back to a full scan (cheap: ~150).
    if (matched.length === 0 && !candidates) matched = idx.all.filter((c) => sameDn(c.subject, dn));
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
