/**
 * @module Build the certification path from what a server sent (or a trace printed) to a trust anchor.
 *
 * Issuers are matched by name (`sameDn`), then key identifiers (AKI ↔ SKI), then the signature itself
 * when both certificates are known in full (PEM). A certificate with the right name but another key
 * never closes the path: that is the "same subject" trap (a re-keyed CA whose old certificate sits in
 * the trust list under the same name). Input order does not matter; extra certificates are reported,
 * loops end the walk, and the depth is capped. The builder is pure: it never fetches anything.
 */
import { X509Certificate as NodeX509 } from 'node:crypto';
import type { CertificateInfo } from '../model/certificate.js';
import { normalizeDn, sameDn } from './dn.js';

/** Longest path walked (leaf included); real chains have 2–4 members. */
export const MAX_CHAIN_DEPTH = 10;
/** Certificates considered from one presented chain; the rest is reported as truncated input. */
export const MAX_PRESENTED = 64;

/** Where a path member came from. */
export type LinkSource = 'presented' | 'anchor' | 'held';

/** How a member was tied to the one below it: proven by signature, by key identifier, or by name only. */
export type LinkMatch = 'signature' | 'key-id' | 'name';

export interface ChainLink {
  cert: CertificateInfo;
  source: LinkSource;
  /** Index in the presented list, for presented members. */
  index?: number;
  /** How this member was matched as issuer of the one before it (absent for the first member). */
  matchedBy?: LinkMatch;
  /** This member is itself held by the anchors (same certificate, or same name and key). */
  trusted?: boolean;
}

/** How the walk ended. */
export type ChainEnd =
  /** A trusted certificate was reached. */
  | 'anchor'
  /** A self-signed certificate was reached that the anchors do not hold. */
  | 'untrusted-root'
  /** The top certificate's issuer was neither presented, held nor trusted. */
  | 'issuer-missing'
  | 'loop'
  | 'depth-limit'
  /** Nothing to build from. */
  | 'empty';

export type ChainIssueKind =
  | 'leaf-not-first'
  | 'out-of-order'
  | 'unused-certificate'
  | 'same-name-other-key'
  | 'loop'
  | 'depth-limit'
  | 'truncated-input';

export interface ChainIssue {
  kind: ChainIssueKind;
  cert?: CertificateInfo;
}

/** The issuer the path needs but nobody supplied. */
export interface MissingIssuer {
  /** Issuer DN of the top certificate (as that certificate prints it). */
  subject: string;
  /** Authority key id of the top certificate, when known. */
  keyId?: string;
  /** caIssuers URLs of the top certificate (where the missing CA can be downloaded). */
  aiaIssuers?: string[];
  /** The certificate whose issuer is missing. */
  below: CertificateInfo;
}

export interface BuiltChain {
  /** Leaf first; the last member is the anchor when `end` is `anchor`. */
  path: ChainLink[];
  end: ChainEnd;
  missing?: MissingIssuer;
  /** Certificates whose name fits the wanted issuer but whose key does not (other key id or signature). */
  sameNameOtherKey: CertificateInfo[];
  /** Presented certificates the path does not use. */
  unused: CertificateInfo[];
  issues: ChainIssue[];
}

export interface BuildChainOptions {
  /** The trust list: every member is trusted as it is (SAP PSE semantics: a held intermediate closes the path). */
  anchors: readonly CertificateInfo[];
  /** Further certificates usable as path members but not trusted (AIA-fetched, a browser's known intermediates). */
  held?: readonly CertificateInfo[];
  maxDepth?: number;
  /** When several issuers fit equally, prefer one valid at this time. */
  now?: Date;
}

const dnCache = new Map<string, string>();
const sameDnCache = new Map<string, boolean>();

/** `sameDn`, memoised: path building compares the same few names again and again. */
function dnEqual(a: string, b: string): boolean {
  const id = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
  let eq = sameDnCache.get(id);
  if (eq === undefined) {
    eq = sameDn(a, b);
    if (sameDnCache.size > 20000) sameDnCache.clear();
    sameDnCache.set(id, eq);
  }
  return eq;
}

/** Index key of a DN (normalised), cached: chains repeat the same names many times. */
function dnKey(dn: string): string {
  let key = dnCache.get(dn);
  if (key === undefined) {
    key = normalizeDn(dn);
    if (dnCache.size > 5000) dnCache.clear();
    dnCache.set(dn, key);
  }
  return key;
}

/** Hex digits only, lower case: key ids arrive as `AB:CD`, `abcd`, `AB CD`. */
export function normalizeKeyId(keyId: string | undefined): string | undefined {
  if (!keyId) return undefined;
  const hex = keyId.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  return hex.length > 0 ? hex : undefined;
}

const nodeCache = new WeakMap<CertificateInfo, NodeX509 | null>();

function nodeCertOf(cert: CertificateInfo): NodeX509 | undefined {
  if (!cert.pem) return undefined;
  let node = nodeCache.get(cert);
  if (node === undefined) {
    try {
      node = new NodeX509(cert.pem);
    } catch {
      node = null;
    }
    nodeCache.set(cert, node);
  }
  return node ?? undefined;
}

const signatureCache = new Map<string, boolean>();

/**
 * Does `issuer`'s key verify `child`'s signature? `undefined` when either certificate is not known in
 * full (no PEM) or the check cannot run.
 */
export function verifySignature(child: CertificateInfo, issuer: CertificateInfo): boolean | undefined {
  const c = nodeCertOf(child);
  const i = nodeCertOf(issuer);
  if (!c || !i) return undefined;
  const id = child.sha256 && issuer.sha256 ? `${child.sha256}>${issuer.sha256}` : undefined;
  const hit = id ? signatureCache.get(id) : undefined;
  if (hit !== undefined) return hit;
  let ok: boolean;
  try {
    ok = c.verify(i.publicKey);
  } catch {
    ok = false;
  }
  if (id) {
    if (signatureCache.size > 5000) signatureCache.clear();
    signatureCache.set(id, ok);
  }
  return ok;
}

/** Do two descriptions stand for the same public key? `undefined` when it cannot be told. */
function sameKey(a: CertificateInfo, b: CertificateInfo): boolean | undefined {
  const ka = normalizeKeyId(a.subjectKeyId);
  const kb = normalizeKeyId(b.subjectKeyId);
  const na = nodeCertOf(a);
  const nb = nodeCertOf(b);
  if (na && nb) {
    try {
      const pa = na.publicKey.export({ type: 'spki', format: 'der' });
      const pb = nb.publicKey.export({ type: 'spki', format: 'der' });
      return pa.equals(pb);
    } catch {
      // fall through to key ids
    }
  }
  if (ka && kb) return ka === kb;
  return undefined;
}

function sameSerial(a: CertificateInfo, b: CertificateInfo): boolean | undefined {
  if (!a.serial || !b.serial) return undefined;
  const strip = (s: string) =>
    s
      .replace(/[^0-9a-fA-F]/g, '')
      .replace(/^0+/, '')
      .toLowerCase();
  return strip(a.serial) === strip(b.serial);
}

/**
 * Are `a` and `b` the same certificate? By SHA-256 when both have one; otherwise by subject, issuer and
 * serial (what a trace or listing prints).
 */
export function sameCertificate(a: CertificateInfo, b: CertificateInfo): boolean {
  if (a === b) return true;
  if (a.sha256 && b.sha256) return a.sha256.toLowerCase() === b.sha256.toLowerCase();
  if (!dnEqual(a.subject, b.subject)) return false;
  if (a.issuer && b.issuer && !dnEqual(a.issuer, b.issuer)) return false;
  const serial = sameSerial(a, b);
  if (serial !== undefined) return serial;
  return sameKey(a, b) ?? false;
}

/**
 * Is `holder` (a trust-list entry) the same CA as `cert` for trust purposes? The same certificate, or
 * the same subject with the same key (a re-issued CA certificate works as the same anchor).
 */
export function holdsSameCa(holder: CertificateInfo, cert: CertificateInfo): LinkMatch | undefined {
  if (holder.sha256 && cert.sha256 && holder.sha256.toLowerCase() === cert.sha256.toLowerCase())
    return 'signature';
  if (!dnEqual(holder.subject, cert.subject)) return undefined;
  const key = sameKey(holder, cert);
  if (key === false) return undefined;
  if (key === true) return nodeCertOf(holder) && nodeCertOf(cert) ? 'signature' : 'key-id';
  const serial = sameSerial(holder, cert);
  if (serial === false) return undefined;
  return 'name';
}

/**
 * Self-signed: same subject and issuer, no contradicting key ids, and (when the PEM is known) the
 * certificate's own key verifies its signature. The signature decides over a parser's `selfSigned`
 * flag: OpenSSL's issued-check refuses end-entity certificates without keyCertSign, which many
 * self-signed server certificates lack.
 */
export function isSelfSigned(cert: CertificateInfo): boolean {
  if (!cert.issuer || !dnEqual(cert.subject, cert.issuer)) return cert.selfSigned === true;
  const aki = normalizeKeyId(cert.authorityKeyId);
  const ski = normalizeKeyId(cert.subjectKeyId);
  if (aki && ski && aki !== ski) return false;
  return verifySignature(cert, cert) ?? cert.selfSigned ?? true;
}

/**
 * Can `candidate` be the issuer of `child`? Returns how strongly it is tied, `'mismatch'` when the name
 * fits but the key does not (other key id, or the signature fails), or undefined when the name differs.
 */
export function matchIssuer(
  child: CertificateInfo,
  candidate: CertificateInfo,
): LinkMatch | 'mismatch' | undefined {
  if (!child.issuer || !dnEqual(child.issuer, candidate.subject)) return undefined;
  const aki = normalizeKeyId(child.authorityKeyId);
  const ski = normalizeKeyId(candidate.subjectKeyId);
  if (aki && ski && aki !== ski) return 'mismatch';
  const sig = verifySignature(child, candidate);
  if (sig === false) return 'mismatch';
  if (sig === true) return 'signature';
  return aki && ski ? 'key-id' : 'name';
}

const MATCH_RANK: Record<LinkMatch, number> = { signature: 0, 'key-id': 1, name: 2 };

function validAt(cert: CertificateInfo, now: Date | undefined): boolean {
  if (!now) return true;
  const t = now.getTime();
  const nb = cert.notBefore ? Date.parse(cert.notBefore) : Number.NaN;
  const na = cert.notAfter ? Date.parse(cert.notAfter) : Number.NaN;
  return !(nb > t) && !(na < t);
}

interface Pool {
  source: LinkSource;
  certs: readonly CertificateInfo[];
  byDn: Map<string, CertificateInfo[]>;
}

function makePool(source: LinkSource, certs: readonly CertificateInfo[]): Pool {
  const byDn = new Map<string, CertificateInfo[]>();
  for (const c of certs) {
    const key = dnKey(c.subject);
    const list = byDn.get(key);
    if (list) list.push(c);
    else byDn.set(key, [c]);
  }
  return { source, certs, byDn };
}

/** Candidates whose subject may equal `dn`: the index hit, or (ambiguous spellings) a scan. */
function candidatesFor(pool: Pool, dn: string): readonly CertificateInfo[] {
  const hit = pool.byDn.get(dnKey(dn));
  if (hit) return hit;
  return pool.certs.length <= 2000 ? pool.certs.filter((c) => dnEqual(c.subject, dn)) : [];
}

interface IssuerHit {
  cert: CertificateInfo;
  match: LinkMatch;
}

function findIssuer(
  child: CertificateInfo,
  pool: Pool,
  skip: (c: CertificateInfo) => boolean,
  now: Date | undefined,
  rejected: CertificateInfo[],
): IssuerHit | undefined {
  if (!child.issuer) return undefined;
  let best: IssuerHit | undefined;
  for (const cand of candidatesFor(pool, child.issuer)) {
    if (cand === child || skip(cand)) continue;
    const m = matchIssuer(child, cand);
    if (m === undefined) continue;
    if (m === 'mismatch') {
      if (!rejected.includes(cand)) rejected.push(cand);
      continue;
    }
    if (
      !best ||
      MATCH_RANK[m] < MATCH_RANK[best.match] ||
      (MATCH_RANK[m] === MATCH_RANK[best.match] && validAt(cand, now) && !validAt(best.cert, now))
    ) {
      best = { cert: cand, match: m };
    }
  }
  return best;
}

/** Pick the leaf: the first presented certificate unless it issued another presented one. */
function pickLeaf(presented: readonly CertificateInfo[]): number {
  const issuesAnother = (i: number) => {
    const c = presented[i] as CertificateInfo;
    return presented.some(
      (o, j) => j !== i && !isSelfSigned(o) && o.issuer !== undefined && dnEqual(o.issuer, c.subject),
    );
  };
  if (presented.length <= 1 || !issuesAnother(0)) return 0;
  let fallback = -1;
  for (let i = 1; i < presented.length; i++) {
    if (issuesAnother(i)) continue;
    if (presented[i]?.isCA !== true) return i;
    if (fallback < 0) fallback = i;
  }
  return Math.max(fallback, 0);
}

/**
 * Build the path from the presented certificates (leaf first, any order tolerated) to an anchor.
 * Trusted-first: at every step a trust-list member that is (or issues) the current certificate ends
 * the walk, as OpenSSL and CommonCryptoLib do. Then presented certificates, then `held` ones.
 */
export function buildChain(presentedIn: readonly CertificateInfo[], opts: BuildChainOptions): BuiltChain {
  const issues: ChainIssue[] = [];
  const presented = presentedIn.slice(0, MAX_PRESENTED);
  if (presentedIn.length > MAX_PRESENTED) issues.push({ kind: 'truncated-input' });
  const result: BuiltChain = { path: [], end: 'empty', sameNameOtherKey: [], unused: [], issues };
  if (presented.length === 0) return result;

  const maxDepth = Math.max(1, Math.min(opts.maxDepth ?? MAX_CHAIN_DEPTH, 64));
  const anchors = makePool('anchor', opts.anchors);
  const pools = [makePool('presented', presented), makePool('held', opts.held ?? [])];
  const leafIndex = pickLeaf(presented);
  if (leafIndex !== 0) issues.push({ kind: 'leaf-not-first', cert: presented[leafIndex] });

  const leaf = presented[leafIndex] as CertificateInfo;
  const path: ChainLink[] = [{ cert: leaf, source: 'presented', index: leafIndex }];
  result.path = path;
  const inPath = (c: CertificateInfo) => path.some((l) => l.cert === c || sameCertificate(l.cert, c));
  const rejected: CertificateInfo[] = [];

  for (;;) {
    const current = path[path.length - 1] as ChainLink;
    const cert = current.cert;

    // 1. The current certificate is itself in the trust list.
    for (const holder of candidatesFor(anchors, cert.subject)) {
      if (holdsSameCa(holder, cert)) {
        current.trusted = true;
        result.end = 'anchor';
        break;
      }
    }
    if (result.end === 'anchor') break;

    // 2. A trust-list member issued it.
    const fromAnchor = findIssuer(cert, anchors, () => false, opts.now, rejected);
    const selfSigned = isSelfSigned(cert);
    if (fromAnchor && !selfSigned) {
      if (path.length >= maxDepth) {
        result.end = 'depth-limit';
        issues.push({ kind: 'depth-limit' });
        break;
      }
      path.push({ cert: fromAnchor.cert, source: 'anchor', matchedBy: fromAnchor.match, trusted: true });
      result.end = 'anchor';
      break;
    }
    if (selfSigned) {
      result.end = 'untrusted-root';
      break;
    }

    // 3. Presented, then held certificates.
    let next: (IssuerHit & { source: LinkSource }) | undefined;
    let looped = false;
    for (const pool of pools) {
      const hit = findIssuer(cert, pool, () => false, opts.now, rejected);
      if (!hit) continue;
      if (inPath(hit.cert)) {
        looped = true;
        continue;
      }
      next = { ...hit, source: pool.source };
      break;
    }
    if (!next) {
      if (looped) {
        result.end = 'loop';
        issues.push({ kind: 'loop', cert });
      } else {
        result.end = 'issuer-missing';
        const missing: MissingIssuer = { subject: cert.issuer ?? '', below: cert };
        if (cert.authorityKeyId) missing.keyId = cert.authorityKeyId;
        if (cert.aiaIssuers?.length) missing.aiaIssuers = [...cert.aiaIssuers];
        result.missing = missing;
      }
      break;
    }
    if (path.length >= maxDepth) {
      result.end = 'depth-limit';
      issues.push({ kind: 'depth-limit' });
      break;
    }
    const link: ChainLink = { cert: next.cert, source: next.source, matchedBy: next.match };
    if (next.source === 'presented') link.index = presented.indexOf(next.cert);
    path.push(link);
  }

  result.sameNameOtherKey = rejected.filter((r) => !inPath(r));
  for (const r of result.sameNameOtherKey) issues.push({ kind: 'same-name-other-key', cert: r });

  const indexes = path.filter((l) => l.source === 'presented').map((l) => l.index ?? 0);
  if (indexes.some((v, i) => i > 0 && v < (indexes[i - 1] ?? 0)) || (indexes.length > 1 && indexes[0] !== 0))
    issues.push({ kind: 'out-of-order' });
  result.unused = presented.filter((c) => !path.some((l) => l.cert === c));
  for (const u of result.unused.slice(0, 8)) issues.push({ kind: 'unused-certificate', cert: u });
  return result;
}

/** Position of a path member for reports: leaf, intermediate, or root (self-signed top / anchor CA). */
export function positionInPath(chain: BuiltChain, i: number): 'leaf' | 'intermediate' | 'root' {
  if (i === 0) return 'leaf';
  const link = chain.path[i];
  if (link && isSelfSigned(link.cert)) return 'root';
  return 'intermediate';
}

/** The certificates without repeats (same SHA-256, or same subject/issuer/serial), first one kept. */
export function dedupeCertificates(certs: readonly CertificateInfo[]): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  for (const c of certs) if (!out.some((o) => sameCertificate(o, c))) out.push(c);
  return out;
}
