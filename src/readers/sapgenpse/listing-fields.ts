/**
 * @module Fields of a sapgenpse listing: the labels versions print (`Subject`, `SubjectName`, …), quoted
 * values (ASCII or typographic quotes), times in the forms sapgenpse uses, keys and hex ids, and the
 * masking of secrets a pasted command line may carry.
 */
import type { CertificateInfo } from '../../model/certificate.js';

/** Quote characters seen around paths and DNs: ASCII and the typographic ones web pages substitute. */
export const Q = `"“”″'`;
/** `(20190218184851Z)`: the UTC time sapgenpse appends. */
export const UTC_TIME = /\((\d{12}|\d{14})Z\)/;
/** `Feb 18 18:48:51 2019`: the C library's time form. */
export const CTIME = /([A-Z][a-z]{2})[ \t]{1,8}(\d{1,2})[ \t]{1,8}(\d{1,2}):(\d{2}):(\d{2})[ \t]{1,8}(\d{4})/;

const FIELD_NAMES: Record<string, string> = {
  subject: 'subject',
  subjectname: 'subject',
  owner: 'subject',
  issuer: 'issuer',
  issuername: 'issuer',
  serialno: 'serial',
  serialnumber: 'serial',
  serial: 'serial',
  keyinfo: 'key',
  publickey: 'key',
  keytype: 'keyType',
  keysize: 'keySize',
  validitynotbefore: 'notBefore',
  notbefore: 'notBefore',
  validfrom: 'notBefore',
  validitynotafter: 'notAfter',
  notafter: 'notAfter',
  validto: 'notAfter',
  version: 'version',
  signaturealgorithm: 'signatureAlgorithm',
  signature: 'signatureAlgorithm',
  subjectkeyidentifier: 'subjectKeyId',
  authoritykeyidentifier: 'authorityKeyId',
};

/** Mask values that may be secrets on a sapgenpse command line (`-x <PIN>`, `-z <password>`). */
export function maskSecrets(line: string): string {
  return line.replace(/(\s-[xzZ]\s+)(?:"[^"]*"|\u201c[^\u201d]*\u201d|\S+)/g, '$1****');
}

/** Remove quote characters a copy may have left around a value. */
export function unquote(value: string): string {
  return value
    .trim()
    .replace(/^[\u201c\u201d\u2033"]+/, '')
    .replace(/[\u201c\u201d\u2033"]+$/, '')
    .trim();
}

/** Split a command line into arguments, honouring ASCII and typographic quotes. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = false;
  let has = false;
  for (const ch of text) {
    if (Q.includes(ch) && ch !== "'") {
      quote = !quote;
      has = true;
    } else if (!quote && /\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** ISO time from the UTCTime/GeneralizedTime sapgenpse prints in parentheses, else from the ctime text. */
export function parseListingTime(text: string): { iso?: string; fromLocal?: boolean } {
  const utc = UTC_TIME.exec(text)?.[1];
  if (utc) {
    const long = utc.length === 14;
    const yy = Number(utc.slice(0, long ? 4 : 2));
    const year = long ? yy : yy < 50 ? 2000 + yy : 1900 + yy;
    const r = utc.slice(long ? 4 : 2);
    const iso = `${year}-${r.slice(0, 2)}-${r.slice(2, 4)}T${r.slice(4, 6)}:${r.slice(6, 8)}:${r.slice(8, 10)}.000Z`;
    return Number.isNaN(Date.parse(iso)) ? {} : { iso };
  }
  const m = CTIME.exec(text);
  if (m) {
    const d = new Date(`${m[1]} ${m[2]}, ${m[6]} ${m[3]}:${m[4]}:${m[5]} UTC`);
    if (!Number.isNaN(d.getTime())) return { iso: d.toISOString(), fromLocal: true };
  }
  return {};
}

export function parseKey(value: string): CertificateInfo['key'] | undefined {
  const size = /(\d{3,5})\s*-?\s*bits?/i.exec(value)?.[1];
  let algorithm: string | undefined;
  if (/rsa/i.test(value)) algorithm = 'RSA';
  else if (/\bec|ecdsa|ecpublickey|prime256|secp/i.test(value)) algorithm = 'EC';
  else if (/dsa/i.test(value)) algorithm = 'DSA';
  if (!algorithm) return undefined;
  const curve = /(prime256v1|secp\d{3}r1|P-\d{3})/i.exec(value)?.[1];
  return { algorithm, ...(size ? { size: Number(size) } : {}), ...(curve ? { curve } : {}) };
}

export function hexId(value: string): string | undefined {
  const hex = value.replace(/[^0-9a-fA-F]/g, '');
  return hex.length >= 8 && /^[0-9A-Fa-f:\s]+$/.test(value.trim()) ? hex.toLowerCase() : undefined;
}

export function colonHex(value: string): string {
  const clean = value.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  const even = clean.length % 2 ? `0${clean}` : clean;
  return (even.match(/../g) ?? []).join(':');
}

/** Field name of a `label: value` line, or undefined when the line is not one. */
export function splitField(line: string): { key: string; raw: string; value: string } | undefined {
  const colon = line.indexOf(':');
  if (colon < 1 || colon > 60) return undefined;
  const raw = line.slice(0, colon).trim();
  if (!/^[A-Za-z][A-Za-z0-9 ()#/_.-]*$/.test(raw)) return undefined;
  const norm = raw.toLowerCase().replace(/[^a-z0-9]/g, '');
  const value = line.slice(colon + 1).trim();
  if (/fingerprint/.test(norm)) {
    if (/publickey/.test(norm)) return { key: 'ignored', raw, value };
    if (/sha256/.test(norm)) return { key: 'sha256', raw, value };
    if (/sha1/.test(norm)) return { key: 'sha1', raw, value };
    return { key: 'ignored', raw, value };
  }
  const key = FIELD_NAMES[norm];
  return key ? { key, raw, value } : { key: `?${norm}`, raw, value };
}
