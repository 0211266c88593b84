/** @module What a PSE file holds once opened: container facts, object list and certificates (never keys). */
import type { CertificateInfo } from '../../model/certificate.js';
import type { PseProblemEvent } from '../../model/evidence.js';

/** Why a PSE could not be opened here (the `problem` of a PseProblemEvent). */
export type PseProblem = PseProblemEvent['problem'];

/** The role of an object inside the PSE, decided by its name (and, for keys, by its OID arc). */
export type PseObjectKind =
  /** Secret key material (SKnew, SKold, …): recognised and skipped, never decoded. */
  | 'private-key'
  /** The PSE's own certificate (`Cert`). */
  | 'own-certificate'
  /** The root the own certificate chains to (`PKRoot`), stored in SECUDE's split form. */
  | 'root'
  /** Trusted certificates (`CertList`, `PKList`, `CSet`, …): STRUST's certificate list. */
  | 'trusted-list'
  /** The own certificate's forward certification path (`FCPath`). */
  | 'chain'
  /** Anything else; certificates in it are kept apart and a warning names the object. */
  | 'other';

/** One object of the PSE's object set, described without its value. */
export interface PseObjectSummary {
  name: string;
  oid?: string;
  /** ISO time stamped on the object, when readable. */
  time?: string;
  kind: PseObjectKind;
  /** Certificates found in the object (0 for keys: they are never looked into). */
  certificates: number;
  /** False when pse-doctor does not know the object's name. */
  recognised: boolean;
}

/** A certificate found in a PSE object. `der` is public data; `info.pem` carries the same bytes as PEM. */
export interface PseCertificate {
  /** The certificate's bytes: shared by every PSE of a run that holds the same certificate; never modify. */
  readonly der: Buffer;
  info: CertificateInfo;
  /** Name of the object it came from. */
  object: string;
}

/** How the content is protected. */
export type PseProtection = 'none' | 'pin';

/** Everything pse-doctor reads from one PSE. Holds no private key and no PIN. */
export interface PseContents {
  /** Container version (2 or 4 in the files seen so far). */
  version: number;
  protection: PseProtection;
  /** PBE scheme of a PIN-protected PSE (also present, unused, in plain ones). */
  encryption?: { oid: string; name?: string; iterations: number };
  /** Creation time stamped in the content, when readable. */
  createdAt?: string;
  /** The own certificate (`Cert`). */
  own?: PseCertificate;
  /** FCPath certificates, then the PKRoot when it differs from `own`. Leaf excluded. */
  ownChain: PseCertificate[];
  /** The PKRoot, when present and re-assembled. */
  root?: PseCertificate;
  /** Trusted certificates: the certificate-list objects plus PKRoot, de-duplicated by SHA-256, in file order. */
  trusted: PseCertificate[];
  /**
   * How many certificate-list entries repeat a certificate already in a list (same SHA-256). PKRoot
   * appearing again in the certificate list is normal and not counted.
   */
  duplicateEntries: { sha256: string; subject: string; count: number }[];
  /** Certificates found in objects pse-doctor does not know. */
  otherCertificates: PseCertificate[];
  objects: PseObjectSummary[];
  /** True when a secret-key object is present (it is never decoded). */
  hasPrivateKey: boolean;
  /** What was not understood or looked odd; never fatal. */
  warnings: string[];
}
