/**
 * @module Reading the peer chain a trace printed: which CA is missing, is it a public root, is the chain cut or intercepted.
 *
 * The chain dump lists the leaf first and each `SignerCert` as the issuer of the one above (facts §7.3).
 * The certificate to trust is the top of the chain: the self-signed root when the dump reaches it,
 * else the issuer of the topmost certificate — looked up among the bundled Mozilla roots by DN (and key
 * id when known). The root is named only when that is proven: a self-signed top, or a bundled root
 * with exactly the issuer's DN.
 */
import type { CertificateInfo } from '../model/certificate.js';
import type {
  CertificateFileEvent,
  SslFailureEvent,
  TraceCertificate,
  TrustListEvent,
} from '../model/evidence.js';
import { dnValue, parseDn, sameDn } from '../pki/dn.js';
import { classifyLoneLeafIssuer } from '../pki/lone-leaf.js';
import { findRoot, findRootsByCn } from '../pki/root-store.js';
import { holdsAny, textsFirst } from '../readers/text/texts-first.js';

/** What the chain says is missing. */
export type ChainGap =
  /** The chain reaches (or names) its root, and the PSE lacks it. */
  | 'root'
  /** Only the leaf was sent and its issuer is no public root: an intermediate is missing. */
  | 'intermediate'
  /** The peer's own certificate is self-signed. */
  | 'self-signed-peer'
  /** The evidence shows no chain. */
  | 'unknown';

export interface ChainVerdict {
  gap: ChainGap;
  /** The certificate to import, as far as the evidence (plus bundled roots / inputs) knows it. */
  anchor?: Partial<CertificateInfo> & { subject: string };
  /** Where the anchor's PEM comes from. */
  source: 'bundled-roots' | 'peer-chain' | 'input' | 'not-found';
  /** True when the anchor is proven to be a root (self-signed, or an exact bundled root). */
  rootProven: boolean;
  /** How the anchor was found: `self-signed top`, `issuer of the top certificate`, `named by the trace`. */
  via?: 'self-signed-top' | 'issuer-of-top' | 'named-by-trace';
  /** Number of certificates the trace shows. */
  chainLength: number;
  /** The anchor is already in a trust list the evidence holds (which one). */
  alreadyIn?: { list: string; sha256?: string };
  /** The anchor is a Mozilla root. */
  publicRoot: boolean;
}

/** `missing certificate of <CN>` (newest CCL wording of -102). */
const MISSING_OF = /missing certificate of\s+"?([^"\n]{1,200}?)"?\s*(?:\)|$|\n)/i;

function sortedChain(certs: readonly TraceCertificate[] | undefined): TraceCertificate[] {
  return [...(certs ?? [])].sort((a, b) => a.depth - b.depth);
}

function isSelfSigned(c: { subject: string; issuer?: string }): boolean {
  return c.issuer !== undefined && sameDn(c.subject, c.issuer);
}

/** A certificate given as input (PEM/DER/PKCS#7 file, trust list) with this subject, if any. */
function findInInputs(
  subject: string,
  files: readonly CertificateFileEvent[],
  lists: readonly TrustListEvent[],
): CertificateInfo | undefined {
  for (const f of files) for (const c of f.certificates) if (c.pem && sameDn(c.subject, subject)) return c;
  for (const l of lists)
    for (const c of l.list.certificates) if (c.pem && sameDn(c.subject, subject)) return c;
  return undefined;
}

/**
 * Which trust lists hold the anchor. A list counts when it is the PSE the failure used (same base name)
 * or when the failure names no PSE.
 */
function presentIn(
  anchor: { subject: string; sha256?: string },
  ev: SslFailureEvent,
  lists: readonly TrustListEvent[],
): ChainVerdict['alreadyIn'] {
  const used = ev.pseFile?.split(/[/\\]/).pop()?.toLowerCase();
  for (const l of lists) {
    const base = (l.list.basename ?? l.list.file?.split(/[/\\]/).pop())?.toLowerCase();
    if (used && base && base !== used) continue;
    const hit = l.list.certificates.find((c) =>
      anchor.sha256 && c.sha256 ? c.sha256 === anchor.sha256 : sameDn(c.subject, anchor.subject),
    );
    if (hit) {
      const where = { list: l.list.node ?? l.list.basename ?? l.list.file ?? 'trust list' };
      return hit.sha256 ? { ...where, sha256: hit.sha256 } : where;
    }
  }
  return undefined;
}

/** Analyse the chain of one failure. `files`/`lists` are certificate inputs the user gave beside the trace. */
export function analyseChain(
  ev: SslFailureEvent,
  files: readonly CertificateFileEvent[] = [],
  lists: readonly TrustListEvent[] = [],
): ChainVerdict {
  const chain = sortedChain(ev.certificates);
  const verdict = (
    v: Omit<ChainVerdict, 'chainLength' | 'publicRoot' | 'alreadyIn'> & { publicRoot?: boolean },
  ) => {
    const out: ChainVerdict = { ...v, chainLength: chain.length, publicRoot: v.publicRoot ?? false };
    if (v.anchor) {
      const present = presentIn(v.anchor, ev, lists);
      if (present) out.alreadyIn = present;
    }
    return out;
  };

  if (chain.length === 0) {
    const text = [ev.errorText, ...(ev.details ?? []), ...(ev.errorstack ?? []).map((e) => e.text)].join(
      '\n',
    );
    const named = MISSING_OF.exec(text)?.[1]?.trim();
    if (named) {
      const dn = /=/.test(named) ? named : `CN=${named}`;
      const byDn = findRoot({ dn });
      const byCn = byDn ? [byDn] : /=/.test(named) ? [] : findRootsByCn(named);
      if (byCn.length === 1) {
        const root = byCn[0] as CertificateInfo;
        return verdict({
          gap: 'root',
          anchor: root,
          source: 'bundled-roots',
          rootProven: true,
          via: 'named-by-trace',
          publicRoot: true,
        });
      }
      const input = findInInputs(dn, files, lists);
      return verdict({
        gap: 'root',
        anchor: input ?? { subject: dn },
        source: input ? 'input' : 'not-found',
        rootProven: false,
        via: 'named-by-trace',
      });
    }
    return verdict({ gap: 'unknown', source: 'not-found', rootProven: false });
  }

  const top = chain[chain.length - 1] as TraceCertificate;
  if (isSelfSigned(top)) {
    if (chain.length === 1) {
      const anchor = {
        subject: top.subject,
        ...(top.pem ? { pem: top.pem } : {}),
        ...(top.notAfter ? { notAfter: top.notAfter } : {}),
      };
      return verdict({
        gap: 'self-signed-peer',
        anchor,
        source: top.pem ? 'peer-chain' : 'not-found',
        rootProven: true,
        via: 'self-signed-top',
      });
    }
    const bundled = findRoot({ dn: top.subject });
    if (bundled)
      return verdict({
        gap: 'root',
        anchor: bundled,
        source: 'bundled-roots',
        rootProven: true,
        via: 'self-signed-top',
        publicRoot: true,
      });
    const input = findInInputs(top.subject, files, lists);
    const anchor = input ?? {
      subject: top.subject,
      ...(top.pem ? { pem: top.pem } : {}),
      ...(top.notAfter ? { notAfter: top.notAfter } : {}),
    };
    return verdict({
      gap: 'root',
      anchor,
      source: input ? 'input' : top.pem ? 'peer-chain' : 'not-found',
      rootProven: true,
      via: 'self-signed-top',
    });
  }

  const issuer = top.issuer;
  if (!issuer || parseDn(issuer).attributes.length === 0) {
    return verdict({ gap: 'unknown', source: 'not-found', rootProven: false });
  }
  const bundled = findRoot({ dn: issuer });
  if (bundled) {
    return verdict({
      gap: 'root',
      anchor: bundled,
      source: 'bundled-roots',
      rootProven: true,
      via: 'issuer-of-top',
      publicRoot: true,
    });
  }
  const input = findInInputs(issuer, files, lists);
  const anchor = input ?? { subject: issuer };
  const source = input ? 'input' : 'not-found';
  // A lone leaf whose issuer is no public root: the server left out its intermediate — unless the issuer
  // is a private CA that most likely issued the leaf itself (then it is the CA to import; see lone-leaf).
  if (chain.length === 1 && classifyLoneLeafIssuer(issuer) === 'intermediate')
    return verdict({ gap: 'intermediate', anchor, source, rootProven: false, via: 'issuer-of-top' });
  return verdict({
    gap: 'root',
    anchor,
    source,
    rootProven: Boolean(input?.selfSigned),
    via: 'issuer-of-top',
  });
}

/** Product names of TLS-inspecting proxies and endpoint agents, as they appear in their CA names. */
export const INTERCEPTOR_NAMES =
  /zscaler|fortinet|fortigate|palo ?alto|blue ?coat|symantec web|forcepoint|websense|netskope|sophos|cisco umbrella|umbrella|digital guardian|mcafee web gateway|skyhigh|check ?point|barracuda|untangle|kaspersky|eset ssl|avast|bitdefender|trend ?micro|iboss|cato networks|menlo|squid|mitmproxy|burp|charles proxy|fiddler|ssl inspection|tls inspection|ssl decrypt|deep inspection|inspection ca|proxy ca|forward[ -]?trust/i;

/**
 * Texts one of which every match of INTERCEPTOR_NAMES holds, on the lower-cased name (lower case only
 * adds matches of a text): a name without them (nearly every CA's) is ruled out without compiling the
 * regex (~400 characters, case ignored: some 2M instructions, what a whole short run spends on dozens).
 */
export const INTERCEPTOR_TEXTS: readonly string[] = [
  'zscaler',
  'forti',
  'palo',
  'coat',
  'symantec web',
  'forcepoint',
  'websense',
  'netskope',
  'sophos',
  'umbrella',
  'digital guardian',
  'mcafee web gateway',
  'skyhigh',
  'check',
  'barracuda',
  'untangle',
  'kaspersky',
  'eset ssl',
  'avast',
  'bitdefender',
  'trend',
  'iboss',
  'cato networks',
  'menlo',
  'squid',
  'mitmproxy',
  'burp',
  'charles proxy',
  'fiddler',
  'inspection',
  'ssl decrypt',
  'proxy ca',
  'forward',
];

/** Whether the lower-cased `low` holds one of INTERCEPTOR_TEXTS. */
export function mayNameInterceptor(low: string): boolean {
  return holdsAny(low, INTERCEPTOR_TEXTS);
}

/** A process's first CA names try INTERCEPTOR_TEXTS before INTERCEPTOR_NAMES (texts-first.ts). */
const mayBeInterceptor = textsFirst(INTERCEPTOR_TEXTS, () => true);

/** The interceptor product a CA name hints at, if any. */
export function interceptorHint(dns: readonly (string | undefined)[]): string | undefined {
  for (const dn of dns) {
    if (!dn || !mayBeInterceptor(dn)) continue;
    const m = INTERCEPTOR_NAMES.exec(dn);
    if (m) return m[0];
  }
  return undefined;
}

/**
 * The distinguished names an errorstack quotes ("Unable to get issuer certificate (CN=…,O=…)", "issuer
 * certificate not found: CN=…"): the CA the verification looked for, also when the trace printed no chain.
 */
export function errorstackDns(ev: { errorstack?: readonly { text?: string }[] }): string[] {
  const out: string[] = [];
  for (const { text } of ev.errorstack ?? []) {
    if (!text) continue;
    // In parentheses, or after a colon up to the end or the next ` | ` of a joined errorstack.
    for (const m of text.matchAll(
      /\(((?:CN|OU|O|C|L|ST)=[^()]{1,400})\)|: ((?:CN|OU|O)=[^()|]{1,400}?)\s*(?:\||$)/g,
    ))
      out.push((m[1] ?? m[2])!);
  }
  return out;
}

/** Internal name suffixes: a private CA there is expected, not a sign of interception. */
const INTERNAL_SUFFIX =
  /\.(local|localdomain|lan|corp|internal|intranet|intra|home|private|test|example|invalid|localhost)$/i;

/** A host name that is reached on the public internet (a dotted name with a letter TLD, not an IP, not internal). */
export function looksPublicHost(host: string | undefined): boolean {
  if (!host || host.includes('<') || host.includes(' ')) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':')) return false;
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(host)) return false;
  if (INTERNAL_SUFFIX.test(host)) return false;
  return /\.[A-Za-z]{2,24}$/.test(host);
}

/** Does a certificate name (CN or SAN given as DN CN) cover `host`? Wildcards cover one label. */
export function nameCoversHost(subject: string, host: string): boolean {
  const cn = dnValue(subject, 'CN')?.toLowerCase();
  const h = host.toLowerCase();
  if (!cn) return false;
  if (cn === h) return true;
  if (cn.startsWith('*.')) {
    const rest = cn.slice(2);
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === rest;
  }
  return false;
}

/** Phrases CCL and SAP print when the peer chain could not be verified. */
const TRUST_PHRASES =
  /peer not trusted|is not trusted|is untrusted|\(missing trust\?\)|missing certificate of|certificate \(chain\) validation failed/;

/**
 * Is this failure a trust failure of the peer's chain? SSSLERR_PEER_CERT_UNTRUSTED (-102), ICM 421, the
 * CCL phrases, or a chain dump whose verification failed without any other code.
 */
export function isTrustFailure(
  ev: SslFailureEvent,
  code: string | undefined,
  icm: number | undefined,
): boolean {
  if (code === 'PEER_CERT_UNTRUSTED' || icm === 421) return true;
  if (code && code !== 'SSL_CONNECT' && code !== 'SSL_ACCEPT') return false;
  const text = [ev.errorText, ...(ev.details ?? []), ...(ev.errorstack ?? []).map((e) => e.text ?? '')]
    .join('\n')
    .toLowerCase();
  if (TRUST_PHRASES.test(text)) return true;
  return (ev.certificates ?? []).some((c) =>
    Object.entries(c.verification ?? {}).some(([k, v]) => /status/i.test(k) && /not successful/i.test(v)),
  );
}
