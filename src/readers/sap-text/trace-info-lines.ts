/**
 * @module Handlers for the lines that describe the trace itself: the `trc file:` header and the lines
 * after it, `TRACE FILE TRUNCATED`, and the SSL initialisation block (CommonCryptoLib file and
 * version, `[dpf]` profile parameters). They become one `trace-info` event at the end.
 */
import type { TraceInfoEvent } from '../../model/evidence.js';
import type { AssemblyState, Ctx } from './assembly-state.js';

const HEADER_FIELD =
  /^\s*(sid|sysno|relno|patchno|patchlevel|systemid|make|profile|pid|intno)\s{1,40}(\S.{0,300})$/;

/** A switch-like profile parameter of the SSL layers and its value (TRUE/FALSE/a small number). */
export const STATED_PARAMETER =
  /\b((?:icm\/HTTPS|icm|ssl|wdisp|snc)\/[A-Za-z0-9_]{2,60})(?:\s{0,3}=|\s{1,40}(?:[Cc]urrent [Vv]alue|[Aa]ktueller Wert)\s{0,3}:?|\s{2,40}(?=TRUE\b|FALSE\b))\s{0,3}(TRUE|FALSE|true|false|on|off|[0-9]{1,3})\b/;

/**
 * Whether `t` holds what every match of STATED_PARAMETER holds: a parameter family with its slash
 * (`icm/` covers `icm/HTTPS/`) and `=`, RZ11's "Current Value" (German "Aktueller Wert"), or a listing's
 * TRUE/FALSE column after the name (`icm/HTTPS/client_sni_enabled   FALSE`). Most lines hold neither, and
 * the regex is never compiled for them.
 */
export function statesParameter(t: string): boolean {
  return (
    (t.includes('icm/') || t.includes('ssl/') || t.includes('wdisp/') || t.includes('snc/')) &&
    (t.includes('=') ||
      t.includes('urrent value') ||
      t.includes('urrent Value') ||
      t.includes('ktueller Wert') ||
      t.includes('TRUE') ||
      t.includes('FALSE'))
  );
}

/** RZ11's display, copied line by line: the parameter's name on its own line ... */
const RZ11_NAME_LINE =
  /^\s{0,8}(?:Parameter [Nn]ame|Parametername|Name)\s{0,3}:?\s{1,40}((?:icm\/HTTPS|icm|ssl|wdisp|snc)\/[A-Za-z0-9_]{2,60})\s{0,40}$/;
/** ... and, a few lines below it, its current value (the default value is not what the system uses). */
const RZ11_VALUE_LINE =
  /^\s{0,8}(?:[Cc]urrent [Vv]alue|Aktueller Wert)\s{0,3}:?\s{1,40}(TRUE|FALSE|true|false|on|off|[0-9]{1,3})\s{0,40}$/;
/** How many lines after RZ11's name line its value line may come (the screen's rows between them). */
const RZ11_VALUE_WITHIN = 4;

/** The SNC partner name a destination or client expects: SM59's `Partner: p:…`, JCo's `snc_partnername=p:…`. */
const SNC_PARTNER =
  /(?:\b(?:SNC )?[Pp]artner(?: [Nn]ame)?\s{0,3}[:=]|\bsnc_partnername\s{0,3}=)\s{0,20}(p:[^\s,][^\n]{1,250}?)\s*$/;
/** A system's own SNC name: `snc/identity/as = p:…`, or the parameter's name with its value on the next line. */
const SNC_OWN = /\bsnc\/identity\/as\b\s{0,3}[:=]?\s{0,20}(p:[^\s,][^\n]{1,250}?)?\s*$/;
/** A value line below `snc/identity/as:` (RZ11 or a note copied line by line). */
const SNC_NAME_LINE = /^\s{0,12}(p:[^\s,][^\n]{1,250}?)\s*$/;

/** nslookup's answer: `Name:    host`, then `Address: 10.1.2.3` (the server's own `Address: …#53` comes before). */
const NSLOOKUP_NAME = /^\s{0,4}Name:\s{1,20}([A-Za-z0-9][A-Za-z0-9.-]{0,252})\s*$/;
const NSLOOKUP_ADDRESS = /^\s{0,4}Address(?:es)?:\s{1,20}(\d{1,3}(?:\.\d{1,3}){3})\s*$/;
/** dig's answer line: `host.  300  IN  A  10.1.2.3`. */
const DIG_ANSWER =
  /^([A-Za-z0-9][A-Za-z0-9.-]{0,252}?)\.?\s{1,20}\d{1,10}\s{1,20}IN\s{1,20}A\s{1,20}(\d{1,3}(?:\.\d{1,3}){3})\s*$/;

/** Resolve-DnsName's table row: `host   A   3600   Answer   10.1.2.3`. */
const RESOLVE_DNSNAME_ROW =
  /^([A-Za-z0-9][A-Za-z0-9.-]{0,252})\s{1,60}A\s{1,20}\d{1,10}\s{1,20}Answer\s{1,20}(\d{1,3}(?:\.\d{1,3}){3})\s*$/;
/** What grep -n or Select-String puts before a file's line: `23:`, `/etc/hosts:23:`, `C:\…\hosts:24:`. */
const GREP_PREFIX = /^(?:\S{1,300}:)?\d{1,6}:(?=\d)/;

/** A hosts-file line: an IPv4 address, then one or more host names (and nothing else but a `#` comment). */
const HOSTS_LINE =
  /^\s{0,8}(\d{1,3}(?:\.\d{1,3}){3})\s+([A-Za-z0-9][A-Za-z0-9.-]{0,252})((?:[ \t]+[A-Za-z0-9][A-Za-z0-9.-]{0,252}){0,8})[ \t]*(?:#[^\n]{0,300})?$/;

/** Trace header and SSL initialisation lines → the input's TraceInfoEvent. */
export class TraceInfoLines {
  private info: TraceInfoEvent | undefined;
  private infoLines: number[] = [];
  private inInit = false;
  private headerLeft = 0;
  /** RZ11's parameter name line just seen, waiting for its Current Value line. */
  private rz11: { name: string; no: number } | undefined;
  /** The line of a `snc/identity/as:` without its value, whose next line may hold it. */
  private ownNameLine: number | undefined;
  /** nslookup's `Name:` just seen, waiting for its `Address:` line. */
  private lookedUp: { name: string; no: number } | undefined;

  constructor(private readonly state: AssemblyState) {}

  /** Inside the header or the initialisation block every line is read. */
  get busy(): boolean {
    return this.inInit || this.headerLeft > 0;
  }

  /** The CommonCryptoLib file the initialisation named, if any. */
  get cryptoLibFile(): string | undefined {
    return this.info?.cryptoLib?.file;
  }

  /** Lines of the initialisation block and the header's fields; true when the line was one. */
  handleLine(t: string, no: number): boolean {
    if (this.inInit) {
      if (/^\s*=/.test(t)) {
        this.onInitLine(t, no);
        return true;
      }
      this.inInit = false;
    }
    if (this.headerLeft > 0) {
      this.headerLeft--;
      const h = HEADER_FIELD.exec(t);
      if (h) {
        if (h[1] === 'sid' && this.info) this.info.sid ??= h[2]!.trim();
        return true;
      }
    }
    return false;
  }

  onTraceHeader(c: Ctx): void {
    const info = this.infoEvent(c.no);
    info.traceFile ??= c.m[1]!;
    info.traceLevel ??= Number(c.m[2]);
    info.release ??= c.m[3]!;
    this.headerLeft = 30;
  }

  onTraceTruncated(c: Ctx): void {
    this.infoEvent(c.no).truncatedByKernel = true;
  }

  onInitBanner(c: Ctx): void {
    this.infoEvent(c.no);
    this.inInit = true;
  }

  /**
   * A profile parameter with its value stated anywhere in a paste (`RZ11: icm/HTTPS/client_sni_enabled =
   * FALSE`, a profile line), beside the trace: a switch the rules read like a `[dpf]` line of the trace.
   * The trace's own value (read first) wins.
   */
  seeParameter(t: string, no: number): void {
    if (t.length > 1000) return;
    if (t.includes('p:')) this.seeSncName(t, no);
    else if (t.includes('snc/identity/as')) this.ownNameLine = no;
    if (this.rz11 && (t.includes('alue') || t.includes('Wert'))) {
      const v = no - this.rz11.no <= RZ11_VALUE_WITHIN ? RZ11_VALUE_LINE.exec(t) : null;
      if (v) {
        this.stateParameter(this.rz11.name, v[1]!, no);
        this.rz11 = undefined;
        return;
      }
    }
    if (t.includes('arameter') || t.includes('Name')) {
      const n = RZ11_NAME_LINE.exec(t);
      if (n) {
        this.rz11 = { name: n[1]!, no };
        return;
      }
    }
    if (!statesParameter(t)) return;
    const m = STATED_PARAMETER.exec(t);
    if (m) this.stateParameter(m[1]!, m[2]!, no);
  }

  /** An SNC name the paste shows: the partner a destination expects, or a system's own identity. */
  private seeSncName(t: string, no: number): void {
    const below =
      this.ownNameLine !== undefined && no - this.ownNameLine === 1 ? SNC_NAME_LINE.exec(t) : null;
    this.ownNameLine = undefined;
    const own = below ?? (t.includes('snc/identity/as') ? SNC_OWN.exec(t) : null);
    const partner = own ? null : t.includes('artner') ? SNC_PARTNER.exec(t) : null;
    if (!own?.[1] && !partner) return;
    const info = this.infoEvent(no);
    info.sncNames ??= {};
    if (own?.[1]) info.sncNames.own ??= own[1];
    else if (partner) info.sncNames.partner ??= partner[1]!;
  }

  private stateParameter(name: string, value: string, no: number): void {
    const info = this.infoEvent(no);
    info.parameters ??= {};
    if (Object.keys(info.parameters).length < 64) info.parameters[name] ??= value;
  }

  /**
   * A hosts-file line pasted beside the trace (`10.8.1.15   erp-test.corp.example erp-test`): the address
   * each of its names is pinned to on this host, so a certificate of another server has its first suspect.
   */
  seeHostsEntry(line: string, no: number): void {
    if (
      line.includes('Name:') ||
      line.includes('Address') ||
      line.includes(' IN ') ||
      line.includes(' Answer ')
    )
      this.seeDnsAnswer(line, no);
    // A hosts file searched with grep -n or Select-String: the line after the file name and number.
    const t = line.length <= 600 && line.includes(':') ? line.replace(GREP_PREFIX, '') : line;
    const c = t.charCodeAt(0);
    if (t.length > 600 || !((c >= 0x30 && c <= 0x39) || c === 0x20 || c === 0x09)) return;
    const m = HOSTS_LINE.exec(t);
    if (!m) return;
    const info = this.infoEvent(no);
    info.resolved ??= {};
    for (const name of `${m[2]}${m[3] ?? ''}`.trim().split(/\s+/)) {
      if (Object.keys(info.resolved).length >= 64) break;
      info.resolved[name.toLowerCase()] ??= m[1]!;
    }
  }

  /** What DNS answered for a name, as nslookup or dig printed it beside the evidence. */
  private seeDnsAnswer(t: string, no: number): void {
    if (t.length > 400) return;
    const name = t.includes('Name:') ? NSLOOKUP_NAME.exec(t) : null;
    if (name) {
      this.lookedUp = { name: name[1]!.toLowerCase().replace(/\.$/, ''), no };
      return;
    }
    const address = this.lookedUp && no - this.lookedUp.no <= 2 ? NSLOOKUP_ADDRESS.exec(t) : null;
    const dig = address
      ? null
      : t.includes(' IN ')
        ? DIG_ANSWER.exec(t)
        : t.includes(' Answer ')
          ? RESOLVE_DNSNAME_ROW.exec(t)
          : null;
    const host = address ? this.lookedUp!.name : dig?.[1]?.toLowerCase();
    const ip = address?.[1] ?? dig?.[2];
    if (!host || !ip) return;
    this.lookedUp = undefined;
    const info = this.infoEvent(no);
    info.dns ??= {};
    if (Object.keys(info.dns).length < 64) info.dns[host] ??= ip;
  }

  /** At the end of input: the event (with its warnings) into the result. */
  finish(): void {
    const out = this.state.out;
    if (!this.info) return;
    const lines = this.infoLines.length > 0 ? this.infoLines : [this.state.curNo];
    this.info.source = this.state.sourceOf(lines);
    this.state.keepLines(lines);
    out.traceInfo = this.info;
    if (this.info.traceLevel === 1)
      out.warnings.push(
        'trace level 1: the SSL errorstack and certificate chain are not written; raise the ICM trace level to 2 (SMICM → Goto → Trace Level) and reproduce',
      );
    if (this.info.truncatedByKernel)
      out.warnings.push('the kernel truncated this trace (TRACE FILE TRUNCATED): earlier entries are lost');
  }

  private infoEvent(no: number): TraceInfoEvent {
    this.info ??= { kind: 'trace-info', source: { input: this.state.input, line: no } };
    if (this.infoLines.length < 32) this.infoLines.push(no);
    return this.info;
  }

  private onInitLine(t: string, no: number): void {
    const body = t.replace(/^\s*=\s?/, '');
    if (/^=+\s*$/.test(body) || /^\s*$/.test(body)) {
      if (/^=+\s*$/.test(body)) this.inInit = false;
      return;
    }
    // Each regex only where a text all its matches hold occurs (the block's other lines run none).
    const file = body.includes('resulting Filename')
      ? /resulting Filename\s*=\s*"([^"]{1,500})"/.exec(body)
      : null;
    const found = body.toLowerCase().includes('found ')
      ? /found (CommonCryptoLib|SAPCRYPTOLIB|SAPCryptolib)\s+(\S{1,40})/i.exec(body)
      : null;
    const dpf = body.includes(']')
      ? /\[(?:dpf|env|def)\]\s*([a-z]{2,12}\/[A-Za-z0-9_/]{1,80})\s*=\s*(.{0,500})$/.exec(body)
      : null;
    if (!file && !found && !dpf) return;
    const info = this.infoEvent(no);
    if (file) info.cryptoLib = { ...(info.cryptoLib ?? {}), file: file[1]! };
    if (found) info.cryptoLib = { ...(info.cryptoLib ?? {}), version: found[2]! };
    if (dpf) {
      info.parameters ??= {};
      if (Object.keys(info.parameters).length < 64) info.parameters[dpf[1]!] = dpf[2]!.trim();
    }
  }
}
