/**
 * @module A peer sent only its own certificate and its issuer is no public root: is that issuer an
 * intermediate the server left out, or a private CA that issued the certificate directly?
 *
 * Public CAs never issue server certificates from a root, so an issuer run by a public CA operator (its
 * O= is that of a bundled root) is an intermediate; so is a CA that calls itself one (Intermediate,
 * Issuing, Sub-CA). Any other private CA — SAP's own "SAP CA", a CA run in STRUST or on SAProuter, a
 * one-tier corporate PKI — most often issued the certificate itself, and SAP's guides treat it as the CA
 * to import. Either way SAP trusts any CA in the PSE's list as an anchor, so importing that issuer fixes
 * the call; the guess only decides which cause is named first.
 */
import { dnValue } from './dn.js';
import { isPublicCaOrganization } from './root-store.js';

/**
 * CA names that say "intermediate": also a TLS or SSL CA with words between (`GeoTrust TLS RSA CA G1`,
 * `DigiCert TLS RSA SHA256 2020 CA1`). Bounded alternatives and repetitions, no nesting.
 */
const INTERMEDIATE_NAME =
  /\b(?:intermediate|issuing|subordinate|sub[- ]?ca|ica|server ca|tls ca|ssl ca|dv ca|ov ca|ev ca)\b|\b(?:tls|ssl)\b[\w -]{0,40}?\bca\d{0,2}\b/i;

/** Public CA operators whose intermediates carry another O= than their roots (Let's Encrypt under ISRG). */
const PUBLIC_CA_BRANDS = /^(?:let'?s encrypt)$/i;

/** `intermediate` when the issuer of a lone leaf is most likely an intermediate, else `private-ca`. */
export function classifyLoneLeafIssuer(issuer: string): 'intermediate' | 'private-ca' {
  const cn = dnValue(issuer, 'CN') ?? '';
  if (INTERMEDIATE_NAME.test(cn)) return 'intermediate';
  const org = dnValue(issuer, 'O');
  if (org && (isPublicCaOrganization(org) || PUBLIC_CA_BRANDS.test(org.trim()))) return 'intermediate';
  return 'private-ca';
}

/** An intermediate of a public CA operator: its O= is a bundled root's, and its name or operator says intermediate. */
export function isPublicIntermediate(issuer: string): boolean {
  const org = dnValue(issuer, 'O');
  return (
    org !== undefined && isPublicCaOrganization(org) && classifyLoneLeafIssuer(issuer) === 'intermediate'
  );
}
