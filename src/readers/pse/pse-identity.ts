/**
 * @module STRUST node of a PSE from its file name, and — when the name says nothing — from the DN of its
 * own certificate (the default DNs STRUST gives SSL client PSEs, facts §5.2).
 */

import type { CertificateInfo } from '../../model/certificate.js';
import { escapeControlChars } from '../../model/escape-controls.js';
import { dnValue, parseDn } from '../../pki/dn.js';
import { describePse, type PseDescription } from '../../pki/pse-nodes.js';

/** A PSE description plus what the node was derived from. */
export interface PseIdentity extends PseDescription {
  /** `file-name` when the name maps to a node, `own-certificate` when the own DN decided it. */
  nodeFrom?: 'file-name' | 'own-certificate';
}

/** `CN=<SID> SSL client <description>`: STRUST's default for SSL client identities (Standard and custom). */
const SSL_CLIENT_CN = /^([A-Z][A-Z0-9]{2}) SSL client (.{1,80})$/i;

/**
 * Node from the own certificate's subject: `CN=anonymous` → SSL client Anonymous; the STRUST default
 * `CN=<SID> SSL client SSL Client (Standard), OU=I<LIC>, OU=SAP Web AS, O=SAP Trust Community, C=DE`
 * → SSL client Standard; another `CN=<SID> SSL client <text>` → a custom SSL client identity.
 * Undefined when the DN is not one of these shapes.
 */
export function nodeFromOwnSubject(subject: string): Omit<PseDescription, 'file' | 'basename'> | undefined {
  const attributes = parseDn(subject).attributes;
  const cn = dnValue(attributes, 'CN')?.trim();
  if (!cn) return undefined;
  if (/^anonymous$/i.test(cn) && attributes.length === 1) {
    return {
      node: 'SSL client Anonymous',
      context: 'SSLC',
      application: 'ANONYM',
      purpose: 'ssl-client',
      role: 'client',
      assumed: true,
    };
  }
  const m = SSL_CLIENT_CN.exec(cn);
  if (!m?.[2]) return undefined;
  const rest = m[2].trim();
  if (/^SSL Client \(Standard\)$/i.test(rest)) {
    return {
      node: 'SSL client Standard',
      context: 'SSLC',
      application: 'DFAULT',
      purpose: 'ssl-client',
      role: 'client',
      assumed: true,
    };
  }
  return {
    node: `SSL client ${escapeControlChars(rest)}`,
    context: 'SSLC',
    purpose: 'ssl-client',
    role: 'client',
    assumed: true,
  };
}

/**
 * Describe a PSE file: the node from its name (facts §5.2 via `describePse`); when the name maps to no
 * node, the node the own certificate's DN points to (marked `assumed`).
 */
export function describePseFile(fileOrPath: string, own?: Pick<CertificateInfo, 'subject'>): PseIdentity {
  const byName: PseIdentity = describePse(fileOrPath);
  if (byName.node) return { ...byName, nodeFrom: 'file-name' };
  if (!own?.subject) return byName;
  const byDn = nodeFromOwnSubject(own.subject);
  if (!byDn) return byName;
  const { truncated: _cut, ...rest } = byName;
  return { ...rest, ...byDn, nodeFrom: 'own-certificate' };
}
