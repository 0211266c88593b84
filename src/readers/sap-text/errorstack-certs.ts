/**
 * @module Certificates named inside an errorstack without a chain dump: the old SECUDE SAPCRYPTOLIB
 * prints the certificate a verification step failed on after the message (`… chain failed : CN=…`) and
 * labelled `Subject:` / `Issuer:` lines. They are read into trace certificates, leaf first.
 */
import type { TraceCertificate } from '../../model/evidence.js';
import { sameDn } from '../../pki/dn.js';

/** Most certificates kept from one errorstack (a chain is a handful; this caps hostile input). */
const MAX_CERTS = 8;
/** Longest DN taken from a line. */
const MAX_DN = 2000;

/** `Subject: <DN>` / `Issuer Name : <DN>` (spacing, case and the Name/DN suffix vary). */
const LABELLED = /^\s*(subject|issuer)(?:[ _]?(?:name|dn))?\s{0,8}:\s{0,200}(\S.{0,3000})$/i;

/**
 * The first attribute of a DN as SAP and its libraries print them (`CN=`, `OU=`, `OID.2.5.4.5=`…). A
 * DN must start with one of these: `rc=5` or `len=0` after a colon are not certificate names.
 */
const DN_KEY =
  '(?:CN|OU|O|C|L|SP|ST|S|E|EMAIL|EMAILADDRESS|DC|SN|SERIALNUMBER|UID|T|TITLE|G|GN|STREET|POSTALCODE|(?:OID\\.)?\\d{1,9}(?:\\.\\d{1,9}){1,20})\\s?=\\s?[^\\s,=]';
const DN_START = new RegExp(`^${DN_KEY}`, 'i');
/** A DN right after a colon: a few blanks and at most one quote or bracket before it. */
const DN_AT = new RegExp(`[ \\t]{0,200}["<]?${DN_KEY}`, 'iy');

/** Words a line must hold for a trailing DN to be the certificate it is about. */
const ABOUT_CERTIFICATE = /certificate|verif|issuer|chain|trust|signer/i;

/** Collects the certificates an errorstack names, in the order it names them. */
export class ErrorstackCerts {
  private readonly found: TraceCertificate[] = [];
  private current: TraceCertificate | undefined;
  /** Lines that named a certificate, for the event's key lines. */
  readonly keyLines: number[] = [];

  /** Read one errorstack text line; true when it named a certificate. */
  feed(text: string, no: number): boolean {
    const labelled = LABELLED.exec(text);
    if (labelled) {
      const dn = cleanDn(labelled[2]!);
      if (!dn) return false;
      if (labelled[1]!.toLowerCase() === 'subject') this.noteSubject(dn, no);
      else this.noteIssuer(dn, no);
      this.keyLines.push(no);
      return true;
    }
    if (!ABOUT_CERTIFICATE.test(text)) return false;
    const dn = trailingDn(text);
    if (!dn) return false;
    this.noteSubject(dn, no);
    this.keyLines.push(no);
    return true;
  }

  /**
   * The certificates, leaf first: the one no other names as its issuer starts the chain, each next one
   * is the issuer of the one before; certificates the names do not link follow in the order printed.
   */
  certificates(): TraceCertificate[] {
    const certs = this.found.filter((c) => c.subject !== '' || c.issuer !== undefined);
    if (certs.length === 0) return [];
    const isIssuerOfAnother = (c: TraceCertificate) =>
      c.subject !== '' && certs.some((o) => o !== c && o.issuer !== undefined && sameDn(o.issuer, c.subject));
    const ordered: TraceCertificate[] = [];
    const used = new Set<TraceCertificate>();
    let next: TraceCertificate | undefined = certs.find((c) => !isIssuerOfAnother(c)) ?? certs[0];
    while (next && !used.has(next)) {
      used.add(next);
      ordered.push(next);
      const issuer: string | undefined = next.issuer;
      next = issuer === undefined ? undefined : certs.find((c) => !used.has(c) && sameDn(c.subject, issuer));
    }
    for (const c of certs) if (!used.has(c)) ordered.push(c);
    return ordered.map((c, depth) => ({ ...c, depth }));
  }

  private noteSubject(dn: string, no: number): void {
    const known = this.found.find((c) => c.subject !== '' && sameDn(c.subject, dn));
    if (known) {
      this.current = known;
      return;
    }
    // An `Issuer:` printed before its `Subject:` left a placeholder for this certificate.
    if (this.current && this.current.subject === '') {
      this.current.subject = dn;
      this.current.line = no;
      return;
    }
    this.add({ depth: 0, subject: dn, line: no });
  }

  private noteIssuer(dn: string, no: number): void {
    const cur = this.current;
    if (cur && (cur.issuer === undefined || sameDn(cur.issuer, dn))) {
      cur.issuer = dn;
      return;
    }
    this.add({ depth: 0, subject: '', issuer: dn, line: no });
  }

  private add(cert: TraceCertificate): void {
    if (this.found.length >= MAX_CERTS) return;
    this.found.push(cert);
    this.current = cert;
  }
}

/** The DN a value holds (quotes or angle brackets around it removed), or undefined when it is none. */
function cleanDn(raw: string): string | undefined {
  let v = raw.trim();
  if (v.length >= 2 && ((v[0] === '"' && v.endsWith('"')) || (v[0] === '<' && v.endsWith('>'))))
    v = v.slice(1, -1).trim();
  if (v.length === 0 || v.length > MAX_DN || !DN_START.test(v)) return undefined;
  return v;
}

/**
 * The DN after the first `:` whose remainder of the line is a DN (`… chain failed : CN=x, O=y`). Only
 * colons near the end can start one (a DN is at most MAX_DN long), and each is tried with an anchored,
 * bounded test, so the cost stays linear in the line.
 */
function trailingDn(text: string): string | undefined {
  const from = Math.max(0, text.length - MAX_DN - 210);
  for (let i = text.indexOf(':', from); i >= 0; i = text.indexOf(':', i + 1)) {
    DN_AT.lastIndex = i + 1;
    if (!DN_AT.test(text)) continue;
    const dn = cleanDn(text.slice(i + 1));
    if (dn) return dn;
  }
  return undefined;
}
