/**
 * @module Puts the certificates of one file in chain order: each leaf, then its issuer, then that one's
 * issuer; certificates that belong to no chain keep their file order after the chains.
 */
import type { CertificateInfo } from '../../model/certificate.js';
import { normalizeDn } from '../../pki/dn.js';

function keyId(id: string | undefined): string | undefined {
  return id ? id.replace(/[^0-9a-fA-F]/g, '').toLowerCase() : undefined;
}

/** True when `issuer` plausibly signed `cert`: names match and key ids do not contradict each other. */
function issues(
  issuer: CertificateInfo,
  issuerDn: string,
  cert: CertificateInfo,
  certIssuerDn: string,
): boolean {
  if (issuerDn !== certIssuerDn || issuer === cert) return false;
  const aki = keyId(cert.authorityKeyId);
  const ski = keyId(issuer.subjectKeyId);
  return !aki || !ski || aki === ski;
}

/**
 * Order certificates leaf first. A leaf is a certificate that signs none of the others; from each leaf
 * (in file order) the issuer links are followed until none is left. Loops and duplicates are cut.
 * Linear-ish: DNs are normalised once; links are looked up through a map by subject.
 */
export function orderLeafFirst(certs: readonly CertificateInfo[]): CertificateInfo[] {
  if (certs.length < 2) return [...certs];
  const subjectDn = certs.map((c) => safeNormalize(c.subject));
  const issuerDn = certs.map((c) => safeNormalize(c.issuer ?? ''));
  const bySubject = new Map<string, number[]>();
  subjectDn.forEach((dn, i) => {
    const list = bySubject.get(dn);
    if (list) list.push(i);
    else bySubject.set(dn, [i]);
  });
  const issuerOf = (i: number): number | undefined => {
    const cert = certs[i]!;
    if (cert.selfSigned) return undefined;
    return (bySubject.get(issuerDn[i]!) ?? []).find((j) =>
      issues(certs[j]!, subjectDn[j]!, cert, issuerDn[i]!),
    );
  };
  const parent = certs.map((_c, i) => issuerOf(i));
  const isIssuer = new Set(parent.filter((p): p is number => p !== undefined));
  const used = new Set<number>();
  const out: CertificateInfo[] = [];
  for (let i = 0; i < certs.length; i++) {
    if (isIssuer.has(i) || used.has(i)) continue;
    for (let j: number | undefined = i; j !== undefined && !used.has(j); j = parent[j]) {
      used.add(j);
      out.push(certs[j]!);
    }
  }
  for (let i = 0; i < certs.length; i++) if (!used.has(i)) out.push(certs[i]!);
  return out;
}

function safeNormalize(dn: string): string {
  try {
    return normalizeDn(dn);
  } catch {
    return dn;
  }
}

/** Where each certificate of a leaf-first list sits. */
export type ChainPosition = 'leaf' | 'intermediate' | 'root' | 'unknown';

/**
 * Positions of a leaf-first ordered list (from `orderLeafFirst`): self-signed CAs are roots, the first
 * non-CA is the leaf, other CAs are intermediates. A lone self-signed end-entity certificate is a leaf.
 */
export function chainPositions(ordered: readonly CertificateInfo[]): ChainPosition[] {
  return ordered.map((c, i) => {
    if (c.selfSigned && (c.isCA || i > 0)) return 'root';
    if (c.isCA) return 'intermediate';
    if (i === 0 || c.isCA === false) return 'leaf';
    return 'unknown';
  });
}
