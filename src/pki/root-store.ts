/**
 * @module The Mozilla root CAs that Node ships (`tls.rootCertificates`), indexed by subject DN and key id.
 *
 * Parsed lazily on first use (about 150 certificates). `findRoot` answers "is this CA a public root, and
 * what is its exact PEM?" — the PEM returned is byte-identical to the store's string, so a file written
 * from it matches what Node (and Mozilla) ship.
 */
import { rootCertificates } from 'node:tls';
import type { CertificateInfo } from '../model/certificate.js';
import { describeCertificate, parseCertificate } from './certificate-info.js';
import { normalizeDn, sameDn } from './dn.js';

interface RootIndex {
  all: CertificateInfo[];
  byDn: Map<string, CertificateInfo[]>;
  byKeyId: Map<string, CertificateInfo[]>;
  bySha256: Map<string, CertificateInfo>;
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

function buildIndex(pems: readonly string[]): RootIndex {
  const built: RootIndex = { all: [], byDn: new Map(), byKeyId: new Map(), bySha256: new Map() };
  for (const pem of pems) {
    let info: CertificateInfo;
    try {
      info = describeCertificate(parseCertificate(pem), { pem });
    } catch {
      continue; // A root the library cannot parse is simply not offered.
    }
    built.all.push(info);
    push(built.byDn, normalizeDn(info.subject), info);
    if (info.subjectKeyId) push(built.byKeyId, normalizeKeyId(info.subjectKeyId), info);
    if (info.sha256) built.bySha256.set(info.sha256, info);
  }
  return built;
}

function getIndex(): RootIndex {
  index ??= buildIndex(rootCertificates);
  return index;
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

/**
 * All bundled roots matching the query (several when a CA re-issued a root with the same name).
 * Newest expiry first.
 */
export function findRoots(query: RootQuery): CertificateInfo[] {
  const idx = getIndex();
  let candidates: CertificateInfo[] | undefined;
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
  return [...(candidates ?? [])].sort((a, b) => (b.notAfter ?? '').localeCompare(a.notAfter ?? ''));
}

/** The bundled root matching the query, or undefined. Its `pem` is exactly the store's string. */
export function findRoot(query: RootQuery): CertificateInfo | undefined {
  return findRoots(query)[0];
}

/** Every bundled root (parsed). */
export function listRoots(): readonly CertificateInfo[] {
  return getIndex().all;
}
