/** @module Plain words for the Report's fixed vocabularies (cause, source, kind, position, format), for every view. */
import type { Cause, Confidence, Severity } from '../model/cause.js';
import type { ImportPlan, ReportCertificate } from '../model/report.js';

/** What each cause tag means, in a few words. */
export const CAUSE_WORDS: Record<Cause, string> = {
  'untrusted-root': 'root CA not trusted',
  'missing-intermediate': 'intermediate CA missing',
  'own-cert-rejected': 'our certificate rejected',
  'client-cert-missing': 'client certificate missing',
  'client-cert-rejected': 'client certificate rejected',
  'hostname-mismatch': 'host name mismatch',
  'wrong-host': 'wrong host answers',
  'expired-peer-cert': "peer's certificate expired",
  'expired-own-cert': 'own certificate expired',
  'weak-signature': 'weak signature or key',
  'sni-missing': 'SNI not sent',
  'tls-version': 'no common TLS version',
  'cipher-mismatch': 'no common cipher',
  'not-ssl-port': 'not a TLS port',
  proxy: 'proxy refuses',
  interception: 'TLS interception',
  network: 'network problem',
  'pse-missing': 'PSE missing',
  'pse-credential': 'PSE cannot be opened',
  'lib-not-found': 'crypto library missing',
  'snc-name': 'SNC name mismatch',
  'snc-credentials': 'no SNC credentials',
  unknown: 'cause not known yet',
};

export const CONFIDENCE_WORDS: Record<Confidence, string> = {
  certain: 'certain',
  likely: 'likely',
  possible: 'possible',
};

export const SEVERITY_WORDS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/** Where the certificate to import comes from. */
export const SOURCE_WORDS: Record<ImportPlan['source'], string> = {
  'bundled-roots': 'Mozilla root store shipped with Node.js (byte-identical copy)',
  'peer-chain': 'the chain the server sent (from the trace)',
  aia: "fetched from the issuer's URL (AIA)",
  input: 'a certificate file you gave',
  'not-found': 'not at hand: see how to obtain it',
};

/** What kind of certificate to import. */
export const IMPORT_KIND_WORDS: Record<ImportPlan['kind'], string> = {
  root: 'root CA',
  intermediate: 'intermediate CA',
  'self-signed-peer': "the peer's self-signed certificate",
};

/** A certificate's place in a chain or list. */
export const POSITION_WORDS: Record<ReportCertificate['position'], string> = {
  leaf: 'server / leaf',
  intermediate: 'intermediate CA',
  root: 'root CA',
  trusted: 'in the trust list',
  own: 'own certificate',
  unknown: 'position unknown',
};

const FORMAT_WORDS: Record<string, string> = {
  'icm-trace': 'ICM / work process trace',
  'abap-message': 'SAP error message',
  'cpic-trace': 'CPIC trace',
  sectrace: 'security trace',
  'java-log': 'Java log',
  'client-message': 'client error message',
  'sapgenpse-listing': 'sapgenpse listing',
  pem: 'certificate (PEM)',
  der: 'certificate (DER)',
  pkcs7: 'certificate bundle (PKCS#7)',
  pkcs12: 'PKCS#12 container',
  pse: 'PSE file',
  jwk: 'JSON web key',
  probe: 'live probe',
  unknown: 'not read',
};

/** An input format in words (`icm-trace` → `ICM / work process trace`); unknown formats as they are. */
export function formatWords(format: string): string {
  return FORMAT_WORDS[format] ?? format.replace(/-/g, ' ');
}

/** Why a PSE could not be opened (`pse-problem` events), in words. */
export const PSE_PROBLEM_WORDS: Record<string, string> = {
  'pin-required': 'It is protected by a PIN: type the PIN and open it again.',
  'wrong-pin': 'The PIN does not open it (the PIN check value does not match).',
  lps: 'It is protected by LPS, which ties it to the host that created it: no PIN opens it elsewhere.',
  'cred-v2': 'This is cred_v2, the SSO credential file, not a PSE.',
  corrupt: 'The file is damaged or cut; copy it again in binary mode.',
  'not-a-pse': 'The file is not a PSE.',
  unsupported: 'pse-doctor cannot read this PSE layout or encryption.',
};

/**
 * A finding's `pse.node` in words: a STRUST node (`STRUST "SSL client Standard"`), or, for the key and
 * trust stores of software outside the ABAP system that some findings name in the same field (the
 * Cloud Connector's UI keystore, a JVM's cacerts), that store as it is called there.
 */
export function pseNodeWords(node: string, quotes: readonly [string, string] = ['"', '"']): string {
  return /key ?store|trust ?store|cacerts|certificate store|\.(?:jks|p12|pfx|ks)\b/i.test(node)
    ? node
    : `STRUST ${quotes[0]}${node}${quotes[1]}`;
}
