/**
 * @module Tolerant parser for the text sapgenpse prints: `maintain_pk -l` (the certificate list of a PSE),
 * `get_my_name -v` (own certificate, FCPath chain, PKRoot), `get_pse` certificate requests and sapgenpse /
 * seclogin error messages. Label padding, field names and quote characters vary by version and by where the
 * text was copied from (web pages turn `"` into `“ ”`); lines are classified by a table of named types,
 * and lines no type claims are counted, never dropped silently.
 */
import type { CertificateInfo, TrustList } from '../../model/certificate.js';
import type { EvidenceEvent, SapgenpseEvent, SourceRef, TrustListEvent } from '../../model/evidence.js';
import { describePse, type PseDescription } from '../../pki/pse-nodes.js';
import {
  CTIME,
  colonHex,
  hexId,
  maskSecrets,
  parseKey,
  parseListingTime,
  Q,
  splitField,
  tokenize,
  UTC_TIME,
  unquote,
} from './listing-fields.js';

export { maskSecrets, parseListingTime };

/** Result of parsing one listing text. */
export interface ListingParse {
  events: EvidenceEvent[];
  /** Text of the lines events point at (secrets on command lines masked). */
  lines: Record<string, string>;
  lineCount: number;
  unrecognized: number[];
  warnings: string[];
}

export interface ListingOptions {
  /** Input index for provenance. */
  input: number;
  /** Input name: names the PSE when the text does not (`sslc_list.txt` → SAPSSLC.pse). */
  name?: string;
}

/** Quote characters seen around paths and DNs: ASCII and the typographic ones web pages substitute. */
const QUOTED = `[${Q}]([^${Q}]{1,1024})[${Q}]`;

type Section = 'none' | 'own' | 'fcpath' | 'pkroot' | 'list' | 'request';

const RE = {
  command: /^(?:.{0,80}?[\s>$#/\\])?sapgenpse(?:\.exe)?\s+([A-Za-z_0-9]{2,30})(.*)$/i,
  opening: new RegExp(`^\\s*Opening PSE\\s+${QUOTED}`, 'i'),
  absolutePath: new RegExp(`^\\s*Got absolute PSE path\\s+${QUOTED}`, 'i'),
  ssoUser: new RegExp(`^\\s*SSO for USER\\s+${QUOTED}`, 'i'),
  withPse: new RegExp(`^\\s*with PSE file\\s+${QUOTED}`, 'i'),
  seclogin: new RegExp(`^\\s*running seclogin with USER\\s*=\\s*${QUOTED}`, 'i'),
  myCert: /^\s*MY Certificate\s*:?\s*$/i,
  fcpath: /^\s*FCPath certificate level\s*#?\s*(\d{1,3})\s*:?\s*$/i,
  pkroot: /^\s*PKRoot Certificate\s*:?\s*$/i,
  pklist: /^\s*PKList\b/i,
  element: /^\s*Element\s*#?\s*(\d{1,5})\s*:?\s*$/i,
  request: /^\s*Certificate Request\s*:?\s*$/i,
  separator: /^\s*[-=*_]{5,}\s*$/,
  /** `get_my_name: …`, `seclogin: …`: a sapgenpse sub-command naming itself before a message. */
  prefixed:
    /^\s*(sapgenpse|get_my_name|maintain_pk|seclogin|seclogout|get_pse|gen_pse|gen_verify_pse|import_own_cert|export_own_cert|import_p8|export_p8|import_p12|export_p12|change_pin|chpin|maintain_vpk)\s*:\s+(\S.*)$/i,
  couldntOpen: new RegExp(`Couldn'?t open PSE\\s+${QUOTED}\\s*\\(([^)]{1,200})\\)`, 'i'),
  utcTime: UTC_TIME,
  ctime: CTIME,
  /** Progress and prompt lines that carry nothing for the diagnosis. */
  noise:
    /^\s*(?:PSE \(v\d+\) open ok|Retriev|retriev|Please (?:re)?enter|!!!|Creating PSE|succeeded\.?\s*$|Signed Part\s*$|Key\s*$|Attributes\s*$|Signature\s*$|Supplied distinguished name|\d+ readable|\(?(?:N|NO) readable)/i,
  progressOk: /(?:\u2026|\.\.\.|\.)\s*ok\.?\s*$/i,
} as const;

/** A certificate being assembled from field lines. */
interface Draft {
  info: Partial<CertificateInfo>;
  line: number;
  keyLines: number[];
}

/** One sapgenpse output being assembled. */
interface Listing {
  command?: string;
  commandLine?: number;
  pseFile?: string;
  ssoUser?: string;
  start: number;
  end: number;
  section: Section;
  sawList: boolean;
  own?: Draft;
  chain: Draft[];
  list: Draft[];
  current?: Draft;
  request?: NonNullable<SapgenpseEvent['request']>;
  requestFile?: string;
  suppliedDn?: string;
  /** A validity time was read from the ctime text (no UTCTime printed). */
  localTimes?: boolean;
  keyLines: number[];
}

/**
 * Parse sapgenpse output text into evidence events: a TrustListEvent per `maintain_pk -l` listing, a
 * SapgenpseEvent per `get_my_name` (own certificate + chain), per `get_pse` request and per error message.
 */
export function parseSapgenpseListing(text: string, opts: ListingOptions): ListingParse {
  const events: EvidenceEvent[] = [];
  const lines: Record<string, string> = {};
  const unrecognized: number[] = [];
  const warnings: string[] = [];
  const keep = (lineNo: number, raw: string) => {
    lines[`${opts.input}:${lineNo}`] = maskSecrets(raw).slice(0, 2000);
  };
  let cur: Listing | undefined;
  const open = (lineNo: number): Listing => {
    cur = { start: lineNo, end: lineNo, section: 'none', sawList: false, chain: [], list: [], keyLines: [] };
    return cur;
  };
  const close = () => {
    if (cur) emitListing(cur, opts, events, warnings);
    cur = undefined;
  };
  const hasContent = (l: Listing | undefined) =>
    Boolean(l && (l.own || l.chain.length || l.list.length || l.current || l.request));

  const all = text.split(/\r?\n|\r/);
  for (let i = 0; i < all.length; i++) {
    const lineNo = i + 1;
    const raw = all[i]!;
    if (raw.length > 4096) {
      unrecognized.push(lineNo);
      continue;
    }
    const line = raw.replace(/\t/g, ' ');
    if (!line.trim()) continue;

    const cmd = RE.command.exec(line);
    if (cmd) {
      close();
      const l = open(lineNo);
      l.command = cmd[1]!.toLowerCase();
      l.commandLine = lineNo;
      const args = tokenize(cmd[2] ?? '');
      const p = args.indexOf('-p');
      if (p >= 0 && args[p + 1]) l.pseFile = args[p + 1];
      const r = args.indexOf('-r');
      if (r >= 0 && args[r + 1] && l.command === 'get_pse') l.requestFile = args[r + 1];
      l.keyLines.push(lineNo);
      keep(lineNo, raw);
      continue;
    }
    let m = RE.opening.exec(line) ?? RE.absolutePath.exec(line);
    if (m) {
      if (hasContent(cur) || (cur?.pseFile && !RE.absolutePath.test(line))) close();
      const l = cur ?? open(lineNo);
      l.pseFile = m[1]!.trim();
      l.end = lineNo;
      l.keyLines.push(lineNo);
      keep(lineNo, raw);
      continue;
    }
    m = RE.ssoUser.exec(line);
    if (m) {
      if (hasContent(cur)) close();
      const l = cur ?? open(lineNo);
      l.command ??= 'get_my_name';
      l.ssoUser = m[1]!.trim();
      l.end = lineNo;
      l.keyLines.push(lineNo);
      keep(lineNo, raw);
      continue;
    }
    m = RE.withPse.exec(line);
    if (m) {
      const l = cur ?? open(lineNo);
      l.pseFile = m[1]!.trim();
      l.end = lineNo;
      l.keyLines.push(lineNo);
      keep(lineNo, raw);
      continue;
    }
    m = RE.seclogin.exec(line);
    if (m) {
      close();
      const l = open(lineNo);
      l.command = 'seclogin';
      l.ssoUser = m[1]!.trim();
      keep(lineNo, raw);
      continue;
    }
    // "No SSO credentials available" was only a notice when the PSE then opens without a PIN
    // ("PSE (v2) open ok."): no error.
    if (OPEN_OK.test(line)) {
      const notice = events[events.length - 1];
      if (
        notice?.kind === 'sapgenpse' &&
        /no sso credentials/i.test(notice.error?.message ?? '') &&
        lineNo - notice.source.line <= 2
      )
        events.pop();
    }
    // "No SSO credentials …" followed by the PIN prompt: the PSE needs its PIN, which no credential gives.
    if (line.includes('enter PIN')) {
      const notice = events[events.length - 1];
      if (
        notice?.kind === 'sapgenpse' &&
        /no sso credentials/i.test(notice.error?.message ?? '') &&
        !notice.error?.reason &&
        lineNo - notice.source.line <= 2
      ) {
        notice.error!.reason = 'sapgenpse then asks for the PIN';
        keep(lineNo, raw);
        continue;
      }
    }
    // The reason sapgenpse prints on the line after an error: `   (PSE "/tmp/SAPSSLA.pse" not found)`.
    const last = events[events.length - 1];
    const reason = REASON_LINE.exec(line);
    if (
      reason &&
      last?.kind === 'sapgenpse' &&
      last.error &&
      !last.error.reason &&
      lineNo - last.source.line <= 2
    ) {
      last.error.reason = reason[1]!.trim();
      keep(lineNo, raw);
      continue;
    }
    // The program could not even start: its crypto library did not load (ld.so's "error while loading
    // shared libraries: libsapcrypto.so: cannot open shared object file"). No PSE was involved.
    const lib = LIB_LOAD.exec(line);
    if (lib) {
      events.push({
        kind: 'lib-load-failure',
        source: { input: opts.input, line: lineNo },
        library: lib[1]!,
        osError: { text: lib[2]!.trim() },
      });
      keep(lineNo, raw);
      continue;
    }
    // Errors: checked before the field parser, since they look like `get_my_name: …`.
    const error = classifyError(line);
    if (error) {
      const prefix = RE.prefixed.exec(line);
      const command = prefix?.[1]?.toLowerCase();
      if (command && cur?.command && cur.command !== command) close();
      const ctx = cur ?? open(lineNo);
      if (command) ctx.command ??= command;
      const pseFile = error.pseFile ?? ctx.pseFile;
      const event: SapgenpseEvent = {
        kind: 'sapgenpse',
        source: { input: opts.input, line: lineNo },
        error: { message: error.message, ...(error.reason ? { reason: error.reason } : {}) },
      };
      if (command ?? ctx.command) event.command = command ?? ctx.command;
      if (pseFile) {
        event.pseFile = pseFile;
        const node = pseNodeOf(describePse(pseFile));
        if (node) event.pseNode = node;
      }
      if (ctx.ssoUser) event.ssoUser = ctx.ssoUser;
      events.push(event);
      keep(lineNo, raw);
      ctx.end = lineNo;
      continue;
    }
    if (RE.myCert.test(line)) {
      const l = cur ?? open(lineNo);
      if (l.own) {
        close();
        open(lineNo).command = 'get_my_name';
      }
      setSection(cur!, 'own', lineNo);
      cur!.command ??= 'get_my_name';
      continue;
    }
    if (RE.fcpath.test(line)) {
      setSection(cur ?? open(lineNo), 'fcpath', lineNo);
      continue;
    }
    if (RE.pkroot.test(line)) {
      setSection(cur ?? open(lineNo), 'pkroot', lineNo);
      continue;
    }
    if (RE.element.test(line)) {
      const l = cur ?? open(lineNo);
      if (l.section !== 'list') setSection(l, 'list', lineNo);
      else startDraft(l, lineNo);
      continue;
    }
    if (RE.pklist.test(line)) {
      const l = cur ?? open(lineNo);
      if (l.own && l.section !== 'list') {
        close();
        open(lineNo);
      }
      cur!.command ??= 'maintain_pk';
      setSection(cur!, 'list', lineNo);
      cur!.current = undefined;
      continue;
    }
    if (RE.request.test(line)) {
      const l = cur ?? open(lineNo);
      l.command ??= 'get_pse';
      setSection(l, 'request', lineNo);
      l.request ??= {};
      continue;
    }
    if (RE.separator.test(line)) continue;
    const field = splitField(line);
    if (field && cur?.section === 'request') {
      if (applyRequestField(cur, field, lineNo)) {
        keep(lineNo, raw);
        continue;
      }
    }
    if (/^\s*Supplied distinguished name\s*:/i.test(line)) {
      const l = cur ?? open(lineNo);
      l.suppliedDn = unquote(line.slice(line.indexOf(':') + 1));
      continue;
    }
    if (RE.noise.test(line) || RE.progressOk.test(line) || line.includes('<Not displayed>')) continue;
    if (field && !field.key.startsWith('?') && cur?.section !== 'request') {
      const l = cur ?? open(lineNo);
      if (applyCertField(l, field, lineNo)) {
        if (['subject', 'issuer', 'notBefore', 'notAfter', 'serial'].includes(field.key)) keep(lineNo, raw);
        continue;
      }
    }
    unrecognized.push(lineNo);
  }
  close();
  return { events, lines, lineCount: all.length, unrecognized, warnings };
}

/** A line holding only a parenthesised reason. */
const REASON_LINE = /^\s{0,40}\(([^()]{1,300})\)\s*$/;

/** ld.so's message when a program's shared library cannot be loaded: the library and the OS reason. */
/** sapgenpse opened the PSE (after asking for no PIN, or after a notice). */
const OPEN_OK = /PSE \(v\d{1,2}\) open ok/;

const LIB_LOAD = /error while loading shared libraries: ([^\s:]{1,200}): ([^\n]{1,300})/;

function classifyError(line: string): { message: string; reason?: string; pseFile?: string } | undefined {
  const lower = line.toLowerCase();
  const prefix = RE.prefixed.exec(line);
  const message = (prefix ? prefix[2]! : line).trim();
  const open = RE.couldntOpen.exec(line);
  if (open) return { message, reason: open[2]!.trim(), pseFile: open[1]!.trim() };
  if (lower.includes('wrong pin')) return { message, reason: 'Wrong PIN/Passphrase' };
  if (lower.includes('pin required')) return { message, reason: 'PIN required' };
  if (lower.includes('no sso credentials')) return { message };
  if (lower.includes('no pse name supplied')) return { message };
  if (prefix && /\b(?:error|failed|cannot|can't|couldn't|unable|not found|does not exist)\b/.test(lower)) {
    return { message };
  }
  return undefined;
}

function setSection(l: Listing, section: Section, lineNo: number): void {
  l.section = section;
  l.end = lineNo;
  if (section === 'list') l.sawList = true;
  if (section === 'request') {
    l.current = undefined;
    return;
  }
  startDraft(l, lineNo);
}

function startDraft(l: Listing, lineNo: number): Draft {
  const draft: Draft = { info: {}, line: lineNo, keyLines: [] };
  l.current = draft;
  if (l.section === 'own' || l.section === 'none') l.own = draft;
  else if (l.section === 'fcpath' || l.section === 'pkroot') l.chain.push(draft);
  else if (l.section === 'list') l.list.push(draft);
  return draft;
}

function applyRequestField(l: Listing, field: { key: string; value: string }, lineNo: number): boolean {
  l.request ??= {};
  const req = l.request;
  const value = unquote(field.value);
  l.end = lineNo;
  l.keyLines.push(lineNo);
  if (field.key === 'subject') req.subject = value;
  else if (field.key === 'keyType') req.keyType = value;
  else if (field.key === 'keySize') {
    const n = Number(/\d{2,5}/.exec(value)?.[0]);
    if (n) req.keySize = n;
  } else if (field.key === 'signatureAlgorithm') {
    if (value && !/not displayed/i.test(value)) req.signatureAlgorithm = value;
  } else if (field.key === 'key') {
    const key = parseKey(value);
    if (key) req.keyType ??= key.algorithm;
  } else {
    l.keyLines.pop();
    return /^\?signature/.test(field.key);
  }
  return true;
}

function applyCertField(l: Listing, field: { key: string; value: string }, lineNo: number): boolean {
  // A new certificate starts at `Version`, or at a second `Subject` in the same block.
  let draft = l.current;
  if (l.section === 'list' || l.sawList) {
    if (!draft || field.key === 'version' || (field.key === 'subject' && draft.info.subject !== undefined)) {
      if (draft && Object.keys(draft.info).length === 0) {
        // An empty draft from the Element marker: keep using it.
      } else {
        if (l.section !== 'list') l.section = 'list';
        draft = startDraft(l, lineNo);
      }
    }
  } else if (!draft) {
    l.section = l.section === 'none' ? 'own' : l.section;
    draft = startDraft(l, lineNo);
  } else if (field.key === 'subject' && draft.info.subject !== undefined) {
    return false;
  }
  const info = draft.info;
  const value = unquote(field.value);
  l.end = lineNo;
  switch (field.key) {
    case 'subject':
      info.subject = value;
      draft.keyLines.push(lineNo);
      break;
    case 'issuer':
      info.issuer = value;
      draft.keyLines.push(lineNo);
      break;
    case 'serial':
      // DER sign bytes (`00:82:…`) are dropped, as certificate parsers do, so serials compare.
      if (value) info.serial = colonHex(value).replace(/^(?:00:)+(?=[0-9A-F]{2})/, '');
      break;
    case 'notBefore':
    case 'notAfter': {
      const t = parseListingTime(value);
      if (t.iso) info[field.key] = t.iso;
      if (t.fromLocal) l.localTimes = true;
      draft.keyLines.push(lineNo);
      break;
    }
    case 'key': {
      const key = parseKey(value);
      if (key) info.key = key;
      break;
    }
    case 'signatureAlgorithm':
      if (value && !/not displayed/i.test(value)) info.signatureAlgorithm = value;
      break;
    case 'sha256':
    case 'sha1': {
      const hex = hexId(value);
      if (hex && hex.length === (field.key === 'sha256' ? 64 : 40)) info[field.key] = hex;
      break;
    }
    case 'subjectKeyId':
    case 'authorityKeyId':
      if (hexId(value)) info[field.key] = colonHex(value);
      break;
    case 'version':
    case 'ignored':
      break;
    default:
      return false;
  }
  if (draft.keyLines.length === 0) draft.keyLines.push(lineNo);
  return true;
}

function toCertificate(d: Draft): CertificateInfo {
  const info: CertificateInfo = { subject: d.info.subject ?? '' };
  for (const [k, v] of Object.entries(d.info)) {
    if (k !== 'subject' && v !== undefined) (info as unknown as Record<string, unknown>)[k] = v;
  }
  if (info.issuer && info.subject && info.issuer === info.subject) info.selfSigned = true;
  return info;
}

function pseNodeOf(pse: PseDescription): SapgenpseEvent['pseNode'] | undefined {
  if (!pse.node && !pse.basename) return undefined;
  const out: NonNullable<SapgenpseEvent['pseNode']> = {};
  if (pse.basename) out.basename = pse.basename;
  if (pse.node) out.node = pse.node;
  if (pse.context) out.context = pse.context;
  if (pse.application) out.application = pse.application;
  return out;
}

/** PSE named by the input file name: `sslc_list.txt` → SAPSSLC.pse, `SAPSSLA-maintain_pk.txt` → SAPSSLA.pse. */
export function pseFromInputName(name: string | undefined): PseDescription | undefined {
  if (!name) return undefined;
  const base = name.split(/[/\\]/).pop() ?? name;
  const exact = /(SAP[A-Z0-9_]{2,20}?)(?:\.pse)?(?=[-_. ]|$)/i.exec(base)?.[1];
  const candidates = [exact, /(?:^|[^a-z])(ssl[acs])(?:[^a-z]|$)/i.exec(base)?.[1]];
  for (const c of candidates) {
    if (!c) continue;
    const stem = c.toUpperCase().startsWith('SAP') ? c.toUpperCase() : `SAP${c.toUpperCase()}`;
    const pse = describePse(`${stem}.pse`);
    if (pse.node) return pse;
  }
  return undefined;
}

function sourceOf(input: number, start: number, end: number, keyLines: number[]): SourceRef {
  const uniq = [...new Set(keyLines)].sort((a, b) => a - b).slice(0, 200);
  return {
    input,
    line: start,
    ...(end > start ? { endLine: end } : {}),
    ...(uniq.length ? { keyLines: uniq } : {}),
  };
}

function emitListing(l: Listing, opts: ListingOptions, events: EvidenceEvent[], warnings: string[]): void {
  const keyLines = [...l.keyLines];
  for (const d of [l.own, ...l.chain, ...l.list]) if (d) keyLines.push(...d.keyLines);
  const source = sourceOf(opts.input, l.start, l.end, keyLines);
  const named = l.pseFile ? describePse(l.pseFile) : undefined;
  const isList = l.sawList || l.command === 'maintain_pk';
  if (isList && (l.list.length > 0 || l.own)) {
    const drafts = l.list.length > 0 ? l.list : l.own ? [l.own] : [];
    const certificates = drafts.filter((d) => Object.keys(d.info).length > 0).map(toCertificate);
    const list: TrustList = { storeKind: 'sap-pse', certificates };
    let pse = named;
    if (!pse?.node) {
      const fromName = pseFromInputName(opts.name);
      if (fromName) {
        pse = { ...fromName, ...(l.pseFile ? { file: l.pseFile } : {}) };
        warnings.push(
          `The listing does not name its PSE; taken from the file name: ${fromName.basename} (${fromName.node}).`,
        );
      }
    }
    if (l.pseFile) list.file = l.pseFile;
    if (pse?.basename) list.basename = pse.basename;
    if (pse?.node) list.node = pse.node;
    if (pse?.context) list.context = pse.context;
    if (pse?.application) list.application = pse.application;
    if (!pse?.node) {
      warnings.push(
        'The certificate list does not say which PSE it belongs to: add the "Opening PSE" line or name the file after the PSE (e.g. SAPSSLC_list.txt).',
      );
    }
    const event: TrustListEvent = { kind: 'trust-list', source, list };
    events.push(event);
    return;
  }
  if (l.request || l.command === 'get_pse') {
    if (!l.request && !l.pseFile) return;
    const request = { ...(l.request ?? {}) };
    if (!request.subject && l.suppliedDn) request.subject = l.suppliedDn;
    if (l.requestFile) request.file = l.requestFile;
    const event: SapgenpseEvent = { kind: 'sapgenpse', source, command: l.command ?? 'get_pse', request };
    if (l.pseFile) {
      event.pseFile = l.pseFile;
      const node = named ? pseNodeOf(named) : undefined;
      if (node) event.pseNode = node;
    }
    events.push(event);
    return;
  }
  if (l.localTimes) {
    warnings.push(
      'Some validity times carry no UTCTime; they were read as printed (local time of the host).',
    );
  }
  if (l.own || l.chain.length > 0) {
    const event: SapgenpseEvent = { kind: 'sapgenpse', source, command: l.command ?? 'get_my_name' };
    if (l.pseFile) {
      event.pseFile = l.pseFile;
      const node = named ? pseNodeOf(named) : undefined;
      if (node) event.pseNode = node;
    }
    if (l.ssoUser) event.ssoUser = l.ssoUser;
    if (l.own && Object.keys(l.own.info).length > 0) event.own = toCertificate(l.own);
    const chain = l.chain.filter((d) => Object.keys(d.info).length > 0).map(toCertificate);
    if (chain.length) event.chain = chain;
    events.push(event);
  }
}
