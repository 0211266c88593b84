/** @module The one certificate model every reader maps to (x509 files, PSE files, sapgenpse listings, traces). */

/**
 * A certificate as pse-doctor knows it. Fields are optional because some sources (a trace dump, a
 * sapgenpse listing) print only part of a certificate; a parsed DER certificate fills all of them.
 * DNs are kept in SAP order (most specific first, `SP=` for state) as printed; use `pki/dn` to compare.
 */
export interface CertificateInfo {
  subject: string;
  issuer?: string;
  /** Colon-separated upper-case hex, as SAP prints it (`05:1C:…`). */
  serial?: string;
  /** ISO 8601 UTC. */
  notBefore?: string;
  notAfter?: string;
  /** Lower-case hex SHA-256 of the DER, no separators. */
  sha256?: string;
  sha1?: string;
  /** e.g. `RSA 2048`, `EC P-256`. */
  key?: { algorithm: string; size?: number; curve?: string };
  /** e.g. `sha256WithRSAEncryption`. */
  signatureAlgorithm?: string;
  isCA?: boolean;
  selfSigned?: boolean;
  subjectKeyId?: string;
  authorityKeyId?: string;
  /** DNS names and IP addresses from subjectAltName. */
  subjectAltNames?: string[];
  /** caIssuers URLs from the AIA extension. */
  aiaIssuers?: string[];
  /**
   * Extended key usage purposes (`serverAuth`, `clientAuth`, … or the dotted OID when unnamed); absent
   * when the certificate has no EKU extension (then it may be used for any purpose).
   */
  extendedKeyUsage?: string[];
  /** PEM text, when the full certificate is known. Public data only, never a key. */
  pem?: string;
}

/** Where a certificate sits in the evidence. */
export type CertificatePosition = 'leaf' | 'intermediate' | 'root' | 'trusted' | 'own' | 'chain' | 'unknown';

/** A trust list: the certificates one PSE / store trusts. */
export interface TrustList {
  /** The PSE file or store path/name as the evidence gives it. */
  file?: string;
  basename?: string;
  /** STRUST node, e.g. `SSL client Standard`. */
  node?: string;
  context?: string;
  application?: string;
  /** What kind of store: SAP PSE, JVM cacerts, OS store, plain list of files. */
  storeKind: 'sap-pse' | 'java' | 'os' | 'file-list';
  certificates: CertificateInfo[];
  /** The PSE's own certificate, when known. */
  own?: CertificateInfo;
  /** The own certificate's chain (FCPath), when known. */
  ownChain?: CertificateInfo[];
  /** Entries the store lists more than once (same SHA-256); `certificates` holds each only once. */
  duplicates?: { sha256: string; subject: string; count: number }[];
  /** `landscape`: the system (SID) and instance folder the PSE was collected from. */
  landscape?: { system: string; instance: string };
  /** `landscape --baseline`: this list is a baseline (roots that must be trusted), named as given. */
  baseline?: string;
  /**
   * `landscape --baseline-scope`: which PSEs the baseline concerns — `client` (every SSL client PSE and
   * the PSEs the targets name; the default), `server` (SSL server PSEs), `all`, and PSE file names
   * (upper case, `SAPSSLS.PSE`).
   */
  baselineScope?: string[];
}
