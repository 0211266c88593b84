/**
 * @module SNC / CPIC error blocks: `SncPEstablishContext` lines, `SNCERR_*`, GSS-API major/minor status,
 * and the CPIC error block (LOCATION/ERROR/TIME/RELEASE/COMPONENT/…/COUNTER, aligned or single-spaced).
 */
import type { Role } from '../../model/cause.js';
import type { ConnectionFailureEvent, LibLoadFailureEvent, SncFailureEvent } from '../../model/evidence.js';
import { NI_CODES } from './codes.js';
import { readEndpoint, readQuoted } from './endpoint.js';

export type SncFacts = Omit<SncFailureEvent, 'kind' | 'source'>;

/** The labels of a CPIC error block. */
export const CPIC_LABEL =
  /^\s*(LOCATION|ERROR|TIME|RELEASE|COMPONENT|VERSION|RC|MODULE|LINE|DETAIL|SYSTEM CALL|COUNTER)(?:\s+(\S.*))?$/;

const MAX_LIST = 16;

export class SncBlock {
  readonly facts: SncFacts = {};
  readonly lines: number[] = [];
  lastTouch: number;
  /** SNC wording seen (SNCERR, GSS-API, COMPONENT SNC, SncP…): otherwise a CPIC block is a network error. */
  snc = false;
  /** Inside the CPIC LOCATION…COUNTER block. */
  cpic = false;
  cpicSeen = false;
  lastLabel: string | undefined;
  component: string | undefined;
  private errorLines: string[] = [];
  osError: { code?: string; text?: string } | undefined;
  traceStyle = false;

  constructor(
    public thread: string,
    readonly firstLine: number,
  ) {
    this.lastTouch = firstLine;
  }

  touch(no: number): void {
    this.lastTouch = no;
    if (this.lines.length < 64 && this.lines[this.lines.length - 1] !== no) this.lines.push(no);
  }

  setRole(role: Role): void {
    this.facts.role ??= role;
  }

  addDetail(text: string): void {
    const t = text.trim();
    this.facts.details ??= [];
    const details = this.facts.details;
    if (t.length > 0 && !details.includes(t) && details.length < MAX_LIST) details.push(t);
  }

  addFollowUp(text: string): void {
    this.facts.followUp ??= [];
    const list = this.facts.followUp;
    if (!list.includes(text) && list.length < MAX_LIST) list.push(text);
  }

  /** Facts any SNC text can carry (error line, continuation, trace line). */
  applyText(text: string): boolean {
    const t = text.trim();
    let hit = false;
    const rc = /\b(Snc\w{1,60})\(\)==(SNCERR_[A-Z0-9_]{1,40})/.exec(t);
    if (rc) {
      this.facts.error ??= { name: rc[2]! };
      this.snc = true;
      hit = true;
    } else {
      const name = /\b(SNCERR_[A-Z0-9_]{1,40})/.exec(t);
      if (name) {
        this.facts.error ??= { name: name[1]! };
        this.snc = true;
        hit = true;
      }
    }
    const maj = /GSS-API\(maj\):\s*(.{1,300})$/.exec(t);
    if (maj) {
      this.facts.gssMajor ??= `GSS-API(maj): ${maj[1]!.trim()}`;
      this.snc = true;
      hit = true;
    }
    const min =
      /GSS-API\(min\):\s*(?:([0-9A-F]{8}):\s*)?(.{0,300})$/.exec(t) ??
      /\b(A2[0-9A-F]{6}):\s*(.{1,300})$/.exec(t);
    if (min) {
      const minor: NonNullable<SncFacts['gssMinor']> = { text: min[2]!.trim() };
      if (min[1]) minor.code = min[1];
      this.facts.gssMinor ??= minor;
      this.snc = true;
      hit = true;
    }
    if (/^Unable to (?:establish|load|acquire|import|initialize)/i.test(t)) {
      this.facts.errorDetail ??= t;
      hit = true;
    }
    const target = /^target="([^"]{0,300})"/.exec(t);
    if (target) {
      this.facts.sncTarget ??= target[1]!;
      hit = true;
    }
    const named = readQuoted(t, 'named');
    if (named && /^named\s/.test(t)) {
      this.facts.library ??= named.value;
      hit = true;
    }
    // `dlopen("<lib>") failed: <lib>: cannot open shared object file: …` (the NW RFC SDK's DETAIL line):
    // the OS reason follows the library's own name.
    const load = /(?:LoadLibrary|dlopen)\("([^"]{1,500})"\)(?: failed: ([^\n]{1,600}))?/.exec(t);
    if (load) {
      this.facts.library ??= load[1]!;
      const reason = load[2]?.startsWith(`${load[1]}: `) ? load[2].slice(load[1]!.length + 2) : load[2];
      if (reason) this.osError ??= { text: reason.trim() };
      hit = true;
    }
    const os = /^Error (\d{1,6}) = "([^"]{0,300})"?/.exec(t);
    if (os) {
      this.osError ??= { code: os[1]!, text: os[2]! };
      hit = true;
    }
    const rfc = /\b(RFC_[A-Z_]{3,40} \(rc=-?\d{1,6}\))/.exec(t);
    if (rfc) {
      this.facts.rfcError ??= rfc[1]!;
      this.setRole('client');
      hit = true;
    }
    return hit;
  }

  /** One labelled line of the CPIC block. */
  applyLabel(label: string, value: string): void {
    this.lastLabel = label;
    const v = value.trim();
    switch (label) {
      case 'LOCATION':
        this.facts.location ??= v;
        if (/^CPIC\b/.test(v)) this.setRole('client');
        break;
      case 'ERROR':
        if (!this.applyText(v)) this.errorLines.push(v);
        else if (/\(\)==SNCERR_/.test(v)) this.addDetail(v);
        break;
      case 'TIME':
        this.facts.timestamp ??= v;
        break;
      case 'RELEASE':
        this.facts.release ??= v;
        break;
      case 'COMPONENT':
        this.component ??= v;
        if (/\bSNC\b/.test(v)) this.snc = true;
        break;
      case 'RC':
        if (/^-?\d{1,9}$/.test(v)) this.facts.rc ??= Number(v);
        break;
      case 'MODULE':
        this.facts.module ??= v;
        break;
      case 'LINE':
        if (/^\d{1,9}$/.test(v)) this.facts.moduleLine ??= Number(v);
        break;
      case 'DETAIL':
        this.facts.detail ??= v;
        this.applyText(v);
        break;
      case 'SYSTEM CALL':
        this.facts.systemCall ??= v;
        if (v.startsWith('gss_init_sec_context')) this.setRole('client');
        else if (v.startsWith('gss_accept_sec_context')) this.setRole('server');
        break;
      case 'COUNTER':
        if (/^\d{1,9}$/.test(v)) this.facts.counter ??= Number(v);
        this.cpic = false;
        break;
    }
  }

  /** A line after ERROR/DETAIL that carries no label: the message continues. */
  applyContinuation(text: string): void {
    if (!this.applyText(text)) {
      const t = text.trim();
      if (t.length > 0 && this.errorLines.length < MAX_LIST) this.errorLines.push(t);
    }
  }

  /** The events this block stands for (none when it holds no failure). */
  toEvents(): (
    | Omit<SncFailureEvent, 'source'>
    | Omit<LibLoadFailureEvent, 'source'>
    | Omit<ConnectionFailureEvent, 'source'>
  )[] {
    const out: (
      | Omit<SncFailureEvent, 'source'>
      | Omit<LibLoadFailureEvent, 'source'>
      | Omit<ConnectionFailureEvent, 'source'>
    )[] = [];
    if (this.snc || this.facts.error || this.facts.gssMajor || this.facts.sncTarget) {
      if (!this.facts.errorDetail && this.errorLines.length > 0)
        this.facts.errorDetail = this.errorLines.join(' ');
      out.push({ kind: 'snc-failure', ...this.facts });
      const lib = this.facts.library;
      if (
        lib &&
        (this.facts.error?.name === 'SNCERR_INIT' ||
          /load|library not found/i.test(this.facts.errorDetail ?? '') ||
          this.osError !== undefined)
      ) {
        const ev: Omit<LibLoadFailureEvent, 'source'> = {
          kind: 'lib-load-failure',
          library: lib,
          purpose: 'snc',
        };
        if (this.facts.error) ev.error = { ...this.facts.error };
        if (this.osError) ev.osError = { ...this.osError };
        if (this.facts.timestamp) ev.timestamp = this.facts.timestamp;
        out.push(ev);
      }
    } else if (this.cpicSeen) {
      const message = this.errorLines.join(' ') || this.component || 'CPIC error';
      const ni = /\b(NIE[A-Z_]{2,30})\b/.exec(message);
      const ev: Omit<ConnectionFailureEvent, 'source'> = {
        kind: 'connection-failure',
        problem: (ni && NI_CODES[ni[1]!]) || 'other',
        message,
      };
      if (ni) ev.error = { name: ni[1]! };
      const partner = /partner '([^']{1,200})'/.exec(message);
      if (partner) {
        const ep = readEndpoint(partner[1]!, 0).endpoint;
        ev.target = ep;
      }
      if (this.facts.timestamp) ev.timestamp = this.facts.timestamp;
      out.push(ev);
    }
    return out;
  }
}
