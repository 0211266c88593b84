/**
 * @module Telling sapgenpse output from its first bytes: light on purpose (no listing parser), so the
 * reader registry can sniff every input and load the listing reader only for a listing.
 */
import { decodeText } from '../x509/sniff.js';

/** Lines only sapgenpse prints (section headers, PSE/SSO lines, sub-command error prefixes). */
export const STRONG =
  /^[ \t]*(?:Opening PSE[ \t]|SSO for USER[ \t]|MY Certificate[ \t]*:|FCPath certificate level|PKRoot Certificate[ \t]*:|PKList[ \t]*:?[ \t]*$|Element[ \t]*#[ \t]*\d{1,5}[ \t]*:|(?:get_my_name|maintain_pk|seclogin|get_pse|sapgenpse)[ \t]*:[ \t])/im;
const COMMAND = /\bsapgenpse(?:\.exe)?[ \t]+(?:maintain_pk|get_my_name|get_pse|seclogin|gen_pse)\b/i;
const VALIDITY = /Validity[ \t]*-[ \t]*NotBefore[ \t]*:/i;
/**
 * Texts (lower case) of which every line STRONG matches holds one: a text holding none has no such line,
 * and STRONG (case-insensitive, so a costly compile) need not run. Each is the fixed start of one of
 * STRONG's lines, so a trace (which speaks of PSEs and certificates all the time) holds none of them.
 * Outside ASCII, `/i` without the `u` flag folds no character onto an ASCII letter, so lower-casing the
 * text finds every match STRONG has.
 */
export const STRONG_WORDS = [
  'opening pse',
  'sso for user',
  'my certificate',
  'fcpath certificate level',
  'pkroot certificate',
  'pklist',
  'element',
  'get_my_name',
  'maintain_pk',
  'seclogin',
  'get_pse',
  'sapgenpse',
];
/**
 * Up to this length a text is lower-cased for STRONG_WORDS (a sniffed head is at most 64 KiB, which
 * lower-cases and searches in well under the time STRONG takes to compile); a longer one goes to STRONG
 * directly.
 */
const GUARD_CHARS = 256 * 1024;
/** Signs of an ICM / work-process trace, which the trace reader must win. */
const TRACE_SIGNS = /\[Thr \d|trc file:|SSSL(?:ERR|RC)_|SapSSL|IcmConn|\*\*\* ERROR/;

/** Whether a line of the text is one only sapgenpse prints (STRONG). */
function hasStrongLine(text: string): boolean {
  if (text.length <= GUARD_CHARS) {
    const lower = text.toLowerCase();
    if (!STRONG_WORDS.some((w) => lower.includes(w))) return false;
  }
  return STRONG.test(text);
}

/** The highest score sniffSapgenpse gives (see Reader.maxScore). */
export const SAPGENPSE_MAX_SCORE = 0.9;

/** Score text for being sapgenpse output. */
export function sniffSapgenpse(text: string): number {
  const strong = hasStrongLine(text);
  // A trace that quotes sapgenpse output still belongs to the trace reader. A SapSSL code name (a branch
  // of TRACE_SIGNS) is found without compiling the regex.
  const trace = text.includes('SSSLERR_') || text.includes('SSSLRC_') || TRACE_SIGNS.test(text);
  if (trace) return strong ? 0.1 : 0;
  if (strong) return SAPGENPSE_MAX_SCORE;
  if (COMMAND.test(text)) return 0.85;
  if (VALIDITY.test(text)) return 0.7;
  return 0;
}

/** How well a head fits the sapgenpse listing reader (see Reader.sniff). */
export function sniffSapgenpseHead(head: Buffer, _name: string): number {
  if (head[0] === 0x30) return 0;
  return sniffSapgenpse(decodeText(head.subarray(0, 64 * 1024), 'utf8'));
}
