/**
 * @module What a chain printed by a client tool (openssl s_client, a Java debug dump) says about trust:
 * the CA to import is the top certificate when it is self-signed, else the issuer of the top one, looked
 * up by issuer DN and authority key identifier in the bundled Mozilla store even when the dump was cut;
 * an inspecting proxy's name in the chain means interception; one certificate whose issuer is an
 * intermediate means the server omits it. Also: services on the public internet whose chains are
 * always public, so an untrusted chain for them was replaced on the way.
 */
import type { CertificateInfo } from '../model/certificate.js';
import type { PrintedCertificate } from '../model/evidence.js';
import { sameDn } from '../pki/dn.js';
import { classifyLoneLeafIssuer } from '../pki/lone-leaf.js';
import { findRoot } from '../pki/root-store.js';
import { interceptorHint } from './peer-chain.js';

/** The verdict on a printed chain. */
export interface PrintedChainVerdict {
  /** DN of the CA to trust: the top certificate when it is self-signed, else the issuer of the top one. */
  rootDn: string;
  /** The bundled public root (Mozilla store) that DN and key id name, when there is one. */
  publicRoot?: CertificateInfo;
  /** The root itself is printed in the chain (self-signed top). */
  rootInChain: boolean;
  /** An inspecting proxy or security product named by a CA of the chain. */
  interceptor?: string;
  /** One certificate whose issuer is an intermediate CA: the server omits its intermediate. */
  leafOnly: boolean;
}

/** Judge a printed chain (leaf first); undefined when it names no issuer at all. */
export function judgePrintedChain(chain: readonly PrintedCertificate[]): PrintedChainVerdict | undefined {
  const top = chain[chain.length - 1];
  if (!top) return undefined;
  const selfSigned = Boolean(top.subject && top.issuer && sameDn(top.subject, top.issuer));
  const rootDn = selfSigned ? top.subject! : top.issuer;
  if (!rootDn) return undefined;
  let publicRoot: CertificateInfo | undefined;
  try {
    publicRoot =
      (top.authorityKeyId && !selfSigned ? findRoot({ dn: rootDn, keyId: top.authorityKeyId }) : undefined) ??
      findRoot({ dn: rootDn }) ??
      (top.authorityKeyId && !selfSigned ? findRoot({ keyId: top.authorityKeyId }) : undefined);
  } catch {
    publicRoot = undefined;
  }
  const interceptor = interceptorHint(chain.flatMap((c) => [c.issuer, c.subject]));
  const leafOnly =
    chain.length === 1 && !selfSigned && !publicRoot && classifyLoneLeafIssuer(rootDn) === 'intermediate';
  return {
    rootDn: publicRoot?.subject ?? rootDn,
    ...(publicRoot ? { publicRoot } : {}),
    rootInChain: selfSigned,
    ...(interceptor ? { interceptor } : {}),
    leafOnly,
  };
}

/**
 * Services on the public internet that SAP landscapes and developer tools call (package registries,
 * SAP and hyperscaler APIs): their chains lead to public roots, so a client that cannot verify them sees
 * a certificate an inspecting proxy put in (or uses a trust store without the public roots).
 */
const PUBLIC_SERVICE =
  /(?:^|\.)(?:registry\.npmjs\.org|npmjs\.com|registry\.yarnpkg\.com|pypi\.org|pythonhosted\.org|github\.com|githubusercontent\.com|maven\.org|maven\.apache\.org|gradle\.org|nodejs\.org|golang\.org|docker\.io|docker\.com|api\.sap\.com|sap\.com|cloud\.sap|ondemand\.com|hana\.ondemand\.com|microsoftonline\.com|microsoft\.com|azure\.com|windows\.net|googleapis\.com|google\.com|amazonaws\.com|cloudflare\.com|debian\.org|ubuntu\.com|alpinelinux\.org)$/i;

/** SAP's own cloud (S/4HANA Cloud, BTP, SAP APIs): a client calling such a host calls an SAP system. */
const SAP_HOSTED = /(?:^|\.)(?:sap\.com|cloud\.sap|ondemand\.com|sapanalytics\.cloud)$/i;

/** Is `host` a host of SAP's own cloud (an SAP system, though a public service)? */
export function isSapHosted(host: string | undefined): boolean {
  return host !== undefined && SAP_HOSTED.test(host.toLowerCase().replace(/\.$/, ''));
}

/** Is `host` a well-known public service (its certificate chain is always a public one)? */
export function isPublicService(host: string | undefined): boolean {
  return host !== undefined && PUBLIC_SERVICE.test(host.toLowerCase().replace(/\.$/, ''));
}

/**
 * Whether the chain printed for a well-known public service (its real chain always ends in a public root)
 * ends in a CA that is not public: the certificate was replaced on the way, by an inspecting proxy whose
 * product the chain does not name. The service is the host called or, when the paste does not show it,
 * the name the leaf itself is for. A lone leaf under an unknown issuer proves nothing of the sort.
 */
export function replacedOnTheWay(
  verdict: PrintedChainVerdict | undefined,
  host: string | undefined,
  chain?: readonly PrintedCertificate[],
): boolean {
  if (!verdict || verdict.publicRoot || verdict.leafOnly) return false;
  const leafName = /(?:^|,\s?)CN\s?=\s?(?:\*\.)?([^,]{1,253})/i.exec(chain?.[0]?.subject ?? '')?.[1]?.trim();
  return isPublicService(host ?? leafName);
}
