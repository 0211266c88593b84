/**
 * @module Judge one certificate chain under named verification profiles, side by side.
 *
 * `sap-icm` models the ICM with CommonCryptoLib: it trusts exactly the certificate list of the PSE used
 * for the call (any member, root or intermediate, is an anchor), fetches nothing, uses no OS store, and
 * compares the target host with the certificate's CN and SAN entries. `browser` uses the Mozilla roots
 * (and AIA-fetched intermediates when the caller fetched them), SAN only, and refuses SHA-1 and small
 * keys. `java` uses a cacerts-like store when one is given (no AIA: off by default in the JDK).
 *
 * The verdict is the FIRST problem in this order: trust (the missing link), validity (leaf upward),
 * weak algorithms, host name. Every other problem is listed too. Pure functions; `now` is injectable.
 * A problem is facts only (kind, certificate, position, missing link, host, names): its words are
 * the rules' templates (rules/chain-problem.ts).
 * Assumption (no SAP source either way): CommonCryptoLib accepts SHA-1-signed and RSA-1024 peer
 * certificates, so `sap-icm` reports those as warnings, not as the failure.
 */
import type { Cause } from '../model/cause.js';
import type { CertificateInfo } from '../model/certificate.js';
import { escapeControlChars } from '../model/escape-controls.js';
import { ipVersion } from '../model/ip-address.js';
import { type BuiltChain, buildChain, isSelfSigned, type LinkMatch, matchIssuer } from './chain.js';
import { dnValue } from './dn.js';
import { findRoot, findRootsForChain } from './root-store.js';

/** The verification profiles. */
export const PROFILES = ['sap-icm', 'browser', 'java'] as const;
export type ProfileId = (typeof PROFILES)[number];

/** How the host name is compared with the certificate. */
export type HostCheckMode =
  /** CN or any SAN entry may match (ICM: the CN check, SAN honoured). */
  | 'cn-or-san'
  /** SAN entries only; CN ignored (browsers). */
  | 'san-only'
  /** SAN when the certificate has DNS SANs, else CN (RFC 2818, Java's HostnameChecker). */
  | 'san-else-cn';

interface ProfilePolicy {
  id: ProfileId;
  label: string;
  hostMode: HostCheckMode;
  /** Use AIA-fetched certificates as path members. */
  useFetched: boolean;
  sha1: 'reject' | 'warn';
  /** RSA keys below this many bits fail; below `rsaWarn` they warn. */
  rsaReject: number;
  rsaWarn: number;
  /** Also judge the validity of the trust anchor itself. */
  anchorValidity: boolean;
}

const POLICIES: Record<ProfileId, ProfilePolicy> = {
  'sap-icm': {
    id: 'sap-icm',
    label: 'SAP ICM (CommonCryptoLib)',
    hostMode: 'cn-or-san',
    useFetched: false,
    sha1: 'warn',
    rsaReject: 1024,
    rsaWarn: 2048,
    anchorValidity: true,
  },
  browser: {
    id: 'browser',
    label: 'Browser (Mozilla roots)',
    hostMode: 'san-only',
    useFetched: true,
    sha1: 'reject',
    rsaReject: 2048,
    rsaWarn: 2048,
    anchorValidity: false,
  },
  java: {
    id: 'java',
    label: 'Java (trust store)',
    hostMode: 'san-else-cn',
    useFetched: false,
    // The JDK refuses SHA-1 only in chains that end in a JDK-shipped root ("SHA1 jdkCA").
    sha1: 'warn',
    rsaReject: 1024,
    rsaWarn: 2048,
    anchorValidity: false,
  },
};

/** The label of a profile, for side-by-side output. */
export function profileLabel(id: ProfileId): string {
  return POLICIES[id].label;
}

export type ProblemKind =
  | 'root-missing'
  | 'intermediate-missing'
  | 'self-signed'
  | 'chain-loop'
  | 'chain-too-long'
  | 'expired'
  | 'not-yet-valid'
  | 'weak-signature'
  | 'name-mismatch'
  | 'empty';

export type MemberPosition = 'leaf' | 'intermediate' | 'root';

/** The CA a trust list lacks, with what is known about it. */
export interface MissingLink {
  kind: 'root' | 'intermediate';
  subject: string;
  keyId?: string;
  aiaIssuers?: string[];
  /** The certificate itself when known: sent by the server, fetched via AIA, or a bundled Mozilla root. */
  cert?: CertificateInfo;
  source?: 'peer-chain' | 'aia' | 'bundled-roots';
}

export interface ChainProblem {
  kind: ProblemKind;
  /** `fail` decides the verdict; `warn` is reported beside it. */
  level: 'fail' | 'warn';
  cert?: CertificateInfo;
  position?: MemberPosition;
  missing?: MissingLink;
  /** Certificates in the list with the wanted name but another key (they cannot close the path). */
  sameNameOtherKey?: CertificateInfo[];
  weakness?: 'md5' | 'md2' | 'sha1' | 'rsa-key';
  keyBits?: number;
  host?: string;
  /** Names the certificate carries (CN and SAN), for name mismatches. */
  names?: string[];
  /** `chain-too-long`: how many certificates the path held when the search stopped. */
  chainLength?: number;
  /** `intermediate-missing` under a profile that fetches issuers, when fetching was not enabled. */
  aiaNotFetched?: boolean;
}

/** What the ICM (and the native stack of a profile) would report for a problem kind. */
export interface SapErrorMapping {
  cause: Cause;
  /** SSSLERR_* code the ICM trace shows. Absent when SAP documents none for the case. */
  error?: { name: string; number?: number };
  /** ICM_HTTP_* code (= SCLNT_HTTP message number) the ABAP side shows. */
  icm?: { name: string; number: number };
  /** Knowledge-base ids to cite. */
  kb: string[];
}

const UNTRUSTED = {
  error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
  icm: { name: 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED', number: 421 },
  kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED'],
};

/**
 * Map a problem kind to the cause tag and the SSSLERR / ICM_HTTP codes SAP's ICM reports for it
 * (facts §1–§3). `undefined` for `empty`.
 */
export function mapProblemToSap(kind: ProblemKind): SapErrorMapping | undefined {
  switch (kind) {
    case 'root-missing':
    case 'self-signed':
    case 'chain-loop':
    case 'chain-too-long':
      return { cause: 'untrusted-root', ...UNTRUSTED, kb: [...UNTRUSTED.kb] };
    case 'intermediate-missing':
      return { cause: 'missing-intermediate', ...UNTRUSTED, kb: [...UNTRUSTED.kb] };
    case 'expired':
    case 'not-yet-valid':
      return {
        cause: 'expired-peer-cert',
        error: { name: 'SSSLERR_PEER_CERT_EXPIRED' },
        icm: { name: 'ICM_HTTP_SSL_PEER_CERT_EXPIRED', number: 418 },
        kb: ['SSSLERR_PEER_CERT_EXPIRED', 'ICM_HTTP_SSL_PEER_CERT_EXPIRED'],
      };
    case 'name-mismatch':
      return {
        cause: 'hostname-mismatch',
        error: { name: 'SSSLERR_SERVER_CERT_MISMATCH', number: -30 },
        icm: { name: 'ICM_HTTP_SSL_CERT_MISMATCH', number: 415 },
        kb: ['SSSLERR_SERVER_CERT_MISMATCH', 'ICM_HTTP_SSL_CERT_MISMATCH'],
      };
    case 'weak-signature':
      return { cause: 'weak-signature', kb: [] };
    case 'empty':
      return undefined;
  }
}

/** The error a profile's own stack shows (Chrome net error, Java exception, SSSLERR name). */
function nativeCode(profile: ProfileId, p: ChainProblem): string | undefined {
  if (profile === 'sap-icm') return mapProblemToSap(p.kind)?.error?.name;
  const trust = ['root-missing', 'intermediate-missing', 'self-signed', 'chain-loop', 'chain-too-long'];
  if (profile === 'browser') {
    if (trust.includes(p.kind)) return 'NET::ERR_CERT_AUTHORITY_INVALID';
    if (p.kind === 'expired' || p.kind === 'not-yet-valid') return 'NET::ERR_CERT_DATE_INVALID';
    if (p.kind === 'name-mismatch') return 'NET::ERR_CERT_COMMON_NAME_INVALID';
    if (p.kind === 'weak-signature')
      return p.weakness === 'rsa-key' ? 'NET::ERR_CERT_WEAK_KEY' : 'NET::ERR_CERT_WEAK_SIGNATURE_ALGORITHM';
    return undefined;
  }
  if (trust.includes(p.kind)) return 'PKIX_PATH_BUILDING_FAILED';
  if (p.kind === 'expired') return 'CertificateExpiredException';
  if (p.kind === 'not-yet-valid') return 'CertificateNotYetValidException';
  if (p.kind === 'name-mismatch') return 'CertificateException: No name matching the host found';
  if (p.kind === 'weak-signature') return 'CertPathValidatorException: Algorithm constraints check failed';
  return undefined;
}

/** Result of the host-name comparison. */
export interface HostCheck {
  host: string;
  ok: boolean;
  /** The certificate name that matched. */
  matched?: string;
  /** The names that were compared (after the mode's CN/SAN selection). */
  names: string[];
  mode: HostCheckMode;
}

function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

function sameIp(a: string, b: string): boolean {
  const na = normalizeHost(a);
  const nb = normalizeHost(b);
  if (na === nb) return true;
  // IPv6 spellings differ (`::1` vs `0:0:…:1`); compare expanded groups.
  if (ipVersion(na) === 6 && ipVersion(nb) === 6) return expandIpv6(na) === expandIpv6(nb);
  return false;
}

function expandIpv6(ip: string): string {
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const fill = ip.includes('::') ? new Array(Math.max(0, 8 - h.length - t.length)).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/**
 * Does DNS name pattern `pattern` (from a certificate) cover `host`? Case-insensitive; a wildcard is
 * allowed only as the whole left-most label, covers exactly one label, and needs at least two labels
 * after it (`*.example.com`, never `*.com` or `f*.example.com`).
 */
export function matchDnsName(pattern: string, host: string): boolean {
  const p = normalizeHost(pattern);
  const h = normalizeHost(host);
  if (!p || !h) return false;
  if (!p.includes('*')) return p === h;
  if (!p.startsWith('*.') || p.indexOf('*', 1) >= 0) return false;
  const rest = p.slice(2);
  if (!rest.includes('.')) return false;
  const dot = h.indexOf('.');
  if (dot <= 0) return false;
  return h.slice(dot + 1) === rest;
}

/** Compare `host` with the certificate's names the way `mode` says. */
export function checkHostName(host: string, cert: CertificateInfo, mode: HostCheckMode): HostCheck {
  const h = normalizeHost(host);
  const ipHost = ipVersion(h) !== 0;
  const sans = (cert.subjectAltNames ?? []).filter((n) => n.length > 0);
  const sanIps = sans.filter((n) => ipVersion(normalizeHost(n)) !== 0);
  const sanDns = sans.filter((n) => ipVersion(normalizeHost(n)) === 0);
  const cn = dnValue(cert.subject, 'CN');
  let names: string[];
  if (mode === 'cn-or-san') names = [...(cn ? [cn] : []), ...sans];
  else if (mode === 'san-only') names = ipHost ? sanIps : sanDns;
  else if (ipHost) names = sanIps;
  else names = sanDns.length > 0 ? sanDns : cn ? [cn] : [];
  names = names.filter((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) === i);
  const matched = names.find((n) => (ipHost ? sameIp(n, h) : matchDnsName(n, h)));
  const result: HostCheck = { host, ok: matched !== undefined, names, mode };
  if (matched !== undefined) result.matched = matched;
  return result;
}

/** Everything one verification needs. */
export interface VerifyInput {
  /** The certificates as the server sent them (or a file holds them), leaf first if known. */
  chain: readonly CertificateInfo[];
  /** Host name or IP used in the URL / destination. No host: no name check. */
  host?: string;
  /** Clock for validity (tests pin it). Default: now. */
  now?: Date;
  /** The trust list SAP holds (the PSE certificate list) for `sap-icm`. */
  trust?: readonly CertificateInfo[];
  /** How to name that list in messages (`SAPSSLA.pse (SSL client Anonymous)`). */
  trustName?: string;
  /** Roots for `browser`. Default: the bundled Mozilla roots. */
  browserRoots?: readonly CertificateInfo[];
  /** A cacerts-like store for `java`. */
  javaStore?: readonly CertificateInfo[];
  javaStoreName?: string;
  /** Certificates fetched via AIA caIssuers (`--fetch-issuers`): path members for `browser`, names for all. */
  fetched?: readonly CertificateInfo[];
}

export interface ProfileVerdict {
  profile: ProfileId;
  label: string;
  ok: boolean;
  /** `trusted` or the kind of the first failing problem. */
  kind: ProblemKind | 'trusted';
  /** The first failing problem (the verdict), when not ok. */
  first?: ChainProblem;
  /** Failing problems, verdict first. */
  problems: ChainProblem[];
  warnings: ChainProblem[];
  chain: BuiltChain;
  /** The trust-list member that closed the path, and how firmly it was matched. */
  anchor?: { cert: CertificateInfo; matchedBy?: LinkMatch };
  host?: HostCheck;
  /** Cause and ICM/SSSLERR codes of the verdict (absent when trusted). */
  sap?: SapErrorMapping;
  /** The error the profile's own stack would show. */
  nativeCode?: string;
  /** The name used for the profile's trust list in messages. */
  listName: string;
}

function at(cert: CertificateInfo, field: 'notBefore' | 'notAfter'): number {
  const v = cert[field];
  return v ? Date.parse(v) : Number.NaN;
}

function signatureWeakness(cert: CertificateInfo): 'md5' | 'md2' | 'sha1' | undefined {
  const alg = (cert.signatureAlgorithm ?? '').toLowerCase();
  if (!alg) return undefined;
  if (/md2/.test(alg) || alg === '1.2.840.113549.1.1.2') return 'md2';
  if (/md5/.test(alg) || alg === '1.2.840.113549.1.1.4') return 'md5';
  if (/sha-?1(?![0-9])/.test(alg) || alg === '1.2.840.113549.1.1.5' || alg === '1.2.840.10045.4.1')
    return 'sha1';
  return undefined;
}

function classifyMissing(
  chain: BuiltChain,
  fetched: readonly CertificateInfo[],
  useBundled: boolean,
): MissingLink | undefined {
  if (chain.end === 'untrusted-root') {
    const top = chain.path[chain.path.length - 1];
    if (!top || chain.path.length < 2) return undefined;
    return { kind: 'root', subject: top.cert.subject, cert: top.cert, source: 'peer-chain' };
  }
  const m = chain.missing;
  if (chain.end !== 'issuer-missing' || !m) return undefined;
  const link: MissingLink = { kind: 'intermediate', subject: m.subject };
  if (m.keyId) link.keyId = m.keyId;
  if (m.aiaIssuers) link.aiaIssuers = m.aiaIssuers;
  const fromAia = fetched.find((c) => {
    const r = matchIssuer(m.below, c);
    return r !== undefined && r !== 'mismatch';
  });
  const bundled = useBundled
    ? findRoot({ dn: m.subject, ...(m.keyId ? { keyId: m.keyId } : {}) })
    : undefined;
  if (fromAia) {
    link.cert = fromAia;
    link.source = 'aia';
    link.kind = isSelfSigned(fromAia) ? 'root' : 'intermediate';
  } else if (bundled) {
    link.cert = bundled;
    link.source = 'bundled-roots';
    link.kind = 'root';
  } else {
    // Public CAs never sign server certificates with the root: an unknown issuer of the leaf is an
    // intermediate; the unknown issuer of a CA certificate is taken to be the root.
    link.kind = m.below.isCA === true || chain.path.length > 1 ? 'root' : 'intermediate';
  }
  return link;
}

function trustProblem(chain: BuiltChain, input: VerifyInput, policy: ProfilePolicy) {
  const fetched = input.fetched ?? [];
  const leaf = chain.path[0]?.cert;
  if (chain.end === 'anchor') return undefined;
  if (chain.end === 'empty') return { kind: 'empty', level: 'fail' } as ChainProblem;
  if (chain.end === 'loop') return { kind: 'chain-loop', level: 'fail' } as ChainProblem;
  if (chain.end === 'depth-limit')
    return { kind: 'chain-too-long', level: 'fail', chainLength: chain.path.length } as ChainProblem;
  if (chain.end === 'untrusted-root' && chain.path.length === 1 && leaf) {
    return {
      kind: 'self-signed',
      level: 'fail',
      cert: leaf,
      position: 'leaf',
      missing: { kind: 'root', subject: leaf.subject, cert: leaf, source: 'peer-chain' },
    } as ChainProblem;
  }
  const missing = classifyMissing(chain, fetched, policy.id !== 'browser');
  if (!missing) return undefined;
  const problem: ChainProblem = {
    kind: missing.kind === 'root' ? 'root-missing' : 'intermediate-missing',
    level: 'fail',
    missing,
    position: missing.kind,
  };
  if (missing.cert) problem.cert = missing.cert;
  if (chain.sameNameOtherKey.length > 0) problem.sameNameOtherKey = [...chain.sameNameOtherKey];
  if (missing.kind === 'intermediate' && policy.useFetched && fetched.length === 0)
    problem.aiaNotFetched = true;
  return problem;
}

/** Judge the chain under one profile. */
export function verifyWithProfile(profile: ProfileId, input: VerifyInput): ProfileVerdict {
  const policy = POLICIES[profile];
  const now = input.now ?? new Date();
  let anchors: readonly CertificateInfo[];
  let listName: string;
  if (profile === 'sap-icm') {
    anchors = input.trust ?? [];
    listName = input.trustName ? escapeControlChars(input.trustName) : 'the trust list';
  } else if (profile === 'browser') {
    anchors = input.browserRoots ?? findRootsForChain([...input.chain, ...(input.fetched ?? [])]);
    listName = input.browserRoots ? 'the browser root store' : 'the Mozilla root store';
  } else {
    anchors = input.javaStore ?? [];
    listName = input.javaStoreName ? escapeControlChars(input.javaStoreName) : 'the Java trust store';
  }
  const chain = buildChain(input.chain, {
    anchors,
    ...(policy.useFetched && input.fetched ? { held: input.fetched } : {}),
    now,
  });

  const problems: ChainProblem[] = [];
  const warnings: ChainProblem[] = [];
  const add = (p: ChainProblem) => (p.level === 'fail' ? problems : warnings).push(p);

  const trust = trustProblem(chain, input, policy);
  if (trust) add(trust);

  const t = now.getTime();
  const last = chain.path.length - 1;
  chain.path.forEach((link, i) => {
    const cert = link.cert;
    const position: MemberPosition = i === 0 ? 'leaf' : isSelfSigned(cert) ? 'root' : 'intermediate';
    const isAnchor = link.trusted === true && i === last;
    if (!isAnchor || policy.anchorValidity) {
      const na = at(cert, 'notAfter');
      const nb = at(cert, 'notBefore');
      if (na < t) add({ kind: 'expired', level: 'fail', cert, position });
      else if (nb > t) add({ kind: 'not-yet-valid', level: 'fail', cert, position });
    }
    // The signature on a trust anchor or a self-signed root protects nothing: only issued ones count.
    const weakSig = isAnchor || isSelfSigned(cert) ? undefined : signatureWeakness(cert);
    if (weakSig) {
      add({
        kind: 'weak-signature',
        level: weakSig === 'sha1' && policy.sha1 === 'warn' ? 'warn' : 'fail',
        cert,
        position,
        weakness: weakSig,
      });
    }
    if (cert.key?.algorithm === 'RSA' && cert.key.size && cert.key.size < policy.rsaWarn) {
      add({
        kind: 'weak-signature',
        level: cert.key.size < policy.rsaReject ? 'fail' : 'warn',
        cert,
        position,
        weakness: 'rsa-key',
        keyBits: cert.key.size,
      });
    }
  });

  let host: HostCheck | undefined;
  const leaf = chain.path[0]?.cert;
  if (input.host && leaf) {
    host = checkHostName(input.host, leaf, policy.hostMode);
    if (!host.ok) {
      add({
        kind: 'name-mismatch',
        level: 'fail',
        cert: leaf,
        position: 'leaf',
        host: input.host,
        names: host.names,
      });
    }
  }

  const first = problems[0];
  const verdict: ProfileVerdict = {
    profile,
    label: policy.label,
    ok: !first,
    kind: first ? first.kind : 'trusted',
    problems,
    warnings,
    chain,
    listName,
  };
  if (first) {
    verdict.first = first;
    const sap = mapProblemToSap(first.kind);
    if (sap) verdict.sap = sap;
    const code = nativeCode(profile, first);
    if (code) verdict.nativeCode = code;
  }
  const top = chain.path[last];
  if (chain.end === 'anchor' && top) {
    verdict.anchor = { cert: top.cert, ...(top.matchedBy ? { matchedBy: top.matchedBy } : {}) };
  }
  if (host) verdict.host = host;
  return verdict;
}

/**
 * Judge the chain under several profiles. Default: `sap-icm`, `browser`, and `java` when a Java store
 * is given.
 */
export function verifyChain(input: VerifyInput, profiles?: readonly ProfileId[]): ProfileVerdict[] {
  const list =
    profiles ?? (['sap-icm', 'browser', ...(input.javaStore ? ['java' as const] : [])] as ProfileId[]);
  return list.map((p) => verifyWithProfile(p, input));
}
