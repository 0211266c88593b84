/**
 * @module Certificate chains client tools print around their errors, read line by line: `openssl
 * s_client` (`depth=N <dn>` lines and the `Certificate chain` block with ` N s:` / `   i:` lines, OpenSSL
 * 1.1 slash or 3.x comma DNs) and Java's `javax.net.debug` dumps (JDK 11+ `"issuer"` / `"subject"` with
 * the AuthorityKeyIdentifier bytes; JDK 8 `Subject:` / `Issuer:` after `chain [N] = [`). A cut or elided
 * dump still names its top certificate's issuer, which is enough to look the root up.
 */
import type { PrintedCertificate } from '../../model/evidence.js';

/** Certificates kept per chain (a peer chain longer than this is not a real one). */
const MAX_CERTS = 10;
const MAX_DN = 600;

const SCLIENT_CHAIN = /^\s{0,3}(\d{1,2}) s:(.{1,600})$/;
const SCLIENT_ISSUER = /^\s{1,8}i:(.{1,600})$/;
const SCLIENT_DEPTH = /^depth=(\d{1,2}) (.{1,600})$/;
const JAVA_FIELD = /^\s{0,12}"(issuer|subject)"\s{0,20}:\s{0,4}"(.{1,600})",?\s*$/;
const JAVA8_FIELD = /^\s{0,12}(Subject|Issuer): (.{1,600})$/;
const HEX_ROW = /^\s{0,16}[0-9A-F]{4}: ((?:[0-9A-F]{2} {1,3}){1,16})/;

/** Words every line the reader uses carries (a cheap first test). */
export const CHAIN_WORDS =
  /[si]:|depth=|"(?:issuer|subject|certificate)|Subject: |Issuer: |chain|trust|Authority|Certificate/;

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
  /** The trust store a Java debug dump names (`trustStore is: <path>`). */
  trustStore: string | undefined;

  /** No dump is being read: a line without CHAIN_WORDS changes nothing. */
  get idle(): boolean {
    return this.akiRows === undefined;
  }

  /** Look at one line (not a kernel trace line). */
  see(no: number, text: string): void {
    if (text.length > 1200) return;
    // Most lines of a log carry none of the words below: one scan rules them out.
    if (!this.akiRows && !CHAIN_WORDS.test(text)) return;
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
    if (/trustStore is: /.test(text)) {
      this.trustStore = text
        .slice(text.indexOf('trustStore is: ') + 15)
        .trim()
        .slice(0, 300);
      return;
    }
    if (/adding as trusted cert/.test(text)) {
      this.trusted = true;
      return;
    }
    if (
      /Consuming server Certificate|"certificate_list"|^\s{0,4}\*\*\* Certificate chain|^Certificate chain\s*$/.test(
        text,
      )
    ) {
      this.trusted = false;
      this.certs = [];
      this.depthSeen = false;
      return;
    }
    if (this.trusted) return;
    let m = SCLIENT_CHAIN.exec(text);
    if (m) {
      this.push({ depth: Number(m[1]), subject: commaDn(m[2]!), line: no });
      return;
    }
    m = SCLIENT_ISSUER.exec(text);
    if (m) {
      const cur = this.certs[this.certs.length - 1];
      if (cur && !cur.issuer) cur.issuer = commaDn(m[1]!);
      return;
    }
    m = SCLIENT_DEPTH.exec(text);
    if (m) {
      // depth= lines come before the chain block; one certificate per depth (repeats are re-checks).
      const depth = Number(m[1]);
      if (!this.depthSeen) {
        this.certs = [];
        this.depthSeen = true;
      }
      if (!this.certs.some((c) => c.depth === depth)) this.push({ depth, subject: commaDn(m[2]!), line: no });
      return;
    }
    if (/"certificate"\s{0,4}:\s{0,4}\{|^\s{0,4}chain \[\d{1,2}\] = \[/.test(text)) {
      this.push({ line: no });
      return;
    }
    m = JAVA_FIELD.exec(text) ?? JAVA8_FIELD.exec(text);
    if (m) {
      const cur = this.certs[this.certs.length - 1];
      if (!cur) return;
      const key = m[1]!.toLowerCase() as 'issuer' | 'subject';
      if (!cur[key]) cur[key] = commaDn(m[2]!);
      return;
    }
    if (/AuthorityKeyIdentifier \[/.test(text)) {
      this.akiRows = [];
      return;
    }
  }

  private push(cert: PrintedCertificate): void {
    if (this.certs.length >= MAX_CERTS) return;
    this.certs.push(cert);
  }

  /** The peer chain printed, leaf first (by depth when known), without entries that name nothing. */
  chain(): PrintedCertificate[] {
    const named = this.certs.filter((c) => c.subject || c.issuer);
    if (named.every((c) => c.depth !== undefined)) named.sort((a, b) => a.depth! - b.depth!);
    return named;
  }
}
