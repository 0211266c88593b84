/**
 * @module CommonCryptoLib certificate-chain dumps (`Certificate:` / `Verification result:` / `SignerCert:`
 * nesting; each SignerCert is the issuer of the certificate above it) and PEM blocks of trace level 3.
 */
import { X509Certificate } from 'node:crypto';
import type { TraceCertificate } from '../../model/evidence.js';
import { compileNow } from '../text/compile-now.js';

const CERT = /^\s*Certificate:\s*$/;
const SIGNER_CERT = /^\s*SignerCert:\s*$/;
/** A heading inside a dump before the issuers' certificates (`Chain:`): their fields follow as a flat list. */
const CHAIN_HEADING = /^\s*(?:Chain|Certificate chain|Issuer certificates?|CA certificates?)\s*:\s*$/i;
const VERIFY = /^\s*Verification result:\s*$/;
const SIGNER_VERIFY = /^\s*SignerVerificationResult:\s*$/;
const FIELD =
  /^\s*(?:(?:\[\d{1,2}\]|#\d{1,2})\s{0,4})?(Subject(?:Name)?|Issuer(?:Name)?|Serial ?Number|Serial ?No|Not ?Before|Not ?After|Valid from|Valid to|Valid until|Validity|Valid)\s*:\s*(.*)$/i;
/**
 * A chain listed inside a failure block without an errorstack (`peer certificate chain (1 certificate):`,
 * `Server's certificate chain as received (2 certificates):`, `Server certificate:`), its certificates as
 * `[0] Subject: …` lines.
 */
const CHAIN_LISTING =
  /\bcertificate chain\b[^:]{0,80}:\s*$|^\s*(?:Server|Peer)(?:'s)? certificate\s*:\s*$|\bCertificate message received, \d{1,2} certificate/i;
/** A validity printed as one field: `2026-02-18 00:00:00 UTC - 2027-02-17 23:59:59 UTC` (or `… to …`). */
const VALIDITY_RANGE = /^(\S.{5,60}?)\s+(?:-|\.\.|to|until|bis)\s+(\S.{5,60})$/;
const VERIFY_FIELD = /^\s*([A-Za-z][A-Za-z0-9]{0,40}(?: [A-Za-z0-9]{1,20}){0,3})\s*:\s*(\S.*)$/;

/** Most certificates a dump may hold (a chain is a handful; this caps hostile input). */
const MAX_CERTS = 16;

/** True when the line opens a certificate dump. */
export function isDumpStart(text: string): boolean {
  return CERT.test(text);
}

/** True when the line opens a chain listing (CHAIN_LISTING), read as a dump of a flat list, leaf first. */
export function isChainListingStart(text: string): boolean {
  return (text.includes('hain') || text.includes('ertificate')) && CHAIN_LISTING.test(text);
}

/** The peer certificate's fields printed after an errorstack without a heading (`SubjectName: "CN=…"`). */
const BARE_SUBJECT = /^\s*SubjectName\s*:\s*\S/;

/** True when the line starts such a list: it is read as a dump whose first field is this line. */
export function isBareCertificateStart(text: string): boolean {
  return text.includes('SubjectName') && BARE_SUBJECT.test(text);
}

/** Reads one chain dump line by line. */
export class CertDump {
  readonly certs: TraceCertificate[] = [];
  /** Lines of the dump that name certificates (Subject/Issuer/Serial), for highlighting. */
  readonly keyLines: number[] = [];
  private depth = 0;
  private mode: 'cert' | 'verify' = 'cert';
  private verifyTarget = 0;

  /** Feed a line; false when it is not part of the dump (the dump has ended). */
  feed(text: string, no: number): boolean {
    if (CERT.test(text)) {
      this.mode = 'cert';
      return true;
    }
    if (SIGNER_CERT.test(text)) {
      this.depth = Math.min(this.depth + 1, MAX_CERTS - 1);
      this.mode = 'cert';
      return true;
    }
    if (CHAIN_HEADING.test(text)) {
      this.mode = 'cert';
      return true;
    }
    if (VERIFY.test(text)) {
      this.mode = 'verify';
      this.verifyTarget = this.depth;
      return true;
    }
    if (SIGNER_VERIFY.test(text)) {
      this.mode = 'verify';
      this.verifyTarget = Math.min(this.depth + 1, MAX_CERTS - 1);
      return true;
    }
    if (this.mode === 'cert') {
      const f = compileNow(FIELD).exec(text);
      if (!f) return false;
      const value = f[2]!.trim();
      // `SubjectName: "CN=…"`: the quotes are the trace's, not the name's.
      const unquoted =
        value.length > 1 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
      this.setField(f[1]!.toLowerCase().replace(/\s+/g, ''), unquoted, no);
      return true;
    }
    const v = VERIFY_FIELD.exec(text);
    if (!v) return false;
    // The signer's verification is printed before the signer itself: hold it in a placeholder.
    const cert = this.certAt(this.verifyTarget) ?? this.create(no, this.verifyTarget);
    if (cert) {
      cert.verification ??= {};
      if (Object.keys(cert.verification).length < 32) cert.verification[v[1]!] = v[2]!.trim();
    }
    return true;
  }

  /** True when some certificate's verification says it failed. */
  hasFailure(): boolean {
    return this.certs.some((c) =>
      Object.values(c.verification ?? {}).some((s) => /not successful|failed|invalid/i.test(s)),
    );
  }

  private setField(key: string, value: string, no: number): void {
    if (key === 'subject' || key === 'subjectname') {
      let cert = this.certAt(this.depth);
      if (cert?.subject) {
        // A second subject at the same depth: a flat list, leaf first.
        if (this.certs.length >= MAX_CERTS) return;
        this.depth = Math.min(Math.max(...this.certs.map((c) => c.depth)) + 1, MAX_CERTS - 1);
        cert = undefined;
      }
      if (!cert) {
        cert = { depth: this.depth, subject: value, line: no };
        this.certs.push(cert);
        this.certs.sort((a, b) => a.depth - b.depth);
      } else {
        cert.subject = value;
        cert.line = no;
      }
      this.keyLines.push(no);
      return;
    }
    const cert = this.certAt(this.depth) ?? this.create(no);
    if (!cert) return;
    this.keyLines.push(no);
    if (key === 'issuer' || key === 'issuername') cert.issuer = value;
    else if (key === 'serialnumber' || key === 'serialno') cert.serial = value;
    else if (key === 'notbefore' || key === 'validfrom') cert.notBefore = value;
    else if (key === 'validity' || key === 'valid') {
      const range = VALIDITY_RANGE.exec(value);
      if (range) {
        cert.notBefore = range[1]!.trim();
        cert.notAfter = range[2]!.trim();
      }
    } else cert.notAfter = value;
  }

  private create(no: number, depth = this.depth): TraceCertificate | undefined {
    if (this.certs.length >= MAX_CERTS) return undefined;
    const cert: TraceCertificate = { depth, subject: '', line: no };
    this.certs.push(cert);
    this.certs.sort((a, b) => a.depth - b.depth);
    return cert;
  }

  private certAt(depth: number): TraceCertificate | undefined {
    return this.certs.find((c) => c.depth === depth);
  }
}

/**
 * Read a PEM certificate printed by the trace into the trace-certificate shape (subject in SAP order,
 * most specific first, state as `SP=`; serial as colon-separated hex). Undefined when it does not parse.
 */
export function readPemCertificate(pem: string): Omit<TraceCertificate, 'depth'> | undefined {
  try {
    const x = new X509Certificate(pem);
    return {
      subject: toSapDn(x.subject),
      issuer: toSapDn(x.issuer),
      serial: formatSerial(x.serialNumber),
      notBefore: new Date(x.validFrom).toISOString(),
      notAfter: new Date(x.validTo).toISOString(),
      pem,
    };
  } catch {
    return undefined;
  }
}

function toSapDn(nodeDn: string): string {
  return nodeDn
    .split('\n')
    .filter((p) => p.length > 0)
    .reverse()
    .map((p) => (p.startsWith('ST=') ? `SP=${p.slice(3)}` : p))
    .join(', ');
}

function formatSerial(hex: string): string {
  const h = hex.length % 2 === 1 ? `0${hex}` : hex;
  return (h.toUpperCase().match(/../g) ?? []).join(':');
}
