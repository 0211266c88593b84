/**
 * @module Telling sapgenpse output from its first bytes: light on purpose (no listing parser), so the
 * reader registry can sniff every input and load the listing reader only for a listing.
 */
import { decodeText } from '../x509/sniff.js';

/** Lines only sapgenpse prints (section headers, PSE/SSO lines, sub-command error prefixes). */
const STRONG =
  /^[ \t]*(?:Opening PSE[ \t]|SSO for USER[ \t]|MY Certificate[ \t]*:|FCPath certificate level|PKRoot Certificate[ \t]*:|PKList[ \t]*:?[ \t]*$|Element[ \t]*#[ \t]*\d{1,5}[ \t]*:|(?:get_my_name|maintain_pk|seclogin|get_pse|sapgenpse)[ \t]*:[ \t])/im;
const COMMAND = /\bsapgenpse(?:\.exe)?[ \t]+(?:maintain_pk|get_my_name|get_pse|seclogin|gen_pse)\b/i;
const VALIDITY = /Validity[ \t]*-[ \t]*NotBefore[ \t]*:/i;
/** Signs of an ICM / work-process trace, which the trace reader must win. */
const TRACE_SIGNS = /\[Thr \d|trc file:|SSSL(?:ERR|RC)_|SapSSL|IcmConn|\*\*\* ERROR/;

/** Score text for being sapgenpse output. */
export function sniffSapgenpse(text: string): number {
  const strong = STRONG.test(text);
  // A trace that quotes sapgenpse output still belongs to the trace reader.
  if (TRACE_SIGNS.test(text)) return strong ? 0.1 : 0;
  if (strong) return 0.9;
  if (COMMAND.test(text)) return 0.85;
  if (VALIDITY.test(text)) return 0.7;
  return 0;
}

/** How well a head fits the sapgenpse listing reader (see Reader.sniff). */
export function sniffSapgenpseHead(head: Buffer, _name: string): number {
  if (head[0] === 0x30) return 0;
  return sniffSapgenpse(decodeText(head.subarray(0, 64 * 1024), 'utf8'));
}
