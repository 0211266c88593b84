/**
 * @module Certificate chains client tools print around their errors, read line by line: `openssl
 * s_client` (`depth=N <dn>` lines and the `Certificate chain` block with ` N s:` / `   i:` lines, OpenSSL
 * 1.1 slash or 3.x comma DNs) and Java's `javax.net.debug` dumps (JDK 11+ `"issuer"` / `"subject"` with
 * the AuthorityKeyIdentifier bytes; JDK 8 `Subject:` / `Issuer:` after `chain [N] = [`). A cut or elided
 * dump still names its top certificate's issuer, which is enough to look the root up.
 */
import type { PrintedCertificate } from '../../model/evidence.js';
import { compileNow } from '../text/compile-now.js';

/** Certificates kept per chain (a peer chain longer than this is not a real one). */
const MAX_CERTS = 10;
const MAX_DN = 600;

const SCLIENT_CHAIN = /^\s{0,3}(\d{1,2}) s:(.{1,600})$/;
const SCLIENT_ISSUER = /^\s{1,8}i:(.{1,600})$/;
const SCLIENT_DEPTH = /^depth=(\d{1,2}) (.{1,600})$/;
/** `openssl x509 -noout -subject -issuer -dates` (and s_client's `Server certificate` block): `subject=CN = …`. */
const X509_NAME_LINE = /^\s{0,4}(subject|issuer)= ?(.{1,600})$/;
const JAVA_FIELD = /^\s{0,12}"(issuer|subject)"\s{0,20}:\s{0,4}"(.{1,600})",?\s*$/;
const JAVA8_FIELD = /^\s{0,12}(Subject|Issuer): (.{1,600})$/;
const HEX_ROW = /^\s{0,16}[0-9A-F]{4}: ((?:[0-9A-F]{2} {1,3}){1,16})/;
/** OpenSSL 3 chain block: `   v:NotBefore: Nov  1 00:00:00 2024 GMT; NotAfter: Nov  1 00:00:00 2027 GMT`. */
const SCLIENT_VALIDITY = /^\s{1,8}v:NotBefore: ([^;]{10,40}); NotAfter: (.{10,40})$/;
/** OpenSSL 1.1 after `verify error:num=10`: `notAfter=Apr 15 23:59:59 2025 GMT` (of the depth above). */
const NOT_AFTER_LINE = /^\s{0,4}not(After|Before)=(.{10,40})$/;
/** JDK 11+ `"not  after" : "2025-03-04 00:59:59.000 CET",`; JDK 8 `Validity: [From: …,` / `To: …]`. */
const JAVA_DATE = /^\s{0,12}"not {1,2}(before|after)"\s{0,20}:\s{0,4}"(.{10,40})",?\s*$/;
const JAVA8_DATE =
  /^\s{0,16}(?:Validity: \[)?(From|To): ([A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d [A-Z]{2,5} \d{4})[,\]]/;

/**
 * keytool -printcert (`Certificate #0`): a certificate of the chain it was sent begins. (keytool -list -v's
 * `Certificate[1]:` lists a key pair of the store itself, not a peer's chain.)
 */
const KEYTOOL_CERT = /^\s{0,4}Certificate #(\d{1,2})\s*$/;
/** keytool's subject line. */
const KEYTOOL_OWNER = /^\s{0,4}Owner: (.{1,600})$/;
/** keytool's validity: `Valid from: Thu Jan 08 01:00:00 CET 2026 until: Sat Feb 06 00:59:59 CET 2027`. */
const KEYTOOL_VALID = /^\s{0,4}Valid from: (.{10,60}?) until: (.{10,60})$/;

/** Zone names Java and OpenSSL print, as offsets Date.parse reads. */
const ZONES: Record<string, string> = {
  UTC: '+0000',
  GMT: '+0000',
  Z: '+0000',
  CET: '+0100',
  CEST: '+0200',
  WET: '+0000',
  WEST: '+0100',
  EET: '+0200',
  EEST: '+0300',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  PST: '-0800',
  PDT: '-0700',
  IST: '+0530',
  JST: '+0900',
};

/** A date as a client tool printed it, as ISO 8601 (undefined when it cannot be read). */
export function printedDate(text: string): string | undefined {
  let t = text.trim();
  // `2025-03-04 00:59:59.000 CET` → `2025-03-04T00:59:59.000+01:00`.
  const iso = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d{1,3})?) ?([A-Z]{1,5})?$/.exec(t);
  if (iso) {
    const off = ZONES[iso[3] ?? 'UTC'] ?? '+0000';
    t = `${iso[1]}T${iso[2]}${off.slice(0, 3)}:${off.slice(3)}`;
  } else t = t.replace(/\b([A-Z]{1,5})\b(?= \d{4}$|$)/, (z) => ZONES[z] ?? z);
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Words every line the reader uses carries (a cheap first test). */
export const CHAIN_WORDS =
  /[siv]:|depth=|"(?:issuer|subject|certificate|not )|Subject: |Issuer: |issuer: |issued by |chain|trust|Authority|Certificate|not(?:After|Before)=|(?:subject|issuer)=|From: |To: |Owner: |Valid from: /;

/**
 * The issuer DN of the server's certificate as a client prints it without its chain: curl -v's
 * `*  issuer: C=US; O=…; CN=…` and wget's `cannot verify <host>'s certificate, issued by ‘CN=…’:`.
 */
function printedLeafIssuer(text: string): string | undefined {
  const curl = /^\*\s{1,4}issuer: ([^\r\n]{3,600})$/.exec(text);
  if (curl) return curl[1]!.replace(/;\s?/g, ', ').trim();
  const wget = /'s certificate, issued by [\u2018'"`]([^\u2019'"]{3,600})[\u2019'"]/.exec(text);
  return wget?.[1]?.trim();
}

/** A DN as OpenSSL 1.1 prints it (`/C=US/O=X/CN=Y`) in the comma form the DN parser reads. */
function commaDn(dn: string): string {
  const t = dn.trim().slice(0, MAX_DN);
  // OpenSSL 3 writes `CN = name`: the usual `CN=name`.
  if (!t.startsWith('/')) return t.replace(/(^|,\s?)([A-Za-z][A-Za-z0-9.]{0,30}) = /g, '$1$2=');
  return t
    .slice(1)
    .split('/')
    .filter((p) => p.includes('='))
    .join(', ');
}

/** Reads the chain a client tool printed; `chain()` gives the last peer chain, leaf first. */
export class ChainLines {
  private certs: PrintedCertificate[] = [];
  /** Whether the lines are inside a dump of certificates the client trusts (not the peer's). */
  private trusted = false;
  private akiRows: string[] | undefined;
  private depthSeen = false;
  /** The certificate the last `depth=` line named (OpenSSL 1.1 prints its `notAfter=` below it). */
  private atDepth: PrintedCertificate | undefined;
  /** Dates seen per subject DN (as printed), for the chain block that repeats the certificates. */
  private readonly dates = new Map<
    string,
    { notBefore?: string | undefined; notAfter?: string | undefined }
  >();
  /** The trust store a Java debug dump names (`trustStore is: <path>`). */
  trustStore: string | undefined;
  /** The issuer of the server's certificate as curl -v or wget printed it (no chain beside it), once seen. */
  leafIssuer: string | undefined;

  /** No dump is being read: a line without CHAIN_WORDS changes nothing. */
  get idle(): boolean {
    return this.akiRows === undefined;
  }

  /** Look at one line (not a kernel trace line). */
  see(no: number, text: string): void {
    if (text.length > 1200) return;
    // Most lines of a log carry none of the words below: one scan rules them out.
    if (!this.akiRows && !compileNow(CHAIN_WORDS).test(text)) return;
    if (this.akiRows) {
      const hex = HEX_ROW.exec(text);
      if (hex) {
        this.akiRows.push(hex[1]!.replace(/\s+/g, ''));
        return;
      }
      const cur = this.certs[this.certs.length - 1];
      if (cur && this.akiRows.length > 0) cur.authorityKeyId = this.akiRows.join('').toLowerCase();
      this.akiRows = undefined;
    }
    // Past CHAIN_WORDS, each shape is tried only where a text all its matches hold occurs: a trace's
    // chain lines are few, and a regex never run is never compiled.
    if (text.includes('trustStore is: ')) {
      this.trustStore = text
        .slice(text.indexOf('trustStore is: ') + 15)
        .trim()
        .slice(0, 300);
      return;
    }
    if (this.leafIssuer === undefined && (text.includes('issuer: ') || text.includes('issued by '))) {
      this.leafIssuer = printedLeafIssuer(text);
      if (this.leafIssuer !== undefined) return;
    }
    if (text.includes('adding as trusted cert')) {
      this.trusted = true;
      return;
    }
    if (
      (text.includes('Consuming server Certificate') ||
        text.includes('"certificate_list"') ||
        text.includes('Certificate chain')) &&
      /Consuming server Certificate|"certificate_list"|^\s{0,4}\*\*\* Certificate chain|^Certificate chain\s*$/.test(
        text,
      )
    ) {
      this.trusted = false;
      this.certs = [];
      this.depthSeen = false;
      this.atDepth = undefined;
      return;
    }
    if (this.trusted) return;
    if (this.keytool(text, no)) return;
    let m = text.includes(' s:') ? SCLIENT_CHAIN.exec(text) : null;
    if (m) {
      this.push({ depth: Number(m[1]), subject: commaDn(m[2]!), line: no });
      return;
    }
    m = text.includes('i:') ? SCLIENT_ISSUER.exec(text) : null;
    if (m) {
      const cur = this.certs[this.certs.length - 1];
      if (cur && !cur.issuer) cur.issuer = commaDn(m[1]!);
      return;
    }
    m = text.startsWith('depth=') ? SCLIENT_DEPTH.exec(text) : null;
    if (m) {
      // depth= lines come before the chain block; one certificate per depth (repeats are re-checks).
      const depth = Number(m[1]);
      if (!this.depthSeen) {
        this.certs = [];
        this.depthSeen = true;
      }
      if (!this.certs.some((c) => c.depth === depth)) this.push({ depth, subject: commaDn(m[2]!), line: no });
      this.atDepth = this.certs.find((c) => c.depth === depth);
      return;
    }
    if (this.dated(text)) return;
    m = text.includes('subject=') || text.includes('issuer=') ? X509_NAME_LINE.exec(text) : null;
    if (m) {
      this.x509Name(m[1] as 'subject' | 'issuer', commaDn(m[2]!), no);
      return;
    }
    if (
      (text.includes('"certificate"') || text.includes('chain [')) &&
      /"certificate"\s{0,4}:\s{0,4}\{|^\s{0,4}chain \[\d{1,2}\] = \[/.test(text)
    ) {
      this.push({ line: no });
      return;
    }
    m =
      (text.includes('"issuer"') || text.includes('"subject"') ? JAVA_FIELD.exec(text) : null) ??
      (text.includes('Subject: ') || text.includes('Issuer: ') ? JAVA8_FIELD.exec(text) : null);
    if (m) {
      const cur = this.certs[this.certs.length - 1];
      if (!cur) return;
      const key = m[1]!.toLowerCase() as 'issuer' | 'subject';
      if (!cur[key]) cur[key] = commaDn(m[2]!);
      return;
    }
    if (text.includes('AuthorityKeyIdentifier [')) {
      this.akiRows = [];
      return;
    }
  }

  /**
   * A `subject=` / `issuer=` line of `openssl x509 -noout -subject -issuer -dates` (often piped from
   * s_client) or of s_client's `Server certificate` block: the server's certificate. It is the leaf of a
   * chain block already read (same subject), or, with no chain read, the one certificate shown; the
   * `notBefore=` / `notAfter=` lines below it are its dates.
   */
  private x509Name(field: 'subject' | 'issuer', dn: string, no: number): void {
    if (field === 'subject') {
      const known = this.certs.find((c) => c.subject === dn);
      if (known) this.atDepth = known;
      else if (this.certs.length === 0) {
        this.push({ depth: 0, subject: dn, line: no });
        this.atDepth = this.certs[0];
      } else this.atDepth = undefined;
      return;
    }
    if (this.atDepth && !this.atDepth.issuer) this.atDepth.issuer = dn;
  }

  /**
   * keytool's listing of a server's chain (`keytool -printcert -sslserver`): a `Certificate #N` heading,
   * then `Owner:`, `Issuer:` and `Valid from: … until: …`.
   */
  private keytool(text: string, no: number): boolean {
    const head = text.includes('Certificate') ? KEYTOOL_CERT.exec(text) : null;
    if (head) {
      const depth = Number(head[1]);
      // A new listing starts at its first certificate.
      if (depth === 0) this.certs = [];
      this.push({ depth, line: no });
      return true;
    }
    const owner = text.includes('Owner: ') ? KEYTOOL_OWNER.exec(text) : null;
    if (owner) {
      const cur = this.certs[this.certs.length - 1];
      if (cur && !cur.subject) cur.subject = commaDn(owner[1]!);
      return true;
    }
    const valid = text.includes('Valid from: ') ? KEYTOOL_VALID.exec(text) : null;
    if (valid) {
      this.setDates(this.certs[this.certs.length - 1], valid[1], valid[2]);
      return true;
    }
    return false;
  }

  /** A validity line of the chain (s_client `v:` and `notAfter=`, Java dumps): dates of its certificate. */
  private dated(text: string): boolean {
    const v = text.includes('v:NotBefore: ') ? SCLIENT_VALIDITY.exec(text) : null;
    if (v) {
      this.setDates(this.certs[this.certs.length - 1], v[1], v[2]);
      return true;
    }
    const n = text.includes('notAfter=') || text.includes('notBefore=') ? NOT_AFTER_LINE.exec(text) : null;
    if (n) {
      if (n[1] === 'After') this.setDates(this.atDepth, undefined, n[2]);
      else this.setDates(this.atDepth, n[2], undefined);
      return true;
    }
    const j =
      (text.includes('"not ') ? JAVA_DATE.exec(text) : null) ??
      (text.includes('From: ') || text.includes('To: ') ? JAVA8_DATE.exec(text) : null);
    if (j) {
      const before = /before|From/i.test(j[1]!);
      this.setDates(this.certs[this.certs.length - 1], before ? j[2] : undefined, before ? undefined : j[2]);
      return true;
    }
    return false;
  }

  private setDates(cert: PrintedCertificate | undefined, from?: string, to?: string): void {
    if (!cert) return;
    const nb = from ? printedDate(from) : undefined;
    const na = to ? printedDate(to) : undefined;
    if (nb && !cert.notBefore) cert.notBefore = nb;
    if (na && !cert.notAfter) cert.notAfter = na;
    // The chain block printed after the depth= lines starts afresh: it takes the dates by subject.
    if (cert.subject && (cert.notBefore || cert.notAfter) && this.dates.size < MAX_CERTS)
      this.dates.set(cert.subject, { notBefore: cert.notBefore, notAfter: cert.notAfter });
  }

  private push(cert: PrintedCertificate): void {
    if (this.certs.length >= MAX_CERTS) return;
    const known = cert.subject ? this.dates.get(cert.subject) : undefined;
    if (known?.notBefore) cert.notBefore = known.notBefore;
    if (known?.notAfter) cert.notAfter = known.notAfter;
    this.certs.push(cert);
  }

  /** The peer chain printed, leaf first (by depth when known), without entries that name nothing. */
  chain(): PrintedCertificate[] {
    const named = this.certs.filter((c) => c.subject || c.issuer);
    if (named.every((c) => c.depth !== undefined)) named.sort((a, b) => a.depth! - b.depth!);
    return named;
  }
}
