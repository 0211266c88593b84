/**
 * @module Unicode normal forms without ICU where they change nothing. Every normal form leaves ASCII text
 * as it is, and a process's first `normalize` sets up ICU's normaliser (0.1–0.2 ms of a cold call,
 * measured on Node 20), which most inputs (ASCII names of certificates and keys) never need.
 */

/** `text.normalize(form)`: the text itself when it is ASCII. */
export function normalizeText(text: string, form: 'NFC' | 'NFD' | 'NFKC' | 'NFKD'): string {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return text.normalize(form);
  return text;
}
