/**
 * @module Trace × trust lists: which list lacks which CA, and whether the PSE the call used is one of them.
 *
 * A trace shows the chain the peer sent (and often the PSE file); sapgenpse listings, PSE files and
 * PEM exports show what each PSE holds. Put together, "the root is probably missing" becomes either
 * a proven gap ("not in SAPSSLA.pse, which the call used") or a different story: the CA is in the
 * used list (ICM not notified, another application server, another system) or only in another PSE
 * (the destination uses ANONYM, not DFAULT). Pure functions; matching uses `buildChain`, so names,
 * key ids, serials and SHA-256 decide, never raw strings.
 */
import type { Role } from '../model/cause.js';
import type { CertificateInfo, TrustList } from '../model/certificate.js';
import type { TraceCertificate } from '../model/evidence.js';
import { describeDer } from './certificate-info.js';
import { buildChain, isSelfSigned, type LinkMatch, sameCertificate } from './chain.js';
import { dnValue, sameDn } from './dn.js';
import { classifyLoneLeafIssuer } from './lone-leaf.js';
import { describePse, pseBasename } from './pse-nodes.js';
import { findRoot } from './root-store.js';

/** The CA the chain needs from a trust list. */
export interface NeededCa {
  subject: string;
  kind: 'root' | 'intermediate' | 'self-signed-peer';
  /** The certificate itself, when known (from the chain, a bundled root, or a list that holds it). */
  cert?: CertificateInfo;
  source: 'peer-chain' | 'bundled-roots' | 'input' | 'not-found';
}

/** One trust list judged against the chain. */
export interface TrustListJudgement {
  list: TrustList;
  /** `SAPSSLA.pse (SSL client Anonymous)`, or the file name. */
  name: string;
  /** Did the failing call use this list? `undefined` when the evidence does not say. */
  used: boolean | undefined;
  /** The chain closes on a member of this list. */
  holds: boolean;
  /** The member that closed it, and how firmly it matched. */
  anchor?: CertificateInfo;
  matchedBy?: LinkMatch;
  /** Members with the needed CA's name that are a different certificate (other serial, key or fingerprint). */
  lookalikes: CertificateInfo[];
  /**
   * The list holds a certificate with the right name, matched by name only, while the chain shows a
   * certificate of that name with another serial or fingerprint: it may be a re-issued CA (same key:
   * trusted) or another CA (not trusted). Counted as not holding, but not proven either way.
   */
  uncertain?: boolean;
}

export type CrossCheckOutcome =
  /** The used list is known and lacks the CA. */
  | 'missing-from-used'
  /** The used list is known and holds the CA: the fix lies elsewhere. */
  | 'present-in-used'
  /** The used list is unknown and no given list holds the CA. */
  | 'missing-from-all'
  /** The used list is unknown; some lists hold the CA, others do not. */
  | 'only-in-some'
  /** The used list is unknown and every given list holds the CA. */
  | 'present-in-all';

export interface CrossCheck {
  outcome: CrossCheckOutcome;
  needed: NeededCa;
  used?: TrustListJudgement;
  /** Relevant lists that hold the CA / lack it (the used one included). */
  holders: TrustListJudgement[];
  lackers: TrustListJudgement[];
  /** Every relevant list, in the order given. */
  judgements: TrustListJudgement[];
}

export interface CrossCheckInput {
  /** The peer chain as the trace printed it, leaf first. */
  chain: readonly CertificateInfo[];
  /** PSE file the failing session used, as the trace prints it. */
  usedPse?: string;
  /** Role of the SAP side: only lists of that side (SSL client / SSL server PSEs) are judged. */
  role?: Role;
  lists: readonly TrustList[];
  /** A CA named by the error text (`missing certificate of <CN>`) when the trace shows no chain. */
  missingOf?: string;
}

/**
 * The trace's certificates as the shared model, leaf first. A PEM dump (trace level 3) gives the full
 * certificate; otherwise subject, issuer, serial and validity as printed.
 */
export function traceChainToCertificates(certs: readonly TraceCertificate[] | undefined): CertificateInfo[] {
  return [...(certs ?? [])]
    .sort((a, b) => a.depth - b.depth)
    .map((c) => {
      if (c.pem) {
        try {
          return describeDer(c.pem);
        } catch {
          // A damaged dump still has the printed fields.
        }
      }
      const info: CertificateInfo = { subject: c.subject };
      if (c.issuer) info.issuer = c.issuer;
      if (c.serial) info.serial = c.serial;
      if (c.notBefore) info.notBefore = c.notBefore;
      if (c.notAfter) info.notAfter = c.notAfter;
      return info;
    });
}

/** The words for a list: `SAPSSLA.pse (SSL client Anonymous)`, or its file / store name. */
export function trustListName(list: TrustList): string {
  const base = list.basename ?? (list.file ? pseBasename(list.file) : undefined);
  if (list.node && base) return `${base} (${list.node})`;
  return list.node ?? base ?? 'a trust list';
}

function listBasename(list: TrustList): string | undefined {
  const base = list.basename ?? (list.file ? pseBasename(list.file) : undefined);
  return base?.toLowerCase();
}

function relevant(list: TrustList, role: Role | undefined): boolean {
  if (!role || !list.context) return true;
  return role === 'client' ? list.context === 'SSLC' : list.context === 'SSLS';
}

function neededFrom(chain: readonly CertificateInfo[], missingOf: string | undefined): NeededCa | undefined {
  if (chain.length === 0) {
    if (!missingOf) return undefined;
    const subject = missingOf.includes('=') ? missingOf : `CN=${missingOf}`;
    const bundled = findRoot({ dn: subject });
    return bundled
      ? { subject: bundled.subject, kind: 'root', cert: bundled, source: 'bundled-roots' }
      : { subject, kind: 'root', source: 'not-found' };
  }
  const built = buildChain(chain, { anchors: [] });
  const top = built.path[built.path.length - 1]?.cert;
  if (!top) return undefined;
  if (built.end === 'untrusted-root' || isSelfSigned(top)) {
    const kind = built.path.length === 1 ? 'self-signed-peer' : 'root';
    const bundled = kind === 'root' && !top.pem ? findRoot({ dn: top.subject }) : undefined;
    if (bundled) return { subject: bundled.subject, kind, cert: bundled, source: 'bundled-roots' };
    return { subject: top.subject, kind, cert: top, source: top.pem ? 'peer-chain' : 'not-found' };
  }
  const issuer = built.missing?.subject ?? top.issuer;
  if (!issuer) return undefined;
  const bundled = findRoot({ dn: issuer, ...(top.authorityKeyId ? { keyId: top.authorityKeyId } : {}) });
  if (bundled) return { subject: bundled.subject, kind: 'root', cert: bundled, source: 'bundled-roots' };
  // A lone leaf whose issuer is no public root: the server left out its intermediate, unless the issuer
  // is a private CA that most likely issued the leaf itself (see lone-leaf).
  const kind =
    built.path.length === 1 && top.isCA !== true && classifyLoneLeafIssuer(issuer) === 'intermediate'
      ? 'intermediate'
      : 'root';
  return { subject: issuer, kind, source: 'not-found' };
}

function judge(
  list: TrustList,
  chain: readonly CertificateInfo[],
  needed: NeededCa,
  used: boolean | undefined,
): TrustListJudgement {
  const judgement: TrustListJudgement = {
    list,
    name: trustListName(list),
    used,
    holds: false,
    lookalikes: [],
  };
  if (chain.length > 0) {
    const built = buildChain(chain, { anchors: list.certificates });
    if (built.end === 'anchor') {
      const top = built.path[built.path.length - 1];
      judgement.holds = true;
      if (top) {
        judgement.anchor = top.cert;
        // A presented certificate found in the list is matched by holdsSameCa, not by an issuer link.
        judgement.matchedBy =
          top.matchedBy ?? (top.cert.sha256 ? 'signature' : top.cert.serial ? 'key-id' : 'name');
        const listed = list.certificates.find((c) => sameCertificate(c, top.cert));
        if (listed) judgement.anchor = listed;
        const anchor = judgement.anchor;
        const rival = chain.find(
          (c) => c !== anchor && sameDn(c.subject, anchor.subject) && provablyDifferent(c, anchor),
        );
        if (judgement.matchedBy === 'name' && rival) {
          judgement.holds = false;
          judgement.uncertain = true;
          delete judgement.anchor;
          delete judgement.matchedBy;
        }
      }
    }
  } else {
    // Only a CA name from the error text: compare by CN (the text gives nothing more).
    const cn = dnValue(needed.subject, 'CN')?.toLowerCase();
    const hit = list.certificates.find((c) =>
      cn ? dnValue(c.subject, 'CN')?.toLowerCase() === cn : sameDn(c.subject, needed.subject),
    );
    if (hit) {
      judgement.holds = true;
      judgement.anchor = hit;
      judgement.matchedBy = 'name';
    }
  }
  if (!judgement.holds) {
    judgement.lookalikes = list.certificates.filter((c) => sameDn(c.subject, needed.subject));
  }
  return judgement;
}

/** Both certificates carry a serial or fingerprint, and they differ. */
function provablyDifferent(a: CertificateInfo, b: CertificateInfo): boolean {
  if (a.sha256 && b.sha256) return a.sha256.toLowerCase() !== b.sha256.toLowerCase();
  if (a.serial && b.serial) return !sameCertificate(a, b);
  return false;
}

/**
 * Judge every relevant trust list against the chain of one failure. `undefined` when the evidence
 * shows neither a chain nor a named CA (nothing to compare), or no list is relevant to the role.
 */
export function crossCheckTrustLists(input: CrossCheckInput): CrossCheck | undefined {
  const needed = neededFrom(input.chain, input.missingOf);
  if (!needed) return undefined;
  const usedBase = input.usedPse ? pseBasename(input.usedPse).toLowerCase() : undefined;
  const usedNode = input.usedPse ? describePse(input.usedPse).node : undefined;
  const lists = input.lists.filter((l) => relevant(l, input.role));
  if (lists.length === 0) return undefined;

  const judgements = lists.map((list) => {
    let used: boolean | undefined;
    if (usedBase) {
      const base = listBasename(list);
      used = base === usedBase || (usedNode !== undefined && list.node === usedNode);
      // A plain file list with no PSE name cannot be told apart from the used PSE.
      if (!used && !base?.endsWith('.pse') && !list.node) used = undefined;
    }
    return judge(list, input.chain, needed, used);
  });

  const holders = judgements.filter((j) => j.holds);
  const lackers = judgements.filter((j) => !j.holds);
  // Prefer a list that holds the certificate as the source of its PEM.
  if (!needed.cert?.pem) {
    const pem = holders.map((h) => h.anchor).find((c) => c?.pem);
    if (pem) {
      needed.cert = pem;
      needed.source = 'input';
    }
  }
  const used = judgements.find((j) => j.used === true);
  let outcome: CrossCheckOutcome;
  if (used) outcome = used.holds ? 'present-in-used' : 'missing-from-used';
  else if (holders.length === 0) outcome = 'missing-from-all';
  else if (lackers.length === 0) outcome = 'present-in-all';
  else outcome = 'only-in-some';
  const result: CrossCheck = { outcome, needed, holders, lackers, judgements };
  if (used) result.used = used;
  return result;
}
