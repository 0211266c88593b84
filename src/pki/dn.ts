/**
 * @module Distinguished names the SAP way: parse SAP, OpenSSL, Java/RFC 4514 spellings, normalise, compare.
 *
 * DNs arrive in many spellings: SAP (`CN=…, O="GitHub, Inc.", SP=California, C=US`), OpenSSL
 * (`C = US, O = …, CN = …` or `/C=US/O=…/CN=…`), Java (`CN=…, ST=California`), .NET (`S=California`),
 * and with OID keys (`OID.2.5.4.8=…`, `2.5.4.8=…`). Comparing raw strings is always wrong; compare
 * attribute multisets with normalised keys and values (order-independent, case-insensitive).
 *
 * The `ST` / `S` / `SN` quirk: SAPCryptolib reads `ST` as *street*, `SP` as *state*, `S` as *surname* and
 * `SN` as *serial number*; OpenSSL/Java/RFC read `ST` as *state* and `SN` as *surname*; .NET writes `S`
 * for *state*. Resolution: a DN that uses `SP` is SAP-spelled, so its `ST`/`S`/`SN` take SAP meanings;
 * a DN spelled with ` = ` or `/…` is OpenSSL-spelled (RFC meanings). Otherwise (`CN=x, ST=y`, no `SP`)
 * the key is *ambiguous* and matches either meaning when comparing. Callers that know the source pass
 * `flavor` explicitly.
 */

import type { Name } from '@peculiar/x509';
import { CONTROL_CHARS_SOURCE, escapeControlChars } from '../model/escape-controls.js';
import { normalizeText } from '../model/unicode.js';

/** A normalised attribute key: a short canonical name (`CN`, `ST` = state, `STREET`) or `OID:<dotted>`. */
export type DnKey = string;

/** One attribute of a DN (multi-valued RDNs are flattened: order and grouping do not matter for matching). */
export interface DnAttribute {
  /** Canonical key. For ambiguous keys this is the most likely meaning. */
  key: DnKey;
  /** Other canonical keys this attribute may stand for (e.g. `ST` written by an unknown tool). */
  alternatives?: DnKey[];
  /** Value as written, unquoted and unescaped. */
  value: string;
  /** Key as written. */
  rawKey: string;
}

/** Who wrote the DN: decides what `ST`, `S`, `SN` mean. */
export type DnFlavor = 'sap' | 'rfc' | 'auto';

export interface ParsedDn {
  attributes: DnAttribute[];
  /** The flavor the parser settled on. */
  flavor: 'sap' | 'rfc' | 'ambiguous';
  /** Written C-first (OpenSSL default / slash form) rather than most-specific first. */
  reversed: boolean;
  /** The text ended inside an attribute (a trace cut the DN short). */
  truncated: boolean;
}

const OID_TO_KEY: Record<string, DnKey> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SURNAME',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'TITLE',
  '2.5.4.13': 'DESCRIPTION',
  '2.5.4.15': 'BUSINESSCATEGORY',
  '2.5.4.17': 'POSTALCODE',
  '2.5.4.42': 'GIVENNAME',
  '2.5.4.43': 'INITIALS',
  '2.5.4.46': 'DNQUALIFIER',
  '2.5.4.97': 'ORGANIZATIONIDENTIFIER',
  '1.2.840.113549.1.9.1': 'EMAIL',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.3.6.1.4.1.311.60.2.1.1': 'JURISDICTIONL',
  '1.3.6.1.4.1.311.60.2.1.2': 'JURISDICTIONST',
  '1.3.6.1.4.1.311.60.2.1.3': 'JURISDICTIONC',
};

const KEY_TO_OID: Record<string, string> = {};
// A plain loop: it runs once at start-up, in V8's interpreter, where destructuring each entry goes through
// the iterator protocol.
const oids = Object.keys(OID_TO_KEY);
for (let i = 0; i < oids.length; i++) KEY_TO_OID[OID_TO_KEY[oids[i]!]!] = oids[i]!;

/** Keys whose meaning does not depend on who wrote them. */
const SYNONYMS: Record<string, DnKey> = {
  CN: 'CN',
  COMMONNAME: 'CN',
  C: 'C',
  COUNTRYNAME: 'C',
  L: 'L',
  LOCALITYNAME: 'L',
  SP: 'ST',
  STATEORPROVINCENAME: 'ST',
  STREET: 'STREET',
  STREETADDRESS: 'STREET',
  O: 'O',
  ORGANIZATIONNAME: 'O',
  OU: 'OU',
  ORGANIZATIONALUNITNAME: 'OU',
  SERIALNUMBER: 'SERIALNUMBER',
  SURNAME: 'SURNAME',
  G: 'GIVENNAME',
  GN: 'GIVENNAME',
  GIVENNAME: 'GIVENNAME',
  I: 'INITIALS',
  INITIALS: 'INITIALS',
  T: 'TITLE',
  TITLE: 'TITLE',
  D: 'DESCRIPTION',
  DESCRIPTION: 'DESCRIPTION',
  BC: 'BUSINESSCATEGORY',
  BUSINESSCATEGORY: 'BUSINESSCATEGORY',
  E: 'EMAIL',
  EMAIL: 'EMAIL',
  EMAILADDRESS: 'EMAIL',
  DC: 'DC',
  DOMAINCOMPONENT: 'DC',
  UID: 'UID',
  USERID: 'UID',
  PC: 'POSTALCODE',
  POSTALCODE: 'POSTALCODE',
  DNQUALIFIER: 'DNQUALIFIER',
  ORGANIZATIONIDENTIFIER: 'ORGANIZATIONIDENTIFIER',
  JURISDICTIONC: 'JURISDICTIONC',
  JURISDICTIONCOUNTRYNAME: 'JURISDICTIONC',
  JURISDICTIONST: 'JURISDICTIONST',
  JURISDICTIONSTATEORPROVINCENAME: 'JURISDICTIONST',
  JURISDICTIONL: 'JURISDICTIONL',
  JURISDICTIONLOCALITYNAME: 'JURISDICTIONL',
};

/** Keys that mean different things to SAP and to everyone else: [SAP meaning, RFC meaning]. */
const QUIRKS: Record<string, [DnKey, DnKey]> = {
  ST: ['STREET', 'ST'],
  S: ['SURNAME', 'ST'],
  SN: ['SERIALNUMBER', 'SURNAME'],
};

/** Upper bound on DN length we parse; longer input is cut (traces never print longer DNs). */
const MAX_DN = 4096;

/** Map a written key (any spelling) to its canonical key(s). */
function resolveKey(
  rawKey: string,
  flavor: 'sap' | 'rfc' | 'ambiguous',
): { key: DnKey; alternatives?: DnKey[] } {
  let k = rawKey.trim();
  if (/^oid\./i.test(k)) k = k.slice(4);
  if (/^\d+(\.\d+)+$/.test(k)) return { key: OID_TO_KEY[k] ?? `OID:${k}` };
  const upper = k.toUpperCase();
  const quirk = QUIRKS[upper];
  if (quirk) {
    if (flavor === 'sap') return { key: quirk[0] };
    if (flavor === 'rfc') return { key: quirk[1] };
    // Unknown writer: the RFC meaning is the common one; keep SAP's as an alternative.
    return { key: quirk[1], alternatives: [quirk[0]] };
  }
  return { key: SYNONYMS[upper] ?? upper };
}

/** Split at unquoted, unescaped separators; each part remembers the separator before it. */
function splitTop(text: string, separators: string): { sep: string; text: string }[] {
  const parts: { sep: string; text: string }[] = [];
  let current = '';
  let sep = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + (text[i + 1] as string);
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (!quoted && separators.includes(ch)) {
      parts.push({ sep, text: current });
      current = '';
      sep = ch;
      continue;
    }
    current += ch;
  }
  parts.push({ sep, text: current });
  return parts;
}

/** A segment starts a new attribute when it looks like `KEY=` / `KEY = ` / `OID.1.2=`. */
const ATTRIBUTE_START = /^\s*(?:[A-Za-z][A-Za-z0-9-]{0,40}|(?:OID\.|oid\.)?\d{1,9}(?:\.\d{1,9}){1,20})\s*=/;

/** Looks like a key cut before its `=` (`OID.1.3.6.1.4.1.311.60.2.`). */
const CUT_KEY = /^\s*(?:OID\.|oid\.)?\d[\d.]*\s*$/;

/** Remove quotes and escapes; `\XX` hex pairs decode as UTF-8 bytes (RFC 4514). */
function unescapeValue(raw: string): string {
  let v = raw.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
  if (!v.includes('\\')) return v;
  const bytes: number[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < v.length; i++) {
    const ch = v[i] as string;
    if (ch === '\\' && i + 1 < v.length) {
      const hex = v.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
        continue;
      }
      flush();
      out += v[i + 1];
      i++;
      continue;
    }
    flush();
    out += ch;
  }
  flush();
  return out;
}

/** Values normalised so far (DN comparisons meet the same few hundred values again and again). */
const normalized = new Map<string, string>();

/** Normalise a value for comparison: Unicode NFKC, whitespace collapsed, case folded. */
export function normalizeDnValue(value: string): string {
  let n = normalized.get(value);
  if (n === undefined) {
    n = normalizeText(value, 'NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
    // Bounded: a long-running server meets ever new values.
    if (normalized.size >= 20_000) normalized.clear();
    normalized.set(value, n);
  }
  return n;
}

/**
 * Parse a DN in any of the common spellings. Never throws; text without any `key=value` gives no
 * attributes. `flavor` forces the meaning of `ST`/`S`/`SN` (see the module comment).
 */
export function parseDn(text: string, opts: { flavor?: DnFlavor } = {}): ParsedDn {
  let dn = text.length > MAX_DN ? text.slice(0, MAX_DN) : text;
  dn = dn.trim();
  let reversed = false;
  let segments: { sep: string; text: string }[];
  if (dn.startsWith('/') && /^\/[A-Za-z0-9.]+=/.test(dn)) {
    // OpenSSL's old one-line form: /C=US/O=…/CN=…, C first.
    reversed = true;
    segments = splitTop(dn.slice(1), '/');
  } else {
    segments = splitTop(dn, ',;+');
  }

  // Re-join segments that do not start an attribute: the separator was part of an unquoted value.
  const pieces: string[] = [];
  let truncated = false;
  segments.forEach((seg, i) => {
    if (ATTRIBUTE_START.test(seg.text) || pieces.length === 0) {
      pieces.push(seg.text);
      return;
    }
    if (i === segments.length - 1 && CUT_KEY.test(seg.text)) {
      truncated = true;
      return;
    }
    pieces[pieces.length - 1] += `${seg.sep}${seg.text}`;
  });

  const pairs: { rawKey: string; rawValue: string }[] = [];
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    pairs.push({ rawKey: piece.slice(0, eq).trim(), rawValue: piece.slice(eq + 1) });
  }

  const spaced = /\s=\s/.test(dn);
  let flavor: ParsedDn['flavor'];
  if (opts.flavor === 'sap' || opts.flavor === 'rfc') flavor = opts.flavor;
  else if (pairs.some((p) => p.rawKey.toUpperCase() === 'SP')) flavor = 'sap';
  else if (reversed || spaced) flavor = 'rfc';
  else flavor = 'ambiguous';

  if (!reversed && pairs.length > 1) {
    // OpenSSL's default `C = US, O = …, CN = …` is C-first; SAP/RFC 4514 put CN first.
    const first = resolveKey(pairs[0]?.rawKey ?? '', flavor).key;
    const last = resolveKey(pairs[pairs.length - 1]?.rawKey ?? '', flavor).key;
    reversed = (first === 'C' || first === 'DC') && last !== 'C' && last !== 'DC';
  }

  const attributes: DnAttribute[] = pairs.map(({ rawKey, rawValue }) => {
    const { key, alternatives } = resolveKey(rawKey, flavor);
    const attr: DnAttribute = { key, value: unescapeValue(rawValue), rawKey };
    if (alternatives) attr.alternatives = alternatives;
    return attr;
  });
  return { attributes, flavor, reversed, truncated };
}

/**
 * Attributes of DN texts parsed here, by text: rules compare and name the same few issuer and subject
 * DNs thousands of times across a sec folder. Only read, never handed out. Bounded.
 */
const PARSED = new Map<string, DnAttribute[]>();
const MAX_PARSED = 4096;

function toAttributes(dn: string | ParsedDn | DnAttribute[]): DnAttribute[] {
  if (typeof dn === 'string') {
    let attributes = PARSED.get(dn);
    if (!attributes) {
      attributes = parseDn(dn).attributes;
      if (PARSED.size >= MAX_PARSED) PARSED.clear();
      PARSED.set(dn, attributes);
    }
    return attributes;
  }
  return Array.isArray(dn) ? dn : dn.attributes;
}

/**
 * Canonical form of a DN for indexing: `KEY=value` pairs, normalised, sorted, joined with `,`.
 * Ambiguous keys use their most likely meaning; use `sameDn` for exact matching.
 */
export function normalizeDn(dn: string | ParsedDn | DnAttribute[]): string {
  return toAttributes(dn)
    .map((a) => `${a.key}=${normalizeDnValue(a.value)}`)
    .sort()
    .join(',');
}

/**
 * True when two DNs name the same entity: the same attributes with the same values, in any order and
 * spelling. An extra or different attribute (another O, an extra OU) means a different name.
 * Empty DNs never match.
 */
export function sameDn(a: string | ParsedDn | DnAttribute[], b: string | ParsedDn | DnAttribute[]): boolean {
  const left = toAttributes(a);
  const right = toAttributes(b);
  if (left.length === 0 || left.length !== right.length) return false;
  const used = new Array<boolean>(right.length).fill(false);
  // Firm keys first so an ambiguous one cannot steal a partner that a firm one needs.
  const order = [...left].sort((x, y) => (x.alternatives ? 1 : 0) - (y.alternatives ? 1 : 0));
  for (const attr of order) {
    const value = normalizeDnValue(attr.value);
    let found = -1;
    for (let i = 0; i < right.length; i++) {
      const other = right[i] as DnAttribute;
      if (used[i] || normalizeDnValue(other.value) !== value) continue;
      if (keysMatch(attr, other)) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    used[found] = true;
  }
  return true;
}

function keysMatch(a: DnAttribute, b: DnAttribute): boolean {
  const ka = [a.key, ...(a.alternatives ?? [])];
  const kb = [b.key, ...(b.alternatives ?? [])];
  return ka.some((k) => kb.includes(k));
}

/** The value of the first attribute with this canonical key (e.g. `dnValue(dn, 'CN')`). */
export function dnValue(dn: string | ParsedDn | DnAttribute[], key: DnKey): string | undefined {
  return toAttributes(dn).find((a) => a.key === key)?.value;
}

/**
 * A certificate's short name for a one-line text (a verdict, a finding title, a message): its CN, else
 * the whole DN, with control characters written as `\XX` so a hostile name cannot split the line or
 * reach a terminal. For display only: compare names with `dnValue` / `sameDn`.
 */
export function nameForText(subject: string): string {
  return escapeControlChars(dnValue(subject, 'CN') ?? subject);
}

/** SAP keywords for canonical keys (SAPCryptolib spelling, note 2338952). */
const SAP_KEYWORD: Record<string, string> = {
  CN: 'CN',
  C: 'C',
  L: 'L',
  ST: 'SP',
  STREET: 'ST',
  O: 'O',
  OU: 'OU',
  SERIALNUMBER: 'SN',
  SURNAME: 'S',
  GIVENNAME: 'G',
  TITLE: 'T',
  DESCRIPTION: 'D',
  BUSINESSCATEGORY: 'BC',
  EMAIL: 'E',
  DC: 'DC',
  UID: 'UID',
};

/** Keys @peculiar/x509 uses in `Name.toJSON()` (it spells surname `SN`). */
const PECULIAR_KEYS: Record<string, string> = {
  CN: '2.5.4.3',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  C: '2.5.4.6',
  DC: '0.9.2342.19200300.100.1.25',
  E: '1.2.840.113549.1.9.1',
  G: '2.5.4.42',
  I: '2.5.4.43',
  SN: '2.5.4.4',
  T: '2.5.4.12',
};

/** Control characters (C0, DEL, C1, line separators, bidi overrides) a DN value may hold in a hostile certificate. */
const DN_CONTROL = new RegExp(CONTROL_CHARS_SOURCE, 'g');

function quoteSapValue(value: string): string {
  if (/^[^,;+="<>#\\]*$/.test(value) && value === value.trim() && value.search(DN_CONTROL) < 0) return value;
  // A control character is written as its UTF-8 bytes in `\XX` form (RFC 4514): the DN stays one
  // printable line, and parsing it gives back the exact value.
  return `"${escapeControlChars(value.replace(/(["\\])/g, '\\$1'))}"`;
}

/**
 * Write a certificate name as SAP does: most specific first, `, ` separated, SAP keywords (`SP` for
 * state, `SN` for serial number), values with separators in double quotes, unknown types as `OID.x`.
 */
export function formatDnSap(name: Name | { key: string; value: string }[]): string {
  const attrs: { oid: string; value: string }[] = [];
  if (Array.isArray(name)) {
    for (const a of name) {
      const key = resolveKey(a.key, 'rfc').key;
      attrs.push({ oid: KEY_TO_OID[key] ?? key.replace(/^OID:/, ''), value: a.value });
    }
  } else {
    for (const rdn of name.toJSON()) {
      for (const [type, values] of Object.entries(rdn)) {
        const oid = PECULIAR_KEYS[type] ?? type;
        for (const value of values) attrs.push({ oid, value: String(value) });
      }
    }
    // ASN.1 order is C first; SAP prints the reverse.
    attrs.reverse();
  }
  return attrs
    .map(({ oid, value }) => {
      const key = OID_TO_KEY[oid];
      const keyword = key ? SAP_KEYWORD[key] : undefined;
      return `${keyword ?? `OID.${oid}`}=${quoteSapValue(value)}`;
    })
    .join(', ');
}
