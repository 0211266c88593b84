/**
 * @module One SapSSL session as a trace shows it: context lines (PSE, NI handle, target, SNI, ciphers),
 * the errorstack, the peer chain dump and the error lines, gathered into one SslFailureEvent.
 */

import { ICM_CODES } from '../../codes/sap-codes.js';
import type { Role } from '../../model/cause.js';
import type { ErrorCode, ErrorstackEntry, SslFailureEvent, TraceCertificate } from '../../model/evidence.js';
import { CertDump, readPemCertificate } from './cert-dump.js';
import type { Endpoint } from './endpoint.js';
import { ErrorstackCerts } from './errorstack-certs.js';
import { mayLeadWithDay } from './patterns.js';

/** Most distinct detail lines / errorstack entries kept per event. */
const MAX_DETAILS = 24;
const MAX_PEM_LINES = 200;
const MAX_PEMS = 8;
/**
 * Text lines an errorstack may print after its last entry header. Entries carry a few lines each and
 * the old SECUDE stack (all text, no headers) a dozen or so; a longer run means the End line never
 * came and the thread's later lines are not the stack's.
 */
const MAX_STACK_TEXT_RUN = 32;
/** A line led by the kernel's timestamp (`Wed May 13 01:05:55:690 2020 …`): the stack's text has none. */
const TIMESTAMP_LEAD =
  /^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} \d{1,2}:\d{2}:\d{2}/;

/** Fields of a block in progress (the event minus what the assembler adds on close). */
export type SslFacts = Omit<SslFailureEvent, 'kind' | 'source' | 'origin'>;

/** Facts that describe the session rather than the failure; a trace repeats them for every session. */
export type ContextKey =
  | 'pseFile'
  | 'niHandle'
  | 'peer'
  | 'local'
  | 'target'
  | 'sni'
  | 'sslCtx'
  | 'ciphersuites'
  | 'sslState';

export class SslBlock {
  readonly facts: SslFacts = {};
  /** Lines that contributed facts (first = start of the event). */
  readonly lines: number[] = [];
  lastTouch = 0;
  /** Seen an error line, failure text or failed verification: the block is a failure. */
  anchored = false;
  /** SapSSLSessionStart…==SAP_O_K: the session succeeded; the context lines are not a failure. */
  succeeded = false;
  handshakeLine = false;
  /** The next unclassified line is the text printed after the error code. */
  expectErrorText = false;
  traceStyle = false;
  joined = false;
  private roleSources: string[] = [];
  private roleStrength = 0;
  dump: CertDump | undefined;
  private dumps: CertDump[] = [];
  inErrorstack = false;
  private entry: ErrorstackEntry | undefined;
  private stackCerts: ErrorstackCerts | undefined;
  /** Text lines since the errorstack's last entry header (or its Begin line). */
  private stackTextRun = 0;
  pemLines: string[] | undefined;
  private pems: string[] = [];

  constructor(
    public thread: string,
    readonly firstLine: number,
  ) {
    this.lastTouch = firstLine;
  }

  /** Context facts set before the failure showed: a later, different value replaces them (older session). */
  private readonly tentative = new Set<ContextKey>();

  /**
   * Set a context fact (PSE, NI handle, target, SNI, …). Returns false when the block already holds a
   * different value seen after the failure began: the line belongs to another session.
   */
  setContext<K extends ContextKey>(key: K, value: NonNullable<SslFacts[K]>): boolean {
    const cur = this.facts[key];
    if (cur === undefined) {
      this.facts[key] = value;
      if (!this.anchored) this.tentative.add(key);
      return true;
    }
    if (JSON.stringify(cur) === JSON.stringify(value)) return true;
    if (!this.tentative.has(key)) return false;
    for (const k of this.tentative) delete this.facts[k];
    this.tentative.clear();
    this.facts[key] = value;
    if (!this.anchored) this.tentative.add(key);
    return true;
  }

  /** The failure line itself was seen: context read so far belongs to it for good. */
  freezeContext(): void {
    this.tentative.clear();
  }

  /** True when `key` holds a value other than `value` that a new line may not replace. */
  conflicts<K extends ContextKey>(key: K, value: NonNullable<SslFacts[K]>): boolean {
    const cur = this.facts[key];
    return cur !== undefined && JSON.stringify(cur) !== JSON.stringify(value) && !this.tentative.has(key);
  }

  touch(no: number, key = true): void {
    this.lastTouch = no;
    if (key && this.lines.length < 64 && this.lines[this.lines.length - 1] !== no) this.lines.push(no);
  }

  /**
   * Role evidence; stronger evidence wins (3 explicit `role=…`, 2 PSE/SSL_CTX side, 1 wording such as
   * `SSL handshake with`). Every phrase is kept for `roleEvidence`.
   */
  setRole(role: Role, evidence: string, strength: number): void {
    if (!this.roleSources.includes(evidence) && this.roleSources.length < 6) this.roleSources.push(evidence);
    if (strength > this.roleStrength) {
      this.roleStrength = strength;
      this.facts.role = role;
    }
  }

  /** Set the SapSSL error; false when the block already has a different one (a new failure begins). */
  setError(name: string, number: number | undefined): boolean {
    const cur = this.facts.error;
    if (cur && normalizeSsl(cur.name) !== normalizeSsl(name)) return false;
    const error: ErrorCode = cur ?? { name };
    if (number !== undefined && error.number === undefined) error.number = number;
    this.facts.error = error;
    this.anchored = true;
    return true;
  }

  hasDifferentError(name: string): boolean {
    const cur = this.facts.error;
    return cur !== undefined && normalizeSsl(cur.name) !== normalizeSsl(name);
  }

  setIcm(number: number | undefined, name: string | undefined): void {
    const icm = this.facts.icm ?? {};
    if (number !== undefined) icm.number ??= number;
    if (name !== undefined) icm.name ??= name;
    if (icm.name === undefined && icm.number !== undefined && ICM_CODES[icm.number])
      icm.name = ICM_CODES[icm.number];
    this.facts.icm = icm;
  }

  addDetail(text: string): void {
    const t = text.trim();
    if (t.length === 0) return;
    this.facts.details ??= [];
    const details = this.facts.details;
    if (!details.includes(t) && details.length < MAX_DETAILS) details.push(t);
  }

  setTarget(ep: Endpoint): void {
    if (this.tentative.has('target') && ep.host !== undefined && this.facts.target?.host !== ep.host) {
      for (const k of this.tentative) delete this.facts[k];
      this.tentative.clear();
    }
    const target = this.facts.target ?? {};
    if (ep.host !== undefined && target.host === undefined) target.host = ep.host;
    if (ep.port !== undefined && target.port === undefined) target.port = ep.port;
    this.facts.target = target;
  }

  setAlert(text: string, truncated: boolean): void {
    if (this.facts.alert) return;
    const alert: NonNullable<SslFacts['alert']> = { text };
    if (truncated) alert.truncated = true;
    const m = /^(received|sent) a fatal TLS ([a-z ]{1,40}?) alert/.exec(text);
    if (m) {
      alert.direction = m[1] as 'received' | 'sent';
      alert.description = m[2]!;
    } else if (/^received/.test(text)) alert.direction = 'received';
    this.facts.alert = alert;
    this.anchored = true;
  }

  beginErrorstack(): void {
    this.inErrorstack = true;
    this.anchored = true;
    this.stackTextRun = 0;
  }

  /**
   * True when `text`, met inside the errorstack, shows that the stack ended without its End line: a
   * line led by a timestamp, or more text than any entry prints. The stack is then closed as cut.
   */
  errorstackOverrun(text: string): boolean {
    if (this.stackTextRun < MAX_STACK_TEXT_RUN && !(mayLeadWithDay(text) && TIMESTAMP_LEAD.test(text)))
      return false;
    this.endErrorstack();
    this.facts.truncated = true;
    return true;
  }

  endErrorstack(): void {
    this.inErrorstack = false;
    this.entry = undefined;
  }

  /** An errorstack header line `0x20001046   SAPCRYPTOLIB   SSL_read`. */
  addErrorstackEntry(code: string, component: string, fn: string, no: number): void {
    this.facts.errorstack ??= [];
    const stack = this.facts.errorstack;
    this.stackTextRun = 0;
    if (stack.length >= MAX_DETAILS) return;
    this.entry = { code, component, function: fn, line: no };
    stack.push(this.entry);
  }

  /** A text line inside the errorstack: belongs to the entry above it. */
  addErrorstackText(text: string, no: number): void {
    const t = text.trim();
    if (t.length === 0) return;
    this.stackTextRun++;
    if (!this.entry) {
      this.facts.errorstack ??= [];
      const stack = this.facts.errorstack;
      if (stack.length >= MAX_DETAILS) return;
      this.entry = { line: no };
      stack.push(this.entry);
    }
    this.entry.text = this.entry.text ? `${this.entry.text} | ${t}` : t;
    if (this.entry.text.length > 2000) this.entry.text = this.entry.text.slice(0, 2000);
    this.stackCerts ??= new ErrorstackCerts();
    this.stackCerts.feed(text, no);
  }

  startDump(): CertDump {
    this.dump = new CertDump();
    this.dumps.push(this.dump);
    return this.dump;
  }

  endDump(): void {
    if (this.dump?.hasFailure()) this.anchored = true;
    this.dump = undefined;
  }

  beginPem(): void {
    this.pemLines = [];
  }

  addPemLine(text: string): void {
    if (this.pemLines && this.pemLines.length < MAX_PEM_LINES) this.pemLines.push(text.trim());
  }

  endPem(): void {
    if (this.pemLines && this.pems.length < MAX_PEMS) {
      this.pems.push(
        ['-----BEGIN CERTIFICATE-----', ...this.pemLines, '-----END CERTIFICATE-----'].join('\n'),
      );
    }
    this.pemLines = undefined;
  }

  /**
   * The chain the block printed: dumped certificates (leaf first), or without a dump the certificates
   * the errorstack names (old SECUDE shape); PEMs attached where they match.
   */
  certificates(): TraceCertificate[] | undefined {
    const certs: TraceCertificate[] = [];
    for (const d of this.dumps) for (const c of d.certs) certs.push(c);
    if (certs.length === 0 && this.stackCerts) certs.push(...this.stackCerts.certificates());
    for (const pem of this.pems) {
      const parsed = readPemCertificate(pem);
      if (!parsed) continue;
      const same = certs.find((c) => !c.pem && sameDn(c.subject, parsed.subject));
      if (same) {
        same.pem = pem;
        continue;
      }
      certs.push({ depth: certs.length, ...parsed });
    }
    return certs.length > 0 ? certs : undefined;
  }

  dumpKeyLines(): number[] {
    return [...this.dumps.flatMap((d) => d.keyLines), ...(this.stackCerts?.keyLines ?? [])];
  }

  roleEvidence(): string | undefined {
    return this.roleSources.length > 0 ? this.roleSources.join(', ') : undefined;
  }
}

function normalizeSsl(name: string): string {
  return name.replace(/^SSSLRC_/, 'SSSLERR_');
}

function sameDn(a: string, b: string): boolean {
  const norm = (s: string) =>
    s.toLowerCase().replace(/\bst=/g, 'sp=').replace(/["\s]/g, '').split(',').sort().join(',');
  return a.length > 0 && norm(a) === norm(b);
}
